"""Batch throughput: `perfaudit corpus build` over the real PDFs plus generated documents, with 1 and
2 workers, side by side in one process.

The inputs are ../shared/corpus/real/*.pdf, the seven samples (pipeline/devtools/samples.py) and `--generated`
clean self-evaluation documents from pipeline/checks/planted.py (text dump, DOCX, XLSX and PDF in
turn). Each run builds a fresh corpus with the real `build_corpus` (read, link, classify reasons,
check, store in DuckDB); the models are loaded once beforehand, as the CLI does before forking its
workers, so no run pays for them. Worker counts alternate (1, 2, 2, 1, …) so that a change in the
machine's load falls on both.

Per run: wall time, documents per minute, PDF pages per second, and the peak memory of each worker,
read from /proc by a small monitor process (no thread runs in the parent, which forks the workers):
peak RSS (VmHWM, which counts the model pages a forked worker shares with the parent) and peak
private memory (Private_Clean + Private_Dirty, what the worker adds; sampled every 0.2 s). Scaling
efficiency is the speed-up over the 1-worker median divided by the worker count.

    .venv/bin/python bench/bench_batch.py [--generated 40] [--repeat 2] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"
SAMPLE_INTERVAL = 0.2  # seconds between two looks at the workers

# Watches the children of one process until its stdin closes; prints {pid: peak figures in KiB}.
MONITOR = r"""
import json, os, resource, select, sys
parent, interval, me = int(sys.argv[1]), float(sys.argv[2]), os.getpid()

def children():
    try:
        with open(f"/proc/{parent}/task/{parent}/children") as fh:
            return [int(p) for p in fh.read().split() if int(p) != me]
    except OSError:
        return []

def kib(path, fields):
    out = dict.fromkeys(fields, 0)
    try:
        with open(path) as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                if name in out:
                    out[name] = int(rest.split()[0])
    except (OSError, ValueError):
        return None
    return out

peak = {}
while not select.select([sys.stdin], [], [], interval)[0]:
    for pid in children():
        status = kib(f"/proc/{pid}/status", ("VmHWM",))
        smaps = kib(f"/proc/{pid}/smaps_rollup", ("Private_Clean", "Private_Dirty"))
        if status is None or smaps is None:
            continue  # it has just exited
        p = peak.setdefault(pid, {"hwm": 0, "private": 0})
        p["hwm"] = max(p["hwm"], status["VmHWM"])
        p["private"] = max(p["private"], smaps["Private_Clean"] + smaps["Private_Dirty"])
own = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"peak": peak, "cpu": own.ru_utime + own.ru_stime}))
"""


@dataclass(frozen=True)
class Run:
    workers: int
    seconds: float
    documents: int
    pdf_pages: int
    counts: dict[str, int]  # rows per corpus table: the same whatever the worker count
    peak_rss_mib: float  # the largest worker's VmHWM
    peak_private_mib: float  # the largest worker's private memory
    workers_seen: int  # processes observed (more than `workers` when one was replaced)
    worker_cpu: float  # CPU seconds of the workers (user + system)
    parent_cpu: float  # CPU seconds of the parent: hashing, ordering, DuckDB writes
    load: float  # 1-minute load average when the run ended


def make_inputs(folder: Path, generated: int, seed: int) -> list[Path]:
    sys.path.insert(0, str(ROOT))  # the planted-document generator is test tooling, not package code
    from tests.planted import make_document
    from pipeline.devtools.samples import write_samples

    real = sorted(REAL.glob("*.pdf"))
    if not real:
        sys.exit(f"{REAL}: no PDFs found (../shared beside the checkout)")
    samples = sorted(write_samples(folder / "samples"))
    made = [make_document(None, i, seed, folder / "generated").path for i in range(generated)]
    return real + [p for p in samples if p.is_file()] + made


def start_monitor() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MONITOR, str(os.getpid()), str(SAMPLE_INTERVAL)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def stop_monitor(monitor: subprocess.Popen) -> tuple[dict[int, dict[str, int]], float]:
    """The peaks per worker and the monitor's own CPU seconds."""
    out, _ = monitor.communicate("")  # closing stdin ends its loop
    report = json.loads(out)
    return {int(pid): peak for pid, peak in report["peak"].items()}, report["cpu"]


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def one_run(inputs: list[Path], workers: int, scratch: Path) -> Run:
    import duckdb

    from pipeline.batch import BatchSettings
    from pipeline.corpus_db import build_corpus, corpus_counts

    db = scratch / f"bench-{workers}-{time.monotonic_ns()}.duckdb"
    monitor = start_monitor()
    time.sleep(SAMPLE_INTERVAL)  # let it start before the workers do
    children_before, self_before = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
    started = time.perf_counter()
    try:
        summary = build_corpus(inputs, db, BatchSettings(workers=workers))
    finally:
        seconds = time.perf_counter() - started
        parent_cpu = cpu_seconds(resource.RUSAGE_SELF) - self_before
        peaks, monitor_cpu = stop_monitor(monitor)
    worker_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children_before - monitor_cpu  # workers are reaped by now
    if summary.failed:
        sys.exit(f"{summary.failed} documents failed: {summary.failures[:3]}")
    with duckdb.connect(str(db), read_only=True) as con:
        documents, pdf_pages = con.execute(
            "SELECT count(*), coalesce(sum(pages) FILTER (WHERE format = 'pdf'), 0) FROM documents WHERE status = 'ok'").fetchone()
    counts = corpus_counts(db)
    db.unlink()
    return Run(workers, seconds, documents, int(pdf_pages), counts,
               max((p["hwm"] for p in peaks.values()), default=0) / 1024,
               max((p["private"] for p in peaks.values()), default=0) / 1024, len(peaks), worker_cpu, parent_cpu,
               os.getloadavg()[0])


def schedule(workers: list[int], repeat: int) -> list[int]:
    """1, 2, 2, 1, 1, 2 …: every worker count in each round, the order reversed every other round."""
    order = []
    for r in range(repeat):
        order += workers if r % 2 == 0 else workers[::-1]
    return order


def report(runs: list[Run]) -> None:
    """Medians per worker count, ratios against the smallest count. `cores used` is CPU time over wall
    time: below the worker count, the workers waited (for the CPU, on a loaded machine, or for a long
    document at the end)."""
    by_workers: dict[int, list[Run]] = {}
    for run in runs:
        by_workers.setdefault(run.workers, []).append(run)
    base_w = min(by_workers)
    base = statistics.median(r.seconds for r in by_workers[base_w])
    base_cpu = statistics.median(r.worker_cpu + r.parent_cpu for r in by_workers[base_w])
    first = runs[0]
    print(f"\n{first.documents} documents ({first.pdf_pages} PDF pages), {first.counts['tables']} tables, "
          f"{first.counts['rows']} rows, {first.counts['findings']} findings per run; {os.cpu_count()} cores")
    print(f"{'workers':>7} {'runs':>4} {'seconds':>8} {'docs/min':>9} {'PDF pages/s':>11} {'speed-up':>8} {'efficiency':>10} "
          f"{'CPU s (workers+parent)':>22} {'CPU vs base':>11} {'cores used':>10} {'peak RSS/worker':>15} {'peak private/worker':>19}")
    for w, rs in sorted(by_workers.items()):
        sec = statistics.median(r.seconds for r in rs)
        wcpu, pcpu = statistics.median(r.worker_cpu for r in rs), statistics.median(r.parent_cpu for r in rs)
        speedup = base / sec
        print(f"{w:>7} {len(rs):>4} {sec:>8.1f} {first.documents / sec * 60:>9.1f} {first.pdf_pages / sec:>11.1f} "
              f"{speedup:>7.2f}x {speedup / (w / base_w):>10.2f} {f'{wcpu:.1f} + {pcpu:.1f}':>22} "
              f"{(wcpu + pcpu) / base_cpu:>10.2f}x {(wcpu + pcpu) / sec:>10.2f} {max(r.peak_rss_mib for r in rs):>11.0f} MiB "
              f"{max(r.peak_private_mib for r in rs):>15.0f} MiB")
    print("each run: " + ", ".join(f"{r.workers}w {r.seconds:.1f}s (load {r.load:.1f}, {r.workers_seen} worker processes)"
                                   for r in runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generated", type=int, default=40, help="generated documents beside the real PDFs (default 40)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2, help="rounds of every worker count (default 2)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    from pipeline.batch import warm_extraction

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        scratch = Path(tmp)
        inputs = make_inputs(scratch, args.generated, args.seed)
        for p in inputs:  # the files' bytes in the page cache before any timing
            p.read_bytes()
        t = time.perf_counter()
        warm_extraction()
        print(f"models loaded in {time.perf_counter() - t:.1f} s (once, before the runs); load average "
              f"{os.getloadavg()[0]:.2f}", file=sys.stderr)
        runs = []
        for w in schedule(sorted(args.workers), args.repeat):
            run = one_run(inputs, w, scratch)
            print(f"  {w} worker(s): {run.seconds:.1f} s, peak RSS {run.peak_rss_mib:.0f} MiB, "
                  f"private {run.peak_private_mib:.0f} MiB, load {run.load:.2f}", file=sys.stderr)
            if runs and run.counts != runs[0].counts:
                sys.exit(f"the corpus differs between runs: {runs[0].counts} vs {run.counts}")
            runs.append(run)
    report(runs)


if __name__ == "__main__":
    main()
