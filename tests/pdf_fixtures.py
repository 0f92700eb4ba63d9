"""Small synthetic CJK PDFs for the PDF reader tests, drawn with reportlab.

Every table is drawn by hand (canvas lines and drawString) so that the geometry is known exactly:
coordinates below are *display* coordinates in points — x to the right, `top` downwards from the
top edge of the displayed page — the same space as the reader's bboxes. All names and numbers are
invented. Each builder writes one file and returns its path.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 7.5  # body font size
LINE = SIZE * 1.3  # line pitch inside a cell


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


# ---------------------------------------------------------------- an embedded font
#
# STSong-Light is a non-embedded CID font: a viewer draws it with whatever CJK font the machine
# has. Where none is installed, pdfium knows no glyph outlines for it, so every pure-CJK text
# object has a zero-height box; pdfium's text page drops text objects of zero *width*, which is
# what such an object becomes on a page rotated by 90°. To test rotation itself, the rotated
# fixture can use BOX_FONT instead: a tiny TrueType font built here whose every glyph is a hollow
# box (CJK and other wide characters 1 em, ASCII ½ em), embedded as a subset with a ToUnicode map.

BOX_FONT = "BoxSans"


def _checksum(data: bytes) -> int:
    data = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _box_glyph(x0: int, y0: int, x1: int, y1: int, t: int = 60) -> bytes:
    """A simple TrueType glyph: a hollow rectangle (outer contour clockwise, inner anticlockwise)."""
    pts = [(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0 + t, y0 + t), (x1 - t, y0 + t), (x1 - t, y1 - t), (x0 + t, y1 - t)]
    out = struct.pack(">hhhhh", 2, x0, y0, x1, y1) + struct.pack(">HHH", 3, 7, 0) + bytes([0x01] * len(pts))
    xs = ys = b""
    px = py = 0
    for x, y in pts:
        xs += struct.pack(">h", x - px)
        ys += struct.pack(">h", y - py)
        px, py = x, y
    out += xs + ys
    return out + b"\0" * (-len(out) % 4)


def box_font_bytes() -> bytes:
    """A minimal valid TrueType font (head, hhea, maxp, hmtx, cmap format 13, loca, glyf, name, post)."""
    glyphs = [b"", _box_glyph(60, -100, 940, 780), _box_glyph(40, -20, 460, 700)]
    advances = [1000, 1000, 500]
    loca = [0]
    for g in glyphs:
        loca.append(loca[-1] + len(g))
    t: dict[str, bytes] = {}
    t["head"] = struct.pack(">LLLLHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B, 1000, 0, 0,
                            0, -120, 1000, 880, 0, 8, 2, 1, 0)
    t["hhea"] = struct.pack(">LhhhHhhhhhh4hhH", 0x00010000, 880, -120, 0, 1000, 0, 0, 940, 1, 0, 0, 0, 0, 0, 0, 0, len(glyphs))
    t["maxp"] = struct.pack(">LH13H", 0x00010000, len(glyphs), 8, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0)
    t["hmtx"] = b"".join(struct.pack(">Hh", a, 0) for a in advances)
    groups = [(0x21, 0x7E, 2), (0xA1, 0xFFFD, 1)]  # ASCII → narrow box, everything else → wide box
    sub = struct.pack(">HHLLL", 13, 0, 16 + 12 * len(groups), 0, len(groups)) + b"".join(struct.pack(">LLL", *g) for g in groups)
    t["cmap"] = struct.pack(">HHHHL", 0, 1, 3, 10, 12) + sub
    t["loca"] = struct.pack(f">{len(loca)}L", *loca)
    t["glyf"] = b"".join(glyphs)
    names = {1: "BoxSans", 2: "Regular", 4: "BoxSans Regular", 6: "BoxSans-Regular"}
    recs = strs = b""
    for nid, text in names.items():
        enc = text.encode("utf-16-be")
        recs += struct.pack(">HHHHHH", 3, 1, 0x409, nid, len(enc), len(strs))
        strs += enc
    t["name"] = struct.pack(">HHH", 0, len(names), 6 + len(recs)) + recs + strs
    t["post"] = struct.pack(">LLhhLLLLL", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0)
    tags = sorted(t)
    n = len(tags)
    es = max(k for k in range(8) if 2 ** k <= n)
    font = struct.pack(">LHHHH", 0x00010000, n, 16 * 2 ** es, es, 16 * n - 16 * 2 ** es)
    offset = 12 + 16 * n
    body = b""
    head_at = 0
    for tag in tags:
        data = t[tag]
        if tag == "head":
            head_at = offset + len(body)
        font += struct.pack(">4sLLL", tag.encode(), _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font += body
    adjust = (0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF
    return font[: head_at + 8] + struct.pack(">L", adjust) + font[head_at + 12:]


def _box_font() -> str:
    if BOX_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BOX_FONT, io.BytesIO(box_font_bytes()), validate=1))
    return BOX_FONT


# ---------------------------------------------------------------- content (invented)

TITLE = "2024年度社区老年助餐服务补助项目支出绩效自评表"
PROJECT = "社区老年助餐服务补助项目"
DEPARTMENT = "某某市民政局"
HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
# Column widths for A4 portrait (sum 540).
WIDTHS = [66, 76, 104, 60, 60, 30, 30, 114]
ROW_H = 20.0


@dataclass(frozen=True)
class Ind:
    level1: str  # label as printed (with weight)
    level2: str
    name: str  # "\n" = a second drawString line in the same cell
    target: str
    actual: str
    weight: str
    score: str
    reason: str = ""


# 产出 spans 5 rows (数量 2, 质量 2, 时效 1); 效益 2 rows; 满意度 1 row.
INDICATORS = [
    Ind("产出指标(50分)", "数量指标", "新建助餐点数量", "≥12个", "13个", "10", "10"),
    Ind("产出指标(50分)", "数量指标", "助餐服务人次", "≥3万人次", "3.2万人次", "10", "10"),
    Ind("产出指标(50分)", "质量指标", "餐食抽检合格率", "≥98%", "99.2%", "10", "10"),
    Ind("产出指标(50分)", "质量指标", "助餐点消防安全\n检查达标率", "100%", "96%", "10", "8", "一处整改滞后\n已督促完成整改"),
    Ind("产出指标(50分)", "时效指标", "补助资金拨付及时率", "100%", "100%", "10", "10"),
    Ind("效益指标(30分)", "社会效益指标", "老年人就餐便利度", "明显提升", "明显提升", "15", "15"),
    Ind("效益指标(30分)", "可持续影响指标", "助餐长效运营机制", "健全", "基本健全", "15", "13", "部分站点依赖补助"),
    Ind("满意度指标(10分)", "服务对象满意度指标", "就餐老人满意度", "≥90%", "93.5%", "10", "10"),
]
# The same indicators as the reader should report them (level labels bare, weights split off).
EXPECTED = [
    ("产出指标", 50.0, "数量指标", "新建助餐点数量"),
    ("产出指标", 50.0, "数量指标", "助餐服务人次"),
    ("产出指标", 50.0, "质量指标", "餐食抽检合格率"),
    ("产出指标", 50.0, "质量指标", "助餐点消防安全检查达标率"),
    ("产出指标", 50.0, "时效指标", "补助资金拨付及时率"),
    ("效益指标", 30.0, "社会效益指标", "老年人就餐便利度"),
    ("效益指标", 30.0, "可持续影响指标", "助餐长效运营机制"),
    ("满意度指标", 10.0, "服务对象满意度指标", "就餐老人满意度"),
]

FUNDS_HEADER = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
FUNDS = [
    ("年度资金总额", ["120.00", "150.00", "135.00", "10", "90%", "9"]),
    ("当年财政拨款", ["100.00", "130.00", "117.00", "—", "90%", "—"]),
    ("上年结转资金", ["20.00", "20.00", "18.00", "—", "90%", "—"]),
    ("其他资金", ["0", "0", "0", "—", "—", "—"]),
]


# ---------------------------------------------------------------- drawing


@dataclass
class Cell:
    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    """A table to draw: column widths, row heights, cells (uncovered slots become empty cells)."""

    x0: float
    top: float
    widths: list[float]
    heights: list[float]
    cells: list[Cell] = field(default_factory=list)

    @property
    def xs(self) -> list[float]:
        out = [self.x0]
        for w in self.widths:
            out.append(out[-1] + w)
        return out

    @property
    def ys(self) -> list[float]:
        out = [self.top]
        for h in self.heights:
            out.append(out[-1] + h)
        return out

    def all_cells(self) -> list[Cell]:
        covered = {(r, c) for cell in self.cells for r in range(cell.row, cell.row + cell.rowspan)
                   for c in range(cell.col, cell.col + cell.colspan)}
        extra = [Cell(r, c) for r in range(len(self.heights)) for c in range(len(self.widths)) if (r, c) not in covered]
        return self.cells + extra

    def bbox(self, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> tuple[float, float, float, float]:
        xs, ys = self.xs, self.ys
        return xs[col], ys[row], xs[col + colspan], ys[row + rowspan]


class Page:
    """Drawing helper in display coordinates (top-down) for one page of a canvas.

    `rotate90`: the canvas page gets /Rotate 90 and the content is drawn so that it reads upright
    when displayed (the usual way a landscape table is stored on a portrait MediaBox)."""

    def __init__(self, c: canvas.Canvas, width: float, height: float, rotate90: bool = False,
                 fake_bold: float = 0.0, font: str | None = None):
        self.c = c
        self.font = font or _font()
        self.rotate90 = rotate90
        self.fake_bold = fake_bold
        if rotate90:
            # reportlab takes the displayed size and writes a portrait MediaBox (height × width)
            # for a page with /Rotate 90; the displayed page is width × height.
            c.setPageSize((width, height))
            c.setPageRotation(90)
            # display point (X right, Y up from the displayed bottom) → user space (height - Y, X):
            # a +90° rotation, so /Rotate 90 turns it back upright
            c.transform(0, 1, -1, 0, height, 0)
        else:
            c.setPageSize((width, height))
        self.w, self.h = width, height
        c.setFont(self.font, SIZE)
        c.setLineWidth(0.6)

    def text(self, x: float, baseline_top: float, s: str, size: float = SIZE, bold: float | None = None) -> None:
        """A string whose baseline is `baseline_top` points below the top edge."""
        c = self.c
        c.setFont(self.font, size)
        y = self.h - baseline_top
        c.drawString(x, y, s)
        off = self.fake_bold if bold is None else bold
        if off:
            c.drawString(x + off, y, s)  # fake bold: the same glyphs again, shifted a fraction of a point

    def text_centred(self, cx: float, baseline_top: float, s: str, size: float = SIZE) -> None:
        width = pdfmetrics.stringWidth(s, self.font, size)
        self.text(cx - width / 2, baseline_top, s, size)

    def hline(self, top: float, x0: float, x1: float) -> None:
        self.c.line(x0, self.h - top, x1, self.h - top)

    def vline(self, x: float, top: float, bottom: float) -> None:
        self.c.line(x, self.h - top, x, self.h - bottom)

    def draw_grid(self, g: Grid, rules: str = "full", size: float = SIZE, clip_inset: float | None = None,
                  backgrounds: bool = False) -> None:
        """rules: "full" (every cell boxed, merged cells have no inner rules), "horizontal"
        (only the cells' top and bottom edges) or "none" (text only). `clip_inset`: each cell's
        text is drawn inside a clip path, the cell's box shrunk by that many points (as office
        exporters clip a cell's text to its padding box). `backgrounds`: first a white box is
        painted under every grid slot, merged cells too (as spreadsheet exporters paint cell fills)."""
        if backgrounds:
            self.c.setFillColorRGB(1, 1, 1)
            xs, ys = g.xs, g.ys
            for r in range(len(ys) - 1):
                for col in range(len(xs) - 1):
                    self.c.rect(xs[col], self.h - ys[r + 1], xs[col + 1] - xs[col], ys[r + 1] - ys[r], stroke=0, fill=1)
            self.c.setFillColorRGB(0, 0, 0)
        for cell in g.all_cells():
            x0, t0, x1, b0 = g.bbox(cell.row, cell.col, cell.rowspan, cell.colspan)
            if rules in ("full", "horizontal"):
                self.hline(t0, x0, x1)
                self.hline(b0, x0, x1)
            if rules == "full":
                self.vline(x0, t0, b0)
                self.vline(x1, t0, b0)
            lines = cell.text.split("\n") if cell.text else []
            if not lines:
                continue
            # Text block centred vertically in the (possibly merged) cell: a merged label sits at
            # the vertical middle of its span, as real templates print it.
            pitch = size * 1.3
            block = pitch * (len(lines) - 1) + size
            first_base = (t0 + b0) / 2 - block / 2 + size * 0.88
            if clip_inset is not None:
                self.c.saveState()
                box = self.c.beginPath()
                box.rect(x0 + clip_inset, self.h - b0 + clip_inset, x1 - x0 - 2 * clip_inset, b0 - t0 - 2 * clip_inset)
                self.c.clipPath(box, stroke=0, fill=0)
            for k, ln in enumerate(lines):
                self.text(x0 + 2, first_base + k * pitch, ln, size)
            if clip_inset is not None:
                self.c.restoreState()


def indicator_cells(inds: list[Ind], first_row: int, merge: bool = True, blank_labels_until: int = 0) -> list[Cell]:
    """Body cells for indicator rows starting at grid row `first_row`; 一级/二级 labels merged
    over their runs (the label printed once, mid-span). Rows before `blank_labels_until` (index in
    `inds`) get empty, unmerged label cells (a span continued from the previous page)."""
    cells: list[Cell] = []
    for col, key in ((0, "level1"), (1, "level2")):
        i = 0
        while i < len(inds):
            j = i
            while merge and j + 1 < len(inds) and getattr(inds[j + 1], key) == getattr(inds[i], key):
                j += 1
            if i < blank_labels_until:
                # continuation of a span from the previous page: empty cell(s), merged among themselves
                stop = min(j, blank_labels_until - 1)
                cells.append(Cell(first_row + i, col, "", stop - i + 1))
                i = stop + 1
                continue
            cells.append(Cell(first_row + i, col, getattr(inds[i], key), j - i + 1))
            i = j + 1
    for k, ind in enumerate(inds):
        r = first_row + k
        for col, t in enumerate((ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason), start=2):
            cells.append(Cell(r, col, t))
    return cells


def _heights(inds: list[Ind], header_rows: int = 1, extra: list[float] | None = None) -> list[float]:
    hs = list(extra or []) + [ROW_H] * header_rows
    for ind in inds:
        n = max(ind.name.count("\n"), ind.reason.count("\n")) + 1
        hs.append(max(ROW_H, n * LINE + 6))
    return hs


def header_cells(row: int) -> list[Cell]:
    return [Cell(row, c, t) for c, t in enumerate(HEADER)]


def info_cells(row: int) -> list[Cell]:
    """项目名称 / 主管部门 rows at the top of a self-evaluation table."""
    return [
        Cell(row, 0, "项目名称"), Cell(row, 1, PROJECT, 1, 7),
        Cell(row + 1, 0, "主管部门"), Cell(row + 1, 1, DEPARTMENT, 1, 3), Cell(row + 1, 4, "实施单位"),
        Cell(row + 1, 5, "某某区养老服务中心", 1, 3),
    ]


def _new(path: Path, **kw) -> canvas.Canvas:
    _font()
    return canvas.Canvas(str(path), pagesize=A4, invariant=1, **kw)  # invariant: same bytes every run


def _footer(p: Page, n: int) -> None:
    p.text_centred(p.w / 2, p.h - 30, f"— {n} —", size=9)


# ---------------------------------------------------------------- fixtures


def self_eval_pdf(path: Path, info: str = "rows", backgrounds: bool = False) -> tuple[Path, Grid]:
    """One page: title line, a ruled table with the header and 8 indicator rows; 一级/二级 labels
    merged over their runs and printed at the vertical middle; two multi-line cells.
    `info` places the 项目名称/主管部门 block: "rows" (ruled rows at the top of the table),
    "lines" (one text line each above the table) or "one-line" (both on one text line, far apart).
    `backgrounds`: white cell fills under every grid slot. Returns the path and the grid (for bbox checks)."""
    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    if info == "rows":
        p.text(28, 80, "填报日期：2025年3月10日", size=8)
        g = Grid(28, 90, WIDTHS, _heights(INDICATORS, extra=[ROW_H, ROW_H]))
        g.cells = info_cells(0) + header_cells(2) + indicator_cells(INDICATORS, 3)
    else:
        if info == "lines":
            p.text(28, 82, f"项目名称：{PROJECT}", size=9)
            p.text(28, 96, f"主管部门：{DEPARTMENT}", size=9)
        else:
            p.text(28, 90, f"项目名称：{PROJECT}", size=9)
            p.text(330, 90, f"主管部门：{DEPARTMENT}", size=9)
        g = Grid(28, 104, WIDTHS, _heights(INDICATORS))
        g.cells = header_cells(0) + indicator_cells(INDICATORS, 1)
    p.draw_grid(g, backgrounds=backgrounds)
    c.showPage()
    c.save()
    return path, g


def _title_and_table(c, w: float, h: float, title: str = TITLE, x: float = 28, y: float = 90,
                     widths=None, transform=lambda t: t, **page_kw):
    """A page with a centred title and the standard indicator table; returns (page, grid)."""
    p = Page(c, w, h, **page_kw)
    p.text_centred(w / 2, y - 30 if y >= 90 else 50, transform(title), size=12)
    g = Grid(x, y, widths or WIDTHS, _heights(INDICATORS))
    g.cells = [Cell(x_.row, x_.col, transform(x_.text), x_.rowspan, x_.colspan)
               for x_ in header_cells(0) + indicator_cells(INDICATORS, 1)]
    p.draw_grid(g)
    return p, g


def footer_stamp_pdf(path: Path) -> Path:
    """The table of `self_eval_pdf` with a footer page number and a stamp line outside the table."""
    c = _new(path)
    w, h = A4
    p, g = _title_and_table(c, w, h)
    below = g.ys[-1]
    p.text(300, below + 40, "填报单位（盖章）：", size=9)
    # a stamp-like ring with text, well below the table
    c.setStrokeColorRGB(0.85, 0.1, 0.1)
    c.circle(420, h - (below + 70), 28, stroke=1, fill=0)
    c.setFillColorRGB(0.85, 0.1, 0.1)
    p.text(398, below + 73, "（盖章）", size=9)
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0, 0, 0)
    p.text(40, below + 110, "联系人：某某  联系电话：0000-1234567", size=8)
    _footer(p, 3)
    c.showPage()
    c.save()
    return path


def continued_pdf(path: Path, repeat_header: bool) -> Path:
    """One logical table over two pages. Page 1: title, header and the first 4 indicators (the
    产出 span continues). Page 2: header repeated or not, then the rest; without a header the
    一级/二级 cells of the continued span are empty on page 2."""
    c = _new(path)
    w, h = A4
    split = 4  # page 2 starts with INDICATORS[4] (时效指标, still under 产出指标)
    first, rest = INDICATORS[:split], INDICATORS[split:]
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g1 = Grid(28, 620, WIDTHS, _heights(first))  # pushed down so the table meets the page bottom
    g1.cells = header_cells(0) + indicator_cells(first, 1)
    p.draw_grid(g1)
    _footer(p, 1)
    c.showPage()
    p = Page(c, w, h)
    if repeat_header:
        g2 = Grid(28, 50, WIDTHS, _heights(rest))
        g2.cells = header_cells(0) + indicator_cells(rest, 1)
    else:
        # the 产出 span (一级) continues for one row with an empty cell; 二级 时效 is new on page 2
        g2 = Grid(28, 50, WIDTHS, _heights(rest, header_rows=0))
        cells = indicator_cells(rest, 0)
        cells = [Cell(x.row, x.col, "" if (x.col == 0 and x.row == 0) else x.text, x.rowspan, x.colspan) for x in cells]
        g2.cells = cells
    p.draw_grid(g2)
    _footer(p, 2)
    c.showPage()
    c.save()
    return path


SECOND_TITLE = "2024年度养老服务体系建设专项资金绩效目标表"
SECOND_PROJECT = "养老服务体系建设专项资金"


def next_table_pdf(path: Path, second: str) -> Path:
    """Page 1: caption, 项目名称 rows, header and the first 4 indicators, meeting the page bottom.
    Page 2, by `second`: "own-caption" (a caption of its own, then header and rows), "own-project"
    (no caption; 项目名称 rows of another project, then header and rows), "own-project-no-header"
    (a 专项（项目）名称 row of another project, then rows without a header), "other-columns" (no
    caption or header; a 3-column table whose rules do not line up with page 1's), "continued"
    (no caption or header; the remaining indicators in page 1's columns) or "continued-drifted"
    (the same with every rule a few points off)."""
    c = _new(path)
    w, h = A4
    first, rest = INDICATORS[:4], INDICATORS[4:]
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g1 = Grid(28, 560, WIDTHS, _heights(first, extra=[ROW_H, ROW_H]))
    g1.cells = info_cells(0) + header_cells(2) + indicator_cells(first, 3)
    p.draw_grid(g1)
    c.showPage()
    p = Page(c, w, h)
    if second == "own-caption":
        p.text_centred(w / 2, 60, SECOND_TITLE, size=12)
        g2 = Grid(28, 90, WIDTHS, _heights(rest))
        g2.cells = header_cells(0) + indicator_cells(rest, 1)
    elif second == "own-project":
        g2 = Grid(28, 50, WIDTHS, _heights(rest, extra=[ROW_H]))
        g2.cells = [Cell(0, 0, "项目名称"), Cell(0, 1, SECOND_PROJECT, 1, 7)] + header_cells(1) + indicator_cells(rest, 2)
    elif second == "own-project-no-header":
        g2 = Grid(28, 50, WIDTHS, _heights(rest, extra=[ROW_H]))
        g2.cells = [Cell(0, 0, "专项（项目）名称"), Cell(0, 1, SECOND_PROJECT, 1, 7)] + indicator_cells(rest, 1)
    elif second == "other-columns":
        g2 = Grid(28, 50, [200, 140, 200], [ROW_H] * 3)
        g2.cells = [Cell(r, col, t) for r, row in enumerate((("养老机构运营补贴", "120.00", "按季度拨付"),
                                                            ("社区助餐点建设", "80.00", "新建12个"),
                                                            ("居家养老上门服务", "60.00", "覆盖3个街道")))
                    for col, t in enumerate(row)]
    elif second == "continued-drifted":
        # the same template redrawn with every rule moved by up to 5 pt, as real templates drift
        edges = [28 + sum(WIDTHS[:i]) + d for i, d in enumerate([2, 5, -4, 3, -5, 4, -3, 5, 0])]
        g2 = Grid(edges[0], 50, [b - a for a, b in zip(edges, edges[1:])], _heights(rest, header_rows=0))
        g2.cells = indicator_cells(rest, 0)
    else:
        g2 = Grid(28, 50, WIDTHS, _heights(rest, header_rows=0))
        g2.cells = indicator_cells(rest, 0)
    p.draw_grid(g2)
    c.showPage()
    c.save()
    return path


def label_after_break_pdf(path: Path, variant: str) -> Path:
    """A table over two pages whose 效益 cells go on over the break. "label-on-next-page": on page 1
    the merged 一级 and 二级 cells of the last two rows are empty; their labels are printed on page
    2, mid-span. "cut-label": the merged 一级 label is cut by the break, "效益指" on page 1 and "标"
    on page 2. Returns the path; the expected levels are in BREAK_EXPECTED."""
    a1, a2, b1, b2, b3, c1 = (INDICATORS[0], INDICATORS[1], INDICATORS[5], INDICATORS[2], INDICATORS[6], INDICATORS[7])

    def values(r: int, ind: Ind) -> list[Cell]:
        return [Cell(r, col, t) for col, t in enumerate((ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason), start=2)]

    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g1 = Grid(28, 640, WIDTHS, [ROW_H] * 5)
    top = "效益指" if variant == "cut-label" else ""
    g1.cells = header_cells(0) + [Cell(1, 0, "产出指标", 2), Cell(1, 1, "数量指标", 2), Cell(3, 0, top, 2),
                                  Cell(3, 1, "" if variant == "label-on-next-page" else "社会效益指标", 2)]
    g1.cells += values(1, a1) + values(2, a2) + values(3, b1) + values(4, b2)
    p.draw_grid(g1)
    c.showPage()
    p = Page(c, w, h)
    g2 = Grid(28, 50, WIDTHS, [ROW_H] * 2)
    if variant == "cut-label":
        g2.cells = [Cell(0, 0, "标"), Cell(0, 1, "可持续影响指标")]
    else:
        g2.cells = [Cell(0, 0, "效益指标"), Cell(0, 1, "社会效益指标")]
    g2.cells += [Cell(1, 0, "满意度指标"), Cell(1, 1, "服务对象满意度指标")] + values(0, b3) + values(1, c1)
    p.draw_grid(g2)
    c.showPage()
    c.save()
    return path


BREAK_EXPECTED = {
    "label-on-next-page": [("产出指标", "数量指标")] * 2 + [("效益指标", "社会效益指标")] * 3 + [("满意度指标", "服务对象满意度指标")],
    "cut-label": [("产出指标", "数量指标")] * 2 + [("效益指标", "社会效益指标")] * 2 + [("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标")],
}


def continued_open_level2_pdf(path: Path) -> Path:
    """Page break inside a 二级 span: page 1 ends with the first 质量指标 row, page 2 starts (no
    header) with the second 质量指标 row whose 一级 and 二级 cells are empty."""
    c = _new(path)
    w, h = A4
    split = 3
    first, rest = INDICATORS[:split], INDICATORS[split:]
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g1 = Grid(28, 640, WIDTHS, _heights(first))
    g1.cells = header_cells(0) + indicator_cells(first, 1)
    p.draw_grid(g1)
    c.showPage()
    p = Page(c, w, h)
    g2 = Grid(28, 50, WIDTHS, _heights(rest, header_rows=0))
    cells = indicator_cells(rest, 0)
    # row 0 (消防安全) continues 质量指标 and row 0–1 continue 产出指标: blank their label cells
    fixed = []
    for x in cells:
        if x.col == 1 and x.row == 0:
            fixed.append(Cell(0, 1, ""))
        elif x.col == 0 and x.row == 0:
            fixed.append(Cell(0, 0, "", x.rowspan))
        else:
            fixed.append(x)
    g2.cells = fixed
    p.draw_grid(g2)
    c.showPage()
    c.save()
    return path


def funds_block_pdf(path: Path, split: bool) -> Path:
    """A whole self-evaluation form: title; ruled 项目名称/主管部门 rows, the 项目资金 block
    (年初预算数 … 得分 over 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金) and 年度总体目标;
    then the indicator header and rows. `split`: the indicator part starts on page 2 (no caption
    there); otherwise it follows directly below on page 1, the two parts forming one ruled table."""
    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    fw = [66, 76, 64, 64, 64, 60, 60, 86]  # 项目资金 label, fund labels, six fund columns (sum 540)
    g = Grid(28, 90, fw, [ROW_H] * (3 + len(FUNDS)) + [ROW_H * 2])
    cells = [
        Cell(0, 0, "项目名称"), Cell(0, 1, PROJECT, 1, 7),
        Cell(1, 0, "主管部门"), Cell(1, 1, DEPARTMENT, 1, 3), Cell(1, 4, "实施单位"), Cell(1, 5, "某某区养老服务中心", 1, 3),
        Cell(2, 0, "项目资金\n（万元）", 1 + len(FUNDS)),  # merged over the block, printed mid-span
    ]
    for k, t in enumerate(FUNDS_HEADER):
        cells.append(Cell(2, 2 + k, t))
    for r, (label, vals) in enumerate(FUNDS, start=3):
        cells.append(Cell(r, 1, label))
        for k, v in enumerate(vals):
            cells.append(Cell(r, 2 + k, v))
    goal_row = 3 + len(FUNDS)
    cells.append(Cell(goal_row, 0, "年度总体目标"))
    cells.append(Cell(goal_row, 1, "新建助餐点12个，全年提供助餐服务3万人次以上，\n餐食抽检合格率不低于98%。", 1, 7))
    g.cells = cells
    p.draw_grid(g)
    if split:
        _footer(p, 1)
        c.showPage()
        p = Page(c, w, h)
        top = 50.0
    else:
        top = g.ys[-1]  # shares the funds block's bottom rule
    g2 = Grid(28, top, WIDTHS, _heights(INDICATORS))
    g2.cells = header_cells(0) + indicator_cells(INDICATORS, 1)
    p.draw_grid(g2)
    _footer(p, 2 if split else 1)
    c.showPage()
    c.save()
    return path


# Wider columns for the landscape pages (sum 760).
WIDE = [80, 90, 170, 80, 80, 45, 45, 170]


def rotated_pdf(path: Path, embedded_font: bool = True) -> tuple[Path, Grid]:
    """A portrait MediaBox (595 × 842) with /Rotate 90 whose content is drawn rotated so that it
    reads upright when displayed as a landscape page (842 × 595). With `embedded_font` the text
    uses the embedded BOX_FONT, else the non-embedded STSong-Light."""
    c = _new(path)
    w, h = landscape(A4)
    p = Page(c, w, h, rotate90=True, font=_box_font() if embedded_font else None)
    p.text_centred(w / 2, 50, TITLE, size=12)
    g = Grid(40, 70, WIDE, _heights(INDICATORS))
    g.cells = header_cells(0) + indicator_cells(INDICATORS, 1)
    p.draw_grid(g)
    c.showPage()
    c.save()
    return path, g


def landscape_pdf(path: Path) -> tuple[Path, Grid]:
    """A plain landscape page (MediaBox 842 × 595, no /Rotate)."""
    c = _new(path)
    w, h = landscape(A4)
    _, g = _title_and_table(c, w, h, x=40, y=70, widths=WIDE)
    c.showPage()
    c.save()
    return path, g


def garbled_pdf(path: Path) -> Path:
    """Page 1: a readable table. Page 2: the same table drawn with private-use code points and
    U+FFFD for every CJK character (what a font without a usable ToUnicode map extracts as)."""
    c = _new(path)
    w, h = A4
    _title_and_table(c, w, h)
    c.showPage()

    def garble(s: str) -> str:
        out = []
        for i, ch in enumerate(s):
            if ord(ch) > 0x2E80:
                out.append("\ufffd" if i % 5 == 0 else chr(0xE000 + ord(ch) % 0x1000))
            else:
                out.append(ch)
        return "".join(out)

    _title_and_table(c, w, h, transform=garble)
    c.showPage()
    c.save()
    return path


FAKE_BOLD_INDS = [
    Ind("产出指标(60分)", "数量指标", "开展防汛演练次数", "≥20次", "20次", "20", "20"),
    Ind("产出指标(60分)", "质量指标", "隐患整改完成率", "100%", "100%", "20", "20", "全力全力推进整改"),
    Ind("产出指标(60分)", "时效指标", "预警信息发布时长", "≤30分钟", "25分钟", "20", "20"),
    Ind("满意度指标(20分)", "服务对象满意度指标", "群众群众满意度", "≥90%", "92%", "20", "18", "宣传不够充分"),
]


def fake_bold_pdf(path: Path, offset: float = 0.3) -> Path:
    """Every string drawn twice with a small horizontal offset (fake bold), except the name
    "群众群众满意度" (a genuine repeat in the source text), which is drawn once."""
    c = _new(path)
    w, h = A4
    p = Page(c, w, h, fake_bold=offset)
    p.text_centred(w / 2, 60, "2024年度防汛应急能力提升项目支出绩效自评表", size=12)
    g = Grid(28, 90, WIDTHS, _heights(FAKE_BOLD_INDS))
    g.cells = header_cells(0) + indicator_cells(FAKE_BOLD_INDS, 1)
    # draw everything fake-bold except the genuine-repeat name, which is drawn once
    once = [x for x in g.cells if x.text == "群众群众满意度"]
    g.cells = [x for x in g.cells if x not in once] + [Cell(x.row, x.col, "", x.rowspan, x.colspan) for x in once]
    p.draw_grid(g)
    for x in once:
        x0, t0, x1, b0 = g.bbox(x.row, x.col)
        p.text(x0 + 2, (t0 + b0) / 2 + SIZE * 0.38, x.text, bold=0)
    c.showPage()
    c.save()
    return path


def unruled_pdf(path: Path, rules: str) -> Path:
    """A table without a ruled grid: rules="horizontal" (only horizontal rules, a 三线表-like form)
    or rules="none" (text laid out in columns by whitespace only). No merged labels: every row
    prints its 一级/二级 labels."""
    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    p.text(28, 82, f"项目名称：{PROJECT}", size=8)
    g = Grid(28, 100, WIDTHS, [ROW_H] * (1 + len(UNRULED)))
    cells = header_cells(0)
    for r, ind in enumerate(UNRULED, start=1):
        for col, t in enumerate((ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason)):
            cells.append(Cell(r, col, t))
    g.cells = cells
    p.draw_grid(g, rules=rules)
    c.showPage()
    c.save()
    return path


# Names for the clipped-cell fixture, in the 三级 column (104 pt wide, text from 2 pt in, 7.5 pt a
# glyph): 14 glyphs end 3 pt past the cell's right rule with the last glyph's centre inside the cell;
# 16 glyphs run on into the 指标值 cell, where the clip hides glyphs 15 and 16. A name of three lines
# in a row too low for them: the clip cuts the first line at the row's top and the last at its bottom.
CLIPPED_AT_BORDER = "助餐服务覆盖社区数量占比情况"
OVERFLOWING = "助餐服务覆盖社区数量占比情况统计"
CUT_LINES = "餐食抽检\n合格率及\n整改情况"


def clipped_cells_pdf(path: Path, clip_inset: float = 1.5) -> Path:
    """The standard table with every cell's text clipped to the cell's padding box; row 1 holds a
    name that the clip cuts at its own cell border, row 2 one that overflows into the next cell,
    row 3 a three-line name whose first and last lines the clip cuts at the row's top and bottom."""
    assert len(CLIPPED_AT_BORDER) == 14 and len(OVERFLOWING) == 16
    inds = list(INDICATORS)
    for i, name in enumerate((CLIPPED_AT_BORDER, OVERFLOWING, CUT_LINES)):
        inds[i] = Ind(*(name if f == "name" else getattr(inds[i], f) for f in Ind.__dataclass_fields__))
    heights = _heights(inds)
    heights[3] = 18.0  # three lines need 27 pt: the first and last are each about half shown
    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g = Grid(28, 90, WIDTHS, heights)
    g.cells = header_cells(0) + indicator_cells(inds, 1)
    p.draw_grid(g, clip_inset=clip_inset)
    c.showPage()
    c.save()
    return path


UNRULED = [
    Ind("产出指标", "数量指标", "新建助餐点数量", "≥12个", "13个", "20", "20"),
    Ind("产出指标", "质量指标", "餐食抽检合格率", "≥98%", "99.2%", "20", "20"),
    Ind("产出指标", "时效指标", "补助资金拨付及时率", "100%", "100%", "10", "10"),
    Ind("效益指标", "社会效益指标", "老年人就餐便利度", "明显提升", "明显提升", "30", "28", "个别站点偏远"),
    Ind("满意度指标", "服务对象满意度指标", "就餐老人满意度", "≥90%", "93.5%", "10", "10"),
]


def many_segments_pdf(path: Path, n_segments: int) -> Path:
    """Page 1: a readable ruled table. Page 2: a short paragraph over a hatch of tiny strokes, one
    path of `n_segments` segments (move-to + line-to per stroke), like a vector-traced scan."""
    c = _new(path)
    w, h = A4
    p = Page(c, w, h)
    p.text_centred(w / 2, 60, TITLE, size=12)
    g = Grid(28, 90, WIDTHS, _heights(INDICATORS))
    g.cells = header_cells(0) + indicator_cells(INDICATORS, 1)
    p.draw_grid(g)
    c.showPage()
    p = Page(c, w, h)
    c.setLineWidth(0.1)
    c.setStrokeColorRGB(0.75, 0.75, 0.75)
    hatch = c.beginPath()
    per_row = 100
    for k in range(n_segments // 2):
        x = 40 + (k % per_row) * 5
        y = 700 - (k // per_row) * 5
        hatch.moveTo(x, y)
        hatch.lineTo(x + 1.5, y + 1.5)
    c.drawPath(hatch, stroke=1, fill=0)
    c.setStrokeColorRGB(0, 0, 0)
    p.text(40, 80, "附件：项目实施情况说明", size=10)
    p.text(40, 100, "本项目全年新建助餐点13个，服务老年人3.2万人次。", size=9)
    c.showPage()
    c.save()
    return path


# ---------------------------------------------------------------- bad input


def truncated_pdf(path: Path, source: Path, keep: float = 0.5) -> Path:
    """The first `keep` share of the bytes of a valid PDF, as a failed download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF that needs a user password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("user-secret", ownerPassword="owner-secret", canPrint=1, strength=128)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=enc, invariant=1)
    c.setFont(_font(), 12)
    c.drawString(60, 760, TITLE)
    c.showPage()
    c.save()
    return path


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (/Count 0), with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objs) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def not_a_pdf(path: Path) -> Path:
    """A text file named .pdf."""
    path.write_text("2024年度项目支出绩效自评表\n这不是PDF文件，只是一段文字。\n", encoding="utf-8")
    return path
