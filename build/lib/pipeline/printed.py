"""What a table prints beside its indicator rows, read once when the table is finished: the 年度总体目标
pair, amounts printed with their label in one cell, long cells, the years printed and the
table's region on its first page. The rules read these fields, never the grid."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .model import GoalPair, Table, union_bbox
from .tables import cell_index, expand_spans
from .values import ABSENT, squeezed as norm

LONG_CELL = 20  # characters: a cell this long is text (a report laid out as a table), not a figure


def finished(table: Table) -> Table:
    """The table with the printed facts its rules read."""
    raw = table.raw
    body = " ".join(c.text for c in raw.cells)
    page = table.provenance.page
    region = union_bbox(c.bbox for c in raw.cells if c.page in (None, page))
    meta = replace(table.meta, overall_goals=goal_pairs(raw), labelled_amounts=labelled_amounts(raw),
                   long_cells=list(dict.fromkeys(c.text for c in raw.cells if c.text and len(c.text) >= LONG_CELL)),
                   years_printed=dict(sorted(Counter(int(y) for y in _YEAR.findall(body)).items())), region=region)
    return replace(table, meta=meta)


_YEAR = re.compile(r"((?:19|20)\d{2})年")
_LABELLED = re.compile(r"^(?:其中[:：])?([^\d:：]{2,20})[:：]([\d,]+(?:\.\d+)?)(?:万元)?$")


def labelled_amounts(raw) -> list[tuple[str, float]]:
    """"其中：一般公共预算：2113.48" and "基本支出：1271.12" cells (a funds block laid out as text, seed 000)."""
    out = []
    for c in raw.cells:
        hit = _LABELLED.match(norm(c.text))
        if hit:
            out.append((hit.group(1), float(hit.group(2).replace(",", ""))))
    return out


# ---------------------------------------------------------------- 年度总体目标

_EXPECTED = re.compile(r"^(预期目标|目标|年度目标|绩效目标|预期)$")
_ACTUAL = re.compile(r"^(实际完成情况|全年实际完成情况|实际完成|完成情况)$")
_BLOCK_END = re.compile(r"一级指标|二级指标|三级指标|绩效指标|指标性质|项目资金|资金总额")


def goal_pairs(raw) -> list[GoalPair]:
    """The 预期目标 / 实际完成情况 texts of a 年度总体目标 block. On an aligned grid the columns under the two
    labels; on a text dump (cells may have shifted) a row holding two long texts, or a block holding
    exactly two."""
    grid = [[c or "" for c in row] for row in expand_spans(raw)]
    for r, cells in enumerate(grid):
        texts = [norm(c) for c in cells]
        exp_col = next((c for c, t in enumerate(texts) if _EXPECTED.match(t)), None)
        act_col = next((c for c, t in enumerate(texts) if _ACTUAL.match(t)), None)
        if exp_col is None or act_col is None or act_col <= exp_col:
            continue
        body = []
        for rr in range(r + 1, len(grid)):
            if any(_BLOCK_END.search(norm(c)) for c in grid[rr] if len(norm(c)) <= 12):
                break
            body.append(rr)
        return _aligned_pairs(raw, grid, body, exp_col, act_col) if raw.aligned else _loose_pairs(grid, body)
    return []


def _long(text: str) -> bool:
    t = norm(text)
    return len(t) >= 6 and t not in ABSENT and not re.fullmatch(r"[\d.\-—]+", t) and not _EXPECTED.match(t) \
        and not _ACTUAL.match(t) and not re.fullmatch(r"(年度)?总体目标|年度总体目标", t)


def _aligned_pairs(raw, grid, body, exp_col, act_col) -> list[GoalPair]:
    index = cell_index(raw)
    exp, act, last = [], [], None
    for r in body:
        e, a = grid[r][exp_col], grid[r][act_col]
        if index.get((r, exp_col)) is not None and index.get((r, exp_col)) is index.get((r, act_col)):
            continue
        if _long(e) and e not in exp:
            exp.append(e)
        if _long(a) and a not in act:
            act.append(a)
            last = r
    if exp and act and last is not None:
        return [GoalPair("".join(exp), "".join(act), last)]
    return []


def _loose_pairs(grid, body) -> list[GoalPair]:
    pairs, loose = [], []
    for r in body:
        longs = list(dict.fromkeys(c for c in grid[r] if _long(c)))
        if len(longs) == 2:
            pairs.append(GoalPair(longs[0], longs[1], r))
        loose.extend((r, c) for c in longs)
    if not pairs and len(loose) == 2:
        pairs.append(GoalPair(loose[0][1], loose[1][1], loose[1][0]))
    return pairs
