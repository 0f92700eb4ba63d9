"""Writers for indicator rows: JSON Lines, CSV, Parquet, XLSX.

Writers take the rows of every document at once and write to a temporary file that replaces the
target only when complete, so an interrupted run never leaves a half-written output behind.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Callable

from ..model import ROW_FIELDS
from .files import GENERATOR, append_row, atomic_path, finite, save_workbook, strict_json

__all__ = ["FORMATS", "GENERATOR", "atomic_path", "dumps", "flat_row", "write_jsonl", "write_json", "write_csv",
           "write_parquet", "write_xlsx", "document_report", "table_report", "write_rows", "written_by_perfaudit"]

FORMATS = ("jsonl", "csv", "parquet", "xlsx")
_NESTED = ("flags", "bbox", "link_candidates", "reason_labels")


def dumps(row: dict) -> str:
    return strict_json(row, sort_keys=False, separators=(", ", ": "))


def flat_row(row: dict) -> dict:
    out = {}
    for k in ROW_FIELDS:
        v = row.get(k)
        out[k] = strict_json(v) if k in _NESTED and v is not None else finite(v)
    return out


def write_jsonl(rows: list[dict], path: Path) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(dumps(r) + "\n")


def write_json(doc: dict, path: Path) -> None:
    """A JSON document, pretty-printed with sorted keys so that rebuilds diff cleanly."""
    with atomic_path(path) as tmp:
        tmp.write_text(strict_json(doc, indent=1) + "\n", encoding="utf-8")


def write_csv(rows: list[dict], path: Path) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ROW_FIELDS))
        w.writeheader()
        for r in rows:
            w.writerow(flat_row(r))


def write_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, _arrow_type(k)) for k in ROW_FIELDS])
    table = pa.Table.from_pylist([flat_row(r) for r in rows], schema=schema)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def _arrow_type(field: str):
    import pyarrow as pa

    from ..model import IndicatorRow

    t = IndicatorRow.__dataclass_fields__[field].type
    if field in _NESTED:
        return pa.string()
    if "float" in str(t):
        return pa.float64()
    if "int" in str(t):
        return pa.int64()
    if "bool" in str(t):
        return pa.bool_()
    return pa.string()


def write_xlsx(rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook


    wb = Workbook()
    ws = wb.active
    ws.title = "rows"
    ws.append(list(ROW_FIELDS))
    for r in rows:
        flat = flat_row(r)
        append_row(ws, [flat[k] for k in ROW_FIELDS])
    ws.auto_filter.ref = ws.dimensions
    ws.freeze_panes = "A2"
    with atomic_path(path) as tmp:
        save_workbook(wb, tmp)  # marked as perfaudit's, and the same bytes on every run


def document_report(res) -> dict:
    """One document's status and warnings: the record that precedes its tables in `--tables`."""
    return {"record": "document", "source": res.source, "doc_sha256": res.sha256, "format": res.format, "pages": res.pages,
            "status": res.status, "status_reason": res.status_reason, "tables": len(res.tables), "rows": len(res.rows),
            "warnings": [{"message": e.message, "page": e.page, "table": e.table, "partial": e.partial} for e in res.errors]}


def table_report(table) -> dict:
    """One table's provenance, kind and parsing report (like camelot's parsing_report)."""
    p = table.provenance
    meta = table.meta.report()
    return {"record": "table", "source": p.source, "doc_sha256": p.sha256, "page": p.page, "sheet": p.sheet, "table_index": p.table_index,
            "table_kind": table.kind, "table_title": table.title, "project": table.project, "rows": len(table.rows),
            "n_rows": table.raw.n_rows, "n_cols": table.raw.n_cols, "quality": table.quality.to_dict(), "meta": meta}


WRITERS: dict[str, Callable[[list[dict], Path], None]] = {
    "jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet, "xlsx": write_xlsx,
}


def write_rows(rows: list[dict], path: Path, fmt: str) -> None:
    WRITERS[fmt](rows, path)


def written_by_perfaudit(path: Path) -> bool:
    """Whether a workbook or HTML page is one of perfaudit's own outputs (a report of an earlier run
    left in the folder being read), by the mark every writer puts in it."""
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                core = z.read("docProps/core.xml").decode("utf-8", "replace")
            return re.search(rf"<dc:creator[^>]*>{GENERATOR}</dc:creator>", core) is not None
        if suffix in (".html", ".htm"):
            with open(path, "rb") as fh:
                head = fh.read(4096).decode("utf-8", "replace")
            return f'<meta name="generator" content="{GENERATOR}">' in head
    except (OSError, KeyError, zipfile.BadZipFile):
        return False  # not readable as one: the reader says what is wrong with it
    return False
