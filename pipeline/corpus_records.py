"""The batch task of a corpus build, run in the worker: one document extracted and checked, turned
into the records the corpus stores (documents, tables, rows, findings, money cells), their columns
as pipeline/model.py defines them. corpus_db.py writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Finding, IndicatorRow
from .outputs import table_report


@dataclass(frozen=True)
class DocumentRecords:
    """One document as database records, built in the worker (small to send back)."""

    sha256: str
    format: str
    pages: int | None
    status: str
    status_reason: str | None
    warnings: list[str]
    tables: list[dict]
    rows: list[dict]
    findings: list[dict]
    money_cells: list[dict]
    facts: dict[str, Any]  # report_year, department, region


def _table_record(table) -> dict:
    rep = table_report(table)
    q = rep["quality"]
    return {
        "doc_sha256": rep["doc_sha256"], "source": rep["source"], "table_index": rep["table_index"], "page": rep["page"],
        "sheet": rep["sheet"], "table_kind": rep["table_kind"], "table_title": rep["table_title"], "project": rep["project"],
        "body_rows": rep["rows"], "n_rows": rep["n_rows"], "n_cols": rep["n_cols"],
        **{k: q[k] for k in ("family", "engine", "header_found", "header_rows", "rows_total", "rows_emitted", "rows_dropped",
                             "empty_share", "numbers_parsed", "stitched_parts", "confidence", "notes")},
        "meta": json.dumps(rep["meta"], ensure_ascii=False, sort_keys=True),
    }


def _money_records(res) -> list[dict]:
    """Every non-empty cell of every money table, in reading order."""
    from .money import amount, parse_percent

    out = []
    for mt in res.money:
        for row in mt.rows:
            for col in mt.columns:
                text = row.cells[col.index] if col.index < len(row.cells) else ""
                if not text.strip():
                    continue
                pct = parse_percent(text) if col.role == "rate" else None
                out.append({
                    "doc_sha256": res.sha256, "source": res.source, "table_index": mt.table_index, "page": mt.page,
                    "band": mt.band, "context": mt.context, "from_grid": mt.from_grid, "grid_row": row.grid_row,
                    "row_label": row.label, "row_code": row.code, "row_code_level": row.code_level,
                    "row_sequence": row.sequence, "row_block": row.block, "row_is_total": row.is_total,
                    "col": col.index, "col_label": col.label, "col_role": col.role, "col_rate_kind": col.rate_kind,
                    "col_year": col.year, "col_is_total": col.is_total, "col_of_which": col.of_which, "text": text,
                    "value": pct.value if pct is not None else amount(text), "ordinal": len(out)})
    return out


def _row_record(row: IndicatorRow, ordinal: int) -> dict:
    d = row.to_dict()
    d["bbox"] = list(d["bbox"].items())  # a MAP is given to arrow as (key, value) pairs
    d["ordinal"] = ordinal
    return d


def _finding_record(finding: Finding, ordinal: int) -> dict:
    d = finding.to_dict()
    d["evidence"] = json.dumps(d["evidence"], ensure_ascii=False)
    d["ordinal"] = ordinal
    return d


def process_document(path: Path, options: dict | None) -> DocumentRecords:
    """The batch task: extract one document, run the checks, return its records."""
    from .checks import check_file

    res, findings = check_file(path, options)
    return DocumentRecords(
        sha256=res.sha256, format=res.format, pages=res.pages, status=res.status, status_reason=res.status_reason,
        warnings=[e.message for e in res.errors],
        tables=[_table_record(t) for t in res.tables],
        rows=[_row_record(r, i) for i, r in enumerate(res.rows)],
        findings=[_finding_record(f, i) for i, f in enumerate(findings)],
        money_cells=_money_records(res),
        facts={"report_year": res.facts.report_year, "department": res.facts.department, "region": res.facts.region},
    )
