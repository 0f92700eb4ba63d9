"""Corpus health: how perfaudit fares on documents it was never tuned on.

Reads every document of ../shared/corpus/wide (and real/, and the seed dumps) with the real batch
runner, then prints per city and overall:

* documents by status (ok, partial, empty, failed);
* indicator-page coverage: of the pages that MANIFEST.tsv lists as carrying an indicator-table header
  (found without perfaudit, from `pdftotext -layout`), the share on which perfaudit found rows, or
  recognised the indicator table as a blank template (a header and level labels, nothing filled in:
  counted apart, as "blank");
* printed totals against the rows: tables whose Σ row weights differ from their printed 总分/合计, and
  一级 groups whose printed weight differs from the sum of their rows' weights;
* rows read from the negative documents (no listed indicator page, or not a PDF at all): should be 0;
* rows and pages per second.

Not a timed test: run it before and after a change to a reader or a rule and compare the tables.

    .venv/bin/python bench/bench_health.py [--workers 2] [--json health.json] [--only wide] [--list]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"wide": SHARED / "corpus" / "wide", "real": SHARED / "corpus" / "real", "seeds": SHARED / "seeds"}
STATUSES = ("ok", "partial", "empty", "failed")
_CITY = re.compile(r"^(?:\d+_)?([^_]+)__")


def city_of(name: str, corpus: str) -> str:
    m = _CITY.match(name)
    return f"{corpus}:{m.group(1)}" if m else corpus


def manifest(folder: Path) -> dict[str, dict]:
    path = folder / "MANIFEST.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if not rows or "indicator_page_list" not in rows[0]:
        return {}  # a manifest without the independent page check (real/)
    out = {}
    for r in rows:
        pages = {int(p) for p in (r.get("indicator_page_list") or "").split(",") if p.strip()}
        out[r["file"]] = {"kind": r.get("kind"), "indicator_pages": pages}
    return out


def inputs(names: list[str]) -> list[tuple[str, Path, dict | None]]:
    out = []
    for corpus in names:
        folder = SETS[corpus]
        listed = manifest(folder)
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in (".tsv", ".md"))
        for p in files:
            out.append((corpus, p, listed.get(p.name)))
    return out


def totals_disagreements(res) -> tuple[int, int, int, int]:
    """(tables with a printed total, of which disagree; 一级 groups with a printed weight, of which disagree)."""
    by_table = defaultdict(list)
    for r in res.rows:
        by_table[r.table_index].append(r)
    totals = total_bad = groups = group_bad = 0
    for t in res.tables:
        rows = by_table.get(t.provenance.table_index, [])
        weights = [r.weight for r in rows if r.weight is not None]
        # a self-evaluation's 总分 also counts the points of its funds block (预算执行率, usually 10)
        weights += [f["weight"] for f in t.meta.funds if f.get("weight") is not None]
        printed = t.meta.total_weight
        if printed is not None and weights:
            totals += 1
            total_bad += abs(sum(weights) - printed) > 0.51
        level1: dict[str, list] = defaultdict(list)
        for r in rows:
            if r.level1 and r.level1_weight is not None:
                level1[r.level1].append(r)
        for members in level1.values():
            w = [r.weight for r in members if r.weight is not None]
            if len(w) != len(members):
                continue
            groups += 1
            group_bad += abs(sum(w) - members[0].level1_weight) > 0.51
    return totals, total_bad, groups, group_bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", nargs="*", choices=sorted(SETS), default=["wide", "real", "seeds"])
    ap.add_argument("--json", type=Path, help="also write every document's figures as JSON")
    ap.add_argument("--list", action="store_true", help="print one line per document that is not ok, or misses listed pages")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.batch import BatchSettings, run_batch, warm_extraction
    from pipeline.extract import extract_file

    todo = inputs(args.only)
    started = time.perf_counter()
    docs = []
    outcomes = run_batch([p for _, p, _ in todo], extract_file, None, BatchSettings(args.workers), warm=warm_extraction)
    for (corpus, path, listed), o in zip(todo, outcomes):
        d = {"corpus": corpus, "city": city_of(path.name, corpus), "file": path.name,
             "listed": sorted(listed["indicator_pages"]) if listed else None,
             "negative": bool(listed is not None and not listed["indicator_pages"])}
        if not o.ok:
            d.update(status="failed", reason=o.error, rows=0, pages=0, covered=[], blank=[], warnings=0, totals=(0, 0, 0, 0))
        else:
            res = o.value
            d.update(status=res.status, reason=res.status_reason, rows=len(res.rows), pages=res.pages or 0,
                     covered=sorted({r.page for r in res.rows if r.page} & set(d["listed"] or ())),
                     blank=sorted({t.raw.page for t in res.tables if t.meta.blank_template}
                                  & set(d["listed"] or ()) - {r.page for r in res.rows}),
                     warnings=len(res.errors), totals=totals_disagreements(res))
        docs.append(d)
    wall = time.perf_counter() - started
    report(docs, wall, args.list)
    if args.json:
        args.json.write_text(json.dumps({"wall_s": round(wall, 1), "documents": docs}, ensure_ascii=False, indent=1), encoding="utf-8")


def report(docs: list[dict], wall: float, listing: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    groups: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        groups[d["city"]].append(d)
    table = Table(title=f"perfaudit corpus health ({len(docs)} documents, {wall:.0f} s)")
    for col in ("city", "docs", *STATUSES, "ok·0 rows", "listed pages", "covered", "blank", "coverage", "totals ≠", "一级 ≠", "neg. rows", "rows"):
        table.add_column(col, justify="left" if col == "city" else "right")

    def line(name: str, ds: list[dict], end: bool = False) -> None:
        st = Counter(d["status"] for d in ds)
        listed = sum(len(d["listed"] or ()) for d in ds)
        covered = sum(len(d["covered"]) for d in ds)
        blank = sum(len(d["blank"]) for d in ds)
        t = [sum(d["totals"][i] for d in ds) for i in range(4)]
        neg = sum(d["rows"] for d in ds if d["negative"] or (d["listed"] is None and d["corpus"] == "wide"))
        table.add_row(name, str(len(ds)), *(str(st.get(s, 0)) for s in STATUSES), str(sum(d["status"] == "ok" and not d["rows"] for d in ds)),
                      str(listed), str(covered), str(blank), f"{(covered + blank) / listed:.3f}" if listed else "—",
                      f"{t[1]}/{t[0]}", f"{t[3]}/{t[2]}", str(neg), str(sum(d["rows"] for d in ds)), end_section=end)

    for name in sorted(groups):
        line(name, groups[name], end=name == sorted(groups)[-1])
    for corpus in sorted({d["corpus"] for d in docs}):
        line(f"all {corpus}", [d for d in docs if d["corpus"] == corpus])
    console = Console(width=200)
    console.print(table)
    rows = sum(d["rows"] for d in docs)
    pages = sum(d["pages"] for d in docs)
    console.print(f"rows/s {rows / wall:.1f}, pages/s {pages / wall:.1f} ({rows} rows, {pages} pages, {wall:.1f} s wall)")
    if listing:
        for d in docs:
            missed = sorted(set(d["listed"] or ()) - set(d["covered"]) - set(d["blank"]))
            if d["status"] != "ok" or missed or (d["negative"] and d["rows"]):
                console.print(f"{d['status']:8} {d['file']}  rows={d['rows']} missed={missed} {d.get('reason') or ''}", markup=False)


if __name__ == "__main__":
    main()
