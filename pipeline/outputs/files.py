"""Writing files safely and reproducibly: a temporary file replaces its target only when complete
(an interrupted run never leaves half a file), JSON without Infinity/NaN, workbook cells without
control characters, and workbooks whose bytes do not depend on the time they were saved.
"""

from __future__ import annotations

import glob
import json
import math
import os
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator
from zipfile import ZipFile, ZipInfo

from ..errors import escape_controls

GENERATOR = "perfaudit"  # the creator of every workbook and the generator of every HTML page it writes
FIXED_TIME = datetime(2000, 1, 1)  # workbook properties and zip entries: the same bytes on every run


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


def save_workbook(wb, target: Path) -> None:
    """openpyxl's save with fixed timestamps (its own save stamps the current time in two places)."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = GENERATOR
    with _FixedTimeZip(target, "w", compression=8) as archive:  # 8 = deflate
        ExcelWriter(wb, archive).save()


class _FixedTimeZip(ZipFile):
    """Every entry stamped with FIXED_TIME: openpyxl writes some parts from strings, sheets from temp files."""

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:
            self.writestr(str(arcname or filename), fh.read(), compress_type, compresslevel)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            zinfo_or_arcname.compress_type = self.compression
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
