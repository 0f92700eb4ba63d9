"""Scanned pages: a page image → the layout core's glyph boxes and ruling pieces.

The ruling comes from the image itself (OpenCV: a binarised page opened with long horizontal and
vertical kernels keeps only the table's lines; each line's run is a piece), after the page is
deskewed by the median angle of those lines (up to ±3°). The text comes from RapidOCR (PP-OCRv4
detection from the `rapidocr-onnxruntime` wheel, PP-OCRv6 recognition from the `rapidocr` wheel:
nothing downloads), read with the table lines erased so that a text box never spans two cells, one box per
character with its recognition confidence; comparison signs and colons the recogniser misreads are
read again by their shape (`shapes.py`). Coordinates are scaled to points, so the grids, cells and
everything after run as on a vector PDF.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from ..model import DocError
from .layout import Char, PageLayout
from .shapes import signs_by_shape, stops_by_shape
from .lone_marks import INK, lone_glyph, lone_marks
from .ocr_engine import TIMES, engine, is_latin_letter

MAX_SKEW = 3.0  # degrees a page is straightened by at most
MIN_GLYPH = 0.5  # RapidOCR's text_score: a glyph read with less confidence is dropped
LINE_FRACTION = 40  # a kernel 1/40 of the page's side keeps lines and drops letters


def _gray(image):
    import cv2
    import numpy as np

    a = np.asarray(image)
    if a.ndim == 3:
        a = cv2.cvtColor(a[:, :, :3], cv2.COLOR_RGB2GRAY)
    return a


def _line_masks(gray):
    """Binary masks of the long horizontal and vertical strokes of a page."""
    import cv2

    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 10)
    h, w = gray.shape
    # A thin rule of a scan wobbles by a pixel (resampling, a residual skew): thickened across its
    # direction first, it stays one unbroken run that the long opening keeps
    across_h = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    across_v = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    horizontal = cv2.morphologyEx(across_h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // LINE_FRACTION, 10), 1)))
    vertical = cv2.morphologyEx(across_v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // LINE_FRACTION, 10))))
    return ink, horizontal, vertical


def skew_angle(gray) -> float:
    """The page's skew in degrees, from the slope of its long horizontal strokes (0 when it has none)."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)  # a quarter: 16x fewer votes
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)
    w = small.shape[1]
    lines = cv2.HoughLinesP(ink, 1, np.pi / 720, threshold=w // 4, minLineLength=w // 4, maxLineGap=3)
    if lines is None:
        return 0.0
    angles = [math.degrees(math.atan2(y1 - y0, x1 - x0)) for x0, y0, x1, y1 in lines.reshape(-1, 4)]
    angles = [a for a in angles if abs(a) <= MAX_SKEW]
    return float(np.median(angles)) if angles else 0.0


def deskewed(gray):
    """The page turned straight, and the angle it was turned by."""
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.1:
        return gray, 0.0
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def _runs(mask, axis: int, min_len: int) -> list[tuple[float, float, float]]:
    """Connected strokes of a line mask as (position, start, end) in pixels."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        if axis == 0 and w >= min_len:
            out.append((y + h / 2, float(x), float(x + w)))
        elif axis == 1 and h >= min_len:
            out.append((x + w / 2, float(y), float(y + h)))
    return out


def image_layout(image, page_no: int, pt_per_px: float, errors=None) -> PageLayout:
    """One page image (RGB or grey array) read as the layout core reads a page. A page printed
    sideways (a landscape table on a portrait scan) is read turned a quarter, whichever way reads
    surer; its coordinates are then those of the turned page."""
    import cv2

    gray = _gray(image)
    layout = _upright_layout(gray, page_no, pt_per_px, errors)
    if not _sideways(layout.chars):
        return layout
    turned = [_upright_layout(cv2.rotate(gray, way), page_no, pt_per_px, errors)
              for way in (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE)]
    best = max(turned, key=lambda t: (not _sideways(t.chars), median_confidence(t.chars), len(t.chars)))
    if _sideways(best.chars):
        return layout
    note = DocError(f"page {page_no}: printed sideways, read turned a quarter (coordinates of the turned page)",
                    page_no, partial=False)
    return replace(best, errors=[*best.errors, note])


SIDEWAYS = 3.0  # glyph boxes this many times taller than wide, or wider than tall: a line stood on end


def _sideways(chars: list[Char]) -> bool:
    """Whether the page's text stands on end. Detection boxes a line of sideways print as a tall
    strip, which the recogniser reads turned, so its glyphs come out as slivers (a glyph's box is its
    share of the strip); upright print gives glyphs about as tall as wide. A quarter of the glyphs
    as slivers is sideways: a turned page also has short boxes (a number, a unit) that look upright."""
    shapes = sorted((c.bottom - c.top) / max(c.x1 - c.x0, 1e-6) for c in chars)
    if len(shapes) < 20:
        return False
    return shapes[len(shapes) // 4] <= 1 / SIDEWAYS or shapes[3 * len(shapes) // 4] >= SIDEWAYS


def median_confidence(chars: list[Char], empty: float = 0.0) -> float:
    """The median recognition confidence of a page's glyphs; `empty` when none has one."""
    sure = sorted(c.confidence for c in chars if c.confidence is not None)
    return sure[len(sure) // 2] if sure else empty


def _upright_layout(gray, page_no: int, pt_per_px: float, errors=None) -> PageLayout:
    """The page image read as it stands."""
    import cv2

    started = time.perf_counter()
    gray, _angle = deskewed(gray)
    ink, horizontal, vertical = _line_masks(gray)
    h, w = gray.shape
    vertical_runs = _runs(vertical, 1, h // LINE_FRACTION)
    hs = [(p * pt_per_px, a * pt_per_px, b * pt_per_px) for p, a, b in _runs(horizontal, 0, w // LINE_FRACTION)]
    vs = [(p * pt_per_px, a * pt_per_px, b * pt_per_px) for p, a, b in vertical_runs]
    # the lines erased (painted paper-white), so that detection keeps each cell's text to itself
    clean = gray.copy()
    clean[cv2.dilate(horizontal | vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))) > 0] = 255
    # detection costs by the pixel: it reads only the part of the page that has print on it
    x0, y0, x1, y1 = _print_box(clean)
    spread, place = _spread_columns(clean[y0:y1, x0:x1], vertical_runs, round(COLUMN_GAP / pt_per_px), (x0, y0))
    TIMES.grid += time.perf_counter() - started
    result, elapsed = engine()(cv2.cvtColor(spread, cv2.COLOR_GRAY2BGR), use_cls=False, return_word_box=True)
    if elapsed:
        TIMES.detection += elapsed[0] or 0.0
        TIMES.recognition += elapsed[2] if len(elapsed) > 2 and elapsed[2] else 0.0
    TIMES.pages += 1
    chars: list[Char] = []
    for item in result or ():
        # a glyph read below RapidOCR's own text threshold is a guess, not text (a shape the model
        # does not know: a seal, a glyph missing from the font)
        glyphs = [c for c in _glyphs(item, pt_per_px, place) if c.confidence is None or c.confidence >= MIN_GLYPH]
        if len(glyphs) == 1 and is_latin_letter(glyphs[0].text):
            glyphs = [lone_glyph(clean, glyphs[0], pt_per_px)]
        chars += stops_by_shape(clean, signs_by_shape(clean, glyphs, pt_per_px), pt_per_px)
    started = time.perf_counter()
    chars += lone_marks(clean, hs, vs, chars, pt_per_px)
    TIMES.recognition += time.perf_counter() - started
    return PageLayout(page_no, w * pt_per_px, h * pt_per_px, chars, hs, vs, "ocr", list(errors or ()))


COLUMN_GAP = 6.0  # points of blank inserted at each vertical rule before detection


def _print_box(gray, margin: int = 16) -> tuple[int, int, int, int]:
    """The pixel box (x0, y0, x1, y1) around everything printed on a page, with a margin; the whole
    page when it is blank."""
    import cv2

    ink = cv2.threshold(gray, INK, 255, cv2.THRESH_BINARY_INV)[1]
    x, y, w, h = cv2.boundingRect(cv2.findNonZero(ink)) if ink.any() else (0, 0, gray.shape[1], gray.shape[0])
    return (max(x - margin, 0), max(y - margin, 0), min(x + w + margin, gray.shape[1]),
            min(y + h + margin, gray.shape[0]))


def _spread_columns(gray, rules: list[tuple[float, float, float]], gap: int, origin: tuple[int, int]):
    """The image with `gap` blank columns inserted at each vertical rule, over the rows of its
    table (other rows get their blank at the right edge), and the map from its pixels back to the
    page's. With the rules erased, two cells' lines can sit a few pixels apart across the blank a
    rule left, and detection bridges them: a staggered pair makes one box two lines tall whose
    score is too low to keep, and both lines are lost. Widened, the blank holds; text outside the
    tables (a title) is left whole."""
    import numpy as np

    ox, oy = origin
    rules = [(round(x) - ox, a - oy, b - oy) for x, a, b in rules if 0 < round(x) - ox < gray.shape[1]]
    if not rules or gap <= 0:
        return gray, lambda x, y, row: (x + ox, y + oy)
    h = gray.shape[0]
    # a table's rules cut its whole height (its top and bottom are ruled: nothing printed crosses
    # there), so that a line is never sheared where a merged header's rule begins
    tables: list[list] = []  # [top, bottom, its rules (x, top, bottom)]
    for x, a, b in sorted(rules, key=lambda r: r[1]):
        if tables and a <= tables[-1][1]:
            tables[-1][1] = max(tables[-1][1], b)
            tables[-1][2].append((x, a, b))
        else:
            tables.append([a, b, [(x, a, b)]])
    spread = np.full((h, gray.shape[1] + gap * len(rules)), 255, dtype=gray.dtype)
    spread[:, : gray.shape[1]] = gray
    bands = []  # (first row, end row, the table's cuts in order)
    for a, b, members in tables:
        top, bottom = max(int(a), 0), min(int(b) + 1, h)
        # the column a glyph's width around the rule: a narrower one can pass between a glyph's strokes
        xs = sorted({x for x, ra, rb in members
                     if _clear_beyond(gray[top:bottom, max(x - gap // 2, 0):x + gap // 2 + 1], ra - top, rb - top)})
        cuts = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 3]  # one rule, one cut
        if bottom <= top or not cuts:
            continue
        row = np.insert(gray[top:bottom], np.repeat(cuts, gap), 255, axis=1)
        spread[top:bottom, : row.shape[1]] = row  # at least as wide as the page copy it replaces
        bands.append((top, bottom, cuts))

    def place(x: float, y: float, row: float) -> tuple[float, float]:
        """A point of the spread image on the page; row picks the band (one for a whole box)."""
        cuts = next((c for top, bottom, c in bands if top <= row < bottom), [])
        n = 0
        while n < len(cuts) and x >= cuts[n] + n * gap:
            n += 1
        inside = n and x < cuts[n - 1] + n * gap  # a point in a blank sits on its rule
        return (cuts[n - 1] if inside else x - n * gap) + ox, y + oy

    return spread, place


def _clear_beyond(column, a: float, b: float) -> bool:
    """Whether a rule's column (its table's height) has no print above or below the rule itself:
    where a merged header's or a goal's text runs across it, no cut may split a glyph."""
    return not ((column[: max(int(a) - 2, 0)] < INK).any() or (column[int(b) + 3:] < INK).any())


def _glyphs(item, k: float, place=lambda x, y, row: (x, y)) -> list[Char]:
    """One recognised text box → a Char per character, with the box's or the character's
    confidence; place maps the box's pixels to the page's."""
    mid = sum(p[1] for p in item[0]) / len(item[0])  # one row decides the whole box's map

    def at(p):
        return place(p[0], p[1], mid)

    box = [at(p) for p in item[0]]
    text, score = item[1], float(item[2])
    words = item[3:6] if len(item) >= 6 and item[3] else None  # RapidOCR's word boxes, texts and scores
    if words:
        words = ([[at(p) for p in wbox] for wbox in words[0]], words[1], words[2])
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    glyphs = [g for g in text if not g.isspace()]
    step = (x1 - x0) / max(len(glyphs), 1)
    top, bottom = _line_band(top, bottom, step, glyphs)
    out = []
    if words and len(words[1]) == len(words[0]):
        for wbox, wtext, wscore in zip(*words):
            wx = [p[0] for p in wbox]
            parts = [g for g in str(wtext) if not g.isspace()]
            if not parts:
                continue
            step = (max(wx) - min(wx)) / len(parts)
            for i, g in enumerate(parts):
                a = min(wx) + i * step
                out.append(Char(g, a * k, top * k, (a + step) * k, bottom * k, confidence=float(wscore)))
        if out:
            return _curly_quotes(out)
    return _curly_quotes([Char(g, (x0 + i * step) * k, top * k, (x0 + (i + 1) * step) * k, bottom * k,
                               confidence=score) for i, g in enumerate(glyphs)])


def _curly_quotes(chars: list[Char]) -> list[Char]:
    """A straight double quote in a line of Chinese is a curly one the recogniser wrote plainly (its
    alphabet has both, and a blurred ” looks like "): it closes an open “ and otherwise opens one."""
    if not any(c.text == '"' for c in chars) or not any("\u3400" <= c.text <= "\u9fff" for c in chars):
        return chars
    out, open_quote = [], False
    for c in chars:
        if c.text in "“”":
            open_quote = c.text == "“"
        elif c.text == '"':
            c = replace(c, text="”" if open_quote else "“")
            open_quote = not open_quote
        out.append(c)
    return out


def _line_band(top: float, bottom: float, step: float, glyphs: list[str]) -> tuple[float, float]:
    """The glyphs' own height inside a detected box. A box can be much taller than its line when the
    next line of a tightly set cell touches it; CJK glyphs are square, so a mostly-CJK line is about
    as tall as one glyph is wide, centred in its box."""
    cjk = sum(1 for g in glyphs if "\u3400" <= g <= "\u9fff")
    height = 1.2 * step
    if glyphs and cjk * 2 >= len(glyphs) and bottom - top > height:
        mid = (top + bottom) / 2
        return mid - height / 2, mid + height / 2
    return top, bottom
