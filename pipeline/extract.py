"""One document in, its rows and tables out: ingest → tables → rows."""

from __future__ import annotations

from pathlib import Path

from .ingest import read_document
from .link import link_rows
from .reasons import tag_rows

SELF_EVAL_KINDS = ("project_self_eval", "dept_self_eval")
from .model import DocumentResult
from .rows import table_rows
from .tables import normalise_document


def extract_file(path: str | Path, options: dict | None = None) -> DocumentResult:
    """Read and interpret one file. Raises InputError for a file that cannot be read at all."""
    doc = read_document(path, options)
    tables = normalise_document(doc)
    rows = [r for t in tables for r in table_rows(t)]
    text = narrative(doc)
    if (options or {}).get("link", True) and rows:
        link_rows(rows, text)
    if (options or {}).get("reasons", True) and any(r.reason for r in rows):
        tag_rows([r for r in rows if r.table_kind in SELF_EVAL_KINDS])
    return DocumentResult(doc.source, doc.sha256, doc.format, doc.pages, tables, rows, list(doc.errors), text)


def narrative(doc) -> list[str]:
    """The document's running text and its long cells (reports laid out as tables, 年度总体目标 …):
    where full indicator names and their figures are written out."""
    out = [b.text for b in doc.text]
    for raw in doc.tables:
        out.extend(c.text for c in raw.cells if c.text and len(c.text) >= 20)
    return out
