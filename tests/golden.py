"""The golden snapshot: what perfaudit makes of every document it is developed against, recorded so
that a change which should not alter behaviour (a refactor) can be shown not to.

For each document of the seeds, `real/`, `wide/` and the bundled samples, the snapshot keeps its
status and warnings and, per table, a digest of the table's record and of its rows; then the
digests of its findings and money cells, and their counts. Digests are of the records a corpus
build stores (`corpus_records.process_document`), with the machine's paths reduced to file names. A
difference names the document and the table, which is where to look.

    python -m tests.golden            # compare with tests/golden/snapshot.jsonl; exit 1 on a difference
    python -m tests.golden --update   # record the present behaviour (an intended change, its own commit)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOT = ROOT / "tests" / "golden" / "snapshot.jsonl"
SETS = {
    "seeds": SHARED / "seeds",
    "real": SHARED / "corpus" / "real",
    "wide": SHARED / "corpus" / "wide",
    "samples": ROOT / "corpus" / "samples",
}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in (".tsv", ".md"))


def _digest(records: list[dict]) -> str:
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _portable(records: list[dict], path: Path) -> list[dict]:
    """Records with the path as given replaced by the file name, so that the snapshot holds on any
    checkout, and an OCR confidence to two decimals: the recogniser's last digits can vary with the
    CPU's vector instructions, its readings do not."""
    def value(k, v):
        if k == "source":
            return path.name
        return round(v, 2) if k == "ocr_confidence" and isinstance(v, float) else v

    return [{k: value(k, v) for k, v in r.items()} for r in records]


def document_entry(set_name: str, path: Path, records) -> dict:
    """One document's line of the snapshot, from its records (or its one-line failure)."""
    entry: dict = {"set": set_name, "file": path.name}
    if isinstance(records, str):
        return {**entry, "failed": records}
    rows_by_table: dict[int, list[dict]] = defaultdict(list)
    for r in _portable(records.rows, path):
        rows_by_table[r["table_index"]].append(r)
    tables = []
    for t in _portable(records.tables, path):
        rows = rows_by_table.pop(t["table_index"], [])
        tables.append([t["table_index"], t["page"], t["table_kind"], len(rows), _digest([t]), _digest(rows)])
    findings = _portable(records.findings, path)
    by_rule: dict[str, int] = defaultdict(int)
    for f in findings:
        by_rule[f["rule"]] += 1
    return {
        **entry, "sha256": records.sha256[:16], "status": records.status, "status_reason": records.status_reason,
        "warnings": _digest([{"w": w} for w in records.warnings]), "facts": records.facts,
        "tables": tables,
        "rows_outside_tables": _digest([r for rows in rows_by_table.values() for r in rows]),
        "findings": len(findings), "findings_by_rule": dict(sorted(by_rule.items())), "findings_digest": _digest(findings),
        "money_cells": len(records.money_cells), "money_digest": _digest(_portable(records.money_cells, path)),
    }


def snapshot(sets: dict[str, Path] = SETS, workers: int = 2) -> list[dict]:
    """The present behaviour on every document of the sets, in a fixed order."""
    from pipeline.batch import BatchSettings, run_batch
    from pipeline.corpus_records import process_document

    jobs = [(name, p) for name, folder in sets.items() if folder.is_dir() for p in _files(folder)]
    outcomes = run_batch([p for _, p in jobs], process_document, None, BatchSettings(workers=workers),
                         label="golden snapshot")
    return [document_entry(name, path, o.value if o.ok else o.error) for (name, path), o in zip(jobs, outcomes)]


def read_snapshot(path: Path = SNAPSHOT) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_snapshot(entries: list[dict], path: Path = SNAPSHOT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries), encoding="utf-8")


def differences(recorded: list[dict], present: list[dict]) -> list[str]:
    """Each document, and within it each table or part, whose behaviour changed: one line each."""
    before = {(e["set"], e["file"]): e for e in recorded}
    after = {(e["set"], e["file"]): e for e in present}
    out = [f"{s}/{f}: no longer read" for s, f in sorted(before.keys() - after.keys())]
    out += [f"{s}/{f}: new document" for s, f in sorted(after.keys() - before.keys())]
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old == new:
            continue
        where = f"{key[0]}/{key[1]}"
        old_tables = {t[0]: t for t in old.get("tables", [])}
        new_tables = {t[0]: t for t in new.get("tables", [])}
        for i in sorted(old_tables.keys() | new_tables.keys()):
            a, b = old_tables.get(i), new_tables.get(i)
            if a != b:
                out.append(f"{where}: table {i} (page {(a or b)[1]}, {(a or b)[2]}): "
                           f"{'gone' if b is None else 'new' if a is None else f'{a[3]} -> {b[3]} rows, changed'}")
        for part in sorted(set(old) | set(new)):
            if part != "tables" and old.get(part) != new.get(part):
                out.append(f"{where}: {part}: {old.get(part)!r} -> {new.get(part)!r}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="record the present behaviour as the snapshot")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    present = snapshot(workers=args.workers)
    if args.update:
        write_snapshot(present)
        print(f"recorded {len(present)} documents -> {SNAPSHOT.relative_to(ROOT)}")
        return 0
    diff = differences(read_snapshot(), present)
    print("\n".join(diff) if diff else f"unchanged: {len(present)} documents")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
