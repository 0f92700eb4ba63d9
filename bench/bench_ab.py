"""Before/after: ms/page of the read path at a git ref against the working tree, in one run.

The ref is checked out into a temporary worktree; each side runs in a fresh child process pinned
to one core, with its models loaded first (as in a batch), alternating, three runs each. Prints the
median ms/page of both and their ratio.

    python bench/bench_ab.py [--ref HEAD~1] [--runs 3] [--files PDF ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real"

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import pipeline
from pipeline import extract_file
files = sys.argv[2:]
extract_file(files[0])
t = time.perf_counter(); pages = 0
for f in files:
    pages += extract_file(f).pages or 0
print(json.dumps({"tree": pipeline.__file__, "ms_page": (time.perf_counter() - t) * 1000 / max(pages, 1)}))
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", default="HEAD~1")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = [str(f) for f in (args.files or sorted(REAL.glob("*.pdf")))]
    if not files:
        sys.exit(f"{REAL}: no PDFs found")
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.ref], check=True)
        try:
            times: dict[str, list[float]] = {"ref": [], "tree": []}
            for _ in range(args.runs):
                for side, tree in (("ref", old), ("tree", ROOT)):
                    out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", CHILD, str(tree), *files],
                                         capture_output=True, text=True, check=True)
                    got = json.loads(out.stdout.strip().splitlines()[-1])
                    assert str(tree) in got["tree"], got  # the side's own package, not the installed one
                    times[side].append(got["ms_page"])
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    a, b = statistics.median(times["ref"]), statistics.median(times["tree"])
    print(f"{args.ref}: {a:.1f} ms/page; working tree: {b:.1f} ms/page; ratio {b / a:.3f} "
          f"({len(files)} files, {args.runs} runs each, one core)")


if __name__ == "__main__":
    main()
