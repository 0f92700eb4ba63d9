"""Money bands → typed MoneyTables: columns with their roles, rows with subject codes, 序号, blocks
and totals, the column splits that add up to a total, side-by-side panels, and 三公 figures.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import recorded
from ..model import ColumnSplit, DocError, MoneyColumn, MoneyRow, MoneyTable, Table
from ..tables import expand_spans
from ..values import ABSENT, squeezed as norm
from .grids import Band, TOTAL_LABEL, UNIT_NOTE, YEAR, amount, column_kind, label_of, money_bands, rate_kind
from .linear import linear_tables
from .sangong import sangong_figures


_TOTAL_ROW = re.compile(r"(合计|总计)$")
_SEQUENCE = re.compile(r"\d{1,2}(\.\d{1,2})*")
_BLOCK_MARK = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CODE = re.compile(r"\d{3,}")


def total_label(label: str) -> bool:
    """A 合计/总计 row's label (其中…合计 is a part, not the total)."""
    return bool(_TOTAL_ROW.search(label)) and not label.startswith("其中")


def block_marker(label: str) -> str | None:
    """The 一、二、 marker that numbers a block of rows, when the label starts with one."""
    m = _BLOCK_MARK.match(label)
    return m.group(0) if m else None


def read_money(tables: list[Table], narrative: list[str], warnings: list[DocError] | None = None) -> list[MoneyTable]:
    """Every header band that may hold money figures: in the grid of each table, and in the tables that
    a text dump flattened into one cell per line. A table that cannot be read is a warning."""
    out: list[MoneyTable] = []
    for t in tables:
        with recorded(warnings, "money table not read", t.provenance.page, t.provenance.table_index):
            raw = t.raw
            grid = [[c or "" for c in row] for row in expand_spans(raw)]
            body = [[c or "" for c in row] for row in raw.grid()]
            boxes = _cell_boxes(raw)
            out.extend(_money_table(band, k, t.provenance.table_index, t.provenance.page, t.title or "", True, boxes)
                       for k, band in enumerate(money_bands(grid, body, raw.aligned)))
    for start, grid in linear_tables(narrative):
        context = norm(narrative[start - 1]) if start else ""
        for k, band in enumerate(money_bands(grid, grid, False)):
            out.append(_money_table(band, k, None, None, context, False, {}))
    return out


def _cell_boxes(raw) -> dict[tuple[int, int], object]:
    return {(c.row, c.col): c.bbox for c in raw.cells if c.bbox is not None}


def _money_table(band: Band, k: int, table_index: int | None, page: int | None, context: str, from_grid: bool,
                 boxes: dict) -> MoneyTable:
    columns = tuple(_column(c, path, band.rows) for c, path in enumerate(band.paths))
    labels = [label_of(cells) for _, cells in band.rows]
    codes = _codes(band.rows, labels)
    money_rows = []
    for i, ((r, cells), label) in enumerate(zip(band.rows, labels)):
        code, level = codes.get(i, (None, None))
        money_rows.append(MoneyRow(grid_row=r, cells=tuple(cells), label=label, code=code, code_level=level,
                                   sequence=_sequence(cells), block=block_marker(label), is_total=total_label(label),
                                   boxes=tuple(boxes.get((r, c)) for c in range(len(cells))) if boxes else ()))
    table = MoneyTable(table_index, page, k, context, from_grid, columns, tuple(money_rows))
    # splits, panels and 三公 figures are read from the columns and rows above
    return replace(table, splits=_all_splits(table), panels=_panels(table), sangong=tuple(sangong_figures(table)))


def _column(index: int, path: tuple[str, ...], rows: list[tuple[int, list[str]]]) -> MoneyColumn:
    label = "".join(path)
    role = column_kind(label)
    year = YEAR.search(label)
    filled = [c[index] for _, c in rows if index < len(c) and norm(c[index]) not in ABSENT]
    return MoneyColumn(
        index=index, path=path, role=role, rate_kind=rate_kind(label) if role == "rate" else None,
        year=int(year.group(1)) if year else None,
        is_total=bool(path) and bool(TOTAL_LABEL.search(UNIT_NOTE.sub("", path[-1]))),
        of_which=bool(path) and path[-1].startswith("其中"),
        numeric=bool(filled) and sum(amount(c) is not None for c in filled) * 2 > len(filled))


def _sequence(cells) -> str | None:
    first = norm(cells[0]) if cells else ""
    return first if _SEQUENCE.fullmatch(first) else None


def _codes(rows: list[tuple[int, list[str]]], labels: list[str]) -> dict[int, tuple[str, int]]:
    """Row -> (subject code, level) when one of the first three columns prints codes of several lengths
    (类 201 > 款 20106 > 项 2010601; a department 241 > its units 241001). A code's level is one more than
    the number of the table's other codes it extends. Total rows are left out."""
    body = [(i, cells) for i, (_, cells) in enumerate(rows) if not _TOTAL_ROW.search(labels[i])]
    width = min((len(cells) for _, cells in body), default=0)
    for col in range(min(3, width)):
        codes = {i: norm(cells[col]) for i, cells in body}
        filled = [c for c in codes.values() if c]
        if len(filled) >= 2 and all(_CODE.fullmatch(c) for c in filled) and len({len(c) for c in filled}) > 1:
            known = set(filled)
            return {i: (c, 1 + sum(1 for o in known if o != c and c.startswith(o))) for i, c in codes.items() if c}
    return {}


def _all_splits(table: MoneyTable) -> tuple[ColumnSplit, ...]:
    """Each total column (合计/小计/总额) with the columns after it that add up to it: its siblings under the
    same printed group (批复金额 over 总额 | 财政拨款 | 其他资金), or each split printed under it (按收入性质分 |
    按支出性质分; a 其中 split may be partial). Of-which columns are subsets of the total and may overlap:
    never its addends. Totals of whole budget statements, with no group printed, are not split."""
    out = []
    for col in table.columns:
        if not col.is_total or col.role == "rate" or (len(col.path) < 2 and not _of_which_follows(table, col)):
            continue
        for name, parts in _splits(table, col):
            if any(p.of_which for p in parts):
                continue
            out.append(ColumnSplit(col.index, name, tuple(p.index for p in parts), name.startswith("其中")))
    return tuple(out)


def _splits(table: MoneyTable, col: MoneyColumn) -> list[tuple[str, list[MoneyColumn]]]:
    """The numeric columns after a total, by the split they are printed under ("" for plain siblings);
    nothing when a nested subtotal or a mix of plain and grouped columns makes the reading unsure."""
    parent, depth = col.path[:-1], len(col.path)
    groups: dict[str, list[MoneyColumn]] = {}
    for nxt in table.columns[col.index + 1:]:
        if nxt.path[:len(parent)] != parent or len(nxt.path) not in (depth, depth + 1) \
                or nxt.role in ("rate", "weight", "score") or not nxt.numeric:
            break
        if nxt.is_total:
            return []
        groups.setdefault(nxt.path[len(parent)] if len(nxt.path) == depth + 1 else "", []).append(nxt)
    if "" in groups and len(groups) > 1:
        return []
    return [(k, v) for k, v in groups.items() if len(v) >= 2]


def _of_which_follows(table: MoneyTable, col: MoneyColumn) -> bool:
    nxt = table.columns[col.index + 1] if col.index + 1 < len(table.columns) else None
    return nxt is not None and bool(nxt.path) and nxt.path[0].startswith("其中")


def _panels(table: MoneyTable) -> tuple[tuple[int | None, tuple[int, ...]], ...]:
    """(label column, its columns): one panel, labelled as usual, unless text columns stand between the
    amounts (项目 | 预算数 | 项目 | 预算数 …, 收入 | 支出 side by side), when each amount belongs to the text
    left of it."""
    text_cols = [c.index for c in table.columns if c.role is None and not c.numeric]
    inner = [i for i in text_cols if any(c.role is not None and c.index < i for c in table.columns)]
    if not inner:
        return ((None, tuple(c.index for c in table.columns)),)
    panels: dict[int, list[int]] = {}
    for col in table.columns:
        left = [i for i in text_cols if i < col.index]
        panels.setdefault(left[-1] if left else text_cols[0], []).append(col.index)
    return tuple((k, tuple(v)) for k, v in sorted(panels.items()))
