"""Positioned-box HTML: a PDF converted to HTML as absolutely placed text boxes and thin rule boxes.

There is no <table> in such a file. Each page is a sized box; inside it, every run of text is a box
at a `left`/`top` (or `bottom`, or a `transform`), and every ruling segment is a box whose border
or background paints a line. The geometry is read, not the exporter's class names: declarations
come from `style` attributes and from the document's own stylesheet (simple `.class`, `tag`,
`tag.class` and `#id` selectors), in pt, px, mm, cm, in or em. Each text run becomes glyph boxes
(full-width CJK one em, others half an em, stretched to the run's width when the box gives one) and
each painted edge a ruling piece, so the page goes through the same layout core as a vector PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .layout import Char, PageLayout, add_segment

UNITS = {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0, "": 0.75}
DEFAULT_FONT = 12.0  # pt, the browser default of 16px
MIN_PAGE = 200.0  # pt: a sized box at least this wide and high that holds placed boxes is a page
THIN = 3.0  # pt: a painted box no thicker than this is a rule
MIN_POSITIONED = 20  # placed text boxes a file needs to be read as positioned
_WHITE = {"#fff", "#ffffff", "white", "transparent", "none", "rgba(0,0,0,0)", "inherit", "initial"}
_LENGTH = re.compile(r"^\s*(-?\d*\.?\d+(?:e-?\d+)?)\s*([a-z%]*)\s*$", re.I)
_MATRIX = re.compile(r"matrix\(([^)]*)\)", re.I)
_TRANSLATE = re.compile(r"translate(x|y)?\(([^)]*)\)", re.I)
_SCALE = re.compile(r"scale\(([^)]*)\)", re.I)


# ---------------------------------------------------------------- CSS


def declarations(text: str) -> dict[str, str]:
    """`a: b; c: d` → {a: b, c: d}, names lower-cased, `!important` dropped."""
    out = {}
    for part in text.split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            out[name.strip().lower()] = value.replace("!important", "").strip()
    return out


def stylesheet(css: str) -> list[tuple[tuple[str | None, str | None, str | None], dict[str, str]]]:
    """The simple rules of a stylesheet in order: ((tag, class, id), declarations). Rules inside
    @media and other at-blocks, and selectors with combinators or pseudo-classes, are skipped:
    converted pages put their geometry in plain class rules."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = _drop_at_blocks(css)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = declarations(body)
        for sel in selectors.split(","):
            m = re.fullmatch(r"\s*([a-zA-Z][\w-]*)?(?:\.([\w-]+))?(?:#([\w-]+))?\s*", sel)
            if m and any(m.groups()):
                rules.append(((m.group(1) and m.group(1).lower(), m.group(2), m.group(3)), decls))
    return rules


def _drop_at_blocks(css: str) -> str:
    out, i = [], 0
    while True:
        j = css.find("@", i)
        if j < 0:
            out.append(css[i:])
            return "".join(out)
        out.append(css[i:j])
        brace, semi = css.find("{", j), css.find(";", j)
        if brace < 0 or 0 <= semi < brace:  # @import …; @charset …;
            i = semi + 1 if semi >= 0 else len(css)
            continue
        depth, k = 0, brace
        while k < len(css):
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
            if depth == 0:
                break
        i = k


class Styles:
    """The declarations that apply to an element: its stylesheet rules in order, then its style attribute."""

    def __init__(self, root):
        css = "\n".join(s.text or "" for s in root.iter("style"))
        self.by_class: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.by_id: dict[str, list] = {}
        for order, ((tag, cls, ident), decls) in enumerate(stylesheet(css)):
            key, index = (cls, self.by_class) if cls else ((ident, self.by_id) if ident else (tag, self.by_tag))
            index.setdefault(key, []).append((order, tag, cls, ident, decls))
        self.cache: dict = {}  # element -> style; holding the element keeps lxml's proxy (and its identity) alive

    def of(self, el) -> dict[str, str]:
        found = self.cache.get(el)
        if found is not None:
            return found
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        classes = (el.get("class") or "").split()
        hits = list(self.by_tag.get(tag, ()))
        for cls in classes:
            hits += self.by_class.get(cls, ())
        if el.get("id"):
            hits += self.by_id.get(el.get("id"), ())
        style: dict[str, str] = {}
        for _, t, cls, ident, decls in sorted(hits, key=lambda h: h[0]):
            if (t is None or t == tag) and (cls is None or cls in classes) and (ident is None or ident == el.get("id")):
                style.update(decls)
        style.update(declarations(el.get("style") or ""))
        self.cache[el] = style
        return style


def length(value: str | None, font: float = DEFAULT_FONT) -> float | None:
    """A CSS length in points; None for auto, percentages and what is no length."""
    if not value:
        return None
    m = _LENGTH.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2).lower()
    if unit in ("em", "rem"):
        return number * font
    return number * UNITS[unit] if unit in UNITS else None


@dataclass(frozen=True)
class Box:
    """An element's place on its page, in points: offset of its own origin and its scale."""

    x: float
    y: float
    scale: float = 1.0


def _transform(value: str | None) -> tuple[float, float, float]:
    """(dx, dy, scale) of a CSS transform: matrix(), translate(), scale(); rotation is not read."""
    if not value:
        return 0.0, 0.0, 1.0
    m = _MATRIX.search(value)
    if m:
        nums = [float(v) for v in re.split(r"[,\s]+", m.group(1).strip()) if v]
        if len(nums) == 6:
            return nums[4] * UNITS["px"], nums[5] * UNITS["px"], abs(nums[0]) or 1.0
    dx = dy = 0.0
    for axis, args in _TRANSLATE.findall(value):
        parts = [length(a) or 0.0 for a in re.split(r"[,\s]+", args.strip()) if a]
        if axis.lower() == "x":
            dx += parts[0] if parts else 0.0
        elif axis.lower() == "y":
            dy += parts[0] if parts else 0.0
        else:
            dx += parts[0] if parts else 0.0
            dy += parts[1] if len(parts) > 1 else 0.0
    s = _SCALE.search(value)
    scale = float(re.split(r"[,\s]+", s.group(1).strip())[0]) if s else 1.0
    return dx, dy, abs(scale) or 1.0


# ---------------------------------------------------------------- pages


def _is_page(style: dict[str, str]) -> bool:
    w, h = length(style.get("width")), length(style.get("height"))
    return w is not None and h is not None and w >= MIN_PAGE and h >= MIN_PAGE


def _placed(style: dict[str, str]) -> bool:
    return style.get("position", "").lower() in ("absolute", "fixed")


def positioned_pages(root) -> list[PageLayout] | None:
    """The pages of a positioned-box HTML document, or None when it is not one."""
    styles = Styles(root)
    body = root.find(".//body")
    scope = body if body is not None else root
    placed_text = 0
    for el in scope.iter():
        if isinstance(el.tag, str) and _placed(styles.of(el)) and (el.text or "").strip():
            placed_text += 1
            if placed_text >= MIN_POSITIONED:
                break
    if placed_text < MIN_POSITIONED:
        return None
    sized = [el for el in scope.iter() if isinstance(el.tag, str) and _is_page(styles.of(el))
             and not any(isinstance(a.tag, str) and _is_page(styles.of(a)) for a in el.iterancestors())]
    # pages flow one after another (an empty one too); a large box placed on a page is a cell or a
    # frame, unless the exporter places its pages too: then a page is a placed box holding placed boxes
    pages = [el for el in sized if not _placed(styles.of(el))] or [
        el for el in sized if any(isinstance(d.tag, str) and _placed(styles.of(d)) for d in el.iterdescendants())]
    if not pages:
        pages = [scope]
    return [_page_layout(el, n, styles) for n, el in enumerate(pages, 1)]


def _page_layout(page, page_no: int, styles: Styles) -> PageLayout:
    style = styles.of(page)
    width = length(style.get("width")) or 0.0
    height = length(style.get("height")) or 0.0
    runs: list[tuple[list[Char], bool]] = []
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    _walk(page, Box(0.0, 0.0), _font(style, DEFAULT_FONT), height, styles, runs, hs, vs)
    chars = [c for run in _within_cells(runs, vs) for c in run]
    if not height:
        height = max((c.bottom for c in chars), default=0.0)
        width = max((c.x1 for c in chars), default=0.0)
    return PageLayout(page_no, width, height, chars, hs, vs, "html-positioned")


def _font(style: dict[str, str], inherited: float) -> float:
    return length(style.get("font-size"), inherited) or inherited


def _walk(el, origin: Box, font: float, page_h: float, styles: Styles, runs, hs, vs, clip=None) -> None:
    """Place `el`'s children from its origin, read what they paint, then their children. `clip` is
    the box of the nearest container that hides what overflows it (overflow: hidden)."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag.lower() in ("script", "style", "head", "title"):
            continue
        st = styles.of(child)
        if st.get("display", "").lower() == "none" or st.get("visibility", "").lower() == "hidden":
            continue
        size = _font(st, font)
        box = _box_of(st, origin, size, page_h)
        _paint(st, box, size, hs, vs)
        if _placed(st):
            _text_runs(child, st, box, size, styles, runs, clip)
        inner = clip
        if st.get("overflow", "").lower() in ("hidden", "clip") and _placed(st):
            w, h = length(st.get("width"), size), length(st.get("height"), size)
            if w is not None and h is not None:
                own = (box.x, box.y, box.x + w * box.scale, box.y + h * box.scale)
                inner = own if clip is None else (max(own[0], clip[0]), max(own[1], clip[1]), min(own[2], clip[2]), min(own[3], clip[3]))
        _walk(child, box if st.get("position", "").lower() in ("absolute", "fixed", "relative") or st.get("transform")
              else origin, size, page_h, styles, runs, hs, vs, inner)


def _box_of(st: dict[str, str], origin: Box, font: float, page_h: float) -> Box:
    s = origin.scale
    left, top_ = length(st.get("left"), font), length(st.get("top"), font)
    x = origin.x + (left or 0.0) * s
    if top_ is not None:
        y = origin.y + top_ * s
    else:
        bottom = length(st.get("bottom"), font)
        # a box placed by its bottom edge (as some exporters place text on its baseline)
        h = length(st.get("height"), font) or length(st.get("line-height"), font) or font
        y = origin.y + ((page_h - bottom - h) * s if bottom is not None and page_h else 0.0)
    dx, dy, scale = _transform(st.get("transform"))
    return Box(x + dx * s, y + dy * s, s * scale)


def _paint(st: dict[str, str], box: Box, font: float, hs, vs) -> None:
    """The ruling pieces a box paints: its visible borders, or the box itself when it is a thin filled bar."""
    s = box.scale
    w = (length(st.get("width"), font) or 0.0) * s
    h = (length(st.get("height"), font) or 0.0) * s
    x0, y0 = box.x, box.y
    edges = {"top": ((x0, y0), (x0 + w, y0)), "bottom": ((x0, y0 + h), (x0 + w, y0 + h)),
             "left": ((x0, y0), (x0, y0 + h)), "right": ((x0 + w, y0), (x0 + w, y0 + h))}
    for side, (p, q) in edges.items():
        width = _border_width(st, side, font)
        if width:
            # the line is drawn outside the content box on the bottom and right edges
            shift = width * s / 2
            if side == "bottom":
                p, q = (p[0], p[1] + shift), (q[0], q[1] + shift)
            elif side == "right":
                p, q = (p[0] + shift, p[1]), (q[0] + shift, q[1])
            add_segment(p, q, hs, vs)
    fill = (st.get("background-color") or st.get("background") or "").lower()
    if _paints(fill) and 0 < min(w, h) <= THIN < max(w, h):
        if w >= h:
            add_segment((x0, y0 + h / 2), (x0 + w, y0 + h / 2), hs, vs)
        else:
            add_segment((x0 + w / 2, y0), (x0 + w / 2, y0 + h), hs, vs)


def _paints(fill: str) -> bool:
    colour = fill.split()[0] if fill.split() else ""
    return bool(colour) and colour.replace(" ", "") not in _WHITE and not colour.startswith("url(")


def _border_width(st: dict[str, str], side: str, font: float) -> float:
    """The painted width of one border side (0 when none), from border-<side>, border and their longhands."""
    width, style, colour = None, None, None
    for name in ("border", f"border-{side}"):
        value = st.get(name)
        if value:
            for token in value.split():
                t = token.lower()
                if t in ("none", "hidden", "solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"):
                    style = t
                elif length(t, font) is not None:
                    width = length(t, font)
                elif t in ("thin", "medium", "thick"):
                    width = {"thin": 0.75, "medium": 2.25, "thick": 3.75}[t]
                else:
                    colour = t
    width = length(st.get(f"border-{side}-width") or st.get("border-width"), font) if width is None else width
    style = (st.get(f"border-{side}-style") or st.get("border-style") or style or "none").lower()
    colour = (st.get(f"border-{side}-color") or st.get("border-color") or colour or "").lower()
    if style in ("none", "hidden") or colour in _WHITE:
        return 0.0
    return 2.25 if width is None else width  # a border style without a width is `medium`


def _text_runs(el, st: dict[str, str], box: Box, font: float, styles: Styles, runs: list, clip=None) -> None:
    """Glyph boxes for the text the box prints itself (its text, and the text of children that are
    not placed on their own), left to right, with a new line at each <br>. A glyph whose centre its
    clip leaves out keeps the clip, as a PDF glyph does (the layout core decides where it is read)."""
    s = box.scale
    line_h = (length(st.get("line-height"), font) or font * 1.0) * s
    glyph_h = font * s
    pieces: list[tuple[str, float]] = []  # (text, font) in reading order; "\n" breaks a line, ("", gap) a spacer

    def collect(node, size: float, own: bool) -> None:
        if own and node.text:
            pieces.append((node.text, size))
        for child in node:
            if not isinstance(child.tag, str):
                continue
            cst = styles.of(child)
            if child.tag.lower() == "br":
                pieces.append(("\n", size))
            elif not _placed(cst) and cst.get("display", "").lower() != "none":
                gap = length(cst.get("width"), size) if not (child.text or "").strip() and len(child) == 0 else None
                if gap:
                    pieces.append(("", gap))  # an empty spacing box (word gaps of some exporters)
                collect(child, _font(cst, size), True)
            if child.tail:
                pieces.append((child.tail, size))

    collect(el, font, True)
    text = "".join(t for t, _ in pieces if t != "\n")
    if not text.strip():
        return
    given = (length(st.get("width"), font) or 0.0) * s
    natural = sum(sum(_advance(ch, size) for ch in t) if t else size for t, size in pieces if t != "\n")
    # the box's width sets the advances of a one-line run; a box of several lines keeps the estimates
    measured = bool(given and natural and len(text.strip()) > 1 and all(t != "\n" for t, _ in pieces))
    stretch = given / natural if measured else s
    x, y = box.x, box.y + max(line_h - glyph_h, 0.0) / 2
    chars: list[Char] = []
    runs.append((chars, measured))
    for t, size in pieces:
        if t == "\n":
            x, y = box.x, y + line_h
            continue
        if not t:
            x += size * stretch
            continue
        for ch in t:
            adv = _advance(ch, size) * stretch
            if not ch.isspace():
                c = Char(ch, x, y, x + adv, y + size * s)
                if clip is not None and not (clip[0] <= c.cx <= clip[2] and clip[1] <= c.cy <= clip[3]):
                    c = replace(c, clip=clip)
                chars.append(c)
            x += adv


def _within_cells(runs: list[tuple[list[Char], bool]], vs) -> list[list[Char]]:
    """A run of text whose width the file does not give is set with estimated advances, which a
    narrow or condensed font makes too wide. One box of text never crosses a table's vertical rule
    (a PDF prints each cell's text apart) nor runs into the next box of its line, so a run that
    would is narrowed to end before it."""
    from .ruling import merge_lines

    rules = merge_lines(vs)
    starts: dict[int, list[float]] = {}  # line band (2 pt) -> where the boxes on it begin
    for run, _ in runs:
        if run:
            starts.setdefault(int(run[0].cy // 2), []).append(run[0].x0)
    out = []
    for run, measured in runs:
        if measured or len(run) < 2:
            out.append(run)
            continue
        start, end = run[0].x0, max(c.x1 for c in run)
        mid = (min(c.top for c in run) + max(c.bottom for c in run)) / 2
        size = max(c.bottom - c.top for c in run)
        band = int(run[0].cy // 2)
        limits = [r.pos - 1.0 for r in rules if start + size / 2 < r.pos < end and r.start <= mid <= r.end]
        limits += [x - 0.5 for b in (band - 1, band, band + 1) for x in starts.get(b, ()) if start + size / 2 < x < end]
        if not limits:
            out.append(run)
            continue
        k = (min(limits) - start) / (end - start)
        out.append([replace(c, x0=start + (c.x0 - start) * k, x1=start + (c.x1 - start) * k) for c in run])
    return out


def _advance(ch: str, size: float) -> float:
    """A glyph's width: full-width for CJK and full-width forms, half otherwise."""
    o = ord(ch)
    wide = 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF01 <= o <= 0xFF60 or 0x3000 <= o <= 0x303F
    return size if wide else size * 0.5
