"""What the command modules share: the consoles, input collection, output checks and writing, the
extraction batch with its per-document report, and the batch options."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List

import typer
from rich.console import Console
from rich.markup import escape

from .errors import InputError, printable
from .batch import BatchSettings, run_batch, warm_extraction
from .ingest import supported
from .outputs import FORMATS


err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
out = Console(highlight=False, emoji=False, width=None if sys.stdout.isatty() else 200)  # tables stay readable in logs


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


def check_ocr(mode: str) -> None:
    from .ingest.pdf import OCR_MODES

    if mode not in OCR_MODES:
        err.print(f"[red]error[/red] unknown --ocr {mode!r}; choose one of {', '.join(OCR_MODES)}")
        raise typer.Exit(2)
