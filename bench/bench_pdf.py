"""PDF speed and memory: the full `perfaudit extract` path against camelot lattice, pdfplumber's table
pass and pypdfium2's floor, side by side in one run.

Each method reads every file in one child process pinned to one core, as a batch worker does: what a
method loads once (perfaudit's tokenizer and catalog, camelot's imports) is loaded before the clock
starts, so the figures are per page, start-up apart. The methods alternate run by run; per file the
median of the runs is kept. The script prints, per method, the median ms/page over the files, the
page-weighted ms/page, the peak RSS of the process (the peak of one worker reading them all), and
each method's time as a multiple of perfaudit's.

* `perfaudit`: the full path (read, tables, rows, linking, reasons, money tables, status);
* `perfaudit-nolink`: the same without linking;
* `pdfium-floor`: what any reader built on pypdfium2 pays: each page's text and char boxes in bulk
  and a walk over its page objects, nothing interpreted;
* `pdfplumber`: `extract_tables()` on every page; `camelot`: lattice on every page.

    .venv/bin/python bench/bench_pdf.py [--corpus real|wide] [--sample N] [--runs 3] [--skip camelot ...]
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
SHARED = ROOT.parent / "shared" / "corpus"

CHILD = r"""
import json, resource, sys, time, warnings, logging
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
method, paths = sys.argv[1], sys.argv[2:]
import pypdfium2

def pages_of(path):
    doc = pypdfium2.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()

if method.startswith("perfaudit"):
    from pipeline import extract_file
    from pipeline.segment import nlp
    from pipeline.link import default_linker
    import scipy.optimize
    nlp(); default_linker()  # once per process: a batch worker loads them before its first document
    options = {"link": method == "perfaudit"}
    run = lambda path: len(extract_file(path, options).rows)
elif method == "pdfium-floor":
    def run(path):
        doc = pypdfium2.PdfDocument(path)
        n = 0
        for page in doc:
            tp = page.get_textpage()
            count = tp.count_chars()
            tp.get_text_range(0, count)
            for i in range(count):
                tp.get_charbox(i)
            n += sum(1 for _ in page.get_objects(max_depth=4))
            tp.close(); page.close()
        doc.close()
        return n
elif method == "camelot":
    import camelot
    run = lambda path: len(camelot.read_pdf(path, pages="all", flavor="lattice"))
elif method == "pdfplumber":
    import pdfplumber
    def run(path):
        with pdfplumber.open(path) as pdf:
            return sum(len(p.extract_tables()) for p in pdf.pages)
for path in paths:
    t = time.perf_counter(); out = run(path); dt = time.perf_counter() - t
    print(json.dumps({"file": path, "seconds": dt, "pages": pages_of(path), "out": out}), flush=True)
print(json.dumps({"rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

METHODS = ("perfaudit", "perfaudit-nolink", "pdfium-floor", "pdfplumber", "camelot")


def run_child(method: str, files: list[Path]) -> tuple[dict[str, dict], float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-c", CHILD, method, *map(str, files)]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", "0", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    lines = [json.loads(ln) for ln in out.stdout.splitlines() if ln.startswith("{")]
    return {Path(r["file"]).name: r for r in lines if "file" in r}, lines[-1]["rss_mib"]


def _has_text(path: Path) -> bool:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:  # a damaged file (repaired by perfaudit): no comparison to make
        return False
    try:
        return any(page.get_textpage().count_chars() > 0 for page in doc)
    finally:
        doc.close()


def pdf_files(corpus: str, sample: int) -> list[Path]:
    """The corpus's born-digital PDFs that pdfium opens as they are (image-only ones go to OCR, which
    bench_ocr.py measures), every k-th of them when a sample size is given."""
    files = [f for f in sorted((SHARED / corpus).glob("*.pdf")) if _has_text(f)]
    if sample and sample < len(files):
        step = len(files) / sample
        files = [files[int(i * step)] for i in range(sample)]
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="real", choices=("real", "wide"))
    ap.add_argument("--sample", type=int, default=0, help="every k-th PDF, this many (0: all)")
    ap.add_argument("--files", nargs="*", type=Path, help="these PDFs instead of a corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip", nargs="*", default=[], choices=METHODS)
    ap.add_argument("--per-file", action="store_true", help="also print each file's ms/page")
    args = ap.parse_args()
    files = args.files or pdf_files(args.corpus, args.sample)
    methods = [m for m in METHODS if m not in args.skip]
    runs: dict[str, list[dict[str, dict]]] = {m: [] for m in methods}
    peak = dict.fromkeys(methods, 0.0)
    for r in range(args.runs):
        for m in methods:
            per_file, rss = run_child(m, files)
            runs[m].append(per_file)
            peak[m] = max(peak[m], rss)
            print(f"  run {r + 1}: {m} done ({peak[m]:.0f} MiB)", file=sys.stderr)
    pages = {name: rec["pages"] for name, rec in runs[methods[0]][0].items()}
    ms = {m: {name: statistics.median(run[name]["seconds"] for run in runs[m]) * 1000 / max(pages[name], 1)
              for name in pages} for m in methods}
    if args.per_file:
        print(f"{'file':40s} {'pages':>5s} " + " ".join(f"{m:>16s}" for m in methods))
        for name in sorted(pages):
            print(f"{name[:40]:40s} {pages[name]:5d} " + " ".join(f"{ms[m][name]:16.1f}" for m in methods))
    total = sum(pages.values())
    print(f"{len(pages)} PDFs, {total} pages, one core, median of {args.runs} runs per file")
    print(f"{'method':18s} {'median ms/page':>15s} {'weighted ms/page':>17s} {'peak MiB':>9s} {'× perfaudit':>12s}")
    base = statistics.median(ms["perfaudit"].values()) if "perfaudit" in ms else None
    for m in methods:
        med = statistics.median(ms[m].values())
        weighted = sum(ms[m][n] * pages[n] for n in pages) / max(total, 1)
        ratio = f"{med / base:11.2f}x" if base else ""
        print(f"{m:18s} {med:15.1f} {weighted:17.1f} {peak[m]:9.0f} {ratio:>12s}")


if __name__ == "__main__":
    main()
