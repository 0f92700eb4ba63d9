"""Marks a scanned page's recogniser misreads, read again by their shape in the page image.

PP-OCR's alphabet has no ≧ or ≦, the common print of ≥ ≤ in targets, so it drops them or writes =;
and it confuses ： with ；, which split a cell's list of indicators. Both are small, well-defined
shapes: a chevron over bars, a dot over a dot or a comma. Each reader looks at the print beside
the recogniser's glyph, in grey (a 150-dpi stroke is faint), and changes a glyph only where the
shape is clear.
"""

from __future__ import annotations

import dataclasses
import math

from .layout import Char

FAINT = 48  # grey levels below the paper's that are print when a sign's shape is read
SIGNS = "=≥≤><"  # what the recogniser writes for a comparison sign before a number


def signs_by_shape(clean, glyphs: list[Char], k: float) -> list[Char]:
    """One box's glyphs with the comparison sign before each number read by its shape. PP-OCR's
    alphabet has no ≧ or ≦ (a common print of ≥ ≤ in targets): it drops them or reads =. A sign
    the recogniser wrote is corrected only to ≥ or ≤, and one it dropped is put back only as ≥ or
    ≤, whose chevron over a bar nothing else in a target cell has."""
    import numpy as np

    out = list(glyphs)
    for n in range(len(glyphs) - 1, -1, -1):  # backwards, so that an insertion leaves the rest in place
        g = glyphs[n]
        before = glyphs[n - 1] if n else None
        if not g.text.isdigit() or (before and (before.text.isdigit() or before.text in ".%")):
            continue
        sign = before if before and before.text in SIGNS else None
        height = (g.bottom - g.top) / k
        left = sign.x0 / k - 0.3 * height if sign else max(g.x0 / k - 1.2 * height, before.x1 / k if before else 0)
        # the band reaches above and below the digit's box: a sign can be taller than its digits
        x0, y0, y1 = max(int(left), 0), max(int(g.top / k - height / 3), 0), math.ceil(g.bottom / k + height / 3)
        band = clean[y0:y1, x0:math.ceil(g.x1 / k)]
        middle = int(g.cx / k) - x0
        if band.size == 0 or not 0 <= middle < band.shape[1]:
            continue
        count, labels, stats = _faint_pieces(band)
        # the pieces of print that end before the digit begins. Where the recogniser dropped a sign,
        # it spreads the digit's box over part of it: the digit is the print at its box's middle
        digit = set(labels[:, middle].tolist()) - {0}
        start = min((stats[j, 0] for j in digit), default=g.x0 / k - x0)
        keep = [j for j in range(1, count) if stats[j, 0] + stats[j, 2] <= start + 1 and stats[j, 4] >= 2
                and g.top / k <= y0 + stats[j, 1] + stats[j, 3] / 2 <= g.bottom / k]
        if not keep:
            continue
        mask = np.isin(labels, keep)
        ys, xs = np.nonzero(mask)
        if ys.max() - ys.min() + 1 < 0.4 * height:
            continue
        shape = operator_shape(mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
        if shape not in ("≥", "≤") or (sign and sign.text == shape):
            continue
        if sign:
            out[n - 1] = dataclasses.replace(sign, text=shape, confidence=g.confidence)
        else:
            out.insert(n, Char(shape, (x0 + xs.min()) * k, g.top, (x0 + xs.max() + 1) * k, g.bottom,
                               confidence=g.confidence))
    return out


FULL_WIDTH = {":": "：", ";": "；"}
STOP_WIDTH = 0.12  # a colon's dot is at least this share of the line's height wide (smaller: a fragment)


def stops_by_shape(clean, glyphs: list[Char], k: float) -> list[Char]:
    """One box's glyphs with each colon or semicolon read by its shape: the recogniser confuses
    them, and a list of indicators is printed with ；, a label with ：. The mark is the pair of small
    pieces of print stacked nearest the glyph. A semicolon's lower piece is a comma whose tail
    spreads its ink further down than the dot above it; a colon's two dots spread alike."""
    out = list(glyphs)
    for n, g in enumerate(glyphs):
        if g.text not in "：；:;":
            continue
        height = (g.bottom - g.top) / k
        x0, y0 = max(int(g.x0 / k - height / 2), 0), max(int(g.top / k), 0)
        band = clean[y0:math.ceil(g.bottom / k + height / 4), x0:math.ceil(g.x1 / k + height / 2)]
        if band.size == 0:
            continue
        count, labels, stats = _faint_pieces(band)
        small = [j for j in range(1, count) if STOP_WIDTH * height <= stats[j, 2] <= 0.35 * height
                 and stats[j, 3] <= 0.45 * height]
        pairs = [(abs(stats[a, 0] + stats[a, 2] / 2 + x0 - g.cx / k), a, b) for a in small for b in small
                 if stats[a, 1] + stats[a, 3] <= stats[b, 1] <= stats[a, 1] + stats[a, 3] + height / 2
                 and stats[a, 0] < stats[b, 0] + stats[b, 2] and stats[b, 0] < stats[a, 0] + stats[a, 2]]
        if not pairs:
            continue
        _, dot, lower = min(pairs)
        if stats[dot, 3] < 0.7 * stats[dot, 2] or stats[dot, 4] < 0.5 * stats[lower, 4]:
            continue  # the upper piece is no whole dot
        tail = _spread(band, labels, stats, lower) / max(_spread(band, labels, stats, dot), 1e-6)
        shape = "；" if 1.15 <= tail <= 1.8 else "：" if tail <= 1.1 else None
        if shape and shape != FULL_WIDTH.get(g.text, g.text):
            out[n] = dataclasses.replace(g, text=shape)
    return out


def _faint_pieces(band):
    """The connected pieces of print in a grey crop (count, label image, stats), faint print
    included: a thin stroke of a 150-dpi mark is grey, and at the page's INK threshold it falls apart."""
    import cv2
    import numpy as np

    ink = band < np.median(band) - FAINT
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype("uint8"), connectivity=8)
    return count, labels, stats


def _spread(band, labels, stats, piece: int) -> float:
    """How far down a piece of print spreads: the standard deviation of its rows, weighted by how
    dark they are (grey counts, so a faint comma tail adds what a binarised height would lose)."""
    import numpy as np

    x, y, w, h = (int(v) for v in stats[piece, :4])
    box = (slice(max(y - 1, 0), y + h + 1), slice(max(x - 1, 0), x + w + 1))
    darkness = np.clip(225.0 - band[box], 0, None) * np.where(labels[box] == piece, 1.0, 0.3)
    profile = darkness.sum(axis=1)
    rows = np.arange(len(profile))
    mean = (profile * rows).sum() / max(profile.sum(), 1e-6)
    return float(np.sqrt((profile * (rows - mean) ** 2).sum() / max(profile.sum(), 1e-6)))


def operator_shape(ink) -> str | None:
    """The comparison sign a mask of print (True: ink) is shaped as (≥ ≤ > < =), or None. A
    chevron's upper arm is one straight stroke from a top corner to a tip at mid-height; a ≥ or ≤
    has more print below the tip than above it (one or two bars, level or slanted as in ⩾ ⩽); = is
    bars alone."""
    import numpy as np

    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if len(rows) == 0 or rows[-1] - rows[0] < 4 or cols[-1] - cols[0] < 3:
        return None
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = ink.shape
    count = ink.sum(axis=1)
    if count[0] >= 0.7 * w:  # a bar on top: = (two bars and nothing else) or no sign
        level = count >= 0.7 * w
        bars = int(level[0]) + int(np.sum(level[1:] & ~level[:-1]))
        return "=" if bars == 2 and np.all(level | (count == 0)) else None
    centre = np.array([(np.arange(w) * ink[i]).sum() / max(count[i], 1) for i in range(h)]) / max(w - 1, 1)
    opens = centre[0] < 0.5  # a > starts at the top left, a < at the top right
    upper = centre[: (h + 1) // 2 + 1]
    extreme = upper.max() if opens else upper.min()
    at_tip = np.nonzero(abs(upper - extreme) <= 0.05)[0]
    tip = int(at_tip[len(at_tip) // 2])  # the middle of a blunt tip (or of a bracket's straight back)
    if tip < max(2, h // 4) or abs(centre[tip] - centre[0]) < 0.4 or (count[:tip] > 0.6 * w).any():
        return None
    # a straight arm: halfway to the tip the ink is about halfway across (at 150 dpi a stroke is a
    # fifth of the sign's width, so a bracket's curve passes too; it has nothing below its tip)
    if not 0.2 <= (centre[tip // 2] - centre[0]) / (centre[tip] - centre[0]) <= 0.75:
        return None
    barred = count[tip + 1:].sum() > 1.5 * count[:tip].sum()
    if opens:
        return "≥" if barred else ">"
    return "≤" if barred else "<"


STROKES = frozenset("一-—－_1lI|丨/／\\")  # what the recogniser writes for a lone straight stroke


def lone_stroke(ink) -> str | None:
    """A cell's only mark, when it is one straight stroke, read by its slant: a flat bar is a dash
    (—, the print of "none"), a stroke leaning right is a slash (/, "not applicable"), an upright one
    stays what the recogniser read (1). Alone in a cell the recogniser cannot tell 一 from —, and a
    slash from 1; the table's cells mean the dash and the slash."""
    import numpy as np

    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    height, width = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    if height <= max(3, width / 4):
        return "—"
    rows = [(y, xs[ys == y].mean()) for y in range(ys.min(), ys.max() + 1) if (ys == y).any()]
    if height < 2 * max(width / 3, 2) or len(rows) < 4:
        return None  # not a thin upright or slanted stroke
    slope = np.polyfit([r[0] for r in rows], [r[1] for r in rows], 1)[0]  # x per row, down the page
    if slope <= -0.25:
        return "/"
    if slope >= 0.25:
        return "\\"
    return None
