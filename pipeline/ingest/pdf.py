"""Born-digital PDFs with pypdfium2: chars and ruling paths in C speed, grids built from the rules.

Per page: characters (fake-bold doubles removed) and path segments → ruled grids (`ruling.py`) →
cells filled with the characters whose centre falls inside → RawTable with bboxes. Text outside the
grids becomes narrative lines; the lines just above a grid are its context (title, 项目名称).
Pages whose text is garbled (no ToUnicode map: U+FFFD, private-use, controls) are reported as
unreadable instead of yielding rows. Tables without rules fall back to camelot's stream parser.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import time
from dataclasses import dataclass, replace

from ..errors import InputError, caught, recorded
from ..model import Cell, DocError, Document, RawTable, TextBlock
from .base import register
from .pdf_repair import damaged_streams, rebuild_xref
from .ruling import Grid, find_grids, grid_cells, merge_lines

PAGE_TIME_LIMIT = 10.0  # seconds of geometry work per page before the page is given up
MAX_SEGMENTS = 200_000  # path segments per page; beyond this the page is too complex to read
MAX_CHARS = 100_000  # characters per page; beyond this the page is not a table page
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


class PageTooComplex(Exception):
    pass


# ---------------------------------------------------------------- coordinates


def _display(x: float, y: float, w: float, h: float, rot: int) -> tuple[float, float]:
    """PDF user space (origin bottom-left) → display space (origin top-left) after /Rotate."""
    if rot == 90:
        return y, x
    if rot == 180:
        return w - x, y
    if rot == 270:
        return h - y, w - x
    return x, h - y


def _box(x0: float, y0: float, x1: float, y1: float, w: float, h: float, rot: int) -> tuple[float, float, float, float]:
    ax, ay = _display(x0, y0, w, h, rot)
    bx, by = _display(x1, y1, w, h, rot)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


# ---------------------------------------------------------------- characters


def page_chars(textpage, w: float, h: float, rot: int) -> list[Char]:
    import pypdfium2.raw as pdfium_c

    n = textpage.count_chars()
    if n <= 0:
        return []
    if n > MAX_CHARS:
        raise PageTooComplex(f"{n} characters")
    text = textpage.get_text_range(0, n)
    chars = []
    get_obj = getattr(pdfium_c, "FPDFText_GetTextObject", None)
    clips: dict[int, tuple[float, float, float, float] | None] = {}
    for i in range(min(n, len(text))):
        t = text[i]
        if t.isspace() or t == "\x00":
            continue
        l, b, r, tp = textpage.get_charbox(i, loose=True)
        if r - l <= 0 and tp - b <= 0:
            continue
        clipped = None
        if get_obj is not None:
            obj = get_obj(textpage.raw, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            if key not in clips:
                clips[key] = clip_box(obj)
            clip = clips[key]
            cx, cy = (l + r) / 2, (b + tp) / 2
            if clip is not None and not (clip[0] <= cx <= clip[2] and clip[1] <= cy <= clip[3]):
                clipped = _box(*clip, w, h, rot)
        x0, top, x1, bottom = _box(l, b, r, tp, w, h, rot)
        chars.append(Char(t, x0, top, x1, bottom, clipped))
    return dedupe_chars(chars)


def clip_box(obj) -> tuple[float, float, float, float] | None:
    """The clipping region of a page object as a box: the intersection of its clip paths' boxes.
    Rectangular clip paths (the usual case) are read from two opposite corners only."""
    import pypdfium2.raw as pdfium_c

    if not obj:
        return None
    cp = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not cp:
        return None
    fx, fy = ctypes.c_float(), ctypes.c_float()
    box = [-math.inf, -math.inf, math.inf, math.inf]
    for pi in range(pdfium_c.FPDFClipPath_CountPaths(cp)):
        n = pdfium_c.FPDFClipPath_CountPathSegments(cp, pi)
        corners = (0, 2) if n in (4, 5) else range(n)
        xs, ys = [], []
        for si in corners:
            seg = pdfium_c.FPDFClipPath_GetPathSegment(cp, pi, si)
            pdfium_c.FPDFPathSegment_GetPoint(seg, fx, fy)
            xs.append(fx.value)
            ys.append(fy.value)
        if xs:
            box = [max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys))]
    return None if box[0] == -math.inf else (box[0], box[1], box[2], box[3])


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


# ---------------------------------------------------------------- rules


def _mul(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _compose(m1, m2):
    """m1 then m2 (row-vector convention of PDF matrices)."""
    a, b, c, d, e, f = m1
    A, B, C, D, E, F = m2
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@dataclass
class PageGraphics:
    hs: list  # horizontal pieces (y, x0, x1)
    vs: list  # vertical pieces (x, top, bottom)
    texts: int = 0  # text objects drawn, to tell a text layer that lost its font from a sparse page


def page_graphics(page, w: float, h: float, rot: int, deadline: float) -> PageGraphics:
    """Straight path segments as horizontal and vertical pieces in display space."""
    import pypdfium2.raw as pdfium_c

    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    fx, fy = ctypes.c_float(), ctypes.c_float()
    count = texts = 0
    stack: list[tuple[int, tuple]] = []  # (level, matrix) of enclosing form XObjects
    for obj in page.get_objects(max_depth=4):
        texts += obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT
        while stack and stack[-1][0] >= obj.level:
            stack.pop()
        m = tuple(obj.get_matrix().get())
        if stack:
            m = _compose(m, stack[-1][1])
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack.append((obj.level, m))
            continue
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH or _background_box(obj.raw):
            continue
        n = pdfium_c.FPDFPath_CountSegments(obj.raw)
        count += n
        if count > MAX_SEGMENTS or time.perf_counter() > deadline:
            raise PageTooComplex(f"{count} path segments")
        start = prev = None
        for k in range(n):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, fx, fy)
            pt = _display(*_mul(m, fx.value, fy.value), w, h, rot)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if prev is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_piece(prev, pt, hs, vs)
            prev = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_piece(pt, start, hs, vs)
                prev = start
    return PageGraphics(hs, vs, texts)


# Every text object of a sound page gives at least a character or two (the sparsest page of the wide
# corpus gives 0.43 per object); one whose font was lost or damaged gives none, so its page keeps
# only the text of the fonts that survived.
COLLAPSED_TEXT_OBJECTS = 50
COLLAPSED_CHARS_PER_OBJECT = 0.2


def _text_collapsed(text_objects: int, chars: int) -> bool:
    return text_objects >= COLLAPSED_TEXT_OBJECTS and chars < COLLAPSED_CHARS_PER_OBJECT * text_objects


def _background_box(path) -> bool:
    """A white box filled and not stroked: a cell's background. Spreadsheet exporters paint one per
    grid slot, merged cells included as their unmerged parts, so its edges are no rules. A thin
    white bar is kept: it is a rule drawn in white, and it still separates the columns of the sheet."""
    import pypdfium2.raw as pdfium_c

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke) or stroke.value or not fill_mode.value:
        return False
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetFillColor(path, *rgba):
        return False
    r, g, b, a = (c.value for c in rgba)
    if a > 0 and min(r, g, b) < 250:
        return False
    box = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetBounds(path, *box):
        return False
    left, bottom, right, top = (v.value for v in box)
    return min(right - left, top - bottom) >= 2.0


def _add_piece(p, q, hs, vs) -> None:
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


def grid_table(grid: Grid, chars: list[Char], page_no: int, context: tuple[str, ...]) -> tuple[RawTable, set[int]]:
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
        cells.append(Cell(text=chars_to_text(buckets[si]), row=r, col=c, rowspan=rs, colspan=cs, bbox=bbox, page=page_no))
    merged = sum(1 for _, _, rs, cs in slots if rs > 1 or cs > 1)
    note = f"ruled grid {len(ys) - 1}x{len(xs) - 1} from the page's own rules, {merged} merged cells"
    raw = RawTable(cells=tuple(cells), n_rows=len(ys) - 1, n_cols=len(xs) - 1, page=page_no, context=context,
                   aligned=True, source_engine="pdfium-ruled", notes=(note,))
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


# ---------------------------------------------------------------- the document


# Header words whose presence on a page without ruled grids sends the page to camelot's stream parser.
_TABLE_WORDS = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "指标名称", "指标性质")
ENGINES = ("auto", "camelot-lattice")


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


def context_above(chars: list[Char], top: float, floor: float = -math.inf) -> tuple[str, ...]:
    """The text lines printed between `floor` and a table's top edge: its caption, 项目名称 …"""
    above = text_lines([c for c in chars if floor < c.cy < top])
    return tuple(t for _, _, t in above[-_CONTEXT_LINES:])


def read_page(page, page_no: int, deadline: float) -> PageRead:
    w, h = page.get_size()
    rot = page.get_rotation() % 360
    disp_h = w if rot in (90, 270) else h
    textpage = page.get_textpage()
    try:
        chars = page_chars(textpage, w, h, rot)
    except PageTooComplex as exc:
        return PageRead([], [], [DocError(f"page {page_no}: too complex to read ({exc}); skipped", page_no)], [], h, False)
    finally:
        textpage.close()
    errors: list[DocError] = []
    if chars and garbled_share(chars) > 0.2:
        msg = f"page {page_no}: text is garbled (no usable ToUnicode map); page skipped"
        return PageRead([], [], [DocError(msg, page_no)], [], disp_h, False)
    try:
        graphics = page_graphics(page, w, h, rot, deadline)
        hs, vs = graphics.hs, graphics.vs
        if _text_collapsed(graphics.texts, len(chars)):
            errors.append(DocError(f"page {page_no}: text layer collapsed ({len(chars)} characters from "
                                   f"{graphics.texts} text objects; a font is damaged or missing)", page_no))
    except PageTooComplex as exc:
        errors.append(DocError(f"page {page_no}: too complex to read tables ({exc}); text only", page_no))
        hs, vs = [], []
    h_lines, v_lines = merge_lines(hs), merge_lines(vs)
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
        raw, used = grid_table(g, chars, page_no, context)
        tables.append(raw)
        used_all |= used
    free = [c for i, c in enumerate(chars) if i not in used_all]
    lines = text_lines(free)
    blocks = [TextBlock(t, page_no) for _, _, t in lines]
    wants = any(_is_header_line(t) for _, _, t in lines)
    return PageRead(tables, blocks, errors, chars, disp_h, wants)


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


def _attach_context(raw: RawTable, chars: list[Char]) -> RawTable:
    tops = [c.bbox[1] for c in raw.cells if c.bbox]
    return replace(raw, context=context_above(chars, min(tops))) if tops else raw


def _open_failure(data: bytes, pdfium_message: str) -> str:
    """Why pdfium refused a file, judged from the bytes: its error code can be stale or "Success"."""
    if b"/Encrypt" in data:
        return "password-protected PDF"
    if re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b", data) or re.search(rb"/Count\s+0\b[^>]*?/Type\s*/Pages\b", data):
        return "PDF has no pages"
    if b"%%EOF" not in data[-4096:]:
        return "corrupt or truncated PDF (no end-of-file marker)"
    cause = re.search(r"PDFium: ([^)]*)", pdfium_message)
    return f"corrupt PDF ({(cause.group(1) if cause else pdfium_message).strip(' .').lower()})"


def _has_trailer(data: bytes) -> bool:
    tail = data[-4096:]
    return b"%%EOF" in tail and b"startxref" in tail


def _open_repaired(pdfium, data: bytes, why: str):
    """Open a PDF that pdfium refused, from a cross-reference rebuilt out of its objects (a file cut
    short, a lost trailer). Returns (document, warning); raises InputError with `why` if it cannot."""
    rebuilt = None if why == "password-protected PDF" else rebuild_xref(data)
    if rebuilt is None:
        raise InputError(why) from None
    fixed, objects = rebuilt
    try:
        pdf = pdfium.PdfDocument(fixed)
    except pdfium.PdfiumError:
        raise InputError(why) from None
    return pdf, (f"{why}: cross-reference rebuilt from {objects} objects; pages whose objects were lost "
                 f"are not read")


@register("pdf")
def read_pdf(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    import pypdfium2 as pdfium

    engine = (options or {}).get("pdf_engine", "auto")
    if engine not in ENGINES:
        raise ValueError(f"unknown pdf_engine {engine!r}; choose one of {', '.join(ENGINES)}")
    # pdfium quietly rebuilds some damaged files itself; a file that ends without its trailer is
    # still read as damaged, so that its pages lost to the cut are not reported as a whole read.
    repaired = None if _has_trailer(data) else (
        "corrupt or truncated PDF (no trailer at its end): cross-reference rebuilt by pdfium from its "
        "objects; pages whose objects were lost are not read")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        why = _open_failure(data, str(exc))
        pdf, repaired = _open_repaired(pdfium, data, why)
    try:
        n = len(pdf)
        if n == 0:
            raise InputError("PDF has no pages")
        doc = Document(source=source, sha256=sha256, format="pdf", pages=n)
        if repaired:
            doc.errors.append(DocError(repaired, None))
        damaged = damaged_streams(data)
        if damaged:
            shown = ", ".join(map(str, damaged[:5])) + (f" and {len(damaged) - 5} more" if len(damaged) > 5 else "")
            doc.errors.append(DocError(f"{len(damaged)} compressed stream{'s' if len(damaged) > 1 else ''} damaged "
                                       f"(object {shown}): text or rules drawn by {'them' if len(damaged) > 1 else 'it'} may be lost"))
        reads: dict[int, PageRead] = {}
        stop_at = (options or {}).get("deadline")
        for i in range(n):
            if stop_at is not None and time.monotonic() > stop_at:
                # the document's time is nearly spent: keep the pages read so far, say where it stopped
                doc.errors.append(DocError(f"time limit reached: pages 1-{i} of {n} read, pages {i + 1}-{n} not read", i + 1))
                break
            page = None
            try:
                page = pdf[i]
                r = read_page(page, i + 1, time.perf_counter() + PAGE_TIME_LIMIT)
                if not r.chars and not r.errors:
                    doc.textless_pages.append(i + 1)
                if engine == "auto" and not (r.wants_fallback and not r.tables):
                    r.chars = []  # only camelot's tables need the page text later; keep memory flat
                reads[i + 1] = r
            except pdfium.PdfiumError as exc:
                doc.errors.append(DocError(f"page {i + 1}: unreadable ({exc})", i + 1))
            except Exception as exc:  # one page that trips the reader must not lose the document
                doc.errors.append(caught(exc, "page not read", i + 1))
            finally:
                if page is not None:
                    page.close()  # free pdfium's page memory now, not at garbage collection
    finally:
        pdf.close()
    if engine == "camelot-lattice":
        pages, flavor, why = sorted(reads), "lattice", "engine chosen by the user"
    else:
        pages = [p for p, r in sorted(reads.items()) if r.wants_fallback and not r.tables]
        flavor, why = "stream", "fallback: indicator header line on a page without ruled grids"
    alt: dict[int, list[RawTable]] = {}
    # the pages keep their pdfium text when camelot fails; only its grids are lost
    with recorded(doc.errors, f"camelot {flavor} could not read page{'s' if len(pages) > 1 else ''} "
                              f"{', '.join(map(str, pages[:8]))}", pages[0] if pages else None):
        alt = camelot_pages(source, pages, flavor, reads, why)
    for p, r in sorted(reads.items()):
        doc.tables.extend(alt.get(p, []) if engine == "camelot-lattice" else r.tables + alt.get(p, []))
        doc.text.extend(r.blocks)
        doc.errors.extend(r.errors)
    return doc


def camelot_pages(source: str, pages: list[int], flavor: str, reads: dict[int, PageRead], why: str) -> dict[int, list[RawTable]]:
    """camelot's tables for the given pages, each with the pdfium text above it as context."""
    if not pages:
        return {}
    from .camelot_grids import camelot_tables

    out: dict[int, list[RawTable]] = {}
    for raw in camelot_tables(source, pages, flavor, {p: reads[p].height for p in pages}):
        raw = replace(_attach_context(raw, reads[raw.page].chars), notes=(why,))
        out.setdefault(raw.page, []).append(raw)
    return out
