"""Money grids: amounts and percentages as printed, column kinds (预算数, 决算数, 执行率 …), and the
bands a grid splits into, each with its header rows and body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Percent
from ..values import ABSENT, parse_number, squeezed as norm


def amount(text: str | None) -> float | None:
    """A money or count cell ("1,831.00", "\u300052", "10分"); None when blank or a placeholder."""
    return parse_number(text)


_PCT = re.compile(r"(\d+(?:\.(\d+))?)(%?)")


def parse_percent(text: str | None) -> Percent | None:
    m = _PCT.fullmatch(norm(text).replace(",", ""))
    if not m:
        return None
    return Percent(float(m.group(1)), len(m.group(2) or ""), bool(m.group(3)))


# ---------------------------------------------------------------- money tables (grids)

RATE_KINDS = (("exec", re.compile(r"执行率|支出率")), ("control", re.compile(r"控制率")),
              ("score", re.compile(r"得分率")), ("saving", re.compile(r"节约率")))
TOTAL_LABEL = re.compile(r"(合计|小计|总额|总计)$")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
UNIT_NOTE = re.compile(r"[(（][^)）]{0,8}[)）]")
_TITLE_LIKE = re.compile(r"^(金额)?单位[:：]|^单位:|^[(（]?单位")


def column_kind(label: str) -> str | None:
    """What a money-table column holds, from its header: rate / budget_initial / budget / final / weight /
    score / amount. 决算 is tested before 预算 (决算支出数), the rate before both (预算执行率)."""
    t = UNIT_NOTE.sub("", norm(label))
    if not t or re.search(r"原因|措施|说明|情况$|目标|指标|完成值", t):
        return None
    if re.search(r"率$", t):
        return "rate"
    if "年初预算" in t:
        return "budget_initial"
    if re.search(r"决算|执行数|实际", t):
        return "final"
    if re.search(r"预算|批复|编制|概算", t):
        return "budget"
    if re.search(r"分值|权重", t):
        return "weight"
    if re.search(r"得分", t):
        return "score"
    if re.search(r"合计|小计|总额|总计|金额|支出|收入|资金|经费|费|拨款", t):
        return "amount"
    return None


def rate_kind(label: str) -> str | None:
    t = norm(label)
    return next((k for k, pat in RATE_KINDS if pat.search(t)), None)


@dataclass
class Band:
    """A header band being read: its columns (index, header path) and the body rows under it."""

    paths: list[tuple[str, ...]]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (grid row, cells)


def _is_index_row(cells: list[str]) -> bool:
    """A row of column numbers (1 2 3 … or 栏次) printed under some headers."""
    filled = [norm(c) for c in cells if norm(c)]
    if len(filled) >= 3 and all(re.fullmatch(r"\d{1,2}", c) for c in filled):
        nums = [int(c) for c in dict.fromkeys(filled)]
        return nums == list(range(nums[0], nums[0] + len(nums)))
    return bool(filled) and filled[0] in ("栏次", "栏次：")


def _has_number(cells: list[str]) -> bool:
    return any(amount(c) is not None for c in cells)


def _is_header(cells: list[str]) -> bool:
    distinct = list(dict.fromkeys(norm(c) for c in cells if norm(c)))
    if len(distinct) < 2 or _has_number(cells):
        return False
    return any(column_kind(c) in ("rate", "budget_initial", "budget", "final", "weight", "score") for c in distinct)


def money_bands(grid: list[list[str]], body: list[list[str]], spans_known: bool) -> list[Band]:
    """Header bands (recognised by their column labels) with the rows below each; a row of other
    headers (一级指标 | 二级指标 …) closes the band. `grid` has spans expanded (a group label over its
    sub-columns); body rows are taken from `body`, where a merged value sits once, at its own cell, so
    that no amount is counted twice. When the reader knew the spans, an empty header cell is not a
    group label left unprinted."""
    out: list[Band] = []
    open_ = False
    r = 0
    while r < len(grid):
        if not _is_header(grid[r]):
            if _is_other_header(grid[r]):
                open_ = False
            elif open_ and any(norm(c) for c in body[r]) and not _is_index_row(grid[r]):
                out[-1].rows.append((r, body[r]))
            r += 1
            continue
        band = []
        while r < len(grid) and (_is_header(grid[r]) or (band and _is_index_row(grid[r]))
                                 or (band and not _has_number(grid[r]) and _continues_header(grid[r]))):
            if not _is_index_row(grid[r]):
                band.append(grid[r])
            r += 1
        width = max(len(b) for b in band)
        band = [list(b) + [""] * (width - len(b)) for b in band] if spans_known else _fill_groups(band, width)
        paths = []
        for c in range(width):
            texts = [norm(b[c]) for b in band if norm(b[c]) and not _TITLE_LIKE.match(norm(b[c]))]
            paths.append(tuple(dict.fromkeys(texts)))
        out.append(Band(paths))
        open_ = True
    return out


def _fill_groups(band: list[list[str]], width: int) -> list[list[str]]:
    """A group label printed once over several sub-columns (批复金额 over 总额 | 财政拨款 | 其他资金) labels
    each of them; grids with explicit spans already repeat it."""
    out = [list(b) + [""] * (width - len(b)) for b in band]
    for k in range(len(out) - 1):
        for c in range(1, width):
            below = any(norm(out[j][c]) for j in range(k + 1, len(out)))
            if not norm(out[k][c]) and norm(out[k][c - 1]) and below and any(norm(out[j][c - 1]) for j in range(k + 1, len(out))):
                out[k][c] = out[k][c - 1]
    return out


def _is_other_header(cells: list[str]) -> bool:
    return not _has_number(cells) and len({norm(c) for c in cells if norm(c)}) >= 3


def _continues_header(cells: list[str]) -> bool:
    """The second row of a two-row header (总额 | 财政拨款 | 其他资金 under 批复金额; 小计 | 其中：预留给中小企业)."""
    texts = [norm(c) for c in cells if norm(c)]
    return len(texts) >= 2 and all(len(t) <= 12 and column_kind(t) is not None or len(t) <= 16 and t.startswith("其中")
                                   for t in texts)


def label_of(cells) -> str:
    """The row's label: its first text cell that is neither a number, a sequence number nor a rate."""
    for text in cells:
        t = norm(text)
        if not t or t in ABSENT or amount(t) is not None or parse_percent(t) is not None:
            continue
        return t
    return ""
