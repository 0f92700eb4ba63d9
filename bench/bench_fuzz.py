"""Damaged and hostile input: the outcome of every file of a seeded fuzz corpus, by format and mutation.

Builds the corpus with tests/fuzz.py from the bundled samples (many random copies) and the real PDFs
of ../shared/corpus/real (the mild mutations), then

1. reads and checks every file with the batch runner, as `perfaudit check` does, and
2. runs `perfaudit check DIR -o … --xlsx … --html …` itself, as a user would,

and prints one line per (format, mutation): files, ok / partial / empty / failed, internal errors,
time-outs, out-of-memory, files whose loss went unreported (status ok with fewer rows than the clean
file), and the share of the clean rows kept. After the table: the mild files' rows kept in total,
messages that are not one line or differ between the two runs, output lines that are not strict
JSON, the exit code of `check` and its reports.

    .venv/bin/python bench/bench_fuzz.py [--copies 12] [--workers 2] [--no-real] [--keep DIR] [--json out.json]

Not a timed test. Run it before and after a change to a reader, and compare the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a baseline run points it at an older checkout

from tests.fuzz import Case, generate, read_manifest, write_manifest  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_MUTATIONS = {"cut_tail", "pdf_no_trailer", "pdf_content_flip", "pdf_font_flip", "flip_byte", "hostile_name"}
LINE_PREFIXES = ("error ", "warning ", "note ", "empty ", "files ok:")


def _strict(line: str) -> bool:
    def refuse(name):
        raise ValueError(name)
    try:
        json.loads(line, parse_constant=refuse)
        return True
    except ValueError:
        return False


def build(work: Path, copies: int, real: bool) -> tuple[list[Case], Path, Path]:
    from pipeline.devtools.samples import write_samples

    bases = work / "bases"
    samples = write_samples(bases)
    fuzz = work / "fuzz"
    cases = generate(samples, fuzz, copies=copies)
    if real:
        pdfs = sorted(REAL.glob("*.pdf"))
        for p in pdfs:
            shutil.copy(p, bases / p.name)
        real_cases = generate([bases / p.name for p in pdfs], work / "fuzz_real", copies=2)
        for c in real_cases:
            if c.mutation in REAL_MUTATIONS:
                shutil.move(work / "fuzz_real" / c.file, fuzz / c.file)
                cases.append(c)
        shutil.rmtree(work / "fuzz_real")
        write_manifest(cases, fuzz)
    return cases, bases, fuzz


def read_all(files: list[Path], workers: int, timeout: float) -> dict[str, dict]:
    """Per file name: status, rows, messages, strict-JSON output — through the batch runner."""
    from pipeline.batch import BatchSettings, run_batch, warm_extraction
    from pipeline.checks import check_file
    from pipeline.outputs import dumps

    out = {}
    settings = BatchSettings(workers, timeout)
    for o in run_batch(files, check_file, None, settings, warm=warm_extraction, label="fuzzing"):
        if not o.ok:
            out[o.path.name] = {"status": "failed", "rows": 0, "messages": [o.error]}
            continue
        res, findings = o.value.result, o.value.findings
        lines = [dumps(r.to_dict()) for r in res.rows] + [dumps(f.to_dict()) for f in findings]
        out[o.path.name] = {"status": res.status, "rows": len(res.rows), "messages": [e.message for e in res.errors],
                            "reason": res.status_reason, "not_json": sum(not _strict(x) for x in lines)}
    return out


def failure_kind(message: str) -> str:
    if message.startswith("internal error"):
        return "internal"
    if message.startswith("timed out"):
        return "timeout"
    if message.startswith("out of memory") or "run out of memory" in message:
        return "oom"
    if message.startswith("worker crashed") or message.startswith("worker exited"):
        return "crash"
    return "refused"  # a one-line reason of its own: the file cannot be read


def run_check_cli(fuzz: Path, work: Path, workers: int, timeout: float) -> dict:
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", str(ROOT)))
    cmd = [sys.executable, "-m", "pipeline", "check", str(fuzz), "-o", str(work / "findings.jsonl"),
           "--xlsx", str(work / "report.xlsx"), "--html", str(work / "report.html"), "--workers", str(workers),
           "--timeout", str(timeout)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, errors="backslashreplace")
    findings = work / "findings.jsonl"
    lines = findings.read_text(encoding="utf-8").splitlines() if findings.exists() else []
    return {"exit": proc.returncode, "seconds": time.perf_counter() - t0, "stderr": proc.stderr.splitlines(),
            "stdout": proc.stdout.splitlines(), "findings": len(lines), "not_json": sum(not _strict(x) for x in lines),
            "reports": [p.name for p in (work / "report.xlsx", work / "report.html") if p.exists() and p.stat().st_size]}


def table(cases: list[Case], got: dict[str, dict], clean: dict[str, int]) -> tuple[list[list], dict]:
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for c in cases:
        groups[(c.format, c.mutation)].append(c)
    lines, mild_kept, mild_clean, mild_ok_lossy, silent_total = [], 0, 0, 0, 0
    kinds_total: Counter = Counter()
    for (fmt, mutation), group in sorted(groups.items()):
        st: Counter = Counter()
        kept = base_rows = silent = 0
        for c in group:
            g = got[c.file]
            st[g["status"]] += 1
            if g["status"] == "failed":
                st[failure_kind(g["messages"][0])] += 1
            want = clean.get(c.base, 0)
            kept += min(g["rows"], want)
            base_rows += want
            silent += g["status"] == "ok" and g["rows"] < want
            if c.mild:
                mild_kept += min(g["rows"], want)
                mild_clean += want
                mild_ok_lossy += g["status"] == "ok" and g["rows"] < want
        silent_total += silent
        kinds_total.update({k: st[k] for k in ("internal", "timeout", "oom", "crash")})
        share = f"{kept / base_rows:.2f}" if base_rows else "-"
        lines.append([fmt, mutation, "mild" if group[0].mild else "", len(group), st["ok"], st["partial"], st["empty"],
                      st["failed"], st["internal"], st["timeout"], st["oom"] + st["crash"], silent, share])
    summary = {"files": len(cases), "mild_rows_kept": mild_kept, "mild_rows_clean": mild_clean,
               "mild_ok_with_loss": mild_ok_lossy, "silent": silent_total, **kinds_total}
    return lines, summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=12, help="random copies per mutation of each sample")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--no-real", action="store_true", help="samples only (no ../shared/corpus/real)")
    ap.add_argument("--no-cli", action="store_true", help="skip the `perfaudit check` run")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    ap.add_argument("--corpus", type=Path, help="reuse a corpus kept by --keep (e.g. to score an older checkout on it)")
    ap.add_argument("--json", type=Path, help="also write the table and summary as JSON")
    args = ap.parse_args(argv)

    if args.corpus:
        work = Path(tempfile.mkdtemp(prefix="perfaudit-fuzz-run-"))
        bases, fuzz = args.corpus / "bases", args.corpus / "fuzz"
        cases = read_manifest(fuzz)
    else:
        work = args.keep or Path(tempfile.mkdtemp(prefix="perfaudit-fuzz-"))
        if work.exists() and args.keep:
            shutil.rmtree(work)
        work.mkdir(parents=True)
        cases, bases, fuzz = build(work, args.copies, not args.no_real and REAL.exists())
    print(f"{len(cases)} fuzz files in {fuzz}", file=sys.stderr)
    t0 = time.perf_counter()
    base_files = sorted(p for p in bases.iterdir() if p.is_file())
    clean = {name: g["rows"] for name, g in read_all(base_files, args.workers, args.timeout).items()}
    got = read_all([fuzz / c.file for c in cases], args.workers, args.timeout)
    seconds = time.perf_counter() - t0
    lines, summary = table(cases, got, clean)
    head = ["format", "mutation", "", "files", "ok", "partial", "empty", "failed", "internal", "timeout", "oom/crash",
            "silent", "rows kept"]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    for row in (head, *lines):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))
    messages = [m for g in got.values() for m in g["messages"]]
    summary.update({
        "seconds": round(seconds, 1),
        "multi_line_messages": sum("\n" in m for m in messages),
        "messages_with_addresses": sum(bool(re.search(r"0x[0-9a-f]{6,}", m)) for m in messages),
        "rows_or_findings_not_json": sum(g.get("not_json", 0) for g in got.values()),
        "mild_share_kept": round(summary["mild_rows_kept"] / max(1, summary["mild_rows_clean"]), 3),
    })
    if not args.no_cli:
        cli = run_check_cli(fuzz, work, args.workers, args.timeout)
        plain = [c for c in cases if c.file.isprintable() and "[" not in c.file]
        expected = Counter(f"error {fuzz / c.file}: {got[c.file]['messages'][0]}" for c in plain if got[c.file]["status"] == "failed")
        printed = Counter(ln for ln in cli["stderr"] if ln.startswith("error ") and any(ln.startswith(f"error {fuzz / c.file}:") for c in plain))
        strange = [ln for ln in cli["stderr"] if not ln.startswith(LINE_PREFIXES) and ln.strip() and "━" not in ln]
        summary.update({"check_exit": cli["exit"], "check_seconds": round(cli["seconds"], 1), "check_reports": cli["reports"],
                        "check_findings": cli["findings"], "check_findings_not_json": cli["not_json"],
                        "check_stdout_lines": len(cli["stdout"]), "check_stderr_other_lines": len(strange),
                        "error_lines_differing_between_runs": sum((expected - printed).values()) + sum((printed - expected).values())})
        for ln in strange[:5]:
            print(f"  stderr: {ln[:160]}", file=sys.stderr)
    print()
    for k, v in summary.items():
        print(f"{k}: {v}")
    if args.json:
        args.json.write_text(json.dumps({"table": [dict(zip(head, r)) for r in lines], "summary": summary,
                                         "files": got}, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.keep or args.corpus:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
