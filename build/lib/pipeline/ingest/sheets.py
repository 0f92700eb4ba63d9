"""Spreadsheets: XLSX via openpyxl (merged ranges, several sheets) and legacy XLS via xlrd.

A sheet may hold several tables; they are split at runs of empty rows.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import replace

from ..errors import InputError, caught, one_line
from ..model import Document, RawTable
from .base import register, table_from_spans
from .ooxml import salvage_package

_TABLE_GAP = 2  # this many empty rows in a row end a table


def format_number(value: float, percent: bool = False) -> str:
    """A cell number as a person reads it: 20.0 → "20", 0.95 with a % format → "95%"."""
    if percent:
        value = value * 100
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def _cell_text(value, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(float(value), percent="%" in (number_format or ""))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def split_sheet(
    grid: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]], n_rows: int
) -> list[tuple[list[tuple[int, int, int, int, str]], tuple[int, int]]]:
    """Group a sheet's cells into tables separated by empty rows: per table, its span tuples and the
    sheet (row, column) of its top-left cell."""
    covered = {}
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = (r0, c0)
    filled_rows = {r for (r, c), t in grid.items() if t.strip()} | {r for r0, _, r1, _ in merges for r in range(r0, r1 + 1) if grid.get((r0, _), "").strip()}
    bands: list[list[int]] = []
    cur: list[int] = []
    gap = 0
    for r in range(n_rows):
        if r in filled_rows:
            cur.append(r)
            gap = 0
        else:
            gap += 1
            if gap >= _TABLE_GAP and cur:
                bands.append(cur)
                cur = []
    if cur:
        bands.append(cur)
    tables = []
    for band in bands:
        r_first, r_last = band[0], band[-1]
        spans = []
        for (r, c), text in sorted(grid.items()):
            if not (r_first <= r <= r_last) or (r, c) in covered and covered[(r, c)] != (r, c):
                continue
            rs = cs = 1
            for r0, c0, r1, c1 in merges:
                if (r0, c0) == (r, c):
                    rs, cs = min(r1, r_last) - r0 + 1, c1 - c0 + 1
            spans.append((r - r_first, c, rs, cs, text))
        if spans:
            min_col = min(s[1] for s in spans)
            tables.append(([(r, c - min_col, rs, cs, t) for r, c, rs, cs, t in spans], (r_first, min_col)))
    return tables


def sheet_table(spans: list[tuple[int, int, int, int, str]], origin: tuple[int, int], **kw) -> RawTable:
    """A sheet's table whose cells' bboxes are their place on the sheet, in cell units (column, row,
    column end, row end; 0-based), so that a finding can give the address a reader types (指标信息!D17)."""
    r0, c0 = origin
    table = table_from_spans(spans, **kw)
    cells = tuple(replace(c, bbox=(c0 + c.col, r0 + c.row, c0 + c.col + c.colspan, r0 + c.row + c.rowspan))
                  for c in table.cells)
    return replace(table, cells=cells)


def _cause(exc: Exception) -> str:
    """What openpyxl's error means: it wraps the real cause (a refused DTD, a bad number) in a
    paragraph about file formats."""
    inner = exc.__cause__ or exc.__context__
    if inner is not None and "could not read" in str(exc):
        exc = inner
    return f"{type(exc).__name__}: {one_line(str(exc), 160)}"


@register("xlsx")
def read_xlsx(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    package = salvage_package(data, "XLSX")
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(package.data), data_only=True)
    except Exception as exc:
        raise InputError(f"unreadable XLSX ({_cause(exc)})") from None
    doc = Document(source=source, sha256=sha256, format="xlsx", pages=len(wb.worksheets), errors=package.warnings)
    for ws in wb.worksheets:
        grid = {}
        # the cells openpyxl holds, not ws.iter_rows(): that walks the declared extent, which one
        # stray cell at XFD1048576 makes 17 billion slots wide
        for (r, c), cell in sorted(ws._cells.items()):
            if cell.value is not None:
                grid[(r - 1, c - 1)] = _cell_text(cell.value, cell.number_format)
        last_row = max((r for r, _ in grid), default=-1) + 1
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        for spans, origin in split_sheet(grid, merges, last_row):
            doc.tables.append(sheet_table(spans, origin, sheet=ws.title, source_engine="openpyxl"))
    return doc


@register("xls")
def read_xls(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    import xlrd

    try:
        # xlrd writes its warnings about odd records to stdout: they go to a buffer, not the user's output
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except xlrd.biffh.XLRDError as exc:
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise InputError("password-protected XLS") from None
        raise InputError(f"unreadable XLS ({msg})") from None
    except Exception as exc:
        raise InputError(f"corrupt or truncated XLS ({type(exc).__name__}: {one_line(str(exc), 160)})") from None
    doc = Document(source=source, sha256=sha256, format="xls", pages=book.nsheets)
    for si in range(book.nsheets):
        try:
            sh = book.sheet_by_index(si)
        except Exception as exc:  # one damaged sheet costs that sheet
            doc.errors.append(caught(exc, f"sheet {si + 1} not read"))
            continue
        grid = {}
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                fmt = ""
                try:
                    fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                except (IndexError, KeyError, AttributeError):
                    pass
                grid[(r, c)] = _cell_text(cell.value, fmt)
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        for spans, origin in split_sheet(grid, merges, sh.nrows):
            doc.tables.append(sheet_table(spans, origin, sheet=sh.name, source_engine="xlrd"))
    return doc
