"""The money tables stage: budget, 决算, basic data and 三公 tables read once into typed records (model.py:
MoneyTable, MoneyColumn, MoneyRow, Sangong), from raw grids or from tables flattened into one cell per narrative
line; and the document's running text as passages with the budget and 三公 sentences they print (DOMAIN §1.3,
§1.5, §1.8). The rules read these records, never a raw grid.

Everything is recognised by meaning (column labels such as 预算数/决算数/执行率, row labels such as
公务接待费, subject codes 201 > 20106 > 2010601), never by a document's own strings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from .errors import recorded
from .model import (BudgetSentence, ColumnSplit, DocError, MoneyColumn, MoneyRow, MoneyTable, Passage, Percent, Sangong,
                    SangongSentence, Table)
from .tables import expand_spans
from .values import ABSENT, nfkc, parse_number, squeezed as norm, strip_ws


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
_TOTAL_LABEL = re.compile(r"(合计|小计|总额|总计)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT_NOTE = re.compile(r"[(（][^)）]{0,8}[)）]")
_TITLE_LIKE = re.compile(r"^(金额)?单位[:：]|^单位:|^[(（]?单位")


def column_kind(label: str) -> str | None:
    """What a money-table column holds, from its header: rate / budget_initial / budget / final / weight /
    score / amount. 决算 is tested before 预算 (决算支出数), the rate before both (预算执行率)."""
    t = _UNIT_NOTE.sub("", norm(label))
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
class _Band:
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


def _bands(grid: list[list[str]], body: list[list[str]], spans_known: bool) -> list[_Band]:
    """Header bands (recognised by their column labels) with the rows below each; a row of other
    headers (一级指标 | 二级指标 …) closes the band. `grid` has spans expanded (a group label over its
    sub-columns); body rows are taken from `body`, where a merged value sits once, at its own cell, so
    that no amount is counted twice. When the reader knew the spans, an empty header cell is not a
    group label left unprinted."""
    out: list[_Band] = []
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
        out.append(_Band(paths))
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


# ---------------------------------------------------------------- typed money tables

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
                       for k, band in enumerate(_bands(grid, body, raw.aligned)))
    for start, grid in linear_tables(narrative):
        context = norm(narrative[start - 1]) if start else ""
        for k, band in enumerate(_bands(grid, grid, False)):
            out.append(_money_table(band, k, None, None, context, False, {}))
    return out


def _cell_boxes(raw) -> dict[tuple[int, int], object]:
    return {(c.row, c.col): c.bbox for c in raw.cells if c.bbox is not None}


def _money_table(band: _Band, k: int, table_index: int | None, page: int | None, context: str, from_grid: bool,
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
    year = _YEAR.search(label)
    filled = [c[index] for _, c in rows if index < len(c) and norm(c[index]) not in ABSENT]
    return MoneyColumn(
        index=index, path=path, role=role, rate_kind=rate_kind(label) if role == "rate" else None,
        year=int(year.group(1)) if year else None,
        is_total=bool(path) and bool(_TOTAL_LABEL.search(_UNIT_NOTE.sub("", path[-1]))),
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


# ---------------------------------------------------------------- tables flattened into narrative lines

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
    if label_at and any(r[0] for r in rows) and any(not r[0] and not _TOTAL_LABEL.search(r[label_at]) for r in rows):
        return False
    for c in range(label_at + 1, len(rows[0])):
        with_pct = sum(r[c].endswith("%") for r in rows)
        if 0 < with_pct < len(rows):
            return False
    return True


# ---------------------------------------------------------------- 三公经费

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


# ---------------------------------------------------------------- sentences

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SENTENCE = re.compile(r"[。；;！？!?\n]")
_BUDGET_FIG = re.compile(r"(全年预算|调整后预算|年初预算|预算)(?:支出)?(?:数|金额)?(?:为|是|[:：])?" + _NUM + r"万元")
_SPENT_FIG = re.compile(r"(?<!预算)(?:支出决算|决算支出|决算|实际支出|共支出|支出|执行数)(?:数|金额)?(?:为|是|[:：])?"
                        + _NUM + r"万元")
_RATE_FIG = re.compile(r"(?:执行率|完成(年初|全年)?预算的?)(?:为|是|达到?|[:：])?" + _NUM + r"%")


def budget_sentences(text: str) -> list[BudgetSentence]:
    """Sentences that print one budget, one amount spent and perhaps the rate between them ("全年预算数
    2,352.97 万元,共支出2,110.20万元,预算执行率为89.68%"; "年初预算为336万元，支出决算为331万元，完成年初
    预算的98.51%"). The rate's own words pick the budget; text after 其中 is about parts. Anything
    ambiguous is left out."""
    out = []
    for sent in _SENTENCE.split(nfkc(text or "")):
        s = strip_ws(sent).split("其中")[0]
        budgets = {(k[:2], _f(v)) for k, v in _BUDGET_FIG.findall(s)}
        spent = {_f(v) for v in _SPENT_FIG.findall(s)}
        rates = _RATE_FIG.findall(s)
        if len(spent) != 1 or len(rates) > 1 or not budgets:
            continue
        wanted = rates[0][0][:2] if rates and rates[0][0] else None
        pick = [b for b in budgets if b[0] == wanted] if wanted else \
            ([b for b in budgets if b[0] in ("全年", "调整")] or list(budgets))
        if len(pick) != 1:
            continue
        kind = {"调整": "全年", "预算": "预算"}.get(pick[0][0], pick[0][0])
        rate = parse_percent(rates[0][1] + "%") if rates else None
        out.append(BudgetSentence(pick[0][1], kind, next(iter(spent)), rate, s))
    return out


def _f(text: str) -> float:
    num = float(text.replace(",", ""))
    if not math.isfinite(num):
        raise ValueError(f"number of {len(text)} characters is too long to be an amount")
    return num


_SG_BUDGET = re.compile(r"(?<!较)(?<!比)预算(?:支出)?(?:数|额)?(?:为|是|[:：])?" + _NUM + r"万元")
_SG_FINAL = re.compile(r"(?<!较)(?<!比)决算(?:支出)?(?:数|额)?(?:为|是|[:：])?" + _NUM + r"万元")
_YEARS = re.compile(r"((?:19|20)\d{2})年")


def sangong_sentences(text: str) -> list[SangongSentence]:
    """(预算, 决算, sentence) for sentences that print the 三公 total's budget and outturn together
    ("“三公”经费支出预算为231.95万元，支出决算为294.6万元"). Sub-items after 其中 are left out, and a
    sentence naming two years, or 上年, is not read."""
    out = []
    for sent in _SENTENCE.split(nfkc(text or "")):
        s = strip_ws(sent)
        at = s.find("三公")
        if at < 0:
            continue
        head = s[at:].split("其中")[0]
        budgets, finals = _SG_BUDGET.findall(head), _SG_FINAL.findall(head)
        if len(set(budgets)) == 1 and len(set(finals)) == 1 and len(set(_YEARS.findall(s))) <= 1 \
                and not re.search(r"上年|上一年|去年", head):
            out.append(SangongSentence(_f(budgets[0]), _f(finals[0]), s))
    return out


def paragraphs(blocks: list[str]) -> list[str]:
    """Running text with a PDF's wrapped lines joined back into sentences: a line that does not end a
    sentence continues on the next one (a short line is a heading)."""
    out: list[str] = []
    for b in blocks:
        t = (b or "").strip()
        if not t:
            continue
        if out and len(out[-1]) >= 20 and not re.search(r"[。；;！？!?：:]$", out[-1]):
            out[-1] += t
        else:
            out.append(t)
    return out





def read_passages(tables: list[Table], narrative: list[str]) -> list[Passage]:
    """The document's running text as paragraphs, then the long cells of its tables (reports laid out as
    tables), each with the table that printed it and the budget and 三公 sentences it holds."""
    cells: dict[str, int] = {}
    for t in tables:
        for text in t.meta.long_cells:
            cells.setdefault(text, t.provenance.table_index)
    running = [(p, None) for p in paragraphs([b for b in narrative if b not in cells])]
    return [Passage(text, table, tuple(budget_sentences(text)), tuple(sangong_sentences(text)))
            for text, table in running + list(cells.items())]
