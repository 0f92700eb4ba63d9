"""A PDF page's characters and straight path segments, read through pdfium's C API in display space.

This is the vector-PDF source of the layout core: `pdf.py` turns what it reads into a `PageLayout`.
It calls pdfium's functions directly, with one reused output struct per kind of call, instead of
pypdfium2's helper objects (a wrapper, a matrix object and fresh ctypes values per page object or
character): a table page has tens of thousands of characters and path segments, and those
per-item Python costs were half of the time spent reading a page.
"""

from __future__ import annotations

import ctypes
import math
import time
from dataclasses import dataclass

from pypdfium2 import PdfiumError

from .layout import Char, add_segment, dedupe_chars

MAX_SEGMENTS = 200_000  # path segments per page; beyond this the page is too complex to read
MAX_CHARS = 100_000  # characters per page; beyond this the page is not a table page
MAX_FORM_DEPTH = 4  # levels of nested form XObjects whose objects are read


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


def _compose(m1, m2):
    """m1 then m2 (row-vector convention of PDF matrices)."""
    a, b, c, d, e, f = m1
    A, B, C, D, E, F = m2
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


# ---------------------------------------------------------------- characters


def page_chars(textpage, w: float, h: float, rot: int) -> list[Char]:
    """The page's printed characters with their loose boxes; a glyph whose centre its text object's
    clip path leaves out carries that clip (see `layout.visible_chars`)."""
    import pypdfium2.raw as pdfium_c

    n = textpage.count_chars()
    if n <= 0:
        return []
    if n > MAX_CHARS:
        raise PageTooComplex(f"{n} characters")
    text = textpage.get_text_range(0, n)
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    text_object = getattr(pdfium_c, "FPDFText_GetTextObject", None)
    address = ctypes.c_void_p
    clips: dict[int, tuple[float, float, float, float] | None] = {}
    chars = []
    for i in range(min(n, len(text))):
        t = text[i]
        if t.isspace() or t == "\x00":
            continue
        if not loose_box(raw, i, rect_ref):
            raise PdfiumError("Failed to get charbox.")
        l, b, r, tp = rect.left, rect.bottom, rect.right, rect.top
        if r - l <= 0 and tp - b <= 0:
            continue
        clipped = None
        if text_object is not None:
            obj = text_object(raw, i)
            key = ctypes.cast(obj, address).value or 0
            clip = clips[key] if key in clips else clips.setdefault(key, clip_box(obj))
            if clip is not None and not (clip[0] <= (l + r) / 2 <= clip[2] and clip[1] <= (b + tp) / 2 <= clip[3]):
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
    get_segment, get_point = pdfium_c.FPDFClipPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    fx, fy = ctypes.c_float(), ctypes.c_float()
    fx_ref, fy_ref = ctypes.byref(fx), ctypes.byref(fy)
    box = [-math.inf, -math.inf, math.inf, math.inf]
    for pi in range(pdfium_c.FPDFClipPath_CountPaths(cp)):
        n = pdfium_c.FPDFClipPath_CountPathSegments(cp, pi)
        corners = (0, 2) if n in (4, 5) else range(n)
        xs, ys = [], []
        for si in corners:
            get_point(get_segment(cp, pi, si), fx_ref, fy_ref)
            xs.append(fx.value)
            ys.append(fy.value)
        if xs:
            box = [max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys))]
    return None if box[0] == -math.inf else (box[0], box[1], box[2], box[3])


# ---------------------------------------------------------------- rules


@dataclass
class PageGraphics:
    hs: list  # horizontal pieces (y, x0, x1)
    vs: list  # vertical pieces (x, top, bottom)
    texts: int = 0  # text objects drawn, to tell a text layer that lost its font from a sparse page


def _page_objects(page_raw):
    """(object, type, level) for every page object, forms before their contents, depth first, down
    to MAX_FORM_DEPTH levels (the order pypdfium2's `get_objects` gives)."""
    import pypdfium2.raw as pdfium_c

    object_type, form = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_FORM

    def walk(parent, count, get, level):
        n = count(parent)
        if n < 0:
            raise PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise PdfiumError("Failed to get pageobject.")
            kind = object_type(obj)
            yield obj, kind, level
            if kind == form and level < MAX_FORM_DEPTH - 1:
                yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1)

    yield from walk(page_raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)


def page_graphics(page, w: float, h: float, rot: int, deadline: float) -> PageGraphics:
    """Straight path segments as horizontal and vertical pieces in display space."""
    import pypdfium2.raw as pdfium_c

    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    get_matrix, count_segments = pdfium_c.FPDFPageObj_GetMatrix, pdfium_c.FPDFPath_CountSegments
    get_segment, get_point = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    segment_type, segment_closes = pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetClose
    TEXT, FORM, PATH = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_PATH
    MOVETO, LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    fm = pdfium_c.FS_MATRIX()
    fm_ref = ctypes.byref(fm)
    fx, fy = ctypes.c_float(), ctypes.c_float()
    fx_ref, fy_ref = ctypes.byref(fx), ctypes.byref(fy)
    background = _BackgroundTest()
    count = texts = 0
    stack: list[tuple[int, tuple]] = []  # (level, matrix) of enclosing form XObjects
    for obj, kind, level in _page_objects(page.raw):
        texts += kind == TEXT
        while stack and stack[-1][0] >= level:
            stack.pop()
        if not get_matrix(obj, fm_ref):
            raise PdfiumError("Failed to get matrix of pageobject.")
        m = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
        if stack:
            m = _compose(m, stack[-1][1])
        if kind == FORM:
            stack.append((level, m))
            continue
        if kind != PATH or background(obj):
            continue
        n = count_segments(obj)
        count += n
        if count > MAX_SEGMENTS or time.perf_counter() > deadline:
            raise PageTooComplex(f"{count} path segments")
        a, b, c, d, e, f = m
        start = prev = None
        for k in range(n):
            seg = get_segment(obj, k)
            get_point(seg, fx_ref, fy_ref)
            x, y = fx.value, fy.value
            pt = _display(a * x + c * y + e, b * x + d * y + f, w, h, rot)
            seg_kind = segment_type(seg)
            if seg_kind == MOVETO:
                start = prev = pt
                continue
            if prev is not None and seg_kind == LINETO:
                add_segment(prev, pt, hs, vs)
            prev = pt
            if segment_closes(seg) and start is not None:
                add_segment(pt, start, hs, vs)
                prev = start
    return PageGraphics(hs, vs, texts)


class _BackgroundTest:
    """Whether a path is a white box filled and not stroked: a cell's background. Spreadsheet
    exporters paint one per grid slot, merged cells included as their unmerged parts, so its edges
    are no rules. A thin white bar is kept: it is a rule drawn in white, and it still separates the
    columns of the sheet. One set of output values serves every path of a page."""

    def __init__(self):
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.bounds = [ctypes.c_float() for _ in range(4)]

    def __call__(self, path) -> bool:
        c = self.c
        if not c.FPDFPath_GetDrawMode(path, self.fill_mode, self.stroke) or self.stroke.value or not self.fill_mode.value:
            return False
        if not c.FPDFPageObj_GetFillColor(path, *self.rgba):
            return False
        r, g, b, a = (v.value for v in self.rgba)
        if a > 0 and min(r, g, b) < 250:
            return False
        if not c.FPDFPageObj_GetBounds(path, *self.bounds):
            return False
        left, bottom, right, top = (v.value for v in self.bounds)
        return min(right - left, top - bottom) >= 2.0
