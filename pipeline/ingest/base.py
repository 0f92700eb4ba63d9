"""The reader protocol and helpers shared by readers."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Callable, Protocol

from ..errors import InputError
from ..model import Cell, Document, RawTable

# A zip whose members would unpack past these limits is refused (zip bombs).
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200


class Reader(Protocol):
    def __call__(self, source: str, data: bytes, sha256: str, options: dict | None = None) -> Document: ...


READERS: dict[str, Reader] = {}


def register(fmt: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        if fmt in READERS:
            raise ValueError(f"reader {fmt!r} is already registered")
        READERS[fmt] = fn
        return fn

    return deco


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_zip_safely(data: bytes, what: str) -> zipfile.ZipFile:
    """Open an OOXML container, refusing truncated archives and zip bombs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(f"corrupt or truncated {what} ({exc})") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
        raise InputError(f"{what} unpacks to {total // (1024 * 1024)} MiB (ratio {total / packed:.0f}:1): refused as a zip bomb")
    bad = zf.testzip()
    if bad is not None:
        raise InputError(f"corrupt or truncated {what} (member {bad} fails its CRC)")
    return zf


def table_from_rows(rows: list[list[str]], **kw) -> RawTable:
    """A RawTable from plain rows of text (no spans)."""
    cells = tuple(Cell(text=t, row=r, col=c) for r, row in enumerate(rows) for c, t in enumerate(row))
    n_cols = max((len(r) for r in rows), default=0)
    return RawTable(cells=cells, n_rows=len(rows), n_cols=n_cols, **kw)


def table_from_spans(spans: list[tuple[int, int, int, int, str]], **kw) -> RawTable:
    """A RawTable from (row, col, rowspan, colspan, text) tuples placed on an occupancy grid."""
    cells = tuple(Cell(text=t, row=r, col=c, rowspan=rs, colspan=cs) for r, c, rs, cs, t in spans)
    n_rows = max((r + rs for r, _, rs, _, _ in spans), default=0)
    n_cols = max((c + cs for _, c, _, cs, _ in spans), default=0)
    return RawTable(cells=cells, n_rows=n_rows, n_cols=n_cols, **kw)
