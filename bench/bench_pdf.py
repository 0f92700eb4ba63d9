"""PDF speed and memory: the full `perfaudit extract` path against camelot lattice and pdfplumber.

Each method runs in a fresh child process per file and run (so peak RSS is its own), pinned to one
core; the script prints ms/page (median over runs) and peak RSS side by side, with ratios.
`perfaudit` is the full path (read, tables, rows, linking) with the tokenizer and scipy loaded
beforehand: a batch loads them once per process (about 2 s), so per-page figures leave them out;
`perfaudit-nolink` stops before linking.

    .venv/bin/python bench/bench_pdf.py [--runs 3] [--files PDF ...] [--skip camelot]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "corpus" / "real"

CHILD = r"""
import json, resource, sys, time, warnings, logging
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
method, path = sys.argv[1], sys.argv[2]
import pypdfium2
pages = len(pypdfium2.PdfDocument(path))
if method == "perfaudit":
    from pipeline import extract_file
    from pipeline.segment import nlp
    import scipy.optimize
    t0 = time.perf_counter(); nlp(); load = time.perf_counter() - t0  # once per process, left out
    t = time.perf_counter(); rows = len(extract_file(path).rows); dt = time.perf_counter() - t
elif method == "perfaudit-nolink":
    from pipeline import extract_file
    t = time.perf_counter(); rows = len(extract_file(path, {"link": False}).rows); dt = time.perf_counter() - t
elif method == "camelot":
    import camelot
    t = time.perf_counter(); rows = len(camelot.read_pdf(path, pages="all", flavor="lattice")); dt = time.perf_counter() - t
elif method == "pdfplumber":
    import pdfplumber
    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        rows = sum(len(p.extract_tables()) for p in pdf.pages)
    dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "pages": pages, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "out": rows}))
"""

METHODS = ("perfaudit", "perfaudit-nolink", "camelot", "pdfplumber")


def run_child(method: str, path: Path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-c", CHILD, method, str(path)]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", "0", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--files", nargs="*", type=Path)
    ap.add_argument("--skip", nargs="*", default=[], choices=METHODS)
    args = ap.parse_args()
    files = args.files or sorted(DEFAULT_DIR.glob("*.pdf"))
    methods = [m for m in METHODS if m not in args.skip]
    results: dict[str, dict[str, dict]] = {m: {} for m in methods}
    for f in files:
        for m in methods:
            runs = [run_child(m, f) for _ in range(args.runs)]
            pages = runs[0]["pages"]
            results[m][f.name] = {
                "pages": pages,
                "ms_page": statistics.median(r["seconds"] for r in runs) * 1000 / pages,
                "rss": max(r["rss_mib"] for r in runs),
            }
            print(f"  {m:10s} {f.name[:30]:30s} {results[m][f.name]['ms_page']:7.1f} ms/page {results[m][f.name]['rss']:6.0f} MiB",
                  file=sys.stderr)
    head = f"{'file':32s} {'pages':>5s} " + " ".join(f"{m + ' ms/p':>16s} {'MiB':>6s}" for m in methods)
    if "perfaudit" in methods:
        head += " " + " ".join(f"{m + '/ours':>16s}" for m in methods if m != "perfaudit")
    print(head)
    total_pages = 0
    weighted = {m: 0.0 for m in methods}
    for f in files:
        pages = results[methods[0]][f.name]["pages"]
        total_pages += pages
        line = f"{f.name[:32]:32s} {pages:5d} "
        for m in methods:
            r = results[m][f.name]
            weighted[m] += r["ms_page"] * pages
            line += f"{r['ms_page']:16.1f} {r['rss']:6.0f} "
        if "perfaudit" in methods:
            ours = results["perfaudit"][f.name]["ms_page"]
            line += " ".join(f"{results[m][f.name]['ms_page'] / ours:15.1f}x" for m in methods if m != "perfaudit")
        print(line)
    line = f"{'all (page-weighted)':32s} {total_pages:5d} "
    for m in methods:
        line += f"{weighted[m] / total_pages:16.1f} {max(r['rss'] for r in results[m].values()):6.0f} "
    if "perfaudit" in methods:
        line += " ".join(f"{weighted[m] / weighted['perfaudit']:15.1f}x" for m in methods if m != "perfaudit")
    print(line)


if __name__ == "__main__":
    main()
