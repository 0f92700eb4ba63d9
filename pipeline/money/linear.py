"""Tables flattened into narrative lines (one cell per line, as some text layers and exports print
them) read back into grids.
"""

from __future__ import annotations

import re

from ..values import squeezed as norm
from .grids import TOTAL_LABEL, amount, column_kind, parse_percent


_HEADER_WORD = re.compile(r"^(序号|类型|项目|名称|科目|类别|单位|内容|预算|决算|执行|金额|数量|支出|收入|合计|分值|得分|"
                          r"[^，。；]{0,8}(数|率|额|金额)|[^，。；]{0,6}[(（][^)）]{1,6}[)）])$")
_UNIT_ONLY = re.compile(r"^[(（][^)）]{1,8}[)）]$")
_SEQ = re.compile(r"^\d{1,2}(\.\d{1,2})?$")


def linear_tables(blocks: list[str]) -> list[tuple[int, list[list[str]]]]:
    """Tables whose cells were dumped one per line (seed 003's 三公 table): a run of short header lines
    naming money columns, then rows of [序号] label value…. Rows must all have the same number of
    values; anything irregular (a lost empty cell) rejects the table rather than guess.
    Returns (index of the first block, grid with the header as its first row)."""
    out = []
    i = 0
    while i < len(blocks):
        header, j = _linear_header(blocks, i)
        if not header:
            i += 1
            continue
        grid = _linear_rows(blocks, j, header)
        if grid:
            out.append((i, grid))
        i = j
    return out


def _linear_header(blocks: list[str], i: int) -> tuple[list[str], int]:
    header: list[str] = []
    j = i
    while j < len(blocks):
        t = norm(blocks[j])
        if header and _UNIT_ONLY.match(t):
            header[-1] += t
        elif len(t) <= 12 and _HEADER_WORD.match(t) and amount(t) is None:
            header.append(t)
        else:
            break
        j += 1
    measures = [h for h in header if column_kind(h) in ("rate", "budget", "final", "budget_initial", "amount")]
    return (header, j) if len(header) >= 3 and len(measures) >= 2 else ([], i + 1)


def _linear_rows(blocks: list[str], j: int, header: list[str]) -> list[list[str]]:
    label_at = next((k for k, h in enumerate(header) if column_kind(h) is None and h != "序号"), None)
    if label_at is None:
        return []
    width = len(header)
    rows: list[list[str]] = []
    seq = ""
    for block in blocks[j:]:
        t = norm(block)
        if not t or len(t) > 30 or re.search(r"[。；;:：,，]", t):
            break
        if amount(t) is not None or parse_percent(t) is not None:
            if rows and len(rows[-1]) < width:
                rows[-1].append(t)
            elif label_at > 0 and _SEQ.match(t) and not seq:
                seq = t
            else:
                return []
            continue
        if rows and len(rows[-1]) == label_at + 1:
            rows.pop()  # a line with no values after it: the table ended before it
            break
        if rows and len(rows[-1]) != width:
            return []  # a row lost a cell: do not guess
        rows.append(([seq] + [""] * (label_at - 1) if label_at else []) + [t])
        seq = ""
    if rows and len(rows[-1]) == label_at + 1:
        rows.pop()
    if len(rows) < 2 or any(len(r) != width for r in rows) or not _regular(rows, label_at):
        return []
    return [header] + rows


def _regular(rows: list[list[str]], label_at: int) -> bool:
    """Every row but a total has its 序号 once any has, and a column printed with % has it on every row:
    a lost cell shifts the values and breaks one of these."""
    if label_at and any(r[0] for r in rows) and any(not r[0] and not TOTAL_LABEL.search(r[label_at]) for r in rows):
        return False
    for c in range(label_at + 1, len(rows[0])):
        with_pct = sum(r[c].endswith("%") for r in rows)
        if 0 < with_pct < len(rows):
            return False
    return True
