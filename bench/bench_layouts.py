"""Positioned-HTML renderings of the gold PDFs, read side by side with the PDFs themselves.

Every PDF with gold rows (corpus/gold/pdf, corpus/gold/wide/dev by default; the lockbox only when
asked) is written out as positioned-box HTML in both exporter styles (tests/positioned_fixtures.py),
then read; its rows are scored against the PDF's gold (row precision/recall, the worst field
accuracy), with ms/page of the rendering against the PDF in the same run.

    python bench/bench_layouts.py [--gold DIR ...] [--styles inline-pt,class-px]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))  # the HTML writer is test tooling, not package code


def _pdf_of(name: str) -> Path | None:
    for folder in ("real", "wide"):
        p = SHARED / folder / name
        if p.exists():
            return p
    return None


def _scored(gold_rows, rows, pdf_name):
    from pipeline.devtools.evaluate import SCORED_FIELDS, in_scope, score_document

    pred = in_scope(gold_rows, [dict(r.to_dict(), source=pdf_name) for r in rows])
    s = score_document(pdf_name, gold_rows, pred)
    return s, min((s.accuracy(f) for f in SCORED_FIELDS), default=1.0)


def main(argv=None) -> None:
    from pipeline import extract_file
    from pipeline.devtools.evaluate import SCORED_FIELDS, gold_documents
    from tests.positioned_fixtures import STYLES, write_positioned_html

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", nargs="*", type=Path, default=[ROOT / "corpus/gold/pdf", ROOT / "corpus/gold/wide/dev"])
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    styles = args.styles.split(",")
    totals = {s: {"gold": 0, "pred": 0, "matched": 0, "hits": {f: 0 for f in SCORED_FIELDS}, "ms": 0.0, "pages": 0}
              for s in ["pdf", *styles]}
    print(f"{'document':58} {'style':9} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'fields':>6} {'ms/page':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.gold:
            for name, gold_rows in sorted(gold_documents(folder).items()):
                pdf = _pdf_of(name)
                if pdf is None or not gold_rows:
                    continue
                for style in ["pdf", *styles]:
                    path = pdf if style == "pdf" else write_positioned_html(pdf, Path(tmp) / f"{pdf.stem}.{style}.html", style)
                    t = time.perf_counter()
                    res = extract_file(path)
                    ms = (time.perf_counter() - t) * 1000
                    s, worst = _scored(gold_rows, res.rows, name)
                    tot = totals[style]
                    tot["gold"] += s.gold
                    tot["pred"] += s.pred
                    tot["matched"] += s.matched
                    tot["ms"] += ms
                    tot["pages"] += res.pages or 1
                    for f in SCORED_FIELDS:
                        tot["hits"][f] += s.field_hits.get(f, 0)
                    print(f"{name[:58]:58} {style:9} {s.gold:5} {s.pred:5} {s.precision:6.3f} {s.recall:6.3f} {worst:6.3f} "
                          f"{ms / (res.pages or 1):8.1f}")
    print()
    base = totals["pdf"]["ms"] / max(totals["pdf"]["pages"], 1)
    summary = {}
    for style, t in totals.items():
        p = t["matched"] / t["pred"] if t["pred"] else 1.0
        r = t["matched"] / t["gold"] if t["gold"] else 1.0
        fields = {f: (h / t["matched"] if t["matched"] else 1.0) for f, h in t["hits"].items()}
        ms = t["ms"] / max(t["pages"], 1)
        summary[style] = {"precision": p, "recall": r, "fields_min": min(fields.values()), "fields": fields, "ms_per_page": ms}
        print(f"overall {style:9} rows {t['gold']} gold / {t['pred']} read: P {p:.3f} R {r:.3f}; worst field "
              f"{min(fields, key=fields.get)} {min(fields.values()):.3f}; {ms:.1f} ms/page ({ms / base:.2f}x the PDF)")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
