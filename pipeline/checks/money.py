"""Small parsers for the figures printed outside indicator rows (DOMAIN §1.3, §1.5, §1.8): money tables
read from raw grids or from tables flattened into one cell per narrative line, printed ratios, 三公经费
breakdowns, budget sentences in the narrative, the 年度总体目标 cells and the report year.

Everything is recognised by meaning (column labels such as 预算数/决算数/执行率, row labels such as
公务接待费), never by a document's own strings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..tables import cell_index, expand_spans
from ..values import ABSENT, nfkc, parse_number, strip_ws

MONEY_TOL = 0.01  # DOMAIN §3.1: ±0.01 万元 per addend
PCT_TOL = 0.02  # percentages ±0.02 pp


def norm(text: str | None) -> str:
    """NFKC, no whitespace (U+3000 included)."""
    return strip_ws(nfkc(text or ""))


def amount(text: str | None) -> float | None:
    """A money or count cell ("1,831.00", "\u300052", "10分"); None when blank or a placeholder."""
    return parse_number(text)


def sums_agree(total: float, parts: list[float]) -> bool:
    """Σ parts = total within ±0.01 per addend (DOMAIN §3.1)."""
    return abs(sum(parts) - total) <= MONEY_TOL * max(len(parts), 1) + 1e-9


# ---------------------------------------------------------------- printed percentages

@dataclass(frozen=True)
class Percent:
    value: float  # as printed, in percent unless printed as a fraction
    decimals: int
    sign: bool  # printed with %


_PCT = re.compile(r"(\d+(?:\.(\d+))?)(%?)")


def parse_percent(text: str | None) -> Percent | None:
    m = _PCT.fullmatch(norm(text).replace(",", ""))
    if not m:
        return None
    return Percent(float(m.group(1)), len(m.group(2) or ""), bool(m.group(3)))


def percent_tolerance(printed: Percent) -> float:
    """How far a recomputed ratio may lie from a printed one: half a unit of its last printed decimal,
    ±0.02 pp."""
    return PCT_TOL + 0.5 * 10 ** -printed.decimals


def percent_agrees(printed: Percent, computed: float) -> bool:
    """The printed ratio equals the recomputed one at its printed precision, ±0.02 pp (a truncated
    80.39 for 80.40 passes, DOMAIN §2.7). A bare 0.9414 is read as a fraction too."""
    tol = percent_tolerance(printed) + 1e-9
    if abs(printed.value - computed) <= tol:
        return True
    if not printed.sign and printed.value <= 1.5:
        return abs(printed.value * 100 - computed) <= PCT_TOL + 0.5 * 10 ** (2 - printed.decimals) + 1e-9
    return False


def shown(p: Percent) -> str:
    """The percentage as printed: 91.14%, 100.00, 83%."""
    return f"{p.value:.{p.decimals}f}" + ("%" if p.sign else "")


def printed_precision(value: float) -> Percent:
    """A rate already parsed to a float (funds block): its precision from its digits."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return Percent(value, len(text.split(".")[1]) if "." in text else 0, True)


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


@dataclass(frozen=True)
class Column:
    index: int
    path: tuple[str, ...]  # header texts from top to bottom, normalised, repeats removed

    @property
    def label(self) -> str:
        return "".join(self.path)

    @property
    def kind(self) -> str | None:
        return column_kind(self.label)

    @property
    def year(self) -> int | None:
        m = _YEAR.search(self.label)
        return int(m.group(1)) if m else None

    @property
    def is_total(self) -> bool:
        return bool(self.path) and bool(_TOTAL_LABEL.search(_UNIT_NOTE.sub("", self.path[-1])))


@dataclass
class Section:
    """One header band of a money table and the body rows under it (a basic data table holds several)."""

    columns: list[Column]
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


def sections(grid: list[list[str]], body: list[list[str]] | None = None, spans_known: bool = False) -> list[Section]:
    """Header bands (recognised by their column labels) with the rows below each; a row of other
    headers (一级指标 | 二级指标 …) closes the band. `grid` has spans expanded (a group label over its
    sub-columns); body rows are taken from `body`, where a merged value sits once, at its own cell, so
    that no amount is counted twice. When the reader knew the spans, an empty header cell is not a
    group label left unprinted."""
    body = body or grid
    out: list[Section] = []
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
        cols = []
        for c in range(width):
            texts = [norm(b[c]) for b in band if norm(b[c]) and not _TITLE_LIKE.match(norm(b[c]))]
            cols.append(Column(c, tuple(dict.fromkeys(texts))))
        out.append(Section(cols))
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
    """The second row of a two-row header (总额 | 财政拨款 | 其他资金 under 批复金额)."""
    texts = [norm(c) for c in cells if norm(c)]
    return len(texts) >= 2 and all(len(t) <= 12 and column_kind(t) is not None for t in texts)


def label_of(cells: list[str], section: Section) -> str:
    """The row's label: its first text cell that is neither a number, a sequence number nor a rate."""
    for c, text in enumerate(cells):
        t = norm(text)
        if not t or t in ABSENT or amount(t) is not None or parse_percent(t) is not None:
            continue
        return t
    return ""


def money_grid(raw) -> list[list[str]]:
    """The raw grid with spans expanded: every position holds the text of the cell covering it."""
    return [[c or "" for c in row] for row in expand_spans(raw)]


def origin_grid(raw) -> list[list[str]]:
    """The raw grid with a merged cell's text at its own position only."""
    return [[c or "" for c in row] for row in raw.grid()]


def same_cell(raw, r: int, c1: int, c2: int) -> bool:
    idx = cell_index(raw)
    return idx.get((r, c1)) is not None and idx.get((r, c1)) is idx.get((r, c2))


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

SANGONG_PARTS = ("abroad", "reception", "vehicle")


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


@dataclass
class Sangong:
    """三公 figures of one measure (预算数, 决算数, 2019年决算数 …) with where they were printed."""

    measure: str  # budget | final | amount
    year: int | None
    values: dict[str, float | None]  # category -> value (None: printed blank)
    label: str  # the measure's header as printed
    row: int | None = None  # grid row for row-wise figures

    def total(self) -> float | None:
        if self.values.get("total") is not None:
            return self.values["total"]
        parts = [self.vehicle()] + [self.values.get(k) for k in SANGONG_PARTS[:2]]
        return sum(v or 0 for v in parts) if any(v is not None for v in parts) else None

    def vehicle(self) -> float | None:
        if self.values.get("vehicle") is not None:
            return self.values["vehicle"]
        subs = [self.values.get(k) for k in ("vehicle_buy", "vehicle_run")]
        return sum(v or 0 for v in subs) if any(v is not None for v in subs) else None


def sangong_figures(section: Section) -> list[Sangong]:
    """三公 figures of a section, whether its categories run down the rows (序号 | 类型 | 预算数 | 决算数)
    or across the columns (合计 | 因公出国 | 公务用车 小计 | 购置 | 运行 | 公务接待)."""
    cats = {c.index: _col_category(c) for c in section.columns}
    if len({v for v in cats.values() if v and v != "total"}) >= 2:
        return _sangong_by_columns(section, cats)
    return _sangong_by_rows(section)


def _col_category(col: Column) -> str | None:
    for text in reversed(col.path):
        cat = sangong_category(text)
        if cat:
            return cat
    return None


def _measure(col: Column) -> tuple[str, int | None] | None:
    """(budget | final | amount, year) from the column's header texts that are not a 三公 category
    themselves ("预算数" over "合计"; "“三公”经费预算总额" names the category, not the measure)."""
    for text in col.path:
        kind = column_kind(text)
        if kind in ("budget", "final", "budget_initial") and not sangong_category(text):
            return ("budget" if kind == "budget_initial" else kind), col.year
    return ("amount", col.year) if col.kind in ("amount", "budget", "final") else None


def _sangong_by_columns(section: Section, cats: dict[int, str | None]) -> list[Sangong]:
    out = []
    for r, cells in section.rows:
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


def _measure_label(col: Column) -> str:
    return next((t for t in col.path if column_kind(t) in ("budget", "final") and not sangong_category(t)), "")


def _sangong_by_rows(section: Section) -> list[Sangong]:
    rows: list[tuple[str, int, list[str]]] = []
    for r, cells in section.rows:
        cat = sangong_category(label_of(cells, section))
        if cat:
            rows.append((cat, r, cells))
        elif rows:
            break  # the 三公 block is over (项目支出 …)
    if len({c for c, _, _ in rows if c != "total"}) < 2:
        return []
    out = []
    for col in section.columns:
        m = _measure(col)
        if m is None or col.kind == "rate":
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


@dataclass(frozen=True)
class BudgetSentence:
    budget: float
    budget_kind: str  # 全年 | 年初 | 预算 (the sentence does not say which)
    executed: float
    rate: Percent | None
    text: str


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


def sangong_sentences(text: str) -> list[tuple[float, float, str]]:
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
            out.append((_f(budgets[0]), _f(finals[0]), s))
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


CONTROL_CLAIM = re.compile(r"压缩|压减|控制|节约|下降|减少")


# ---------------------------------------------------------------- 年度总体目标

_EXPECTED = re.compile(r"^(预期目标|目标|年度目标|绩效目标|预期)$")
_ACTUAL = re.compile(r"^(实际完成情况|全年实际完成情况|实际完成|完成情况)$")
_BLOCK_END = re.compile(r"一级指标|二级指标|三级指标|绩效指标|指标性质|项目资金|资金总额")


@dataclass(frozen=True)
class GoalPair:
    expected: str
    actual: str
    row: int  # grid row of the actual text


def goal_pairs(raw) -> list[GoalPair]:
    """The 预期目标 / 实际完成情况 texts of a 年度总体目标 block. On an aligned grid the columns under the two
    labels; on a text dump (cells may have shifted) a row holding two long texts, or a block holding
    exactly two."""
    grid = money_grid(raw)
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
    exp, act, last = [], [], None
    for r in body:
        e, a = grid[r][exp_col], grid[r][act_col]
        if same_cell(raw, r, exp_col, act_col):
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


# ---------------------------------------------------------------- report year

_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT_WORDS = re.compile(r"决算|预算|自评|绩效|报告")


def report_year(titles: list[str], narrative: list[str]) -> int | None:
    """The year the document reports on: the most frequent year in table titles and in the first narrative
    lines that are titles (no sentence punctuation) naming a budget, outturn, evaluation or report (the
    latest on a tie)."""
    counts: Counter[int] = Counter()
    heads = [t for t in (norm(x) for x in narrative[:12]) if not re.search(r"[，。；,;]", t)]  # title lines, not sentences
    for t in [norm(x) for x in titles] + heads:
        if _REPORT_WORDS.search(t):
            counts.update(int(y) for y in _REPORT_YEAR.findall(t))
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, n in counts.items() if n == best)
