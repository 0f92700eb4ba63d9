"""Commands on the research corpus (corpus_db.py): build and export."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .errors import InputError
from .batch import DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT
from .cli_common import ADDRESS_HELP, ENGINE_HELP, batch_settings, collect_inputs, err, shown


corpus_app = typer.Typer(no_args_is_help=True, help="The research corpus: documents, tables, rows and findings in DuckDB.")


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
