"""Review decisions on findings, kept across reruns: `perfaudit check --review FILE`.

A decision names a finding by its stable `id` and says `accepted`, `rejected` or `fixed`, with a note
and a reviewer. Decisions come from a CSV or JSONL file, or from the findings sheet of an earlier
XLSX report (its review_status / review_note columns), so a workbook edited by an auditor is read back
as it is. A rejected finding stays in the output, marked, but out of the totals and out of --fail-on;
a decision whose finding no longer appears is stale and is reported.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .model import Finding

STATUSES = ("accepted", "rejected", "fixed")


@dataclass(frozen=True)
class Decision:
    id: str
    status: str
    note: str | None = None
    reviewer: str | None = None


def _decision(record: dict, where: str) -> Decision | None:
    fid = str(record.get("id") or "").strip()
    status = str(record.get("status") or record.get("review_status") or "").strip().lower()
    if not fid and not status:
        return None  # an empty line or a finding nobody decided on
    if not fid:
        raise InputError(f"{where}: a decision without an id")
    if not status:
        return None
    if status not in STATUSES:
        raise InputError(f"{where}: status {status!r} of {fid} is none of {', '.join(STATUSES)}")
    note = record.get("note") or record.get("review_note")
    return Decision(fid, status, str(note).strip() if note else None, str(record.get("reviewer") or "").strip() or None)


def load_decisions(path: Path) -> dict[str, Decision]:
    """The decisions in a CSV, JSONL or XLSX file, by finding id (the last decision on an id wins)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            records = _xlsx_records(path)
        elif path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                records = list(csv.DictReader(fh))
        else:
            records = []
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}: line {n} is not JSON ({exc.msg})") from None
    except OSError as exc:
        raise InputError(f"cannot read review file {path} ({exc.strerror or exc})") from None
    out: dict[str, Decision] = {}
    for n, record in enumerate(records, 1):
        d = _decision(record if isinstance(record, dict) else {}, f"{path.name} record {n}")
        if d is not None:
            out[d.id] = d
    return out


def _xlsx_records(path: Path) -> list[dict]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{path}: not a readable workbook ({type(exc).__name__})") from None
    if "findings" not in wb.sheetnames:
        raise InputError(f"{path}: no findings sheet (is it a perfaudit report?)")
    rows = wb["findings"].iter_rows(values_only=True)
    head = [str(h or "") for h in next(rows, ())]
    return [dict(zip(head, r)) for r in rows]


def apply_decisions(found: list[Finding], decisions: dict[str, Decision]) -> tuple[list[Finding], list[str]]:
    """The findings with their review status and note, and the ids of stale decisions."""
    out = []
    for f in found:
        d = decisions.get(f.id)
        out.append(replace(f, review_status=d.status, review_note=d.note) if d else f)
    present = {f.id for f in found}
    return out, sorted(i for i in decisions if i not in present)


def counted(f: Finding) -> bool:
    """Whether a finding counts in the totals and for --fail-on: a rejected one does not."""
    return f.review_status != "rejected"
