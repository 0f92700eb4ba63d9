"""Start-up: wall time of whole commands as a user runs them, one core, beside a bare Python start.

Times `perfaudit --help`, `perfaudit extract` of a one-page target-table PDF (a page of a real
budget PDF, cut out with pypdfium2) and of the one-page sample self-evaluation PDF (which needs the
reason model), each the median of N runs in a fresh process pinned to one core; `python -c pass`
runs alongside as the floor every command pays.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--pdf PDF --page N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"
PERFAUDIT = Path(sys.executable).parent / "perfaudit"


def one_page(pdf: Path, page: int, out: Path) -> Path:
    import pypdfium2

    src = pypdfium2.PdfDocument(pdf)
    dst = pypdfium2.PdfDocument.new()
    dst.import_pages(src, [page - 1])
    dst.save(out)
    return out


def wall(cmd: list[str], runs: int) -> float:
    pinned = ["taskset", "-c", "0", *cmd] if sys.platform.startswith("linux") else cmd
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(pinned, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pdf", type=Path, default=REAL / "北京__公安局交通警察局_2026年部门预算.pdf")
    ap.add_argument("--page", type=int, default=18, help="a page holding a target table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = one_page(args.pdf, args.page, Path(tmp) / "one-page-target.pdf")
        rows = Path(tmp) / "rows.jsonl"
        cases = [
            ("python -c pass (floor)", [sys.executable, "-c", "pass"], None),
            ("perfaudit --help", [str(PERFAUDIT), "--help"], 0.5),
            ("extract one-page target table", [str(PERFAUDIT), "extract", str(target), "-o", str(rows)], 1.5),
            ("extract one-page self-evaluation", [str(PERFAUDIT), "extract", str(ROOT / "corpus/samples/sample_project_self_eval.pdf"),
                                                  "-o", str(rows)], None),
        ]
        print(f"{'command':36s} {'median s':>9s} {'target s':>9s} {'× floor':>8s}")
        floor = None
        for name, cmd, goal in cases:
            s = wall(cmd, args.runs)
            floor = floor or s
            print(f"{name:36s} {s:9.2f} {goal if goal else '':>9} {s / floor:7.1f}x")
        n = sum(1 for line in rows.read_text(encoding="utf-8").splitlines() if line.strip()) if rows.exists() else 0
        print(f"(the self-evaluation sample gave {n} rows; the one-page PDF is page {args.page} of {args.pdf.name})")


if __name__ == "__main__":
    main()
