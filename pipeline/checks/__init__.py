"""Contradiction and anomaly checks: the rule registry and the runner."""

from __future__ import annotations

from typing import NamedTuple

from ..errors import recorded
from ..model import DocError, DocumentResult, Finding, IndicatorRow, Table, sheet_address, union_bbox
from . import rules  # noqa: F401  (C01-C03 C05 C11-C17 C20 C21 C24-C27 C34)
from . import rules_money  # noqa: F401  (C06 C08 C09)
from . import rules_text  # noqa: F401  (C28 C29 C30 C31)
from . import rules_form  # noqa: F401  (C22 C23 C32 C33 C35 C37)
from . import rules_scoring  # noqa: F401  (C04 C07 C10 C18 C19 C36)
from .registry import REGION, RULES, Rule, get_rule

__all__ = ["RULES", "CheckedDocument", "Rule", "check_document", "check_file", "get_rule"]


class CheckedDocument(NamedTuple):
    """One file read and checked: the document (with the warnings of any rule that failed) and its findings."""

    result: DocumentResult
    findings: list[Finding]


def _finding(rule: Rule, table: Table | None, row: IndicatorRow | None, evidence: dict, res: DocumentResult) -> Finding:
    # a rule may set one finding's severity (C10) and point at the cells it read (REGION: a money-table row)
    ev = {k: v for k, v in evidence.items() if k not in ("severity", REGION)}
    fmt = {k: ("—" if v is None else v) for k, v in ev.items()}
    bbox = _rounded(evidence.get(REGION)) or _region(rule, table, row)
    sheet = row.sheet if row is not None else (table.provenance.sheet if table is not None else None)
    return Finding(
        source=res.source, doc_sha256=res.sha256,
        page=row.page if row is not None else (table.provenance.page if table is not None else None),
        table_title=row.table_title if row is not None else (table.title if table is not None else None),
        project=row.project if row is not None else (table.project if table is not None else None),
        row_index=row.row_index if row is not None else None,
        name=row.name if row is not None else None,
        rule=rule.id, severity=_severity(rule, row, evidence),
        message=rule.message.format(**fmt), message_en=rule.message_en.format(**fmt), evidence=ev,
        table_index=row.table_index if row is not None else (table.provenance.table_index if table is not None else None),
        cells=list(rule.cells) if row is not None else [],
        bbox=bbox, address=sheet_address(sheet, bbox) if sheet and bbox else None,
    )


def _severity(rule: Rule, row: IndicatorRow | None, evidence: dict) -> str:
    """The rule's severity (or the one it set for this finding); info when it rests on a number OCR was unsure of."""
    severity = evidence.get("severity", rule.severity)
    return "info" if row is not None and "ocr_low_confidence" in row.flags else severity


def _union(boxes) -> list[float] | None:
    return _rounded(union_bbox(boxes))


def _rounded(box) -> list[float] | None:
    return None if box is None else [round(v, 2) for v in box]


def _region(rule: Rule, table: Table | None, row: IndicatorRow | None) -> list[float] | None:
    """The page region a reviewer should look at: the row's cells at fault (the whole row when the rule
    names none), or the table's part on its first page for a table-level finding."""
    if row is not None:
        return _union([row.bbox.get(c) for c in rule.cells] or []) or _union(row.bbox.values())
    return _rounded(table.meta.region) if table is not None else None


def check_document(res: DocumentResult, warnings: list[DocError] | None = None) -> list[Finding]:
    """Every finding of every rule for one extracted document, in a stable order.

    A rule that fails on one table (or on the document) gives its findings up to there; the failure
    is recorded in `warnings` with the rule, page and table, and the other rules go on. Without
    `warnings` the failure propagates."""
    out: list[Finding] = []
    by_table: dict[int, list[IndicatorRow]] = {}
    for r in res.rows:
        by_table.setdefault(r.table_index, []).append(r)
    for rid in sorted(RULES):
        rule = RULES[rid]
        if rule.scope in ("document", "result"):
            # "result" rules read the whole DocumentResult (narrative too) and may point at a Table
            with recorded(warnings, f"rule {rule.id} ({rule.slug}) not completed"):
                for item, ev in rule.fn(*((res,) if rule.scope == "result" else (res.tables, res.rows))):
                    row = item if isinstance(item, IndicatorRow) else None
                    table = item if isinstance(item, Table) else next(
                        (t for t in res.tables if row is not None and t.provenance.table_index == row.table_index), None)
                    out.append(_finding(rule, table, row, ev, res))
            continue
        for t in res.tables:
            rows = by_table.get(t.provenance.table_index, [])
            if not rows:
                continue
            with recorded(warnings, f"rule {rule.id} ({rule.slug}) not completed", t.provenance.page, t.provenance.table_index):
                for row, ev in rule.fn(t, rows):
                    out.append(_finding(rule, t, row, ev, res))
    return out


def check_file(path, options: dict | None = None) -> CheckedDocument:
    """Extract one file and run every rule on it, in the batch worker: a rule that hangs, crashes or
    runs out of memory is isolated with the document, and rule failures become the document's warnings."""
    from ..extract import extract_file
    from ..status import with_warnings

    res = extract_file(path, options)
    warnings: list[DocError] = []
    findings = check_document(res, warnings)
    return CheckedDocument(with_warnings(res, warnings), findings)
