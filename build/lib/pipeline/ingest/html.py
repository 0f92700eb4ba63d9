"""HTML pages: every leaf <table> through an occupancy grid honouring rowspan/colspan; a page with no
table whose text is placed box by box (a PDF converted to HTML) goes through the layout core instead."""

from __future__ import annotations

import re

from ..errors import InputError, one_line, recorded
from ..model import DocError, Document, TextBlock
from .base import register, table_from_spans
from .encoding import decode, decoded_losses
from .layout import read_layout
from .positioned import positioned_pages

_CONTEXT_LINES = 4
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption"}
_NESTED_BLOCKS = "./*[self::p or self::div or self::table or self::h1 or self::h2 or self::h3 or self::li]"


def _span(el, attr: str) -> int:
    try:
        return max(1, min(int(re.sub(r"[^\d]", "", el.get(attr, "1")) or 1), 1000))
    except ValueError:
        return 1


def _text(el) -> str:
    """Cell text with <br> kept as a line break."""
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return el.text_content()


def html_table_spans(table) -> list[tuple[int, int, int, int, str]]:
    occupied: set[tuple[int, int]] = set()
    spans = []
    rows = [tr for tr in table.iter("tr") if tr.getparent() is table or tr.getparent().getparent() is table]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            rs = min(rs, len(rows) - r)
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((r + dr, c + dc))
            spans.append((r, c, rs, cs, _text(td).strip()))
            c += cs
    return spans


_TABLE_TAG = re.compile(r"<table\b", re.I)
_WRAPPER_TAG = re.compile(r"</?(?:div|span|font|center)\b[^>]{0,2000}>", re.I)


def _parse(text: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8", no_network=True, huge_tree=True))
    except Exception as exc:
        raise InputError(f"unreadable HTML ({type(exc).__name__}: {one_line(str(exc))})") from None


@register("html")
def read_html(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    decoded = decode(data)
    text = decoded.text
    if not text.strip():
        raise InputError("empty HTML file")
    root = _parse(text)
    notes = decoded_losses(decoded)
    printed = len(_TABLE_TAG.findall(text))
    if len(root.xpath("//table")) < printed:
        # libxml2 stops at a nesting depth of a few hundred elements; wrappers carry no table structure
        root = _parse(_WRAPPER_TAG.sub("", text))
        notes.append(DocError(f"HTML nested too deeply for the parser ({printed} tables printed); read again "
                              f"without its div/span wrappers"))
    if not root.xpath("//table"):
        pages = positioned_pages(root)
        if pages is not None:
            return _positioned_document(source, sha256, pages, notes)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    doc = Document(source=source, sha256=sha256, format="html", errors=notes)
    recent: list[str] = []
    for el in root.iter():
        if el.tag == "table":
            if el.xpath(".//table"):
                continue  # layout table: its leaf tables are read instead
            spans = html_table_spans(el)
            if spans:
                doc.tables.append(table_from_spans(spans, context=tuple(recent[-_CONTEXT_LINES:]), source_engine="html"))
            recent = []
        elif el.tag in _BLOCK_TAGS and not el.xpath("ancestor::table") and not el.xpath(_NESTED_BLOCKS):
            own = re.sub(r"\s+", " ", el.text_content()).strip()
            if own:
                doc.text.append(TextBlock(own))
                recent.append(own)
    return doc


def _positioned_document(source: str, sha256: str, pages, notes: list[DocError]) -> Document:
    """A PDF converted to placed boxes, read page by page through the layout core, as a PDF is."""
    doc = Document(source=source, sha256=sha256, format="html", pages=len(pages), errors=notes)
    for layout in pages:
        with recorded(doc.errors, "page not read", layout.page_no):
            read_layout(layout).into(doc)
            if not layout.chars:
                doc.textless_pages.append(layout.page_no)
    return doc
