"""Marks detection passed over or misread alone: a ruled cell that got no glyph but shows print (a
lone 1 or 0, too small a box for the detector) is recognised on its own, a lone straight stroke
by its slant, and a box read as one Latin letter again, never as a letter.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .layout import Char
from .ocr_engine import recognise_without_letters
from .shapes import STROKES, lone_stroke

LONE_HEIGHT = 32  # pixels a lone mark's glyph is scaled up to before recognition
LONE_STRIP = 320 / 48  # width to height of the strip a lone mark is recognised in (RapidOCR's default)
INK = 160  # a pixel darker than this is print
MIN_INK = 12  # pixels of print a cell needs to be read again on its own
# A cell that shows print keeps its best reading down to this confidence: the glyph carries its score,
# so the row is flagged low-confidence (its checks are info) instead of the cell passing for empty
MIN_MARK = 0.3


def lone_marks(clean, hs, vs, chars: list[Char], k: float) -> list[Char]:
    """Text that detection passed over: a cell of the page's grid that got no glyph but shows print
    (typically a lone digit, 1 or 0, too small a box for the detector) is recognised on its own."""
    import numpy as np

    from .ruling import find_grids, grid_cells, merge_lines

    out: list[Char] = []
    for grid in find_grids(merge_lines(hs), merge_lines(vs)):
        for r, c, rs, cs in grid_cells(grid):
            x0, y0, x1, y1 = grid.xs[c], grid.ys[r], grid.xs[c + cs], grid.ys[r + rs]
            if any(x0 <= ch.cx <= x1 and y0 <= ch.cy <= y1 for ch in chars):
                continue
            a, b, e, f = (int(v / k) for v in (x0, y0, x1, y1))
            crop = clean[b + 3:f - 2, a + 3:e - 2]
            if crop.size == 0:
                continue
            ys, xs = np.nonzero(crop < INK)
            if len(xs) < MIN_INK:
                continue
            top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
            if bottom - top <= 2 and not crop.shape[0] / 4 < (top + bottom) / 2 < crop.shape[0] * 3 / 4:
                continue  # a thin stroke hugging the cell's top or bottom is what erasing left of a rule
            text, score = _read_mark(crop[top:bottom, left:right])
            if str(text).strip() in STROKES:
                text = lone_stroke(crop[top:bottom, left:right] < INK) or text
            glyphs = [g for g in str(text) if not g.isspace()]
            if not glyphs or score < MIN_MARK:
                continue
            gx0, gy0 = a + 3 + left, b + 3 + top
            step = (right - left) / len(glyphs)
            out += [Char(g, (gx0 + i * step) * k, gy0 * k, (gx0 + (i + 1) * step) * k, (gy0 + bottom - top) * k,
                         confidence=score) for i, g in enumerate(glyphs)]
    return out


def lone_glyph(clean, glyph: Char, k: float) -> Char:
    """A box read as one Latin letter, read again as a lone mark (never a letter): alone in a cell,
    a faint 0 reads as U and a 1 as I, and no letter stands alone in these tables."""
    import numpy as np

    x0, y0 = max(int(glyph.x0 / k) - 2, 0), max(int(glyph.top / k) - 2, 0)
    crop = clean[y0:int(glyph.bottom / k) + 3, x0:int(glyph.x1 / k) + 3]
    ys, xs = np.nonzero(crop < INK)
    if len(xs) < MIN_INK:
        return glyph
    text, score = _read_mark(crop[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    return replace(glyph, text=text, confidence=score) if len(text) == 1 else glyph


def _read_mark(glyph) -> tuple[str, float]:
    """One lone mark's text and confidence: read as it is and drawn up to LONE_HEIGHT, the surer
    reading kept (a 150-dpi digit is too few pixels for one reading to be reliable)."""
    import cv2

    pieces = [cv2.copyMakeBorder(glyph, 6, 6, 6, 6, cv2.BORDER_CONSTANT, value=255)]
    zoom = LONE_HEIGHT / glyph.shape[0]
    if zoom > 1.2:
        pad = round(6 * zoom)
        big = cv2.resize(glyph, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        pieces.append(cv2.copyMakeBorder(big, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255))
    best = ("", 0.0)
    for piece in pieces:
        # read as the recogniser was trained: in a line-wide strip whose rest is its neutral grey
        # padding (in a narrow strip a lone 1 reads as % or M)
        strip = math.ceil(piece.shape[0] * LONE_STRIP) - piece.shape[1]
        if strip > 0:
            piece = cv2.copyMakeBorder(piece, 0, 0, 0, strip, cv2.BORDER_CONSTANT, value=128)
        text, score = recognise_without_letters(cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR))
        if text and score > best[1]:
            best = (text, score)
    return best
