"""The reader protocol and helpers shared by readers."""

from __future__ import annotations

import hashlib
from typing import Callable, Protocol

from ..model import Cell, Document, RawTable


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
