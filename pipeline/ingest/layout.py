"""The layout core: one page as glyph boxes and ruling pieces → ruled grids → cells and text lines.

Every source that sees a page as a picture of a table feeds it: pypdfium2 for vector PDFs
(`pdf.py`), positioned-box HTML (`positioned.py`), OCR of scanned pages (`ocr.py`). A source gives a
`PageLayout`; `read_layout` finds the grids (`ruling.py`), fills each cell with the glyphs whose
centre (or clip, see `visible_chars`) falls inside, and turns the rest into narrative lines, the lines
just above a grid being its context (title, 项目名称).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace

from ..model import Cell, DocError, RawTable, TextBlock
from .ruling import Grid, find_grids, grid_cells, merge_lines

MAX_RULES = 4_000  # distinct rules per page after merging
_CONTEXT_LINES = 4
WIDE_GAP = "  "  # how a wide horizontal gap inside a text line is written


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    # The clip region (display coordinates) when the glyph's centre lies outside it, else None:
    # whether such a glyph is read depends on the cell it falls in (see `visible_chars`).
    clip: tuple[float, float, float, float] | None = None
    home: tuple[float, float] | None = None  # where a clipped glyph is read, set by `visible_chars`
    confidence: float | None = None  # OCR's recognition confidence; None for a glyph printed as text

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def anchor(self) -> tuple[float, float]:
        """The point that decides the glyph's cell: its centre, or for a glyph that its clip cuts,
        a point of the cell it is painted in."""
        return self.home or (self.cx, self.cy)


def dedupe_chars(chars: list[Char], overlap: float = 0.5) -> list[Char]:
    """Drop a glyph printed again on top of the same glyph (fake bold) — at the glyph level only,
    so genuine repeats in the text ("群众群众") survive."""
    out: list[Char] = []
    recent: dict[str, list[Char]] = {}
    for c in chars:
        dup = False
        for o in recent.get(c.text, ()):
            if abs(c.x0 - o.x0) > c.x1 - c.x0 or abs(c.top - o.top) > c.bottom - c.top:
                continue  # too far apart to overlap by half
            ix = min(c.x1, o.x1) - max(c.x0, o.x0)
            iy = min(c.bottom, o.bottom) - max(c.top, o.top)
            area = max((c.x1 - c.x0) * (c.bottom - c.top), 1e-6)
            if ix > 0 and iy > 0 and ix * iy / area > overlap:
                dup = True
                break
        if not dup:
            out.append(c)
            recent.setdefault(c.text, []).append(c)
            if len(recent[c.text]) > 8:
                recent[c.text].pop(0)
    return out


def garbled_share(chars: list[Char]) -> float:
    """Share of characters that cannot be real text: U+FFFD, private use, C0 controls. A page whose
    letters are almost all Latin is garbled too: these documents are Chinese, and a font without a
    usable ToUnicode map often decodes to Latin gibberish."""
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c.text == "\ufffd" or "\ue000" <= c.text <= "\uf8ff" or ord(c.text) < 32)
    letters = [c.text for c in chars if c.text.isalpha()]
    cjk = sum(1 for t in letters if "\u3400" <= t <= "\u9fff")
    if len(letters) >= 40 and cjk < 0.05 * len(letters):
        return 1.0
    return bad / len(chars)


def add_segment(p, q, hs, vs) -> None:
    """A straight segment p→q as a horizontal (y, x0, x1) or vertical (x, top, bottom) piece; others are no rules."""
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 0:
        hs.append(((y0 + y1) / 2, x0, x1))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 0:
        vs.append(((x0 + x1) / 2, y0, y1))


# ---------------------------------------------------------------- text in cells and lines


def chars_to_text(chars: list[Char]) -> str:
    """Characters of one cell → text, lines top to bottom, joined as multi-line cell text."""
    if not chars:
        return ""
    lines: list[list[Char]] = []
    centre = height = 0.0  # the current line's mean centre and typical glyph height
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        # Judged by the typical glyph, not the line's outer extent: a bracket's box can be twice a
        # letter's and would pull the next line of a tightly set cell into this one.
        if lines and c.cy - centre <= 0.5 * max(height, 1.0):
            line = lines[-1]
            line.append(c)
            centre += (c.cy - centre) / len(line)
            height = sorted(x.bottom - x.top for x in line)[len(line) // 2]
            continue
        lines.append([c])
        centre, height = c.cy, c.bottom - c.top
    out = []
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
        s = ln[0].text
        for prev, c in zip(ln, ln[1:]):
            # A visible gap between two Latin letters/digits is a word space; CJK needs none.
            if c.x0 - prev.x1 > max(prev.x1 - prev.x0, 2.0) * 0.8 and _latin(prev.text) and _latin(c.text):
                s += " "
            s += c.text
        out.append(s)
    return "\n".join(out)


def _latin(t: str) -> bool:
    return t.isascii() and t.isalnum()


def text_lines(chars: list[Char]) -> list[tuple[float, float, str]]:
    """Narrative lines (top, x0, text) from characters outside tables."""
    rows: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if rows and abs(c.cy - rows[-1][0].cy) <= max(rows[-1][0].bottom - rows[-1][0].top, 2.0) * 0.5:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for r in rows:
        r.sort(key=lambda c: c.x0)
        parts = [[r[0]]]
        for prev, c in zip(r, r[1:]):
            if c.x0 - prev.x1 > 3 * max(prev.x1 - prev.x0, 4.0):
                parts.append([])  # a wide gap separates fields printed on one line
            parts[-1].append(c)
        text = WIDE_GAP.join(chars_to_text(p).replace("\n", "") for p in parts)
        out.append((min(c.top for c in r), min(c.x0 for c in r), text))
    return out


def _fits(chars: list[Char], text: str, right: float) -> bool | None:
    """Whether a cell's text visibly fits it: it wraps onto another line, or one more glyph would fit
    before the cell's right edge. A cell cut to a fixed width runs to the edge (or is clipped there)."""
    if not chars:
        return None
    if "\n" in text.strip():
        return True
    if any(c.clip is not None for c in chars):
        return False
    widths = sorted(c.x1 - c.x0 for c in chars)
    return right - max(c.x1 for c in chars) >= widths[len(widths) // 2]


def grid_table(grid: Grid, chars: list[Char], page_no: int, context: tuple[str, ...],
               engine: str = "pdfium-ruled") -> tuple[RawTable, set[int]]:
    """Fill a grid's cells with characters; returns the table and the indexes of the chars used."""
    xs, ys = grid.xs, grid.ys
    slots = grid_cells(grid)
    owner = _slot_owner(slots)
    buckets: list[list[Char]] = [[] for _ in slots]
    used: set[int] = set()
    for ci, ch in enumerate(chars):
        si = _cell_at(grid, owner, *ch.anchor)
        if si is not None:
            buckets[si].append(ch)
            used.add(ci)
    cells = []
    for si, (r, c, rs, cs) in enumerate(slots):
        bbox = (xs[c], ys[r], xs[c + cs], ys[r + rs])
        sure = [ch.confidence for ch in buckets[si] if ch.confidence is not None]
        text = chars_to_text(buckets[si])
        cells.append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs, bbox=bbox, page=page_no,
                          confidence=min(sure) if sure else None, fits=_fits(buckets[si], text, bbox[2])))
    merged = sum(1 for _, _, rs, cs in slots if rs > 1 or cs > 1)
    note = f"ruled grid {len(ys) - 1}x{len(xs) - 1} from the page's own rules, {merged} merged cells"
    raw = RawTable(cells=tuple(cells), n_rows=len(ys) - 1, n_cols=len(xs) - 1, page=page_no, context=context,
                   aligned=True, source_engine=engine, notes=(note,))
    return raw, used


def visible_chars(chars: list[Char], grids: list[Grid]) -> list[Char]:
    """The characters a reader of the page sees. A glyph whose centre its clip region leaves out is
    kept when the clip is a cell's and it only cuts the glyph (part of it is painted) or the glyph
    still lies in that cell (a clip tighter than the cell); either way it is read in that cell. A
    glyph the clip hides entirely in another cell, outside the tables or off the page, or outside a
    clip that is no cell's, goes: overflow that the page never shows."""
    if not any(c.clip for c in chars):
        return chars
    owners = [(g, _slot_owner(slots), slots) for g in grids for slots in [grid_cells(g)]]
    out = []
    for c in chars:
        if c.clip is None:
            out.append(c)
            continue
        x0, t0, x1, b0 = c.clip
        painted = c.x0 < x1 and c.x1 > x0 and c.top < b0 and c.bottom > t0
        for g, owner, slots in owners:
            home = _cell_at(g, owner, (x0 + x1) / 2, (t0 + b0) / 2)
            if home is None:
                continue
            if not _inside(c.clip, _slot_box(g, slots[home])):
                break  # a clip wider than a cell (a page's or a sheet's print area) says nothing about cells
            if _cell_at(g, owner, c.cx, c.cy) == home:
                out.append(c)
            elif painted and _touches(c, _slot_box(g, slots[home])):
                xs, ys = g.xs, g.ys
                r, col, rs, cs = slots[home]
                out.append(replace(c, home=((xs[col] + xs[col + cs]) / 2, (ys[r] + ys[r + rs]) / 2)))
            break
    return out


def _slot_box(grid: Grid, slot: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    r, c, rs, cs = slot
    return grid.xs[c], grid.ys[r], grid.xs[c + cs], grid.ys[r + rs]


def _inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float], tolerance: float = 3.0) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def _touches(c: Char, box: tuple[float, float, float, float]) -> bool:
    """The glyph overlaps the box or lies within one glyph size of its edge: cut at that cell's border."""
    size = max(c.bottom - c.top, c.x1 - c.x0, 1.0)
    x0, t0, x1, b0 = box
    return c.x0 < x1 + size and c.x1 > x0 - size and c.top < b0 + size and c.bottom > t0 - size


def _slot_owner(slots: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], int]:
    """grid position (row, col) -> index of the (merged) cell covering it."""
    owner: dict[tuple[int, int], int] = {}
    for si, (r, c, rs, cs) in enumerate(slots):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner.setdefault((rr, cc), si)
    return owner


def _cell_at(grid: Grid, owner: dict[tuple[int, int], int], x: float, y: float) -> int | None:
    """Index of the grid cell holding the point, None outside the grid."""
    xs, ys = grid.xs, grid.ys
    if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
        return None
    col = min(bisect.bisect_right(xs, x) - 1, len(xs) - 2)
    row = min(bisect.bisect_right(ys, y) - 1, len(ys) - 2)
    return owner.get((row, col))


def _holds(grid: Grid, c: Char) -> bool:
    """The character's anchor (its centre, or where its clip paints it) lies inside the grid's frame."""
    x0, t0, x1, b0 = grid.bbox
    x, y = c.anchor
    return x0 <= x <= x1 and t0 <= y <= b0


def _lines_inside(grid: Grid, chars: list[Char]) -> bool:
    return any(_holds(grid, c) for c in chars)


# Header words whose presence on a page without ruled grids sends the page to camelot's stream parser.
_TABLE_WORDS = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "指标名称", "指标性质")


def _is_header_line(text: str) -> bool:
    """A line made mostly of column headers ("一级指标 二级指标 三级指标 指标值"), not a sentence
    that mentions them ("4个一级指标，10个二级指标和17个三级指标")."""
    words = [k for k in _TABLE_WORDS if k in text]
    covered = sum(len(k) for k in words)
    return len(words) >= 3 and covered >= 0.6 * len(text.replace(" ", ""))


@dataclass
class PageRead:
    tables: list[RawTable]
    blocks: list[TextBlock]
    errors: list[DocError]
    chars: list[Char]
    height: float
    wants_fallback: bool  # indicator headers printed but no ruled grid holds them

    def into(self, doc) -> None:
        """Add the page's tables, text and warnings to its Document."""
        doc.tables.extend(self.tables)
        doc.text.extend(self.blocks)
        doc.errors.extend(self.errors)


def context_above(chars: list[Char], top: float, floor: float = -math.inf) -> tuple[str, ...]:
    """The text lines printed between `floor` and a table's top edge: its caption, 项目名称 …"""
    above = text_lines([c for c in chars if floor < c.cy < top])
    return tuple(t for _, _, t in above[-_CONTEXT_LINES:])


@dataclass
class PageLayout:
    """What every source gives of one page: its glyph boxes and its ruling pieces, in display
    coordinates (points, `top` downwards). The grids, cells and text lines are the core's work."""

    page_no: int
    width: float
    height: float
    chars: list[Char]
    hs: list[tuple[float, float, float]]  # horizontal pieces (y, x0, x1)
    vs: list[tuple[float, float, float]]  # vertical pieces (x, top, bottom)
    engine: str  # the RawTable.source_engine of its grids: pdfium-ruled, html-positioned, ocr
    errors: list[DocError] = field(default_factory=list)
    dropped: int = 0  # glyphs of a text layer that is garbage, and so was dropped

    @property
    def text_usable(self) -> bool:
        return self.dropped == 0


def read_layout(layout: PageLayout) -> PageRead:
    """Ruled grids filled with the glyphs inside them; the rest of the page as narrative lines."""
    page_no, chars, errors = layout.page_no, layout.chars, list(layout.errors)
    h_lines, v_lines = merge_lines(layout.hs), merge_lines(layout.vs)
    if len(h_lines) + len(v_lines) > MAX_RULES:
        errors.append(DocError(f"page {page_no}: too complex to read tables ({len(h_lines) + len(v_lines)} rules); text only", page_no))
        h_lines, v_lines = [], []
    grids = _drop_nested([g for g in find_grids(h_lines, v_lines) if _lines_inside(g, chars)])
    chars = visible_chars(chars, grids)
    tables: list[RawTable] = []
    used_all: set[int] = set()
    prev_bottom = -math.inf
    outside = [c for c in chars if not _in_any(c, grids)] if grids else chars
    for g in grids:
        context = context_above(outside, g.ys[0], prev_bottom)
        prev_bottom = g.ys[-1]
        raw, used = grid_table(g, chars, page_no, context, layout.engine)
        tables.append(raw)
        used_all |= used
    free = [c for i, c in enumerate(chars) if i not in used_all]
    lines = text_lines(free)
    blocks = [TextBlock(t, page_no) for _, _, t in lines]
    wants = any(_is_header_line(t) for _, _, t in lines)
    return PageRead(tables, blocks, errors, chars, layout.height, wants)


def _in_any(c: Char, grids: list[Grid]) -> bool:
    return any(_holds(g, c) for g in grids)


def _contains(o: Grid, g: Grid) -> bool:
    return o is not g and o.bbox[0] <= g.bbox[0] + 1 and o.bbox[1] <= g.bbox[1] + 1 and o.bbox[2] >= g.bbox[2] - 1 and o.bbox[3] >= g.bbox[3] - 1


def _drop_nested(grids: list[Grid]) -> list[Grid]:
    """A bare frame around other grids (page border, background box) goes; a grid inside a real
    table's cell goes too (the outer table reads its text)."""
    frames = {id(o) for o in grids if len(o.xs) == 2 and len(o.ys) == 2 and any(_contains(o, g) for g in grids)}
    kept = [g for g in grids if id(g) not in frames]
    return [g for g in kept if not any(_contains(o, g) for o in kept)]


def attach_context(raw: RawTable, chars: list[Char]) -> RawTable:
    """A table found by another engine (camelot) gets the lines printed just above it as context."""
    tops = [c.bbox[1] for c in raw.cells if c.bbox]
    return replace(raw, context=context_above(chars, min(tops))) if tops else raw
