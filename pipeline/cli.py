"""The `perfaudit` command line. Argument parsing only; the work is done by the pipeline functions.
The reading commands (extract, check, rules) are here; cli_models.py has the model and evaluation
commands, cli_corpus.py the research corpus, cli_common.py what they share."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table as RichTable

from . import __version__
from .batch import DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT
from .cli_common import (ADDRESS_HELP, DEBUG_HELP, ENGINE_HELP, OCR_HELP, batch_settings, check_ocr, collect_inputs,
                         ensure_writable, err, out, rows_format, run_extract, shown, status_counts, target_name, write_output)
from .cli_corpus import corpus_app
from .cli_models import catalog_app, eval_cmd, eval_links_cmd, eval_reasons_cmd, reasons_cmd, train_app
from .errors import InputError
from .model import SEVERITIES
from .outputs import document_report, table_report, write_jsonl, write_rows

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read budget-performance documents and audit their indicator tables.")


@app.callback(invoke_without_command=True)
def _options(
    show_version: bool = typer.Option(False, "--version", is_eager=True, help="Print the version and exit."),
) -> None:
    if show_version:
        out.print(__version__)
        raise typer.Exit()


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
    check_ocr(ocr)
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


app.command("eval")(eval_cmd)


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
    check_ocr(ocr)
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


SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # lowest first: --min-severity and --fail-on compare positions
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


app.add_typer(catalog_app, name="catalog")
app.command("eval-links")(eval_links_cmd)
app.add_typer(train_app, name="train")
app.command("reasons")(reasons_cmd)
app.command("eval-reasons")(eval_reasons_cmd)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


app.add_typer(corpus_app, name="corpus")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
