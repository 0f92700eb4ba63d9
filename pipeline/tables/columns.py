"""Header rows and body columns: which role a header cell names (by meaning, not position), where
the header band is, and how a body row maps onto the roles (anchoring on the 指标性质 cell when
cells shifted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..levels import canonical_level1, canonical_level2
from ..model import Cell, RawTable
from ..values import OP_CELL, TRAILING_OP, nfkc, parse_number, strip_ws


SELF_EVAL_KINDS = ("project_self_eval", "dept_self_eval")  # the tables that report actuals and scores
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

PARENTHETICAL = re.compile(r"[(（][^)）]{0,12}[)）]")
TERMINATORS = re.compile(r"^(其他需(要)?说明(的)?事项|其他说明|其他需要说明的情况)")
TOTAL_LABEL = re.compile(r"^(总分|合计|总计|得分合计|评价总分|自评总分|总得分|综合得分)$")
# A grade row (评价等级 | 良) is a table fact like the total, never an indicator row.
GRADE_LABEL = re.compile(r"^(评价|自评|绩效|综合)?等级$|^(评价|自评)结果$")
GRADE_VALUE = re.compile(r"^(优|良|中|差|优秀|良好|合格|不合格)$")
TITLE_LINE = re.compile(r"((绩效|自评|目标|指标|得分|决算|预算|评价).{0,40}(表|情况)$)|^表\s*\d|公开\d+(-\d+)?表|^附件\s*\d")
IGNORED_LABELS = re.compile(r"^(年度)?绩效指标$|^绩效目标$")


def header_role(text: str | None) -> str | None:
    t = PARENTHETICAL.sub("", strip_ws(nfkc(text or "")))
    if not t or len(t) > 20:
        return None
    bare = _HEADER_PREFIX.sub("", t)
    for role, pat in HEADER_ROLES:
        if pat.search(t) or (bare and bare != t and pat.search(bare)):
            return role
    return None


def fund_role(text: str | None) -> str | None:
    t = PARENTHETICAL.sub("", strip_ws(nfkc(text or "")))
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


def cell_marks(cell: Cell | None, role: str, confidence: dict[str, float], fits: dict[str, bool]) -> None:
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
