"""The research corpus: documents, tables, rows and findings in one DuckDB file.

A document is identified by its path (as given) and its content by SHA-256:

* re-running a build adds only new or changed files; an unchanged file is left as it is, and a changed
  one replaces its old tables, rows and findings;
* content is stored once: a file whose bytes are already in the corpus under another path is recorded
  as `skipped`, `duplicate_of` that path, and adds no rows;
* each document is written in one transaction, in input order, so a build interrupted by Ctrl-C or
  kill -9 leaves only whole documents behind and the same command resumes where it stopped. Every
  input ends up exactly once as `ok`, `failed` or `skipped`.

The columns of `rows` and `findings` follow pipeline/model.py (IndicatorRow, Finding) field by field;
the README's "Research corpus" section documents them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import __version__
from .batch import BatchSettings, Outcome, run_batch, warm_extraction
from .corpus_records import DocumentRecords, process_document
from .model import Finding, IndicatorRow
from .outputs import atomic_path

TOOL_VERSION = f"perfaudit {__version__}"
STATUSES = ("ok", "partial", "empty", "failed", "skipped")  # status.py, plus the batch's failed and a duplicate's skipped

# python annotation (pipeline/model.py) → DuckDB type
_SQL_TYPES = {"str": "VARCHAR", "int": "INTEGER", "float": "DOUBLE", "bool": "BOOLEAN", "list[str]": "VARCHAR[]",
              "list[float]": "DOUBLE[]", "dict[str, BBox]": "MAP(VARCHAR, DOUBLE[])", "dict[str, Any]": "JSON"}


class CorpusError(Exception):
    """The corpus file cannot be used (locked by another run, another schema, not found)."""


def _sql_type(annotation: str) -> str:
    base = annotation.replace(" | None", "")
    if base not in _SQL_TYPES:
        raise TypeError(f"no DuckDB column type for a field annotated {annotation!r}: add it to corpus_db._SQL_TYPES")
    return _SQL_TYPES[base]


def _model_columns(cls) -> list[tuple[str, str]]:
    return [(name, _sql_type(str(f.type))) for name, f in cls.__dataclass_fields__.items()]


DOCUMENT_COLUMNS = [
    ("path", "VARCHAR"), ("sha256", "VARCHAR"), ("size", "BIGINT"), ("format", "VARCHAR"), ("pages", "INTEGER"),
    ("status", "VARCHAR"), ("status_reason", "VARCHAR"), ("error", "VARCHAR"), ("duplicate_of", "VARCHAR"), ("warnings", "VARCHAR[]"),
    ("n_tables", "INTEGER"), ("n_rows", "INTEGER"), ("n_findings", "INTEGER"), ("tool_version", "VARCHAR"), ("seq", "INTEGER"),
    ("report_year", "INTEGER"), ("department", "VARCHAR"), ("region", "VARCHAR"),  # facts.py
]
TABLE_COLUMNS = [
    ("doc_sha256", "VARCHAR"), ("source", "VARCHAR"), ("table_index", "INTEGER"), ("page", "INTEGER"), ("sheet", "VARCHAR"),
    ("table_kind", "VARCHAR"), ("table_title", "VARCHAR"), ("project", "VARCHAR"), ("body_rows", "INTEGER"),
    ("n_rows", "INTEGER"), ("n_cols", "INTEGER"), ("family", "VARCHAR"), ("engine", "VARCHAR"), ("header_found", "BOOLEAN"),
    ("header_rows", "INTEGER"), ("rows_total", "INTEGER"), ("rows_emitted", "INTEGER"), ("rows_dropped", "INTEGER"),
    ("empty_share", "DOUBLE"), ("numbers_parsed", "DOUBLE"), ("stitched_parts", "INTEGER"), ("confidence", "DOUBLE"),
    ("notes", "VARCHAR[]"), ("meta", "JSON"),
]
# One printed cell of a money table (money.py) per row, with the roles of its row and column.
MONEY_COLUMNS = [
    ("doc_sha256", "VARCHAR"), ("source", "VARCHAR"), ("table_index", "INTEGER"), ("page", "INTEGER"), ("band", "INTEGER"),
    ("context", "VARCHAR"), ("from_grid", "BOOLEAN"), ("grid_row", "INTEGER"), ("row_label", "VARCHAR"),
    ("row_code", "VARCHAR"), ("row_code_level", "INTEGER"), ("row_sequence", "VARCHAR"), ("row_block", "VARCHAR"),
    ("row_is_total", "BOOLEAN"), ("col", "INTEGER"), ("col_label", "VARCHAR"), ("col_role", "VARCHAR"),
    ("col_rate_kind", "VARCHAR"), ("col_year", "INTEGER"), ("col_is_total", "BOOLEAN"), ("col_of_which", "BOOLEAN"),
    ("text", "VARCHAR"), ("value", "DOUBLE"), ("ordinal", "INTEGER"),
]
ROW_COLUMNS = _model_columns(IndicatorRow) + [("ordinal", "INTEGER")]
FINDING_COLUMNS = _model_columns(Finding) + [("ordinal", "INTEGER")]
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "documents": DOCUMENT_COLUMNS, "tables": TABLE_COLUMNS, "rows": ROW_COLUMNS, "findings": FINDING_COLUMNS,
    "money_cells": MONEY_COLUMNS,
}
CONTENT_TABLES = ("tables", "rows", "findings", "money_cells")  # keyed by doc_sha256, `source` = the owning document's path
EXPORT_ORDER = {"documents": "path", "tables": "source, table_index", "rows": "source, ordinal", "findings": "source, ordinal",
                "money_cells": "source, ordinal"}
SCHEMA_ID = hashlib.sha1(json.dumps(SCHEMA).encode()).hexdigest()[:12]  # changes whenever a column does


def open_corpus(db: Path, read_only: bool = False):
    """A connection to the corpus, with its tables created on first use."""
    import duckdb

    if read_only and not db.exists():
        raise CorpusError(f"{db}: no such corpus")
    try:
        con = duckdb.connect(str(db), read_only=read_only, config={"threads": 1})  # one thread: small writes, ordered export
    except duckdb.Error as exc:
        raise CorpusError(f"{db}: {str(exc).splitlines()[0]}") from None
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "corpus_info" in found:
        schema = con.execute("SELECT value FROM corpus_info WHERE key = 'schema'").fetchone()
        if not schema or schema[0] != SCHEMA_ID:
            con.close()
            raise CorpusError(f"{db}: built with another corpus schema ({schema[0] if schema else 'unknown'}, this perfaudit "
                              f"writes {SCHEMA_ID}); build into a new file")
    elif not read_only:
        con.begin()
        for name, columns in SCHEMA.items():
            con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
        con.execute("CREATE TABLE corpus_info (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO corpus_info VALUES ('schema', ?), ('created_by', ?)", [SCHEMA_ID, TOOL_VERSION])
        con.commit()
        con.execute("CHECKPOINT")
    else:
        con.close()
        raise CorpusError(f"{db}: not a perfaudit corpus")
    return con


def _arrow_type(sql: str):
    import pyarrow as pa

    scalar = {"VARCHAR": pa.string(), "JSON": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
              "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}
    if sql.endswith("[]"):
        return pa.list_(scalar[sql[:-2]])
    if sql.startswith("MAP("):
        return pa.map_(pa.string(), pa.list_(pa.float64()))
    return scalar[sql]


def _insert(con, table: str, records: list[dict]) -> None:
    """Insert records through arrow (one call per table and document, not one per row)."""
    import pyarrow as pa

    if not records:
        return
    columns = SCHEMA[table]
    schema = pa.schema([(c, _arrow_type(t)) for c, t in columns])
    con.register("incoming", pa.Table.from_pylist(records, schema=schema))
    names = ", ".join(c for c, _ in columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming")
    con.unregister("incoming")


def _owner(con, sha256: str | None) -> str | None:
    """The path whose processing stands for this content (the one that is not a duplicate)."""
    if sha256 is None:
        return None
    row = con.execute("SELECT path FROM documents WHERE sha256 = ? AND duplicate_of IS NULL", [sha256]).fetchone()
    return row[0] if row else None


def _forget(con, path: str, new_sha256: str | None) -> None:
    """Remove the record of `path`. Its content goes too, unless a duplicate of it exists and the
    file changed: then that duplicate inherits the content and becomes its owner."""
    old = con.execute("SELECT sha256, duplicate_of FROM documents WHERE path = ?", [path]).fetchone()
    if old is None:
        return
    sha, duplicate_of = old
    if duplicate_of is None and sha is not None:
        heir = con.execute("SELECT path FROM documents WHERE sha256 = ? AND path <> ? ORDER BY seq LIMIT 1", [sha, path]).fetchone()
        if heir and sha != new_sha256:
            cols = ("status", "status_reason", "error", "format", "pages", "warnings", "n_tables", "n_rows", "n_findings", "tool_version")
            con.execute(f"UPDATE documents AS d SET duplicate_of = NULL, {', '.join(f'{c} = o.{c}' for c in cols)} "
                        "FROM documents AS o WHERE o.path = ? AND d.path = ?", [path, heir[0]])
            con.execute("UPDATE documents SET duplicate_of = ?, error = ? WHERE duplicate_of = ?",
                        [heir[0], f"same content as {heir[0]}", path])
            for t in CONTENT_TABLES:
                con.execute(f"UPDATE {t} SET source = ? WHERE doc_sha256 = ?", [heir[0], sha])
        else:
            for t in CONTENT_TABLES:
                con.execute(f"DELETE FROM {t} WHERE doc_sha256 = ?", [sha])
    con.execute("DELETE FROM documents WHERE path = ?", [path])


# ---------------------------------------------------------------- planning and storing a build


@dataclass(frozen=True)
class Input:
    path: str
    sha256: str | None
    size: int | None
    error: str | None = None  # the file cannot even be read


def identify(path: Path) -> Input:
    try:
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        return Input(str(path), digest, path.stat().st_size)
    except OSError as exc:
        return Input(str(path), None, None, f"cannot read file ({exc.strerror or exc})")


@dataclass
class BuildSummary:
    ok: int = 0
    partial: int = 0
    empty: int = 0
    failed: int = 0
    skipped: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def plan_build(inputs: list[Input], known: dict[str, tuple], retry_failed: bool) -> tuple[list[tuple[Input, bool]], int]:
    """(input, needs processing) for every input that is new or changed, in input order, and the number
    left unchanged. Content already owned by a path that stays, or met earlier in this run, is not
    processed again (it will be stored as a duplicate)."""
    current = {i.path: i.sha256 for i in inputs}
    stable_owner = {sha: path for path, (sha, status, dup) in known.items()
                    if sha and dup is None and current.get(path, sha) == sha}
    plan, unchanged, seen = [], 0, set()
    for inp in inputs:
        old = known.get(inp.path)
        if inp.sha256 and old and old[0] == inp.sha256 and not (retry_failed and old[1] == "failed"):
            unchanged += 1
            continue
        process = inp.error is None and stable_owner.get(inp.sha256, inp.path) == inp.path and inp.sha256 not in seen
        seen.add(inp.sha256)
        plan.append((inp, process))
    return plan, unchanged


def _document(inp: Input, status: str, seq: int, **values: Any) -> dict:
    base = {"path": inp.path, "sha256": inp.sha256, "size": inp.size, "format": _format_of(inp.path), "pages": None,
            "status": status, "status_reason": None, "error": None, "duplicate_of": None, "warnings": [], "n_tables": 0, "n_rows": 0,
            "n_findings": 0, "tool_version": TOOL_VERSION, "seq": seq, "report_year": None, "department": None,
            "region": None}
    return {**base, **values}


def _format_of(path: str) -> str | None:
    from .ingest import EXTENSIONS

    return EXTENSIONS.get(Path(path).suffix.lower())


def store(con, inp: Input, outcome: Outcome | None) -> dict:
    """Write one input's outcome in one transaction; return its documents record."""
    con.begin()
    try:
        seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        owner = _owner(con, inp.sha256)
        _forget(con, inp.path, inp.sha256)
        if inp.error:
            doc = _document(inp, "failed", seq, error=inp.error)
        elif owner is not None and owner != inp.path:
            doc = _document(inp, "skipped", seq, error=f"same content as {owner}", duplicate_of=owner)
        elif outcome is None:  # planned as a duplicate, but its owner changed meanwhile: say so, keep going
            doc = _document(inp, "failed", seq, error="not read: it duplicated a document that changed during the build; run again")
        elif not outcome.ok:
            doc = _document(inp, "failed", seq, error=outcome.error)
        elif outcome.value.sha256 != inp.sha256:
            doc = _document(inp, "failed", seq, error="the file changed while it was being read; run again")
        else:
            rec: DocumentRecords = outcome.value
            for t in CONTENT_TABLES:
                _insert(con, t, getattr(rec, t))
            doc = _document(inp, rec.status, seq, status_reason=rec.status_reason, format=rec.format, pages=rec.pages,
                            warnings=rec.warnings, **rec.facts,
                            n_tables=len(rec.tables), n_rows=len(rec.rows), n_findings=len(rec.findings))
        _insert(con, "documents", [doc])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return doc


def build_corpus(paths: Iterable[Path], db: Path, settings: BatchSettings | None = None, *, options: dict | None = None,
                 retry_failed: bool = False, console=None, on_failure: Callable[[str, str], None] | None = None) -> BuildSummary:
    """Add the new and changed documents among `paths` to the corpus at `db`."""
    con = open_corpus(db)
    try:
        known = {r[0]: r[1:] for r in con.execute("SELECT path, sha256, status, duplicate_of FROM documents").fetchall()}
        plan, unchanged = plan_build([identify(p) for p in paths], known, retry_failed)
        summary = BuildSummary(unchanged=unchanged)
        todo = [Path(inp.path) for inp, process in plan if process]
        outcomes = run_batch(todo, process_document, options, settings, warm=lambda: warm_extraction(options),
                             console=console, label="corpus")
        try:
            for inp, process in plan:
                doc = store(con, inp, next(outcomes) if process else None)
                setattr(summary, doc["status"], getattr(summary, doc["status"]) + 1)
                if doc["status"] == "failed":
                    summary.failures.append((inp.path, doc["error"]))
                    if on_failure:
                        on_failure(inp.path, doc["error"])
        finally:
            outcomes.close()  # stops the workers at once if the loop was interrupted
        return summary
    finally:
        con.close()


def corpus_counts(db: Path) -> dict[str, int]:
    con = open_corpus(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SCHEMA}
    finally:
        con.close()


def export_parquet(db: Path, out_dir: Path) -> list[Path]:
    """One Parquet file per table, rows in a fixed order, so that an unchanged corpus exports byte for byte
    the same files."""
    con = open_corpus(db, read_only=True)
    written = []
    try:
        for table, order in EXPORT_ORDER.items():
            target = out_dir / f"{table}.parquet"
            with atomic_path(target) as tmp:
                quoted = str(tmp).replace("'", "''")
                con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)")
            written.append(target)
    finally:
        con.close()
    return written
