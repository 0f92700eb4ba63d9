"""Grid normalisation: spans, header rows by meaning, level labels, funds block, continuations, table kind.

RawTable (as read) → Table (header understood, body rows mapped to roles, quality report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .errors import recorded
from .levels import canonical_level1, canonical_level2, is_cut_tail, is_level_label, level1_of, split_weight
from .model import Cell, DocError, Document, FundRow, LogicalRow, ProjectGoal, Provenance, RawTable, Table, TableMeta, TableQuality
from .packed import is_packed, joined
from .values import OP_CELL, TRAILING_OP, clean_text, nfkc, parse_number, squeezed, strip_ws

INDICATOR_KINDS = ("project_self_eval", "dept_self_eval", "project_target", "dept_target", "key_indicators", "score_summary")

# Header cell text (whitespace and parentheticals removed) → role. Most specific first.
HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p))
    for role, p in (
        ("reason", r"偏差原因|原因分析|改进措施|未完成原因|偏差说明"),
        ("rate", r"^得分率$"),
        ("criteria", r"评分要点|评分标准|评分细则|评分说明|指标解释|计分方法|扣分标准"),
        ("target_note", r"^指标值(内容|说明|描述)$"),
        ("actual", r"^实际完成值|^实际值$|^完成值$|^实际完成$|^实际完成情况$"),
        ("score", r"^(自评)?得分$|^评分$|^自评分$|^实际得分$|^自评得分"),
        ("weight", r"^(指标)?分值$|^(指标)?权重(分值)?$|^分值"),
        ("op", r"^指标性质$|^指标方向$|^性质$|^指标值类型$|^指标类型$|^符号$"),
        ("unit", r"^(度量|计量)单位$|^单位$"),
        ("target", r"^指标值$|^预期实现值$|^预期值$|^目标值$|^预期指标值$|^指标目标值$"),
        ("level1", r"^一级(指标)?$"),
        ("level2", r"^二级(指标)?$"),
        ("name", r"^三级(指标)?(名称)?$|^指标名称$|^指标内容$"),
        ("project", r"^(单位)?项目名称$|^单位名称$"),  # 单位（项目）名称 loses its parenthesis
        ("seq", r"^序号$"),
        ("note", r"^备注$"),
    )
)
# Template prefixes that do not change a header's meaning: 本年绩效指标值 = 指标值, 绩效度量单位 = 度量单位.
_HEADER_PREFIX = re.compile(r"^(本年度|本年|年度|全年|绩效)+")
VALUE_ROLES = ("target", "actual", "weight", "score")
# Order of roles after the 指标性质 column in every template seen (used when positions are unreliable).
AFTER_OP = ("target", "unit", "actual", "weight", "score", "reason")

FUND_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p))
    for role, p in (
        ("budget_initial", r"^年初预算数"),
        ("budget_full", r"^全年预算数"),
        ("executed", r"^全年执行数|^全年实际支出|^决算数|^实际支出"),
        ("weight", r"^分值$"),
        ("rate", r"^执行率"),
        ("score", r"^得分$"),
    )
)
FUND_LABELS = ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金", "财政拨款")

_PAREN = re.compile(r"[(（][^)）]{0,12}[)）]")
_TERMINATORS = re.compile(r"^(其他需(要)?说明(的)?事项|其他说明|其他需要说明的情况)")
_TOTAL = re.compile(r"^(总分|合计|总计|得分合计|评价总分|自评总分|总得分|综合得分)$")
# A grade row (评价等级 | 良) is a table fact like the total, never an indicator row.
_GRADE_LABEL = re.compile(r"^(评价|自评|绩效|综合)?等级$|^(评价|自评)结果$")
_GRADE = re.compile(r"^(优|良|中|差|优秀|良好|合格|不合格)$")
_TITLE = re.compile(r"((绩效|自评|目标|指标|得分|决算|预算|评价).{0,40}(表|情况)$)|^表\s*\d|公开\d+(-\d+)?表|^附件\s*\d")
_IGNORED_LABELS = re.compile(r"^(年度)?绩效指标$|^绩效目标$")


def header_role(text: str | None) -> str | None:
    t = _PAREN.sub("", strip_ws(nfkc(text or "")))
    if not t or len(t) > 20:
        return None
    bare = _HEADER_PREFIX.sub("", t)
    for role, pat in HEADER_ROLES:
        if pat.search(t) or (bare and bare != t and pat.search(bare)):
            return role
    return None


def fund_role(text: str | None) -> str | None:
    t = _PAREN.sub("", strip_ws(nfkc(text or "")))
    for role, pat in FUND_ROLES:
        if pat.search(t):
            return role
    return None


def expand_spans(raw: RawTable) -> list[list[str]]:
    """Every grid position gets the text of the cell covering it ("" where nothing is printed)."""
    g = [[""] * raw.n_cols for _ in range(raw.n_rows)]
    for c in raw.cells:
        for r in range(c.row, min(c.row + c.rowspan, raw.n_rows)):
            for k in range(c.col, min(c.col + c.colspan, raw.n_cols)):
                g[r][k] = c.text or ""
    return g


def cell_index(raw: RawTable) -> dict[tuple[int, int], Cell]:
    idx: dict[tuple[int, int], Cell] = {}
    for c in raw.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                idx[(r, k)] = c
    return idx


def _cell_marks(cell: Cell | None, role: str, confidence: dict[str, float], fits: dict[str, bool]) -> None:
    """What a row keeps of its cell beyond the text: OCR confidence, whether the text fits."""
    if cell is not None and cell.confidence is not None:
        confidence[role] = cell.confidence
    if cell is not None and cell.fits is not None:
        fits[role] = cell.fits


def drop_empty_columns(grid: list[list[str]]) -> tuple[list[list[str]], list[int]]:
    """Interleaved columns that are empty in every row (seed 004 公开14-9表) are removed."""
    n = max((len(r) for r in grid), default=0)
    keep = [c for c in range(n) if any(c < len(r) and strip_ws(r[c]) for r in grid)]
    return [[r[c] if c < len(r) else "" for c in keep] for r in grid], keep


# ---------------------------------------------------------------- header


@dataclass
class Header:
    start: int  # first row of the band
    end: int  # row after the band
    positions: dict[int, str]  # column -> role (reliable for aligned grids)
    roles: tuple[str, ...]  # roles present, in column order

    @property
    def has_indicator_columns(self) -> bool:
        r = set(self.roles)
        return "name" in r or {"level1", "level2", "weight"} <= r


def _row_roles(row: list[str]) -> dict[int, str]:
    out = {}
    for i, t in enumerate(row):
        role = header_role(t)
        if role == "level2" and "level2" in out.values() and "name" not in out.values():
            # no header prints two 二级 columns: the second is 三级 with a stroke lost (a faded scan)
            role = "name"
        if role:
            out[i] = role
    return out


def find_header(grid: list[list[str]], start: int = 0) -> Header | None:
    """The first band of header rows (recognised by meaning) at or after `start`."""
    scores = [len(set(_row_roles(r).values())) for r in grid]
    for i in range(start, len(grid)):
        if scores[i] < 3:
            continue
        s = i
        while s > start and scores[s - 1] >= 2:
            s -= 1
        e = i + 1
        while e < len(grid) and scores[e] >= 2 and not _is_data_like(grid[e]):
            e += 1
        positions: dict[int, str] = {}
        for r in range(s, e):
            for col, role in _row_roles(grid[r]).items():
                positions = {k: v for k, v in positions.items() if not (v == role and k != col and r > s)}
                positions[col] = role
        roles = tuple(dict.fromkeys(positions[c] for c in sorted(positions)))
        header = Header(s, e, positions, roles)
        if header.has_indicator_columns:
            return header
    return None


def _is_data_like(row: list[str]) -> bool:
    return any(parse_number(c) is not None for c in row if strip_ws(c))


def is_header_repeat(row: list[str], header: Header) -> bool:
    roles = set(_row_roles(row).values())
    return len(roles) >= 2 and roles <= set(header.roles) | {"seq", "note", "criteria", "rate"}


# ---------------------------------------------------------------- mapping body rows to roles


def _op_anchor(row: list[str]) -> tuple[int, int, str | None] | None:
    """(name index, op index, glued op) of the 指标性质 cell in a row whose cells may have shifted.

    The name is the nearest filled cell left of the operator; an operator glued to the end of the
    name ("办理各类治安案件数 =", next cell empty) counts as the operator cell.
    """
    for i in range(1, len(row)):
        if OP_CELL.match(nfkc(row[i])):
            name_i = next((j for j in range(i - 1, -1, -1) if strip_ws(row[j])), None)
            if name_i is not None:
                return name_i, i, None
    for i in range(len(row)):
        m = TRAILING_OP.search(nfkc(row[i]))
        if m and m.start() > 0 and not strip_ws(row[i + 1] if i + 1 < len(row) else ""):
            return i, i + 1, m.group(1)
    return None


def map_row(row: list[str], header: Header, aligned: bool) -> tuple[dict[str, str], dict[str, int], list]:
    """Cells → ({role: text}, {role: column}, [(level column, label)]) for one body row."""
    roles: dict[str, str] = {}
    cols: dict[str, int] = {}
    if "op" in header.roles and not (aligned and _aligned_op_ok(row, header)):
        anchor = _op_anchor(row)
        if anchor is not None:
            name_i, op_i, glued = anchor
            roles["name"] = row[name_i]
            cols["name"] = name_i
            roles["op"] = glued if glued else row[op_i]
            cols["op"] = op_i
            after = [r for r in AFTER_OP if r in header.roles]
            for k, role in enumerate(after):
                j = op_i + 1 + k
                if j < len(row):
                    roles[role] = row[j]
                    cols[role] = j
            before = [row[j] for j in range(name_i) if strip_ws(row[j])]
            hints = ["level1", "level2"][-len(before):] if 0 < len(before) <= 2 else [None] * len(before)
            return roles, cols, list(zip(hints, before))
        filled = [c for c in row if strip_ws(c)]
        if filled and all(canonical_level1(c) or canonical_level2(c) for c in filled):
            hints = ["level1", "level2"][-len(filled):] if len(filled) <= 2 else [None] * len(filled)
            return {}, {}, list(zip(hints, filled))  # a group-marker row
    positions = header.positions
    width = max(positions) + 1 if positions else len(row)
    shift = 0
    if not aligned and len(row) < width:
        shift = width - len(row)  # leading empty cells lost
    labels = []
    for col, role in sorted(positions.items()):
        j = col - shift
        if 0 <= j < len(row):
            if role in ("level1", "level2"):
                if strip_ws(row[j]) and (not labels or labels[-1][1] != row[j]):
                    labels.append((role, row[j]))
                continue
            roles[role] = row[j]
            cols[role] = j
    return roles, cols, labels


def _aligned_op_ok(row: list[str], header: Header) -> bool:
    op_col = next((c for c, r in header.positions.items() if r == "op"), None)
    return op_col is not None and op_col < len(row) and (OP_CELL.match(nfkc(row[op_col])) is not None or not strip_ws(row[op_col]))


# ---------------------------------------------------------------- level context


@dataclass
class LevelState:
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None
    fixed: bool = True  # the fixed 产出/效益/满意度 hierarchy; False for 53号 or 广东 sheets
    project: str | None = None  # row-level 项目名称 column (several projects in one table)
    project_pending: list = field(default_factory=list)  # rows whose merged 项目名称 text is printed further down
    project_cell: object = None  # the cell that gave the last row its project

    def take(self, label: str, hint: str | None) -> None:
        """One printed label. The fixed hierarchy is read by vocabulary (一级 derived from 二级); the
        column (`hint`: level1 | level2 | None) decides for other hierarchies and for 成本指标, which
        is a 二级 under 产出 in older templates and a 一级 in newer ones."""
        name, weight = split_weight(label)
        l1, l2 = canonical_level1(label), canonical_level2(label)
        if l1 and l2:
            l1, l2 = (l1, None) if hint == "level1" else (None, l2)
        if self.fixed and l2:
            self.level2, self.level2_weight = l2, weight
            if level1_of(l2) != self.level1:
                self.level1, self.level1_weight = level1_of(l2), None
        elif self.fixed and l1:
            if l1 != self.level1:
                self.level2 = self.level2_weight = None
                self.level1_weight = None
            self.level1 = l1
            self.level1_weight = weight if weight is not None else self.level1_weight
        elif hint == "level1":
            self.level1, self.level1_weight = name, weight
            self.level2 = self.level2_weight = None
        else:
            self.level2, self.level2_weight = name, weight

    def take_labels(self, labels: list[tuple[str | None, str]]) -> None:
        """Labels left of the name, outermost first, each with the header column it sits in."""
        labels = [(h, t) for h, t in labels if not _IGNORED_LABELS.match(strip_ws(t)) and not is_cut_tail(t)]
        if any(not (canonical_level1(t) or canonical_level2(t)) for _, t in labels):
            self.fixed = False  # 53号 投入/过程/产出/效果, 广东 履职效能/管理效率 …
        for hint, t in labels:
            self.take(t, hint)


# ---------------------------------------------------------------- the table


@dataclass
class _Body:
    rows: list[LogicalRow] = field(default_factory=list)
    meta: TableMeta = field(default_factory=TableMeta)
    dropped: int = 0
    total: int = 0
    numbers_seen: int = 0
    numbers_ok: int = 0
    open_tail: int = 0  # trailing rows in an empty merged level cell: their label is on the next page


# Labels of a table's head block; 专项（项目）名称 and its variants name the project like 项目名称.
_PROJECT_LABELS = r"项目名称|专项[（(]项目[）)]名称|项目[（(]专项[）)]名称|专项名称"
_HEAD_LABEL = re.compile(rf"^({_PROJECT_LABELS}|主管部门|实施单位|部门名称|预算部门名称|预算单位)[:：]?(.*)$")
_HEAD_LINE_FIELD = re.compile(rf"^\s*({_PROJECT_LABELS}|主管部门|实施单位)\s*[:：]\s*(\S.*)$")


def _head_label(label: str) -> str:
    return "项目名称" if "名称" in label and ("项目" in label or "专项" in label) else label


def _title_and_context(raw: RawTable, grid: list[list[str]], header_start: int) -> tuple[str | None, str | None, dict]:
    """(title, 项目名称, the head fields printed above the header)."""
    fields = [f for t in raw.context for f in re.split(r"\s{2,}|\u3000{2,}|\t", t)]
    lines = [strip_ws(t) for t in raw.context if strip_ws(t)]
    head: dict[str, str] = {}
    project = None
    for r in range(header_start):
        cells = [clean_text(c) for c in grid[r]]
        cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
        if not cells:
            continue
        if len(cells) == 1:
            lines.append(strip_ws(cells[0]))
        for i, c in enumerate(cells):
            key = strip_ws(c)
            m = _HEAD_LABEL.match(key)
            if m:
                label = _head_label(m.group(1))
                value = m.group(2) or (cells[i + 1] if i + 1 < len(cells) else "")
                value = strip_ws(value) or None
                if value and header_role(value) is None:
                    head[label] = value
                    if label == "项目名称":
                        project = project or value
    for f in fields:
        m = _HEAD_LINE_FIELD.match(f)
        if m:
            head.setdefault(_head_label(m.group(1)), strip_ws(m.group(2)))
            if _head_label(m.group(1)) == "项目名称" and project is None:
                project = strip_ws(m.group(2))
    lines = _join_wrapped(lines)
    titles = [t for t in lines if _TITLE.search(t) and len(t) <= 80]
    # A caption naming a table (表3 …, …绩效自评表, 公开13表) beats a section heading (一、…完成情况).
    named = [t for t in titles if re.search(r"表\s*\d|表$|公开\d", t)]
    title = " ".join(dict.fromkeys(named or titles[-1:])) or None
    return title, project, head


def _join_wrapped(lines: list[str]) -> list[str]:
    """A caption wrapped over two lines ("…科技兴警绩效" / "目标表") is one caption."""
    out: list[str] = []
    for t in lines:
        if out and len(t) <= 12 and re.search(r"表$", t) and not _TITLE.search(out[-1]) and not re.search(r"[。；;:：]$", out[-1]):
            out[-1] += t
        else:
            out.append(t)
    return out


def detect_kind(roles: set[str], title: str | None, project: str | None) -> tuple[str, str | None]:
    """(table_kind, family) from the header's roles and the caption."""
    t = title or ""
    # Department tables say so (部门整体支出…); a caption naming anything else is a project's.
    projectish = project is not None or (bool(t) and not re.search(r"部门整体|整体支出|单位整体|部门绩效|部门(年度)?(预算)?绩效目标", t))
    if "name" not in roles and not {"level1", "level2", "weight"} <= roles:
        return "other", None
    if "level1" in roles or "level2" in roles:
        if "actual" in roles:
            return ("project_self_eval" if projectish else "dept_self_eval"), "indicator"
        if "target" in roles:
            return ("project_target" if projectish else "dept_target"), "indicator"
        if "weight" in roles and "score" in roles:
            if "自评表" in t and "得分情况" not in t and "汇总" not in t:
                return "dept_self_eval", "scoring_sheet"
            return "score_summary", "scoring_sheet"
        return "other", None
    if "actual" in roles and "target" in roles:
        return "key_indicators", "key_indicators"
    if "target" in roles:
        return ("project_target" if projectish else "dept_target"), "flat"
    if "weight" in roles and "score" in roles:
        return "score_summary", "flat"
    return "other", None


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


def _parse_funds(grid: list[list[str]], stop: int, aligned: bool) -> list[FundRow]:
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


@dataclass
class Continuation:
    """What a table passes to its continuation on the next page: header, open labels, column x-ranges."""

    header: Header
    state: LevelState
    col_x: dict[int, tuple[float, float]]
    open_tail: int = 0  # last rows of the part whose merged 一级/二级 cell prints its label on the next page
    edges: tuple[float, ...] = ()  # column edges of the table's earlier parts

    def then(self, part: Continuation) -> Continuation:
        """The continuation after `part` was stitched on: its open labels, every column edge seen, and
        the header of the wider of the two (a part may show only some of the table's columns)."""
        seen = tuple(sorted(set(self.edges) | {x for rng in self.col_x.values() for x in rng}))
        if len(part.col_x) >= len(self.col_x):
            return replace(part, edges=seen)
        return replace(self, state=part.state, open_tail=part.open_tail, edges=seen)


def column_ranges(raw: RawTable, kept: list[int]) -> dict[int, tuple[float, float]]:
    """x-range of every grid column (after dropping empty columns), from the cells' bboxes."""
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for c in raw.cells:
        if c.bbox:
            left.setdefault(c.col, c.bbox[0])
            right.setdefault(c.col + c.colspan - 1, c.bbox[2])
    return {j: (left[k], right[k]) for j, k in enumerate(kept) if k in left and k in right}


def _remap_header(cont: Continuation, ranges: dict[int, tuple[float, float]]) -> Header:
    """The previous page's header applied to this grid by column position on the page."""
    if not cont.col_x or not ranges:
        return cont.header
    positions = {}
    for j, (x0, x1) in ranges.items():
        mid = (x0 + x1) / 2
        src = next((k for k, (a, b) in cont.col_x.items() if a <= mid <= b), None)
        if src is not None and src in cont.header.positions:
            positions[j] = cont.header.positions[src]
    return Header(0, 0, positions, cont.header.roles)


def normalise_table(raw: RawTable, prov: Provenance) -> Table:
    return _normalise(raw, prov, None)[0]


def _normalise(raw: RawTable, prov: Provenance, cont: Continuation | None) -> tuple[Table, Continuation | None]:
    grid = [[c or "" for c in row] for row in expand_spans(raw)]
    kept = list(range(raw.n_cols))
    if raw.aligned:
        grid, kept = drop_empty_columns(grid)
    index = cell_index(raw)
    ranges = column_ranges(raw, kept)
    header = find_header(grid)
    used = header or (_remap_header(cont, ranges) if cont else None)
    # Without a header of its own, a table's first rows may still hold 项目名称 (a head on its own page).
    title, project, head = _title_and_context(raw, grid, header.start if header else min(len(grid), 8))
    if used is None and cont is None:
        packed = _packed_table(raw, prov, grid, kept, index, title, project, head)
        if packed is not None:
            return packed, None
    if used is None:
        meta = TableMeta(head=head, funds=_parse_funds(grid, len(grid), raw.aligned))
        quality = TableQuality("other", None, raw.source_engine, False, 0, raw.n_rows, 0, 0, _empty_share(grid), 0.0, 1,
                               raw.notes)
        return Table(prov, "other", title, project, (), [], meta, quality, raw), None
    kind, family = detect_kind(set(used.roles), title, project)
    funds = _parse_funds(grid, header.start if header else 0, raw.aligned) if header else []
    state = LevelState(**vars(cont.state)) if cont else LevelState()
    start = header.end if header else _indicator_start(grid, project is not None or bool(funds))
    body = _read_body(grid, used, start, raw, index, kept, state, continued=cont is not None)
    n_level_cols = sum(1 for r in used.roles if r in ("level1", "level2"))
    meta = replace(body.meta, family=family, funds=funds, head=head, level_columns=n_level_cols,
                   blank_template=header is not None and not body.rows and cont is None)
    quality = TableQuality(
        kind=kind,
        family=family,
        engine=raw.source_engine,
        header_found=header is not None,
        header_rows=(header.end - header.start) if header else 0,
        rows_total=body.total,
        rows_emitted=len(body.rows),
        rows_dropped=body.dropped,
        empty_share=_empty_share(grid[used.end if header else 0:]),
        numbers_parsed=round(body.numbers_ok / body.numbers_seen, 3) if body.numbers_seen else 1.0,
        stitched_parts=1,
        notes=raw.notes,
    )
    table = Table(prov, kind, title, project, used.roles, body.rows, meta, quality, raw)
    return table, Continuation(used, state, ranges, body.open_tail)


PACKED_COLUMNS = {"packed": re.compile(r"^(年度)?绩效指标$"), "goal": re.compile(r"^(年度)?绩效目标$")}


def _packed_header(grid: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(header row, role -> column) of a table with one row per project whose 绩效指标 column packs
    every indicator of the project into one cell (see packed.py)."""
    for r, row in enumerate(grid[:8]):
        cols: dict[str, int] = {}
        for c, text in enumerate(row):
            t = _PAREN.sub("", strip_ws(nfkc(text)))
            for role, pat in PACKED_COLUMNS.items():
                if pat.match(t) and role not in cols:
                    cols[role] = c
            if header_role(text) == "project" and "project" not in cols:
                cols["project"] = c
        if "packed" in cols and "project" in cols:
            return r, cols
    return None


def _packed_table(raw: RawTable, prov: Provenance, grid: list[list[str]], kept: list[int], index: dict,
                  title: str | None, project: str | None, head_fields: dict[str, str]) -> Table | None:
    """The table as project rows with their packed cells, when its body holds such cells; rows.py
    splits them. A row without a project name continues the row above (a cell run onto the next page)."""
    found = _packed_header(grid)
    if found is None:
        return None
    head, cols = found
    rows: list[LogicalRow] = []
    for r in range(head + 1, len(grid)):
        cells = {role: grid[r][c] for role, c in cols.items() if c < len(grid[r])}
        if not strip_ws(cells.get("packed", "")):
            continue  # 合计, a department's subtotal: no indicators
        cells["project"] = strip_ws(cells.get("project", ""))
        bboxes, page, sure, fits = {}, raw.page, {}, {}
        for role, c in cols.items():
            cell = index.get((r, kept[c])) if c < len(kept) else None
            if cell is not None and cell.bbox is not None:
                bboxes[role] = cell.bbox
                page = cell.page or page
            _cell_marks(cell, role, sure, fits)
        rows.append(LogicalRow(index=len(rows), cells=cells, bboxes=bboxes, page=page, confidence=sure, fits=fits))
    if not rows or not any(is_packed(r.cells["packed"]) for r in rows):
        return None
    kind = "dept_target" if re.search(r"部门整体|整体支出", title or "") else "project_target"
    # each project's 绩效目标 paragraph is the project's record, never an indicator cell's text
    goals = [ProjectGoal(r.cells["project"], joined(r.cells.get("goal", ""))) for r in rows if strip_ws(r.cells.get("goal", ""))]
    meta = TableMeta(family="packed", head=head_fields, project_goals=goals)
    quality = TableQuality(kind, "packed", raw.source_engine, True, head + 1, len(grid) - head - 1, len(rows),
                           len(grid) - head - 1 - len(rows), _empty_share(grid[head + 1:]), 1.0, 1, raw.notes)
    return Table(prov, kind, title, project, tuple(sorted(cols, key=cols.get)), rows, meta, quality, raw)


def _indicator_start(grid: list[list[str]], has_head: bool) -> int:
    """First body row of a table read with another part's header. Rows above the first level label
    are the table's own head block (项目名称, funds, 总体目标) when it has one; otherwise the body
    starts at the top (a continued span may print no label)."""
    if not has_head:
        return 0
    return next((r for r, row in enumerate(grid) if any(is_level_label(strip_ws(c)) for c in row)), len(grid))


def _empty_share(grid: list[list[str]]) -> float:
    cells = [c for r in grid for c in r]
    return round(sum(1 for c in cells if not strip_ws(c)) / len(cells), 3) if cells else 0.0


_PLACEHOLDER = re.compile(r"^[/／\\\-－—–─_*＊…·.。、]+$|^(无|暂无)$")


def _placeholder(text: str | None) -> bool:
    """Blank, or a filler that says "nothing here" (/, —, *, 无)."""
    return not text or bool(_PLACEHOLDER.match(strip_ws(text)))


def _read_body(grid: list[list[str]], header: Header, start: int, raw: RawTable, index: dict, kept: list[int],
               state: LevelState, continued: bool = False) -> _Body:
    body = _Body()
    n_level_cols = sum(1 for r in header.roles if r in ("level1", "level2"))
    pending_backfill: list[int] = []
    for r in range(start, len(grid)):
        row = grid[r]
        cells = [strip_ws(c) for c in row]
        if not any(cells):
            continue
        first = next(c for c in cells if c)
        if _TERMINATORS.match(first):
            rest = [clean_text(c) for c in row if strip_ws(c) and not _TERMINATORS.match(strip_ws(c))]
            body.meta.other_notes = " ".join(dict.fromkeys(t for t in rest if t)) or None
            continue
        label = _PAREN.sub("", first)
        if _GRADE_LABEL.match(label):
            grade = next((c for c in cells[cells.index(first) + 1:] if c), None)
            if grade:
                body.meta.grade = grade
            continue
        if _TOTAL.match(label):
            if body.rows or continued:  # a 总分 row closes the body (a page may hold it alone); a 合计 row above the first indicator does not
                body.meta = replace(body.meta, **_parse_total(row))
                break
            continue
        if is_header_repeat(row, header):
            body.meta.repeated_headers += 1
            continue
        body.total += 1
        roles, cols, labels = map_row(row, header, raw.aligned)
        name = clean_text(roles.get("name"))
        values = [clean_text(roles.get(k)) for k in VALUE_ROLES]
        if labels:
            state.take_labels(labels)
        if _placeholder(name) and all(_placeholder(v) for v in values):
            name, values = "", []  # "/" or "—" in every cell: the template's way of saying "no indicator here"
        if not name and not any(values):
            if labels:
                body.meta.empty_groups.append(state.level2 or state.level1)
            else:
                body.dropped += 1
            continue
        if name and not any(values) and not clean_text(roles.get("op")) and not labels:
            body.dropped += 1  # a name with nothing measured: wrapped text or narrative, not a row
            continue
        if not name and "name" in header.roles and not any(values[2:]):  # a group with no 三级 row: nothing scored
            body.meta.empty_groups.append(state.level2 or state.level1)
            continue
        for k in ("weight", "score"):
            if strip_ws(roles.get(k)):
                body.numbers_seen += 1
                body.numbers_ok += parse_number(roles.get(k)) is not None
        if state.level2 is None and n_level_cols:
            pending_backfill.append(len(body.rows))
        if raw.aligned and _label_below_page(r, header, kept, index, len(grid)):
            body.open_tail += 1
        out = dict(roles)
        if "project" in header.roles:
            _row_project(state, out, roles, cols, r, kept, index, raw, first_of_part=continued and not body.rows)
        out.update(
            level1=state.level1 or "",
            level1_weight="" if state.level1_weight is None else str(state.level1_weight),
            level2=state.level2 or "",
            level2_weight="" if state.level2_weight is None else str(state.level2_weight),
        )
        bboxes, sure, fits = {}, {}, {}
        for role, j in cols.items():
            cell = index.get((r, kept[j])) if raw.aligned and j < len(kept) else None
            if cell is not None and cell.bbox is not None:
                bboxes[role] = cell.bbox
            _cell_marks(cell, role, sure, fits)
        body.rows.append(LogicalRow(index=len(body.rows), cells=out, bboxes=bboxes, page=raw.page, confidence=sure,
                                    fits=fits))
    _backfill_midspan(body.rows, pending_backfill)
    return body


def _label_below_page(r: int, header: Header, kept: list[int], index: dict, n_rows: int) -> bool:
    """Row r lies in an empty merged 一级/二级 cell that runs to the bottom of the part: the cell
    goes on over the page break and prints its label there, mid-span."""
    for col, role in header.positions.items():
        cell = index.get((r, kept[col])) if role in ("level1", "level2") and col < len(kept) else None
        if cell is not None and not strip_ws(cell.text) and cell.rowspan >= 2 and cell.row + cell.rowspan >= n_rows:
            return True
    return False


def _row_project(state: LevelState, out: dict, roles: dict, cols: dict, r: int, kept: list[int], index: dict,
                 raw: RawTable, first_of_part: bool) -> None:
    """Row-level 项目名称 of a multi-project table. A merged project cell prints its name once, often
    mid-span and sometimes on the next page: rows of a still nameless cell wait for the name."""
    text = clean_text(roles.get("project"))
    j = cols.get("project")
    cell = index.get((r, kept[j])) if raw.aligned and j is not None and j < len(kept) else None
    same_cell = cell is not None and cell is state.project_cell
    state.project_cell = cell
    if text:
        state.project = text
        for waiting in state.project_pending:
            waiting["project"] = text
        state.project_pending = []
    elif first_of_part or (same_cell and not state.project_pending) or cell is None:
        pass  # the merged cell continues from the page before (or no geometry): keep its name
    else:
        state.project = None
        state.project_pending.append(out)
    out["project"] = state.project or ""


def _backfill_midspan(rows: list[LogicalRow], pending: list[int]) -> None:
    """Rows before the first 二级 label belong to it: a merged label printed mid-span (DOMAIN §5.4)."""
    first = next((row for row in rows if row.cells.get("level2")), None)
    if first is None:
        return
    for i in pending:
        cells = rows[i].cells
        if not cells.get("level2"):
            cells["level2"] = first.cells["level2"]
            cells["level2_weight"] = first.cells.get("level2_weight", "")
            if not cells.get("level1"):
                cells["level1"] = first.cells.get("level1", "")
                cells["level1_weight"] = first.cells.get("level1_weight", "")


def _parse_total(row: list[str]) -> dict:
    # 得分率 ("96.9%") is not a total: keep plain numbers only.
    nums = [parse_number(c) for c in row if parse_number(c) is not None and "%" not in c]
    out: dict = {}
    if len(nums) >= 2:
        out["total_weight"], out["total_score"] = nums[-2], nums[-1]
    elif len(nums) == 1:
        out["total_score"] = nums[0]
    grade = next((strip_ws(c) for c in row if _GRADE.match(strip_ws(c))), None)
    if grade:
        out["grade"] = grade
    return out


# ---------------------------------------------------------------- whole documents


def _may_continue(prev: Table, raw: RawTable) -> bool:
    """Whether a table right after `prev` can be its continuation over a page break: `prev` is an
    indicator table without its closing total, the table starts on the same or the next page, and
    no caption other than the previous one's stands above it."""
    if prev.kind not in INDICATOR_KINDS:
        return False
    captions = [strip_ws(t) for t in raw.context if _TITLE.search(strip_ws(t))]
    if captions and (prev.title is None or any(c not in prev.title for c in captions)):
        return False
    if prev.meta.total_score is not None:
        return False
    last = prev.meta.last_page if prev.meta.last_page is not None else prev.raw.page
    return raw.page is None or last is None or raw.page in (last + 1, last)


def _own_head(table: Table, prev: Table) -> bool:
    """A title or 项目名称 of its own, different from the previous table's, starts a new table. A
    caption printed again on the next page is no title of its own, even when the previous title
    has more lines (or, in a messy text layer, two captions printed over each other)."""
    own_title = table.title is not None and any(part not in (prev.title or "") for part in table.title.split(" "))
    return own_title or table.project not in (None, prev.project)


# How far a column edge of the same template moves from one page to the next: a born-digital 西安
# table's rules are redrawn up to 4.7 pt apart on consecutive pages, and a scan's rules sit a pixel
# or two off (0.5-1 pt at 150-200 dpi)
COLUMN_DRIFT = 6.0


def _columns_continue(before: Continuation, after: dict[int, tuple[float, float]],
                      tolerance: float = COLUMN_DRIFT) -> bool:
    """The columns of a headerless part continue the table before it: nearly every column edge of
    the part is a column edge of one of the table's parts so far (the same template's rules; a part
    may show only some columns). Without geometry (text dumps), nothing contradicts it."""
    known = sorted(set(before.edges) | {x for rng in before.col_x.values() for x in rng})
    if not known or not after:
        return True
    edges = sorted({x for rng in after.values() for x in rng})
    matched = sum(1 for x in edges if any(abs(x - k) <= tolerance for k in known))
    return matched >= 0.8 * len(edges)


def normalise_document(doc: Document, warnings: list[DocError] | None = None) -> list[Table]:
    """Every raw table of the document, normalised, with continued tables stitched.

    A table that cannot be interpreted is left out and, when `warnings` is given, recorded there with
    its page and table (errors as data); without `warnings` the failure propagates."""
    tables: list[Table] = []
    conts: list[Continuation | None] = []
    for i, raw in enumerate(doc.tables):
        with recorded(warnings, "table not read", raw.page, i):  # one malformed table must not lose the document
            _add_table(doc, i, raw, tables, conts)
    return tables


def _add_table(doc: Document, i: int, raw: RawTable, tables: list[Table], conts: list[Continuation | None]) -> None:
    """Normalise one raw table and append it to `tables`, or stitch it onto the last one."""
    prov = Provenance(doc.source, doc.sha256, raw.page, raw.sheet, i)
    table, cont = _normalise(raw, prov, None)
    prev = tables[-1] if tables else None
    if prev is not None and _is_head_only(prev) and table.kind in INDICATOR_KINDS and table.title is None \
            and raw.page is not None and prev.raw.page is not None and raw.page == prev.raw.page + 1:
        table = _with_head(table, prev)  # 项目名称 and funds on one page, the indicators on the next
    elif prev is not None and conts[-1] is not None and _may_continue(prev, raw) and _own_head(table, prev):
        if table.kind == "other" and table.title is None:
            # its own 项目名称 block but no header row: the next table of the same template
            new, new_cont = _normalise(raw, prov, Continuation(conts[-1].header, LevelState(), conts[-1].col_x))
            if new_cont is not None and new.rows and _columns_continue(conts[-1], new_cont.col_x):
                table, cont = _same_template(new, prev), new_cont
    elif prev is not None and conts[-1] is not None and _may_continue(prev, raw):
        if table.kind == "other":
            part, part_cont = _normalise(raw, prov, conts[-1])
            if part_cont is not None and _columns_continue(conts[-1], part_cont.col_x):
                _stitch(prev, part, conts[-1].open_tail)
                conts[-1] = conts[-1].then(part_cont)
                return
        elif _same_header(table, prev):
            part, cont = _normalise(raw, prov, Continuation(cont.header, conts[-1].state, cont.col_x))
            _stitch(prev, part, conts[-1].open_tail)
            conts[-1] = conts[-1].then(cont)
            return
    tables.append(table)
    conts.append(cont)


def _same_template(table: Table, prev: Table) -> Table:
    """A table read with the header of the table before it: the series caption applies to it too."""
    kind, family = detect_kind(set(table.roles), prev.title, table.project)
    q = table.quality
    quality = TableQuality(kind, family, q.engine, q.header_found, q.header_rows, q.rows_total, q.rows_emitted,
                           q.rows_dropped, q.empty_share, q.numbers_parsed, q.stitched_parts,
                           q.notes + (f"no header row: columns read with the header of the table on page {prev.raw.page}",))
    return Table(table.provenance, kind, prev.title, table.project, table.roles, table.rows,
                 replace(table.meta, family=family), quality, table.raw)


def _is_head_only(t: Table) -> bool:
    """A table holding only the head of a self-evaluation table: 项目名称 and/or the funds block."""
    return t.kind == "other" and bool(t.meta.funds or t.project)


def _with_head(table: Table, head: Table) -> Table:
    title = head.title
    project = table.project or head.project
    kind, family = detect_kind(set(table.roles), title, project)
    # the head's funds block, when it has one, comes with the rest of its meta
    meta = replace(table.meta.over(head.meta), family=family)
    rows = [LogicalRow(r.index, r.cells, r.bboxes, r.page, r.confidence, r.fits) for r in table.rows]
    q = table.quality
    quality = TableQuality(kind, family, q.engine, q.header_found, q.header_rows, q.rows_total, q.rows_emitted,
                           q.rows_dropped, q.empty_share, q.numbers_parsed, q.stitched_parts,
                           q.notes + (f"title, project and funds from the table on page {head.raw.page}",))
    return Table(table.provenance, kind, title, project, table.roles, rows, meta, quality, table.raw)


def _same_header(a: Table, b: Table) -> bool:
    return a.roles == b.roles


def _stitch(into: Table, part: Table, open_tail: int = 0) -> None:
    """Append a continuation part; the last `open_tail` rows of `into` take the labels of the part's
    first row (their merged cell prints its label after the break)."""
    if open_tail and part.rows:
        first = part.rows[0].cells
        for row in into.rows[-open_tail:]:
            for k in ("level1", "level1_weight", "level2", "level2_weight"):
                row.cells[k] = first.get(k, "")
    offset = len(into.rows)
    for row in part.rows:
        into.rows.append(LogicalRow(index=offset + row.index, cells=row.cells, bboxes=row.bboxes, page=row.page,
                                    confidence=row.confidence, fits=row.fits))
    into.meta.last_page = part.raw.page
    for k in ("total_weight", "total_score", "grade", "other_notes"):
        if getattr(part.meta, k) is not None:
            setattr(into.meta, k, getattr(part.meta, k))
    q = into.quality
    into.quality = TableQuality(
        q.kind, q.family, q.engine, q.header_found, q.header_rows, q.rows_total + part.quality.rows_total,
        q.rows_emitted + part.quality.rows_emitted, q.rows_dropped + part.quality.rows_dropped, q.empty_share,
        q.numbers_parsed, q.stitched_parts + 1, q.notes + (f"stitched continuation (table part {q.stitched_parts + 1})",),
    )
