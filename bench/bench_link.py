"""Linking cost: extraction without linking (baseline) and with it, side by side in one process.

Prints, per document and overall, the median over runs of both paths, the linking time per row
(the difference over the row count) and the ratio; the one-time load of the catalog and the
tokenizer is measured apart, because a process pays it once.

    .venv/bin/python bench/bench_link.py [--runs 5] [PATH ...]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "corpus" / "real"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args()
    from pipeline.cli import collect_inputs
    from pipeline.extract import extract_file
    from pipeline.link import default_linker
    from pipeline.segment import nlp

    t = time.perf_counter()
    default_linker()
    nlp()
    import scipy.optimize  # noqa: F401  (joint assignment)
    load = time.perf_counter() - t
    files = [f for f in collect_inputs(args.paths or DEFAULT) if f.suffix in (".txt", ".pdf")]
    print(f"one-time load (catalog, spaCy zh + jieba, scipy): {load * 1000:.0f} ms")
    print(f"{'document':44s} {'rows':>5s} {'extract ms':>11s} {'+link ms':>10s} {'link ms/row':>12s} {'ratio':>6s}")
    total_rows = total_base = total_link = 0.0
    for f in files:
        base = statistics.median(_time(lambda: extract_file(f, {"link": False, "reasons": False})) for _ in range(args.runs))
        full = statistics.median(_time(lambda: extract_file(f, {"reasons": False})) for _ in range(args.runs))
        rows = len(extract_file(f, {"link": False}).rows)
        if not rows:
            continue
        total_rows += rows
        total_base += base
        total_link += full
        print(f"{f.name[:44]:44s} {rows:5d} {base * 1000:11.1f} {full * 1000:10.1f} {(full - base) * 1000 / rows:12.3f} {full / base:6.2f}")
    print(f"{'all':44s} {int(total_rows):5d} {total_base * 1000:11.1f} {total_link * 1000:10.1f} "
          f"{(total_link - total_base) * 1000 / total_rows:12.3f} {total_link / total_base:6.2f}")


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
