"""DOCX via python-docx. Spans come from the XML itself: gridBefore, gridSpan and vMerge."""

from __future__ import annotations

import io

from ..errors import InputError
from ..model import Document, TextBlock
from .base import open_zip_safely, register, table_from_spans

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTEXT_LINES = 4


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
        return max(1, int(node.get(_W + "val", default)))
    except ValueError:
        return default


def table_spans(tbl) -> list[tuple[int, int, int, int, str]]:
    """Walk w:tr/w:tc and return (row, col, rowspan, colspan, text) with vertical merges resolved."""
    spans: list[list] = []
    open_by_col: dict[int, list] = {}  # grid column -> span still open for vMerge continuation
    for r, tr in enumerate(tbl.findall(_W + "tr")):
        trpr = tr.find(_W + "trPr")
        before = trpr.find(_W + "gridBefore") if trpr is not None else None
        col = int(before.get(_W + "val", 0)) if before is not None else 0
        for tc in tr.findall(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            span = _int_attr(tcpr, _W + "gridSpan", 1) if tcpr is not None else 1
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
    zf = open_zip_safely(data, "DOCX")
    if "word/document.xml" not in zf.namelist():
        raise InputError("not a Word document (no word/document.xml)")
    import docx  # python-docx; its XML parser does not resolve external entities

    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from None
    doc = Document(source=source, sha256=sha256, format="docx")
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
