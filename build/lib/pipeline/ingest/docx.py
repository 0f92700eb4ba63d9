"""DOCX via python-docx. Spans come from the XML itself: gridBefore, gridSpan and vMerge."""

from __future__ import annotations

import io

from ..errors import InputError
from ..model import Document, TextBlock
from .base import register, table_from_spans
from .ooxml import salvage_package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTEXT_LINES = 4


MAX_COLUMNS = 256  # for a table that declares no grid


def _cell_text(tc) -> str:
    paras = []
    for p in tc.iter(_W + "p"):
        paras.append("".join(t.text or "" for t in p.iter(_W + "t")))
    return "\n".join(paras)


def _int_attr(el, tag: str, default: int) -> int:
    node = el.find(tag)
    if node is None:
        return default
    try:
        return max(min(default, 1), int(node.get(_W + "val", default)))
    except ValueError:
        return default


def table_spans(tbl) -> list[tuple[int, int, int, int, str]]:
    """Walk w:tr/w:tc and return (row, col, rowspan, colspan, text) with vertical merges resolved."""
    spans: list[list] = []
    open_by_col: dict[int, list] = {}  # grid column -> span still open for vMerge continuation
    # spans are bounded by the grid the table declares: a gridSpan of 10^9 is damage, not a layout
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol")) or MAX_COLUMNS
    for r, tr in enumerate(tbl.findall(_W + "tr")):
        trpr = tr.find(_W + "trPr")
        col = min(_int_attr(trpr, _W + "gridBefore", 0), width) if trpr is not None else 0
        for tc in tr.findall(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            span = _int_attr(tcpr, _W + "gridSpan", 1) if tcpr is not None else 1
            span = max(1, min(span, width - col))
            vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue" and col in open_by_col:
                open_by_col[col][2] += 1
            else:
                entry = [r, col, 1, span, _cell_text(tc)]
                spans.append(entry)
                for c in range(col, col + span):
                    open_by_col.pop(c, None)
                if vmerge is not None:
                    open_by_col[col] = entry
            col += span
    return [tuple(s) for s in spans]


@register("docx")
def read_docx(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    package = salvage_package(data, "DOCX")
    import docx  # python-docx; its XML parser does not resolve external entities

    try:
        d = docx.Document(io.BytesIO(package.data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    doc = Document(source=source, sha256=sha256, format="docx", errors=package.warnings)
    recent: list[str] = []
    for el in d.element.body.iterchildren():
        if el.tag == _W + "p":
            text = "".join(t.text or "" for t in el.iter(_W + "t")).strip()
            if text:
                doc.text.append(TextBlock(text))
                recent.append(text)
        elif el.tag == _W + "tbl":
            spans = table_spans(el)
            if spans:
                doc.tables.append(
                    table_from_spans(spans, context=tuple(recent[-_CONTEXT_LINES:]), source_engine="docx")
                )
            recent = []
    return doc
