"""三公经费: the category of a row or column (公务接待费, 公务用车 …), the figures of a 三公 table by
columns or by rows, and the sums its parts must make.
"""

from __future__ import annotations

import re

from ..model import MoneyColumn, MoneyTable, Sangong
from ..values import squeezed as norm
from .grids import amount, column_kind


def sangong_category(label: str) -> str | None:
    """total / abroad / reception / vehicle / vehicle_buy / vehicle_run from a row or column label."""
    t = re.sub(r"^其中[:：]?", "", norm(label))
    t = re.sub(r"^([(（][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+(\.\d+)*[、.．]?)", "", t)
    t = re.sub(r"^其中[:：]?", "", t)
    if "三公" in t or re.fullmatch(r"(合计|总计)", t):
        return "total"
    if re.search(r"出国|出境", t):
        return "abroad"
    if "接待" in t:
        return "reception"
    if re.search(r"公务用车|公车|车辆(购置|运行)", t):
        buy, run = bool(re.search(r"购置|购买", t)), bool(re.search(r"运行|维护|使用", t))
        return "vehicle" if buy == run else ("vehicle_buy" if buy else "vehicle_run")
    return None


def sangong_figures(section: MoneyTable) -> list[Sangong]:
    """三公 figures of a header band, whether its categories run down the rows (序号 | 类型 | 预算数 | 决算数)
    or across the columns (合计 | 因公出国 | 公务用车 小计 | 购置 | 运行 | 公务接待)."""
    cats = {c.index: _col_category(c) for c in section.columns}
    if len({v for v in cats.values() if v and v != "total"}) >= 2:
        return _sangong_by_columns(section, cats)
    return _sangong_by_rows(section)


def _col_category(col: MoneyColumn) -> str | None:
    for text in reversed(col.path):
        cat = sangong_category(text)
        if cat:
            return cat
    return None


def _measure(col: MoneyColumn) -> tuple[str, int | None] | None:
    """(budget | final | amount, year) from the column's header texts that are not a 三公 category
    themselves ("预算数" over "合计"; "“三公”经费预算总额" names the category, not the measure)."""
    for text in col.path:
        kind = column_kind(text)
        if kind in ("budget", "final", "budget_initial") and not sangong_category(text):
            return ("budget" if kind == "budget_initial" else kind), col.year
    return ("amount", col.year) if col.role in ("amount", "budget", "final") else None


def _sangong_by_columns(section: MoneyTable, cats: dict[int, str | None]) -> list[Sangong]:
    out = []
    for row in section.rows:
        r, cells = row.grid_row, row.cells
        groups: dict[tuple, Sangong] = {}
        for c, cat in cats.items():
            if not cat or c >= len(cells):
                continue
            m = _measure(section.columns[c]) or ("amount", None)
            s = groups.setdefault(m, Sangong(m[0], m[1], {}, _measure_label(section.columns[c]), r))
            s.values.setdefault(cat, amount(cells[c]))
        if any(v is not None for s in groups.values() for v in s.values.values()):
            out.extend(groups.values())
    return out


def _measure_label(col: MoneyColumn) -> str:
    return next((t for t in col.path if column_kind(t) in ("budget", "final") and not sangong_category(t)), "")


def _sangong_by_rows(section: MoneyTable) -> list[Sangong]:
    rows: list[tuple[str, int, tuple[str, ...]]] = []
    for row in section.rows:
        cat = sangong_category(row.label)
        if cat:
            rows.append((cat, row.grid_row, row.cells))
        elif rows:
            break  # the 三公 block is over (项目支出 …)
    if len({c for c, _, _ in rows if c != "total"}) < 2:
        return []
    out = []
    for col in section.columns:
        m = _measure(col)
        if m is None or col.role == "rate":
            continue
        values: dict[str, float | None] = {}
        for cat, r, cells in rows:
            if col.index < len(cells):
                values.setdefault(cat, amount(cells[col.index]))
        if any(v is not None for v in values.values()):
            out.append(Sangong(m[0], m[1], values, col.label))
    return out


def sangong_sums(s: Sangong) -> list[tuple[str, float, list[float]]]:
    """(what, printed total, its printed parts) for every 三公 total that should equal its parts; blank
    parts count 0 once a sibling is printed."""
    out = []
    v = s.values
    subs = [v.get("vehicle_buy"), v.get("vehicle_run")]
    if v.get("vehicle") is not None and "vehicle_buy" in v and "vehicle_run" in v and any(x is not None for x in subs):
        out.append(("公务用车购置及运行维护费", v["vehicle"], [x or 0.0 for x in subs]))
    parts = [v.get("abroad"), v.get("reception"), s.vehicle()]
    if v.get("total") is not None and sum(1 for k in ("abroad", "reception") if k in v) + (s.vehicle() is not None) >= 2 \
            and any(x is not None for x in parts):
        out.append(("三公经费合计", v["total"], [x or 0.0 for x in parts]))
    return out
