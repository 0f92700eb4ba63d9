"""The auditor's workbook: a summary per document, every finding (filterable), every row with the
cells at fault highlighted.

The helpers at the top (which cells a finding points at, findings indexed by row) are shared with
the HTML report, so both reports highlight exactly the same cells.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..model import ROW_FIELDS, SEVERITIES, DocumentResult, Finding
from . import flat_row
from .files import append_row, atomic_path, save_workbook, strict_json, xlsx_cell

FINDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Finding))
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}  # light red, amber, blue
FONTS = {"error": "9C0006", "warning": "7F6000", "info": "1F4E79"}
RowKey = tuple[str, int | None, int | None]  # source, table_index, row_index


# ---------------------------------------------------------------- shared with the HTML report


def as_finding(f: Finding | Mapping) -> Finding:
    """Findings as records, also when read back from findings.jsonl."""
    return f if isinstance(f, Finding) else Finding(**{k: f[k] for k in FINDING_FIELDS if k in f})


def worst(severities: Iterable[str]) -> str:
    return min(severities, key=SEVERITIES.index)


def cells_at_fault(f: Finding) -> tuple[str, ...]:
    """The row fields a finding points at; a row finding whose rule names none points at the name."""
    if f.row_index is None:
        return ()
    return tuple(f.cells) or ("name",)


def row_key(source: str, table_index: int | None, row_index: int | None) -> RowKey:
    return source, table_index, row_index


def findings_by_cell(findings: Sequence[Finding]) -> dict[RowKey, dict[str, list[int]]]:
    """(source, table, row) -> field -> numbers (positions in `findings`) of the findings naming that cell."""
    out: dict[RowKey, dict[str, list[int]]] = {}
    for n, f in enumerate(findings):
        for cell in cells_at_fault(f):
            out.setdefault(row_key(f.source, f.table_index, f.row_index), {}).setdefault(cell, []).append(n)
    return out


def rule_titles() -> dict[str, str]:
    from ..checks import RULES

    return {rid: r.title for rid, r in RULES.items()}


# ---------------------------------------------------------------- workbook


def write_xlsx_report(results: Sequence[DocumentResult], findings: Sequence[Finding | Mapping], path: Path,
                      failures: Sequence[tuple[Path, str]] = ()) -> None:
    """Summary, findings and rows sheets (plus the rule legend), written atomically and deterministically."""
    from openpyxl import Workbook

    found = [as_finding(f) for f in findings]
    wb = Workbook()
    _summary_sheet(wb.active, results, found, failures)
    findings_ws = wb.create_sheet("findings")
    row_at = _rows_sheet(wb.create_sheet("rows"), results, found)
    _findings_sheet(findings_ws, found, row_at)
    _rules_sheet(wb.create_sheet("rules"), found)
    with atomic_path(Path(path)) as tmp:
        save_workbook(wb, tmp)


def _header(ws, names: Sequence[str], widths: Mapping[str, float] | None = None) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    append_row(ws, list(names))
    for i, name in enumerate(names, 1):
        c = ws.cell(row=1, column=i)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E7E6E6")
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(name, max(8, min(40, len(name) + 4)))
    ws.freeze_panes = "A2"


def _filter(ws) -> None:
    ws.auto_filter.ref = ws.dimensions


def _severity_style(cell, severity: str) -> None:
    from openpyxl.styles import Font, PatternFill

    cell.fill = PatternFill("solid", fgColor=FILLS[severity])
    cell.font = Font(color=FONTS[severity], bold=severity == "error")


def _summary_sheet(ws, results, found: list[Finding], failures) -> None:
    ws.title = "summary"
    rule_ids = sorted(rule_titles().keys() | {f.rule for f in found})
    _header(ws, ["source", "status", "status reason", "format", "pages", "tables", "indicator tables", "rows", "read errors", "findings",
                 *SEVERITIES, *rule_ids], {"source": 60})
    for res in results:
        mine = [f for f in found if f.source == res.source and f.review_status != "rejected"]
        sev, by_rule = Counter(f.severity for f in mine), Counter(f.rule for f in mine)
        line = append_row(ws, [res.source, res.status, res.status_reason, res.format, res.pages, len(res.tables), len({r.table_index for r in res.rows}), len(res.rows),
                   len(res.errors), len(mine), *(sev[s] for s in SEVERITIES), *(by_rule[r] for r in rule_ids)])
        for s in SEVERITIES:
            if sev[s]:
                _severity_style(ws.cell(row=line, column=11 + SEVERITIES.index(s)), s)
    for path, reason in failures:
        append_row(ws, [str(path), "failed", reason])
    _filter(ws)


def _evidence(v) -> str:
    return strict_json(v, separators=(",", ":"), sort_keys=True)


def _findings_sheet(ws, found: list[Finding], row_at: Mapping[RowKey, int]) -> None:
    """One line per finding; its row_index links to the row on the rows sheet."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    titles = rule_titles()
    names = ["finding", *FINDING_FIELDS[:8], "title", *FINDING_FIELDS[8:]]
    _header(ws, names, {"source": 40, "table_title": 36, "project": 24, "name": 30, "title": 24, "message": 50,
                        "message_en": 50, "evidence": 40, "doc_sha256": 16, "bbox": 24})
    for n, f in enumerate(found):
        d = f.to_dict()
        values = [n + 1, *(d[k] for k in FINDING_FIELDS[:8]), titles.get(f.rule, ""), *(d[k] for k in FINDING_FIELDS[8:])]
        line = append_row(ws, [_cell_value(name, v) for name, v in zip(names, values)])
        _severity_style(ws.cell(row=line, column=names.index("severity") + 1), f.severity)
        target = row_at.get(row_key(f.source, f.table_index, f.row_index))
        if target:
            cell = ws.cell(row=line, column=names.index("row_index") + 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"rows!A{target}")
            cell.style = "Hyperlink"
    _review_dropdown(ws, names.index("review_status") + 1, len(found))
    _filter(ws)


def _review_dropdown(ws, column: int, n: int) -> None:
    """The review_status column offers the decisions `check --review` reads back from this workbook."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..review import STATUSES

    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
    dv.add(f"{letter}2:{letter}{max(2, n + 1)}")
    ws.add_data_validation(dv)


def _cell_value(name: str, v):
    if name == "cells":
        return ", ".join(v)
    if isinstance(v, (dict, list)):
        return _evidence(v)
    return v


def _rows_sheet(ws, results, found: list[Finding]) -> dict[RowKey, int]:
    """Every indicator row; a cell named by a finding is filled by the worst severity and carries a
    comment naming the rules, so the workbook alone shows where to look. Returns each row's line."""
    from openpyxl.comments import Comment

    by_cell = findings_by_cell(found)
    names = ["findings", *ROW_FIELDS]
    _header(ws, names, {"source": 30, "table_title": 30, "name": 30, "target": 14, "actual": 14, "reason": 40})
    col = {name: i + 1 for i, name in enumerate(names)}
    row_at: dict[RowKey, int] = {}
    for res in results:
        for r in res.rows:
            key = row_key(r.source, r.table_index, r.row_index)
            marks = by_cell.get(key, {})
            rules_here = sorted({found[n].rule for ns in marks.values() for n in ns})
            flat = flat_row(r.to_dict())
            line = append_row(ws, [", ".join(rules_here) or None, *(flat[k] for k in ROW_FIELDS)])
            row_at[key] = line
            for field_name, ns in sorted(marks.items()):
                if field_name not in col:
                    continue
                cell = ws.cell(row=line, column=col[field_name])
                _severity_style(cell, worst(found[n].severity for n in ns))
                text = "\n".join(f"{found[n].rule} {found[n].severity}: {found[n].message}" for n in ns)
                cell.comment = Comment(xlsx_cell(text), "perfaudit", width=320, height=40 + 40 * len(ns))
    _filter(ws)
    return row_at


def _rules_sheet(ws, found: list[Finding]) -> None:
    from ..checks import RULES

    counts = Counter(f.rule for f in found)
    _header(ws, ["rule", "slug", "severity", "title", "findings", "rationale"], {"title": 30, "rationale": 80})
    for rid in sorted(RULES):
        r = RULES[rid]
        line = append_row(ws, [r.id, r.slug, r.severity, r.title, counts[rid], r.rationale])
        _severity_style(ws.cell(row=line, column=3), r.severity)
    _filter(ws)
