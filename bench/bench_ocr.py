"""Scanned renderings of gold PDFs, read by OCR: accuracy against the born-digital gold, seconds per page.

Each gold PDF's indicator pages are rendered at 150 and 200 dpi, turned by a small angle, blurred,
given noise and JPEG artefacts (tests/scanned_fixtures.py), and saved as an image-only PDF, which
the reader sends to OCR. Rows are scored against the PDF's gold (row P/R, field accuracy, numbers
exact); time is split into grid (deskew, rules), detection and recognition, per page, one core.

    python bench/bench_ocr.py [--docs 北京,泉州] [--dpi 150,200]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, whatever threads run
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> None:
    from pipeline import extract_file
    from pipeline.devtools.evaluate import SCORED_FIELDS, in_scope, gold_documents, score_document
    from pipeline.ingest.ocr_engine import TIMES
    from tests.scanned_fixtures import NUMBER_FIELDS, as_readable, number_misses, numbers_exact, scanned_pdf

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus/gold/pdf")
    ap.add_argument("--docs", default="北京,泉州,长沙,武汉,烟台", help="name prefixes; 'all' for every gold document")
    ap.add_argument("--dpi", default="150,200")
    ap.add_argument("--misses", type=Path, help="write each number cell read wrong (gold, read) to this TSV")
    args = ap.parse_args(argv)
    gold = gold_documents(args.gold)
    corpus = ROOT.parent / "shared" / "corpus"
    print(f"{'document':44} {'dpi':>4} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'fields':>6} {'numbers':>7} "
          f"{'s/page':>7} {'grid':>5} {'det':>5} {'rec':>5} {'rest':>5}")
    from pipeline.ingest.ocr_engine import engine

    t = time.perf_counter()
    engine()  # loaded once per process: its cost is start-up, not per page
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    extract_file(ROOT / "corpus/samples/sample_project_self_eval.pdf")  # the other stages' first-use loads
    print(f"start-up, not in s/page: OCR engine {loaded:.2f} s, other stages {time.perf_counter() - t:.2f} s")
    totals: dict[int, dict] = {}
    misses: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp:
        for prefix in (sorted(gold) if args.docs == "all" else args.docs.split(",")):
            name = next((n for n in sorted(gold) if n.startswith(prefix)), None)
            pdf = next((corpus / f / name for f in ("real", "wide") if name and (corpus / f / name).exists()), None)
            if pdf is None:
                continue
            rows = as_readable(gold[name])
            pages = sorted({r["page"] for r in rows if r.get("page")})
            for dpi in (int(d) for d in args.dpi.split(",")):
                scan = scanned_pdf(pdf, pages, Path(tmp) / f"{dpi}-{name}", dpi=dpi, seed=len(name) + dpi)
                before = (TIMES.grid, TIMES.detection, TIMES.recognition, TIMES.pages)
                t = time.perf_counter()
                res = extract_file(scan, {"ocr_dpi": dpi})
                wall = time.perf_counter() - t
                n = max(TIMES.pages - before[3], 1)
                ocr = TIMES.grid + TIMES.detection + TIMES.recognition - sum(before[:3])
                # the scanned PDF holds only the gold pages, in order: map them back
                back = {i + 1: p for i, p in enumerate(pages)}
                pred = as_readable([dict(r.to_dict(), source=name, page=back.get(r.page, r.page)) for r in res.rows])
                s = score_document(name, rows, in_scope(rows, pred))
                worst = min(s.accuracy(f) for f in SCORED_FIELDS)
                exact = numbers_exact(rows, pred)
                if args.misses:
                    misses += [(name, dpi, *m) for m in number_misses(rows, pred)]
                tot = totals.setdefault(dpi, {"gold": 0, "pred": 0, "matched": 0, "hits": dict.fromkeys(SCORED_FIELDS, 0),
                                              "exact": [], "wall": 0.0, "ocr": 0.0, "pages": 0})
                tot["gold"] += s.gold
                tot["pred"] += s.pred
                tot["matched"] += s.matched
                tot["exact"].append((exact, s.gold))
                tot["wall"] += wall
                tot["ocr"] += ocr
                tot["pages"] += n
                for f in SCORED_FIELDS:
                    tot["hits"][f] += s.field_hits.get(f, 0)
                print(f"{name[:44]:44} {dpi:4} {s.gold:5} {s.pred:5} {s.precision:6.3f} {s.recall:6.3f} {worst:6.3f} "
                      f"{exact:7.3f} {wall / n:7.2f} {(TIMES.grid - before[0]) / n:5.2f} "
                      f"{(TIMES.detection - before[1]) / n:5.2f} {(TIMES.recognition - before[2]) / n:5.2f} "
                      f"{(wall - ocr) / n:5.2f}")
    for dpi, t in sorted(totals.items()):
        fields = {f: h / t["matched"] if t["matched"] else 1.0 for f, h in t["hits"].items()}
        worst = min(fields, key=fields.get)
        exact = sum(e * g for e, g in t["exact"]) / max(sum(g for _, g in t["exact"]), 1)
        print(f"overall {dpi} dpi: rows P {t['matched'] / max(t['pred'], 1):.3f} R {t['matched'] / max(t['gold'], 1):.3f}; "
              f"worst field {worst} {fields[worst]:.3f}; numbers exact {exact:.3f}; {t['wall'] / max(t['pages'], 1):.2f} s/page, "
              f"of which OCR {t['ocr'] / max(t['pages'], 1):.2f} (rest: rendering, tables, linking)")
    if args.misses:
        args.misses.write_text("".join("\t".join(map(str, m)) + "\n" for m in misses), encoding="utf-8")
    print(f"numbers: {', '.join(NUMBER_FIELDS)}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
