"""Writers for indicator rows: JSON Lines, CSV, Parquet, XLSX.

Writers take the rows of every document at once and write to a temporary file that replaces the
target only when complete, so an interrupted run never leaves a half-written output behind.
"""

from __future__ import annotations

import csv
import glob
import json
import math
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import escape_controls
from ..model import ROW_FIELDS

FORMATS = ("jsonl", "csv", "parquet", "xlsx")
GENERATOR = "perfaudit"  # the creator of every workbook and the generator of every HTML page it writes
_NESTED = ("flags", "bbox", "link_candidates", "reason_labels")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(target: Path) -> None:
    """Delete the temporary files that a killed run left beside `target` (named after the process
    that wrote them, so that a run still writing is left alone)."""
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = tmp.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _file_mode(target: Path) -> int:
    """The mode a written file gets: the one it has when it is replaced, else what the umask leaves
    of rw-rw-rw- (as for any new file; mkstemp alone would make it private)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def finite(v):
    """`v` with every float that is not finite (inf, nan) replaced by None: JSON has no such numbers,
    and a row never holds one on purpose (values.finite_number), so this is the writers' last guard."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [finite(x) for x in v]
    return v


def strict_json(v, **kw) -> str:
    """JSON that every parser accepts: never Infinity or NaN."""
    try:
        return json.dumps(v, ensure_ascii=False, allow_nan=False, **kw)
    except ValueError:
        return json.dumps(finite(v), ensure_ascii=False, allow_nan=False, **kw)


def xlsx_cell(v):
    """A value openpyxl can write: control characters written out, no infinite numbers."""
    if isinstance(v, str):
        return escape_controls(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def append_row(ws, values) -> int:
    """Append a row of safe values; return its line. (ws.max_row would scan every cell each time,
    which makes a report of 30,000 rows take many minutes.)"""
    ws.append([xlsx_cell(v) for v in values])
    return ws._current_row  # the line that append() just wrote, kept by openpyxl itself


def dumps(row: dict) -> str:
    return strict_json(row, sort_keys=False, separators=(", ", ": "))


def _flat(row: dict) -> dict:
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
            w.writerow(_flat(r))


def write_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, _arrow_type(k)) for k in ROW_FIELDS])
    table = pa.Table.from_pylist([_flat(r) for r in rows], schema=schema)
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

    from .report_xlsx import save_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "rows"
    ws.append(list(ROW_FIELDS))
    for r in rows:
        flat = _flat(r)
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
