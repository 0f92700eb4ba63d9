"""Positioned-box HTML written from a PDF's own layout, as PDF-to-HTML converters publish it.

Each page's glyphs (from pypdfium2) are grouped into runs (one line of one cell) and each merged
ruling line becomes a box. Two exporter styles, so that the reader cannot lean on one of them:

* ``inline-pt``: `div.page` sized in pt, text `div.p` with inline top/left/font-size/line-height,
  rules `div.r` of zero height or width painted by `border-bottom` / `border-left`;
* ``condensed``: as inline-pt, but each run's font-size is the em of a font whose glyphs are a
  fifth narrower than it (a condensed face, or horizontal scaling), so that widths estimated from
  the font size run long;
* ``class-px``: geometry in px, font sizes and positions in a `<style>` sheet of class rules, text
  in `span`s placed by `transform: translate()` inside a page-sized layer, each run's width given,
  rules as thin boxes filled with a background colour.
"""

from __future__ import annotations

import time
from html import escape
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.ingest.layout import Char
from pipeline.ingest.pdf import page_layout
from pipeline.ingest.ruling import merge_lines

STYLES = ("inline-pt", "class-px", "condensed")
PX = 4 / 3  # px per pt


def runs(chars: list[Char], v_rules) -> list[list[Char]]:
    """Glyphs → runs: same line, no wide gap, no vertical rule between two neighbours, one clip."""
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (round(c.cy), c.x0)):
        if lines and abs(c.cy - lines[-1][-1].cy) <= 0.4 * max(c.bottom - c.top, 1.0):
            lines[-1].append(c)
        else:
            lines.append([c])
    out: list[list[Char]] = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        cur = [line[0]]
        for prev, c in zip(line, line[1:]):
            size = max(prev.bottom - prev.top, 1.0)
            # a rule of this line between the two glyphs' centres (glyphs may touch or overlap it)
            crossed = any(prev.cx <= v.pos <= c.cx and v.start <= c.cy <= v.end for v in v_rules)
            if c.x0 - prev.x1 > 0.6 * size or crossed or c.clip != prev.clip:
                out.append(cur)
                cur = []
            cur.append(c)
        out.append(cur)
    return out


def write_positioned_html(pdf: Path, out: Path, style: str = "inline-pt") -> Path:
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                pages.append(page_layout(page, i + 1, time.perf_counter() + 30))
            finally:
                page.close()
    finally:
        doc.close()
    body, classes = [], {}
    for lay in pages:
        hs, vs = merge_lines(lay.hs), merge_lines(lay.vs)
        groups = runs(lay.chars, vs)
        body.append(_page_classes(lay, groups, hs, vs, classes) if style == "class-px"
                    else _page_inline(lay, groups, hs, vs, em=1.25 if style == "condensed" else 1.0))
    css = "".join(f".{name}{{{decl}}}" for decl, name in sorted(classes.items(), key=lambda kv: kv[1]))
    head = ('<style>.pg{position:relative;overflow:hidden;margin:8px auto}.ly{position:absolute;left:0;top:0}'
            f'.t{{position:absolute;white-space:pre;left:0;top:0}}.ln{{position:absolute;background:#000}}{css}</style>'
            if style == "class-px" else "<style>.p{white-space:pre}</style>")
    out.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>\n' + "\n".join(body)
                   + "\n</body></html>\n", encoding="utf-8")
    return out


def _size(run: list[Char]) -> float:
    return sorted(c.bottom - c.top for c in run)[len(run) // 2]


def _page_inline(lay, groups, hs, vs, em: float = 1.0) -> str:
    parts = [f'<div class="page" style="width:{lay.width:.1f}pt;height:{lay.height:.1f}pt;position:relative">']
    for run in groups:
        size = _size(run)
        top, left = min(c.top for c in run), run[0].x0
        top, size = top + size / 2 - em * size / 2, em * size  # the same centre line, a larger em
        clip = run[0].clip
        if clip:  # a glyph its clip cuts is written inside a box that hides what overflows it
            parts.append(f'<div style="position:absolute;overflow:hidden;left:{clip[0]:.2f}pt;top:{clip[1]:.2f}pt;'
                         f'width:{clip[2] - clip[0]:.2f}pt;height:{clip[3] - clip[1]:.2f}pt">')
            top, left = top - clip[1], left - clip[0]
        parts.append(f'<div class="p" style="top:{top:.1f}pt;left:{left:.1f}pt;font-size:{size:.1f}pt;'
                     f'line-height:{size:.0f}pt;position:absolute">{escape("".join(c.text for c in run))}</div>'
                     + ("</div>" if clip else ""))
    for h in hs:
        parts.append(f'<div class="r" style="position:absolute;left:{h.start:.2f}pt;top:{h.pos - 0.25:.2f}pt;'
                     f'width:{h.end - h.start:.2f}pt;height:0.0pt;border-bottom:0.5pt solid #000000"></div>')
    for v in vs:
        parts.append(f'<div class="r" style="position:absolute;left:{v.pos - 0.25:.2f}pt;top:{v.start:.2f}pt;'
                     f'width:0.0pt;height:{v.end - v.start:.2f}pt;border-left:0.5pt solid #000000"></div>')
    return "\n".join(parts + ["</div>"])


def _cls(classes: dict[str, str], decl: str, prefix: str) -> str:
    if decl not in classes:
        classes[decl] = f"{prefix}{len(classes)}"
    return classes[decl]


def _page_classes(lay, groups, hs, vs, classes) -> str:
    page = _cls(classes, f"width:{lay.width * PX:.0f}px;height:{lay.height * PX:.0f}px", "w")
    parts = [f'<div class="pg {page}"><div class="ly">']
    for run in groups:
        size = _size(run)
        font = _cls(classes, f"font-size:{size * PX:.1f}px;line-height:{size * PX:.1f}px", "f")
        width = (run[-1].x1 - run[0].x0) * PX
        top, left = min(c.top for c in run), run[0].x0
        clip = run[0].clip
        if clip:
            box = _cls(classes, "position:absolute;overflow:hidden", "c")
            parts.append(f'<div class="{box}" style="left:{clip[0] * PX:.1f}px;top:{clip[1] * PX:.1f}px;'
                         f'width:{(clip[2] - clip[0]) * PX:.1f}px;height:{(clip[3] - clip[1]) * PX:.1f}px">')
            top, left = top - clip[1], left - clip[0]
        parts.append(f'<span class="t {font}" style="transform:translate({left * PX:.1f}px,{top * PX:.1f}px);'
                     f'width:{width:.1f}px">{escape("".join(c.text for c in run))}</span>' + ("</div>" if clip else ""))
    for h in hs:
        parts.append(f'<i class="ln" style="left:{h.start * PX:.1f}px;top:{(h.pos - 0.4) * PX:.1f}px;'
                     f'width:{(h.end - h.start) * PX:.1f}px;height:1px"></i>')
    for v in vs:
        parts.append(f'<i class="ln" style="left:{(v.pos - 0.4) * PX:.1f}px;top:{v.start * PX:.1f}px;'
                     f'width:1px;height:{(v.end - v.start) * PX:.1f}px"></i>')
    return "\n".join(parts + ["</div></div>"])
