"""The `perfaudit` command line. Argument parsing only; the work is done by the pipeline functions."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from . import __version__
from .errors import InputError, printable
from .batch import DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, BatchSettings, run_batch, warm_extraction
from .ingest import supported
from .outputs import FORMATS, document_report, table_report, write_json, write_jsonl, write_rows
from .resources import CHECKOUT

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read budget-performance documents and audit their indicator tables.")
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
out = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)  # tables stay readable in logs


@app.callback(invoke_without_command=True)
def _options(
    show_version: bool = typer.Option(False, "--version", is_eager=True, help="Print the version and exit."),
) -> None:
    if show_version:
        out.print(__version__)
        raise typer.Exit()


STDOUT = Path("-")  # `-o -`: the output goes to standard output


def target_name(target: Path) -> str:
    """An output as the closing line names it."""
    return "stdout" if target == STDOUT else str(target)


def collect_inputs(paths: List[Path], outputs: tuple[Path | None, ...] = ()) -> list[Path]:
    """Files as given, and every supported file under the given folders, in a stable order. In a
    folder, this run's outputs and the reports perfaudit wrote on earlier runs are not inputs."""
    from .outputs import written_by_perfaudit

    own = {o.resolve() for o in outputs if o is not None and o != STDOUT}
    files: list[Path] = []
    skipped = 0
    for p in paths:
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(f for f in p.rglob("*") if f.is_file() and supported(f) and not f.name.startswith(".")):
            if f.resolve() in own or written_by_perfaudit(f):
                skipped += 1
            else:
                files.append(f)
    if skipped:
        err.print(f"[yellow]note[/yellow] {skipped} file{'s' if skipped > 1 else ''} perfaudit wrote (this run's "
                  f"outputs or an earlier run's reports) left out of the inputs")
    return list(dict.fromkeys(files))


def rows_format(output: Path, fmt: str | None) -> str:
    """The rows format, from -f (any case) or the output's name; a name that says another format is
    an error, not a Parquet file called rows.csv."""
    named = output.suffix.lstrip(".").lower() if output != STDOUT else ""
    chosen = (fmt or named or "jsonl").lower()
    if chosen not in FORMATS:
        err.print(f"[red]error[/red] unknown format {fmt or named!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if named in FORMATS and named != chosen:
        err.print(f"[red]error[/red] {shown(output)}: -f {chosen} does not match the .{named} name")
        raise typer.Exit(2)
    if output == STDOUT and chosen not in ("jsonl", "csv"):
        err.print(f"[red]error[/red] {chosen} cannot go to stdout; write it to a file (-o rows.{chosen})")
        raise typer.Exit(2)
    return chosen


def ensure_writable(*targets: Path | None) -> None:
    """Fail before the run, not after it, when an output cannot be written (a missing or read-only
    folder, a folder where a file should be)."""
    import tempfile

    for target in targets:
        if target is None or target == STDOUT:
            continue
        try:
            if target.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=target.parent):
                pass
            if target.exists() and not os.access(target, os.W_OK):
                raise PermissionError(13, "Permission denied")
        except OSError as exc:
            err.print(f"[red]error[/red] cannot write {shown(target)}: {exc.strerror or exc}")
            raise typer.Exit(2)


def write_output(target: Path, write) -> None:
    """`write(path)` to the target, or to stdout for `-o -` (through a temporary file, so that the
    writers stay one per format)."""
    if target != STDOUT:
        write(target)
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out"
        write(path)
        sys.stdout.flush()
        sys.stdout.buffer.write(path.read_bytes())
        sys.stdout.buffer.flush()


DEBUG_HELP = "Print the traceback of every caught failure (a table, page, stage or rule that could not be read)."


def shown(text) -> str:
    """A file name or message for the terminal: no markup, emoji codes or escape sequences of its own."""
    return escape(printable(str(text)))


def run_extract(files: list[Path], options: dict | None = None, settings: BatchSettings | None = None, *,
                task=None, document_of=lambda value: value, debug: bool = False, label: str = "extracting"):
    """Run `task` (extract_file by default) on every file in worker processes (batch.py). A file that
    fails gives one `error` line, a document read in part one `warning` line per part lost and an
    empty one its reason, in input order; the batch goes on. `document_of` finds the DocumentResult
    in a task's value. Returns (values, failures)."""
    from .extract import extract_file

    values, failures = [], []
    if debug:
        os.environ["PERFAUDIT_DEBUG"] = "1"  # the workers show the libraries' own warnings too
    try:
        for o in run_batch(files, task or extract_file, options, settings, warm=lambda: warm_extraction(options),
                           console=err, label=label):
            if not o.ok:
                failures.append((o.path, o.error))
                err.print(f"[red]error[/red] {shown(o.path)}: {shown(o.error)}")
                if debug and o.detail:
                    err.print(escape(o.detail))
                continue
            values.append(o.value)
            _report_document(o.path, document_of(o.value), debug)
    except InputError as exc:  # the engine could not start (a Ray cluster out of reach)
        err.print(f"[red]error[/red] {shown(exc)}")
        raise typer.Exit(2)
    return values, failures


def _report_document(path: Path, res, debug: bool) -> None:
    """A read document's lost parts, one `warning` (or `note`) line each, and an empty one's reason."""
    for e in res.errors:  # the document was read, but part of it was not
        label = "warning" if e.partial else "note"
        err.print(f"[yellow]{label}[/yellow] {shown(path)}: {shown(e.message)}")
        if debug and e.detail:
            err.print(escape(e.detail))
    if res.status == "empty":
        err.print(f"[yellow]empty[/yellow] {shown(path)}: {shown(res.status_reason or 'no indicator rows')}")


def status_counts(results, failures) -> str:
    """'files ok: 3, partial: 1, empty: 2, failed: 1' for the closing line of a run."""
    counts = {s: 0 for s in ("ok", "partial", "empty")}
    for res in results:
        counts[res.status] += 1
    return ", ".join([f"files ok: {counts['ok']}", f"partial: {counts['partial']}", f"empty: {counts['empty']}",
                      f"failed: {len(failures)}"])


OCR_HELP = ("auto (PDF pages whose text layer is garbage, or missing on a page that shows an image; image files) | "
            "always (every PDF page read from its picture) | never.")


ENGINE_HELP = "local (worker processes on this machine) | ray (Ray tasks; pip install 'perfaudit[ray]')."
ADDRESS_HELP = "With --engine ray: the cluster to join (auto: the one `ray start --head` runs here); default: start one for the run."


def batch_settings(workers: int | None, timeout: float, memory_gib: float, engine: str, address: str | None) -> BatchSettings:
    """The batch runner's settings from the command line; a one-line error for an engine that cannot run."""
    from importlib.util import find_spec

    from .batch import ENGINES
    from .batch_ray import RAY_MISSING

    if engine not in ENGINES:
        err.print(f"[red]error[/red] unknown --engine {engine!r}; choose one of {', '.join(ENGINES)}")
        raise typer.Exit(2)
    if engine == "ray" and find_spec("ray") is None:
        err.print(f"[red]error[/red] {RAY_MISSING}")
        raise typer.Exit(2)
    if address is not None and engine != "ray":
        err.print("[red]error[/red] --address joins a Ray cluster: it needs --engine ray")
        raise typer.Exit(2)
    return BatchSettings(workers, timeout, memory_gib, engine, address)


def _check_ocr(mode: str) -> None:
    from .ingest.pdf import OCR_MODES

    if mode not in OCR_MODES:
        err.print(f"[red]error[/red] unknown --ocr {mode!r}; choose one of {', '.join(OCR_MODES)}")
        raise typer.Exit(2)


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the rows."),
    fmt: Optional[str] = typer.Option(None, "-f", "--format", help="jsonl | csv | parquet | xlsx (default: from the output name)."),
    tables_out: Optional[Path] = typer.Option(None, "--tables", help="Also write one quality report per table (JSONL)."),
    pdf_engine: str = typer.Option("auto", "--pdf-engine", help="auto (ruled grids from pypdfium2, camelot stream for unruled tables) | camelot-lattice."),
    ocr: str = typer.Option("auto", "--ocr", help=OCR_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: all cores)."),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds a document may take before it is recorded as failed."),
    memory_gib: float = typer.Option(DEFAULT_MEMORY_GIB, "--memory-limit", min=0.1, help="GiB of memory a worker may add while reading a document."),
    debug: bool = typer.Option(False, "--debug", help=DEBUG_HELP),
) -> None:
    """Extract indicator rows from documents (-o - writes them to stdout)."""
    fmt = rows_format(output, fmt)
    ensure_writable(output, tables_out)
    files = collect_inputs(paths, (output, tables_out))
    if not files:
        err.print("[red]error[/red] no input files found")
        raise typer.Exit(2)
    from .ingest.pdf import ENGINES

    if pdf_engine not in ENGINES:
        err.print(f"[red]error[/red] unknown --pdf-engine {pdf_engine!r}; choose one of {', '.join(ENGINES)}")
        raise typer.Exit(2)
    _check_ocr(ocr)
    results, failures = run_extract(files, {"pdf_engine": pdf_engine, "ocr": ocr}, batch_settings(workers, timeout, memory_gib, engine, address), debug=debug)
    rows = [r.to_dict() for res in results for r in res.rows]
    try:
        write_output(output, lambda p: write_rows(rows, p, fmt))
        if tables_out:
            write_jsonl([rec for res in results for rec in (document_report(res), *map(table_report, res.tables))], tables_out)
    except OSError as exc:
        err.print(f"[red]error[/red] cannot write {output}: {exc.strerror or exc}")
        raise typer.Exit(2)
    err.print(f"{status_counts(results, failures)}, rows written: {len(rows)} → {target_name(output)}")


@app.command("eval")
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


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    output: Path = typer.Option(..., "-o", "--output", help="Findings, one JSON object per line."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: all cores)."),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds a document (reading and checking) may take before it is recorded as failed."),
    memory_gib: float = typer.Option(DEFAULT_MEMORY_GIB, "--memory-limit", min=0.1, help="GiB of memory a worker may add while reading a document."),
    debug: bool = typer.Option(False, "--debug", help=DEBUG_HELP),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the Excel report: summary, findings (filterable), rows with the cells at fault highlighted."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the HTML report: one self-contained file, with page crops for PDF findings."),
    ocr: str = typer.Option("auto", "--ocr", help=OCR_HELP),
    html_split_mb: float = typer.Option(25.0, "--html-split-mb", min=0.0, help="Beyond this many MB, the HTML report is an index plus one page per document (in <name>_files/)."),
    select: Optional[str] = typer.Option(None, "--select", help="Only these rules, comma-separated (C09,C17)."),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Leave out these rules, comma-separated."),
    min_severity: str = typer.Option("info", "--min-severity", help="Leave out findings below it: info | warning | error."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit with code 1 when a finding at or above this severity remains (for CI gates)."),
    review: Optional[Path] = typer.Option(None, "--review", help="Review decisions (CSV, JSONL, or an earlier report's XLSX): id, status accepted|rejected|fixed, note, reviewer."),
) -> None:
    """Extract, then run every contradiction and anomaly rule; findings with evidence and provenance."""
    from .checks import check_file
    from .outputs.report_html import write_html_report
    from .outputs.report_xlsx import write_xlsx_report

    config = check_defaults(paths)
    select, ignore, fail_on = (v if v is not None else config.get(k) for k, v in
                               (("select", select), ("ignore", ignore), ("fail-on", fail_on)))
    min_severity = config.get("min-severity", min_severity) if min_severity == "info" else min_severity
    if review is None and config.get("review"):
        review = Path(config["review"])
    select, ignore = (",".join(v) if isinstance(v, list) else v for v in (select, ignore))
    keep = _finding_filter(select, ignore, min_severity)
    if fail_on is not None and fail_on not in SEVERITY_ORDER:
        err.print(f"[red]error[/red] unknown --fail-on {fail_on!r}; choose one of {', '.join(SEVERITY_ORDER)}")
        raise typer.Exit(2)
    decisions = {}
    if review is not None:
        from .review import load_decisions

        try:
            decisions = load_decisions(review)
        except InputError as exc:
            err.print(f"[red]error[/red] {shown(exc)}")
            raise typer.Exit(2)
    ensure_writable(output, xlsx, html)
    files = collect_inputs(paths, (output, xlsx, html))
    if not files:
        err.print("[red]error[/red] no input files found")
        raise typer.Exit(2)
    _check_ocr(ocr)
    checked, failures = run_extract(files, {"ocr": ocr}, settings=batch_settings(workers, timeout, memory_gib, engine, address), task=check_file,
                                    document_of=lambda c: c.result, debug=debug, label="checking")
    results = [c.result for c in checked]
    found = [f for c in checked for f in c.findings if keep(f)]
    if decisions:
        from .review import apply_decisions

        found, stale = apply_decisions(found, decisions)
        if stale:
            err.print(f"[yellow]note[/yellow] {len(stale)} review decision{'s' if len(stale) > 1 else ''} match no finding "
                      f"(stale): {shown(', '.join(stale[:10]))}{' …' if len(stale) > 10 else ''}")
    findings = [f.to_dict() for f in found]
    writers = (("findings", output, lambda p: write_jsonl(findings, p)),
               ("the Excel report", xlsx, lambda p: write_xlsx_report(results, found, p, failures)),
               ("the HTML report", html, lambda p: write_html_report(results, found, p, failures,
                                                                    split_bytes=int(html_split_mb * 2**20))))
    for what, target, write in writers:
        if target is None:
            continue
        try:
            with err.status(f"writing {what} ({len(found)} findings, {len(results)} documents) …"):
                write_output(target, write)
        except OSError as exc:
            err.print(f"[red]error[/red] cannot write {target}: {exc.strerror or exc}")
            raise typer.Exit(2)
    from .review import counted

    counts: dict[str, int] = {}
    for f in found:
        if counted(f):
            counts[f.severity] = counts.get(f.severity, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    rejected = sum(not counted(f) for f in found)
    summary += f"; {rejected} rejected in review, not counted" if rejected else ""
    reports = "".join(f", {p}" for p in (xlsx, html) if p)
    err.print(f"{status_counts(results, failures)}, findings: {len(found) - rejected} ({summary}) → "
              f"{target_name(output)}{reports}")
    if fail_on is not None and any(counted(f) and SEVERITY_ORDER.index(f.severity) >= SEVERITY_ORDER.index(fail_on) for f in found):
        raise typer.Exit(1)


# checks.registry.SEVERITIES lowest first (--min-severity and --fail-on compare positions); written out
# so that starting the CLI does not load every rule
SEVERITY_ORDER = ("info", "warning", "error")
CHECK_KEYS = ("select", "ignore", "min-severity", "fail-on", "review")


def check_defaults(paths: list[Path]) -> dict:
    """`check` defaults from a perfaudit.toml next to the first input (or in the folder given), else from
    [tool.perfaudit] of ./pyproject.toml; what the command line says wins. A relative `review` path is
    taken from the config file's folder."""
    import tomllib

    first = Path(paths[0]) if paths else Path(".")
    folder = first if first.is_dir() else first.parent
    for file, section in ((folder / "perfaudit.toml", None), (Path("pyproject.toml"), ("tool", "perfaudit"))):
        if not file.is_file():
            continue
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            err.print(f"[red]error[/red] cannot read {shown(file)}: {shown(exc)}")
            raise typer.Exit(2)
        for key in section or ():
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if not data:
            continue
        unknown = sorted(set(data) - set(CHECK_KEYS))
        if unknown:
            err.print(f"[red]error[/red] {shown(file)}: unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                      f"known: {', '.join(CHECK_KEYS)}")
            raise typer.Exit(2)
        if "review" in data:
            data["review"] = str(file.parent / data["review"])
        return data
    return {}


def _finding_filter(select: str | None, ignore: str | None, min_severity: str):
    """Which findings a run keeps, from --select, --ignore and --min-severity (checked against the rules)."""
    from .checks import RULES

    def rules(spec: str | None, flag: str) -> set[str] | None:
        if spec is None:
            return None
        ids = {x.strip().upper() for x in spec.split(",") if x.strip()}
        unknown = sorted(ids - set(RULES))
        if unknown:
            err.print(f"[red]error[/red] unknown rule{'s' if len(unknown) > 1 else ''} in {flag}: {', '.join(unknown)}")
            raise typer.Exit(2)
        return ids
    if min_severity not in SEVERITY_ORDER:
        err.print(f"[red]error[/red] unknown --min-severity {min_severity!r}; choose one of {', '.join(SEVERITY_ORDER)}")
        raise typer.Exit(2)
    chosen, left_out, floor = rules(select, "--select"), rules(ignore, "--ignore") or set(), SEVERITY_ORDER.index(min_severity)
    return lambda f: ((chosen is None or f.rule in chosen) and f.rule not in left_out
                      and SEVERITY_ORDER.index(f.severity) >= floor)


@app.command()
def rules() -> None:
    """List every check: id, severity, title, and what it rests on."""
    from .checks import RULES

    table = RichTable(title="perfaudit rules")
    for col in ("id", "slug", "severity", "title", "rationale"):
        table.add_column(col)
    for rid in sorted(RULES):
        r = RULES[rid]
        table.add_row(r.id, r.slug, r.severity, r.title, r.rationale)
    out.print(table)


catalog_app = typer.Typer(no_args_is_help=True, help="The canonical indicator catalog.")
app.add_typer(catalog_app, name="catalog")


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


@app.command("eval-links")
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
app.add_typer(train_app, name="train")
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


@app.command("reasons")
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


@app.command("eval-reasons")
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


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


# ---------------------------------------------------------------- research corpus (pipeline/corpus_db.py)

corpus_app = typer.Typer(no_args_is_help=True, help="The research corpus: documents, tables, rows and findings in DuckDB.")
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("build")
def corpus_build(
    paths: List[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    db: Path = typer.Option(Path("corpus.duckdb"), "--db", help="The corpus file (created on first use)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: all cores)."),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds a document may take before it is recorded as failed."),
    memory_gib: float = typer.Option(DEFAULT_MEMORY_GIB, "--memory-limit", min=0.1, help="GiB of memory a worker may add while reading a document."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Read again the documents that failed before (e.g. with a longer --timeout)."),
) -> None:
    """Add new and changed documents to the corpus; an interrupted build resumes when run again."""
    from .corpus_db import CorpusError, build_corpus, corpus_counts

    files = collect_inputs(paths)
    if not files:
        err.print("[red]error[/red] no input files found")
        raise typer.Exit(2)
    try:
        s = build_corpus(files, db, batch_settings(workers, timeout, memory_gib, engine, address), retry_failed=retry_failed, console=err,
                         on_failure=lambda p, why: err.print(f"[red]error[/red] {shown(p)}: {shown(why)}"))
        total = corpus_counts(db)
    except (CorpusError, InputError) as exc:
        err.print(f"[red]error[/red] {shown(exc)}")
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print(f"interrupted: the documents stored so far are kept in {db}; run the same command to resume")
        raise typer.Exit(130)
    err.print(f"files ok: {s.ok}, partial: {s.partial}, empty: {s.empty}, failed: {s.failed}, skipped (duplicates): {s.skipped}, already stored: {s.unchanged} → {db} "
              f"({total['documents']} documents, {total['tables']} tables, {total['rows']} rows, {total['findings']} findings)")


@corpus_app.command("export")
def corpus_export(
    db: Path = typer.Option(..., "--db", help="The corpus file."),
    parquet: Path = typer.Option(..., "--parquet", help="Folder for one Parquet file per table."),
) -> None:
    """Write documents, tables, rows and findings as Parquet files, in a fixed order."""
    from .corpus_db import CorpusError, export_parquet

    try:
        written = export_parquet(db, parquet)
    except CorpusError as exc:
        err.print(f"[red]error[/red] {shown(exc)}")
        raise typer.Exit(2)
    except OSError as exc:
        err.print(f"[red]error[/red] cannot write {parquet}: {exc.strerror or exc}")
        raise typer.Exit(2)
    err.print(f"{len(written)} tables → {', '.join(str(p) for p in written)}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
