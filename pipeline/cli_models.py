"""Commands on the project's models and their evaluation: eval, catalog build, eval-links, train
reasons, reasons, eval-reasons."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table as RichTable

from .outputs import write_json
from .resources import CHECKOUT
from .cli_common import collect_inputs, err, out, run_extract


def eval_cmd(
    pred: Path = typer.Argument(..., help="Predicted rows (JSONL from `perfaudit extract`)."),
    gold: Path = typer.Option(..., "--gold", help="Gold JSONL file or folder of them."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON."),
    show_errors: bool = typer.Option(False, "--errors", help="List every mismatched field."),
) -> None:
    """Score extracted rows against gold annotations (row precision/recall, field accuracy)."""
    from .devtools.evaluate import SCORED_FIELDS, evaluate, load_rows

    for p, what in ((pred, "predictions"), (gold, "gold")):
        if not p.exists():
            err.print(f"[red]error[/red] {what} not found: {p}")
            raise typer.Exit(2)
    scores, total = evaluate(gold, load_rows(pred))
    table = RichTable(title="perfaudit eval")
    for col in ("document", "gold", "pred", "P", "R", *SCORED_FIELDS):
        table.add_column(col, justify="left" if col == "document" else "right")
    for s in [*scores, total]:
        table.add_row(s.doc, str(s.gold), str(s.pred), f"{s.precision:.3f}", f"{s.recall:.3f}",
                      *(f"{s.accuracy(f):.3f}" for f in SCORED_FIELDS), end_section=s is scores[-1])
    out.print(table)
    if show_errors:
        for s in scores:
            for m in s.mismatches:
                out.print(f"{s.doc}\t{m['name']}\t{m['field']}\tgold={m['gold']!r}\tpred={m['pred']!r}")
    if json_out:
        json_out.write_text(json.dumps({"documents": [s.to_dict() for s in scores], "overall": total.to_dict()},
                                       ensure_ascii=False, indent=1), encoding="utf-8")


catalog_app = typer.Typer(no_args_is_help=True, help="The canonical indicator catalog.")


@catalog_app.command("build")
def catalog_build(
    paths: List[Path] = typer.Argument(..., help="Documents or folders whose recurring 三级 names join the catalog."),
    output: Path = typer.Option(None, "-o", "--output", help="Catalog file (default: models/catalog/catalog.json)."),
) -> None:
    """Build the catalog: fixed hierarchy + framework indicators + recurring corpus names (clustered)."""
    from .catalog import CATALOG_PATH, FRAMEWORKS_PATH, SYLLABLES_PATH
    from .catalog_build import build_catalog, write_syllables

    output = output or CATALOG_PATH
    files = collect_inputs(paths)
    results, failures = run_extract(files)
    rows = [dict(r.to_dict(), department=res.facts.department) for res in results for r in res.rows]
    frameworks = json.loads(FRAMEWORKS_PATH.read_text(encoding="utf-8"))
    built_from = sorted({Path(res.source).name for res in results})
    catalog = build_catalog(rows, frameworks, built_from)
    write_json(catalog, output)
    write_syllables(output.parent / SYLLABLES_PATH.name)
    kinds = {}
    for e in catalog["indicators"]:
        key = "corpus" if e["source"].startswith("corpus") else "framework"
        kinds[key] = kinds.get(key, 0) + 1
    err.print(f"catalog {catalog['version']}: {len(catalog['indicators'])} indicators "
              f"({kinds.get('framework', 0)} framework, {kinds.get('corpus', 0)} from {len(results)} documents) → {output}")


def eval_links_cmd(
    pred: Path = typer.Argument(..., help="Predicted rows (JSONL from `perfaudit extract`)."),
    labels: Path = typer.Option(CHECKOUT / "corpus" / "links", "--labels", show_default="corpus/links of the checkout",
                                help="Labelled pairs (JSONL file or folder)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON."),
    show_errors: bool = typer.Option(False, "--errors", help="List every wrong link."),
) -> None:
    """Score canonical links: accuracy when not abstaining, abstention, accuracy per tier."""
    from .devtools.evaluate import evaluate_links, load_rows

    if not labels.exists():
        err.print(f"[red]error[/red] labelled pairs not found: {labels} (they ship with a perfaudit checkout; pass --labels)")
        raise typer.Exit(2)
    s = evaluate_links(labels, load_rows(pred))
    table = RichTable(title="perfaudit eval-links")
    for col in ("measure", "value"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    table.add_row("labels (paired)", f"{s.labels} ({s.paired})")
    table.add_row("accuracy when not abstaining", f"{s.accuracy:.3f} ({s.correct}/{s.predicted})")
    table.add_row("abstention on resolvable names", f"{s.abstention:.3f} ({s.abstained_on_resolvable}/{s.resolvable})")
    for tier, (ok, n) in sorted(s.tiers.items()):
        table.add_row(f"  tier {tier}", f"{ok / n:.3f} ({ok}/{n})")
    for cls, counts in sorted(s.by_class.items()):
        table.add_row(f"  labelled {cls} → predicted", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    out.print(table)
    if show_errors:
        for e in s.errors:
            out.print(f"{e['doc']}\t{e['name']}\t{e['class']}\texpected={e['expected']!r}\tpredicted={e['predicted']!r} ({e['status']})")
    if json_out:
        json_out.write_text(json.dumps(s.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


train_app = typer.Typer(no_args_is_help=True, help="Train the project's models.")


REASONS_DATA = CHECKOUT / "corpus" / "reasons"


def _reason_data(data: Path):
    from .reasons import load_dataset

    real, written = data / "real.jsonl", data / "written.jsonl"
    for f in (real, written):
        if not f.exists():
            err.print(f"[red]error[/red] labelled data not found: {f} (it ships with a perfaudit checkout; pass --data)")
            raise typer.Exit(2)
    return load_dataset(real), load_dataset(written)


@train_app.command("reasons")
def train_reasons(
    data: Path = typer.Option(REASONS_DATA, "--data", help="Folder with real.jsonl and written.jsonl."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Model file (default: models/reasons/reasons.skops)."),
    evaluate: bool = typer.Option(True, "--eval/--no-eval", help="Also cross-validate and write the scores into the model card."),
) -> None:
    """Train the deviation-reason classifier (deterministic) and write its model card."""
    import time

    from .reasons import MODEL_PATH, ReasonModel
    from .devtools.reasons_card import write_card

    output = output or MODEL_PATH
    real, written = _reason_data(data)
    t = time.perf_counter()
    model = ReasonModel().fit([d["text"] for d in real + written], [d["labels"] for d in real + written])
    model.save(output)
    fit_s = time.perf_counter() - t
    scores = None
    if evaluate:
        from .devtools.evaluate_reasons import evaluate_reasons

        scores = evaluate_reasons(real, written)
    card = write_card(output.parent / "MODEL_CARD.md", model, real, written, scores, fit_s)
    err.print(f"reason model: {len(real)} real + {len(written)} written texts, fit in {fit_s:.1f} s → {output}; card → {card}")


def reasons_cmd(source: Optional[Path] = typer.Argument(None, help="A file of texts, one per line; - or nothing reads stdin.")) -> None:
    """Tag deviation-reason texts (one per line) with class codes: one JSON object per line."""
    from .reasons import default_model

    lines = (sys.stdin if source in (None, Path("-")) else open(source, encoding="utf-8")).read().splitlines()
    try:
        model = default_model()
    except FileNotFoundError:
        err.print("[red]error[/red] no reason model: run `perfaudit train reasons` first")
        raise typer.Exit(2)
    for res in model.predict(lines):
        sys.stdout.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")


def eval_reasons_cmd(
    data: Path = typer.Option(REASONS_DATA, "--data", help="Folder with real.jsonl and written.jsonl."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON."),
) -> None:
    """Per-class precision/recall/F1 and macro-F1: cross-validation and real texts held out by document,
    the model beside the keyword baseline."""
    from .devtools.evaluate_reasons import evaluate_reasons
    from .reasons import CLASSES, SLUGS

    real, written = _reason_data(data)
    scores = evaluate_reasons(real, written)
    table = RichTable(title="perfaudit eval-reasons (F1; P/R in --json)")
    table.add_column("class")
    for k in ("cv_model", "cv_keywords", "real_model", "real_keywords"):
        table.add_column(k, justify="right")
    for c in CLASSES:
        cells = []
        for k in ("cv_model", "cv_keywords", "real_model", "real_keywords"):
            v = scores[k].per_class.get(c)
            cells.append(f"{v[2]:.2f} ({v[3]})" if v else "—")
        table.add_row(f"{c} {SLUGS[c]}", *cells)
    table.add_row("macro-F1", *(f"{scores[k].macro_f1:.3f}" for k in ("cv_model", "cv_keywords", "real_model", "real_keywords")),
                  end_section=True)
    out.print(table)
    for k in ("cv_model", "real_model"):
        pairs = ", ".join(f"{t}→{p} ×{n}" for t, p, n in scores[k].confusions[:8])
        out.print(f"{k} confusions: {pairs or 'none'}")
    if json_out:
        json_out.write_text(json.dumps({k: v.to_dict() for k, v in scores.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
