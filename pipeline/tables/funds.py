"""The funds block of a self-evaluation table (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分):
labels and figures fitted to their columns, also when a row lost cells.
"""

from __future__ import annotations

import re

from ..model import FundRow
from ..values import parse_number, squeezed, strip_ws
from .columns import FUND_LABELS, fund_role


FUND_ORDER = ("budget_initial", "budget_full", "executed", "weight", "rate", "score")


def _fund_consistent(entry: dict) -> bool:
    """执行率 = 全年执行数 / 全年预算数 and 得分 ≤ 分值, where printed."""
    full, done, rate = entry.get("budget_full"), entry.get("executed"), entry.get("rate")
    if full and done is not None and rate is not None and abs(done / full * 100 - rate) > 1.0:
        return False
    w, s = entry.get("weight"), entry.get("score")
    return not (w is not None and s is not None and s > w + 0.01)


def _fit_funds(tokens: list[str], skip: int | None = None) -> tuple[dict, int | None]:
    """Assign the cells after a fund row's label to the template order; if that contradicts itself
    (a lost empty cell shifted the numbers), drop one slot at a time until the row is consistent.
    Returns the row and the slot dropped. `skip`: the slot the block's first row dropped; the rows
    of one block share its layout, "—" cells included."""
    if skip is not None:
        roles = [r for i, r in enumerate(FUND_ORDER) if i != skip]
        filled = [t for t in tokens if strip_ws(t)]
        cand = {r: parse_number(t) for r, t in zip(roles, filled)}
        return {k: v for k, v in cand.items() if v is not None}, skip
    seq = {role: parse_number(t) for role, t in zip(FUND_ORDER, tokens)}
    entry = {k: v for k, v in seq.items() if v is not None}
    if _fund_consistent(entry):
        return entry, None
    filled = [t for t in tokens if strip_ws(t)]
    for drop in range(len(FUND_ORDER)):
        roles = [r for i, r in enumerate(FUND_ORDER) if i != drop]
        cand = {r: parse_number(t) for r, t in zip(roles, filled)}
        cand = {k: v for k, v in cand.items() if v is not None}
        if len(filled) <= len(roles) and _fund_consistent(cand):
            return cand, drop
    return entry, None


def parse_funds(grid: list[list[str]], stop: int, aligned: bool) -> list[FundRow]:
    """The 项目资金 block: one dict per fund row with the numbers by role, and whether its label is printed
    in the grid (a row read by position is labelled by template order, which proves nothing)."""
    printed = " ".join(squeezed(c) for row in grid for c in row)
    funds: list[FundRow] = []
    positions: dict[int, str] = {}
    skip: int | None = None  # the template slot the block's rows lost (text dumps)
    for r in range(stop):
        row = grid[r]
        roles = {i: fund_role(c) for i, c in enumerate(row) if fund_role(c)}
        if len(set(roles.values())) >= 2:
            positions.update(roles)
            continue
        if not positions:
            continue
        label_i = next((i for i, c in enumerate(row) if any(k in strip_ws(c) for k in FUND_LABELS)), None)
        has_numbers = any(parse_number(c) is not None for c in row)
        if label_i is None and not has_numbers:
            if any(strip_ws(c) for c in row) and not any(fund_role(c) for c in row):
                break  # the block is over (年度总体目标 …)
            continue
        label = strip_ws(row[label_i]) if label_i is not None else (FUND_LABELS[len(funds)] if len(funds) < 4 else None)
        entry: FundRow = {"label": label}
        if aligned:
            entry.update({positions[i]: parse_number(c) for i, c in enumerate(row) if i in positions and parse_number(c) is not None})
        else:
            first = label_i + 1 if label_i is not None else next(i for i, c in enumerate(row) if parse_number(c) is not None)
            tokens = row[first:]
            filled = [i for i, t in enumerate(tokens) if strip_ws(t)]
            if len(filled) >= 3 and len({i % 2 for i in filled}) == 1 and all(b - a >= 2 for a, b in zip(filled, filled[1:])):
                tokens = tokens[filled[0] % 2::2]  # interleaved empty columns (seed 004 公开14-9表)
            fitted, dropped = _fit_funds(tokens, skip if funds else None)
            entry.update(fitted)
            if not funds:
                skip = dropped
        funds.append(entry)
    return [{**f, "printed": bool(f["label"]) and _fund_stem(f["label"]) in printed} for f in funds]


def _fund_stem(label: str) -> str:
    """A fund label without 其中/资金 trimmings: 上年结转资金 is printed 上年结转 in some templates."""
    return re.sub(r"^其中[:：]|资金$|[:：]$", "", squeezed(label))
