"""One document in, its rows and tables out: ingest → tables (with what they print beside their rows) →
rows → links → reasons → money tables, passages and document facts → status.

A failure inside one table or one stage is caught where it happens and recorded as a warning with
its page and table (errors.recorded); the document keeps everything the other parts gave.
"""

from __future__ import annotations

from pathlib import Path

from .errors import recorded
from .facts import document_facts
from .ingest import read_document
from .families import family_of
from .link import link_rows
from .model import DocError, DocumentFacts, DocumentResult, IndicatorRow, MoneyTable, Passage, Table
from .money import read_money, read_passages
from .printed import LONG_CELL, finished
from .reasons import tag_rows
from .rows import PackedCells, table_rows
from .status import assess, unread_heading_warning
from .tables import SELF_EVAL_KINDS, normalise_document



def extract_file(path: str | Path, options: dict | None = None) -> DocumentResult:
    """Read and interpret one file. Raises InputError for a file that cannot be read at all."""
    options = options or {}
    doc = read_document(path, options)
    warnings: list[DocError] = list(doc.errors)
    tables = [finished(t) for t in normalise_document(doc, warnings)]
    rows = _rows(tables, warnings)
    text = narrative(doc)
    if options.get("link", True) and rows:
        with recorded(warnings, "indicator names not linked to the catalog"):  # rows stay unlinked; the rest stands
            link_rows(rows, text)
    for r in rows:  # linked or not, every row gets its family (from the canonical name where there is one)
        r.family = family_of(r.canonical or r.name, r.level2)
    if options.get("reasons", True) and any(r.reason for r in rows):
        with recorded(warnings, "deviation reasons not classified"):
            tag_rows([r for r in rows if r.table_kind in SELF_EVAL_KINDS])
    unread = unread_heading_warning(doc, tables, rows)
    if unread is not None:
        warnings.append(unread)
    money, passages, facts = read_figures(tables, text, warnings)
    status, reason = assess(doc, tables, rows, warnings)
    return DocumentResult(doc.source, doc.sha256, doc.format, doc.pages, tables, rows, warnings, text, status, reason,
                          money, passages, facts)


def read_figures(tables: list[Table], text: list[str], warnings: list[DocError] | None = None
                 ) -> tuple[list[MoneyTable], list[Passage], DocumentFacts]:
    """The money tables, the passages of running text and the document facts that the rules read."""
    money: list[MoneyTable] = []
    passages: list[Passage] = []
    facts = DocumentFacts()
    with recorded(warnings, "money tables not read"):
        money = read_money(tables, text, warnings)
    with recorded(warnings, "budget sentences not read"):
        passages = read_passages(tables, text)
    with recorded(warnings, "report year, department and region not read"):
        facts = document_facts(tables, passages)
    return money, passages, facts


def assembled(source: str, tables: list[Table], rows: list[IndicatorRow], text: list[str] = ()) -> DocumentResult:
    """A DocumentResult of tables and rows built elsewhere (tests, generated variants), with the figures
    the later stages read."""
    tables = [finished(t) for t in tables]
    money, passages, facts = read_figures(tables, list(text))
    sha = tables[0].provenance.sha256 if tables else "0" * 64
    return DocumentResult(source, sha, "text", None, tables, list(rows), [], list(text), "ok", None, money, passages, facts)


def _rows(tables: list[Table], warnings: list[DocError]) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    packed = PackedCells(warnings)  # packed cells may run on from one page's table into the next
    for t in tables:
        with recorded(warnings, "rows not read", t.provenance.page, t.provenance.table_index):  # one table's rows, not the document's
            if t.meta.family == "packed":
                rows.extend(packed.add(t))
            else:
                rows.extend(packed.close())
                rows.extend(table_rows(t))
    with recorded(warnings, "packed indicator cells not read"):
        rows.extend(packed.close())
    return rows


def narrative(doc) -> list[str]:
    """The document's running text and its long cells (reports laid out as tables, 年度总体目标 …):
    where full indicator names and their figures are written out."""
    out = [b.text for b in doc.text]
    for raw in doc.tables:
        out.extend(c.text for c in raw.cells if c.text and len(c.text) >= LONG_CELL)
    return out
