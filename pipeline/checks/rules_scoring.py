"""Rules on how a table scores: level-1 weights against the standard shares, the execution-rate
score, the proportional formula, indicator direction, qualitative bands, and the 山西 cost cap
(DOMAIN.md §3.2 C04 C07 C10 C18 C19 C36)."""

from __future__ import annotations

import re
from pathlib import PurePath

from ..values import canonical_unit, nfkc, strip_ws
from .common import (OP_PREFIX, SCORE_TOL, STANDARD_SHARES, as_printed, bare_name, effective_name,
                     fixed_hierarchy, full_marks, row_level1, scale_mismatch, scored)
from ..tables import SELF_EVAL_KINDS
from .registry import rule

STANDARD_SHARES_WITH_COST = (("成本指标", 20.0), ("产出指标", 40.0), ("效益指标", 20.0), ("满意度指标", 10.0))
STANDARD_EXEC_WEIGHT = 10.0


SHANXI_COST_CAP = 5.0  # C36: the 山西 rule caps the 成本 points
APPROX_SLACK = 0.1  # an actual printed with 余/约 may be up to 10 % larger than its number


def _close(printed: float, expected: float) -> bool:
    """A score agrees with its formula within ±0.01, or as printed with one decimal (7.713 → 7.7)."""
    return abs(printed - expected) <= SCORE_TOL + 1e-9 or abs(printed - round(expected, 1)) <= 1e-9


@rule("C04", "level1_weights_nonstandard", title="一级指标分值偏离常规权重", severity="info",
      rationale="产出 50 / 效益 30 / 满意度 10 plus 执行率 10 is the principle; departments may adjust it, so a "
                "different split is reported at info (DOMAIN §2.2, §3.2 C04). Shares are the sums of the row weights "
                "(the printed 一级 weight where a group has none). Tables of the newer template with 成本 as a 一级 "
                "are held to its split 成本 20 / 产出 40 / 效益 20 / 满意度 10 (+10) [recalled from the central "
                "2021 guidance; every 国家信访局 table in the corpus follows it].",
      message="一级指标分值为 {shares}（执行率 {exec_weight}），不同于常规的 {standard}（执行率10）",
      message_en="level-1 weights are {shares} (execution rate {exec_weight}), not the usual {standard} (+10)")
def level1_weights_nonstandard(table, rows):
    if "weight" not in table.roles or not scored(rows) or not fixed_hierarchy(rows):
        return
    standard = STANDARD_SHARES_WITH_COST if any(r.level1 == "成本指标" for r in rows) else STANDARD_SHARES
    shares = _level1_shares(rows, [name for name, _ in standard])
    if any(shares.get(name) is None for name, _ in STANDARD_SHARES):
        return  # a missing 一级 is C35's finding
    funds = (table.meta.funds or [{}])[:1]
    exec_weight = funds[0].get("weight") if funds else None
    off = [name for name, std in standard if abs((shares.get(name) or 0.0) - std) > SCORE_TOL]
    if exec_weight is not None and abs(exec_weight - STANDARD_EXEC_WEIGHT) > SCORE_TOL:
        off.append("执行率")
    if off:
        yield None, {"shares": _shares_text(shares, standard), "exec_weight": as_printed(exec_weight), "off": off,
                     "standard": _shares_text(dict(standard), standard), "weights": shares}


def _shares_text(shares: dict, standard) -> str:
    """"产出 70 / 效益 15 / 满意度 5"."""
    return " / ".join(f"{name.removesuffix('指标')} {as_printed(shares.get(name) or 0)}" for name, _ in standard)


def _level1_shares(rows, names: list[str]) -> dict[str, float | None]:
    """Σ row weights per 一级; a group without row weights uses its printed weight."""
    sums: dict[str, float] = {}
    printed: dict[str, float] = {}
    for r in rows:
        level1 = row_level1(r)
        if level1 is None:
            continue
        if r.weight is not None:
            sums[level1] = sums.get(level1, 0.0) + r.weight
        elif r.level1_weight is not None:
            printed.setdefault(level1, r.level1_weight)
    return {name: (round(sums[name], 2) if name in sums else printed.get(name)) for name in names}


# ---------------------------------------------------------------- C07


_EXEC_ROW = re.compile(r"^(?!.*(采购|三公|项目)).*(预算|资金)(资金)?(执行|支出)率$")


@rule("C07", "exec_score_mismatch", title="执行率得分与执行率不符", severity="warning", scope="document",
      rationale="The execution-rate score is min(rate, 100 %) × its weight (DOMAIN §2.3, §3.2 C07). Checked on the "
                "funds block of self-evaluation tables (the printed rate, or executed / full-year budget) and on a "
                "score sheet's 支出率/执行率 row against the department's own funds block when the document prints "
                "exactly one. Sheets with a 评分标准 column state banded rules (seed 001) and are not checked.",
      message="执行率 {rate}% × 分值 {weight} 应得 {expected} 分，表中为 {score} 分",
      message_en="execution rate {rate}% × weight {weight} gives {expected}, the table prints {score}",
      cells=("weight", "score"))
def exec_score_mismatch(tables, rows):
    for t in tables:
        if t.kind not in SELF_EVAL_KINDS:
            continue
        for f in t.meta.funds[:1]:
            found = _exec_score_off(f.get("weight"), f.get("score"), _fund_rates(f))
            if found:
                yield t, found
    rate = _department_rate(tables)
    if rate is None:
        return
    sheets = {t.provenance.table_index for t in tables
              if t.kind in ("score_summary", "dept_self_eval") and "criteria" not in t.roles and not t.meta.funds}
    for r in rows:
        if r.table_index in sheets and r.name and _EXEC_ROW.search(bare_name(r.name)):
            found = _exec_score_off(r.weight, r.score, [rate])
            if found:
                yield r, found


def _fund_rates(f: dict) -> list[float]:
    """The printed rate and the recomputed one: a wrong printed rate is C05's finding, not this one's."""
    rates = [f["rate"]] if f.get("rate") is not None else []
    if f.get("budget_full") and f.get("executed") is not None:
        rates.append(f["executed"] / f["budget_full"] * 100)
    return rates


def _exec_score_off(weight, score, rates) -> dict | None:
    if weight is None or score is None or not rates:
        return None
    expected = [round(min(rate, 100.0) / 100 * weight, 2) for rate in rates]
    if any(_close(score, e) for e in expected):
        return None
    return {"rate": as_printed(rates[0]), "weight": as_printed(weight), "expected": as_printed(expected[0]), "score": as_printed(score)}


def _department_rate(tables) -> float | None:
    """The execution rate of the department's funds block, when the document prints exactly one."""
    rates = set()
    for t in tables:
        if t.project or t.kind.startswith("project"):
            continue
        for f in t.meta.funds[:1]:
            if f.get("budget_full") and f.get("executed") is not None:
                rates.add(round(f["executed"] / f["budget_full"] * 100, 2))
            elif f.get("rate") is not None:
                rates.add(f["rate"])
    return rates.pop() if len(rates) == 1 else None


# ---------------------------------------------------------------- C10


@rule("C10", "score_off_formula", title="得分与比例计分规则不符", severity="warning",
      rationale="A positive (>=, >) target met earns the weight, a shortfall W·B/A (DOMAIN §2.4, §3.2 C10); '=' "
                "below its target is scored the same way; a '≤'/'<' target met earns the weight (points deducted on a "
                "met target). Over-scoring is a warning, under-scoring info (§3.3). "
                "Full marks on a miss, zero actuals, scale errors and comparisons printed as actuals are left to "
                "C11, C12, C13, C16 and C21; 反向 targets have regional variants and are not checked.",
      message="按比例计分应得 {expected} 分（实际 {actual} / 目标 {target} × 分值 {weight}），表中为 {score} 分",
      message_en="the proportional rule gives {expected} (actual {actual} / target {target} × weight {weight}), "
                 "the table prints {score}",
      cells=("target", "actual", "score"))
def score_off_formula(table, rows):
    for r in scored(rows):
        a, b, s, w = r.target_value, r.actual_value, r.score, r.weight
        if _lower_is_better_met(r):
            if s < w - SCORE_TOL:  # a '≤' target met earns the weight whatever the regional rule for misses
                yield r, {"op": r.op, "target": as_printed(a), "actual": as_printed(b), "weight": as_printed(w), "score": as_printed(s),
                          "expected": as_printed(w), "direction": "under", "severity": "info"}
            continue
        if not _proportional_applies(r):
            continue
        expected = w if b >= a else round(w * b / a, 2)
        high = round(w * min(b * (1 + APPROX_SLACK), a) / a, 2) if "actual_approx" in r.flags else expected
        if _close(s, expected) or (expected - SCORE_TOL <= s <= high + SCORE_TOL):
            continue
        over = s > high
        if over and full_marks(r):
            continue  # full marks on a miss: C11 (or C12 for '=')
        yield r, {"op": r.op, "target": as_printed(a), "actual": as_printed(b), "weight": as_printed(w), "score": as_printed(s),
                  "expected": as_printed(expected), "direction": "over" if over else "under",
                  "severity": "warning" if over else "info"}


def _measured_pair(r) -> bool:
    """Target and actual are numbers on one unit and scale, the actual a measurement ("＜60%" is not: C21),
    the row scored and not qualitative."""
    if r.target_value is None or r.actual_value is None or r.score is None or r.qualitative:
        return False
    if any(f.endswith("multi_value") for f in r.flags) or scale_mismatch(r) or "percent_scale" in r.flags:
        return False
    if r.actual and OP_PREFIX.match(r.actual):
        return False
    return not (r.target_unit and r.actual_unit and canonical_unit(r.target_unit) != canonical_unit(r.actual_unit))


def _lower_is_better_met(r) -> bool:
    """A '≤'/'<' target met by a measured actual."""
    if r.op not in ("<=", "<") or not _measured_pair(r):
        return False
    return r.actual_value <= r.target_value if r.op == "<=" else r.actual_value < r.target_value


def _proportional_applies(r) -> bool:
    if not _measured_pair(r):
        return False
    a, b = r.target_value, r.actual_value
    if a <= 0 or b == 0:
        return False  # B = 0 with points is C13's
    return r.op in (">=", ">", "=") and not (r.op == "=" and b > a)


# ---------------------------------------------------------------- C18

# How a name ends when less is better (成本, 费用, 投诉, 事故, 差错, 时限, 发生率) and when more is better.
_NEGATIVE_WORDS = ("发生率|发生次数|发生数|发生起数|事故率|事故数|事故起数|事故次数|事故|投诉率|投诉量|投诉数|投诉次数|"
                   "投诉件数|投诉|差错率|差错数|差错|失误率|故障率|时限|成本|费用|超支率|死亡人数|死亡率")
_POSITIVE_WORDS = "合格率|满意度|满意率|覆盖率|完成率|达标率|知晓率|办结率|完好率"
_NEGATIVE_END = re.compile(f"({_NEGATIVE_WORDS})$")
_POSITIVE_END = re.compile(f"({_POSITIVE_WORDS})$")
_NEGATED = re.compile(f"[不未无]({_NEGATIVE_WORDS}|{_POSITIVE_WORDS})$")  # 不合格率, 无事故: the meaning flips
_REDUCTION = re.compile(r"降低|下降|减少|压减|压降|节约|节省|控制率|处理|办理|查处|受理|调解|侦破|化解|处置|办结|"
                        r"(适用|使用|有效|保质|质保|保修|服务)(时限|年限|期限)")  # 适用时限: a validity period, longer is better


@rule("C18", "direction_mismatch", title="指标方向与含义相反", severity="info",
      rationale="Costs, complaints, accidents, errors, time limits and occurrence rates should not grow (≤); pass, "
                "satisfaction, coverage and completion rates should not shrink (≥) (DOMAIN §1.11, §3.2 C18). Judged "
                "on how the complete name ends; names that count handled cases (处理…事故案件数) or measure a "
                "reduction (成本节约率) are left alone, and a name cut by its cell without a completion is skipped.",
      message="“{name}”的指标性质为 {op}，与指标含义（{meaning}）相反", message_en="'{name}' is set as {op}, "
      "against its meaning ({meaning_en})", cells=("name", "target"))
def direction_mismatch(table, rows):
    for r in rows:
        name = effective_name(r)
        if not name or r.op is None or r.target_value is None:
            continue
        bare = bare_name(name)
        if _NEGATED.search(bare):
            continue
        if r.op in (">=", ">") and _NEGATIVE_END.search(bare) and not _REDUCTION.search(bare):
            yield r, {"name": name, "op": r.op, "meaning": "越低越好", "meaning_en": "less is better"}
        elif r.op in ("<=", "<") and _POSITIVE_END.search(bare):
            yield r, {"name": name, "op": r.op, "meaning": "越高越好", "meaning_en": "more is better"}


# ---------------------------------------------------------------- C19

_BANDS = {"high": (0.8, 1.0), "mid": (0.6, 0.8), "low": (0.0, 0.6)}
_BAND_PHRASES = {"high": "达成年度指标", "mid": "部分达成年度指标并具有一定效果", "low": "未达成年度指标且效果较差"}


def qualitative_band(text: str | None) -> str | None:
    """The §2.6 band a text names: 未达成…/…效果较差 → low, 部分达成…/具有一定效果 → mid, 达成年度指标 → high."""
    t = strip_ws(nfkc(text or ""))
    if re.search(r"未(能)?达成(年度)?(绩效)?指标|效果较差", t):
        return "low"
    if re.search(r"部分达成(年度)?(绩效)?指标|具有一定效果", t):
        return "mid"
    if re.search(r"达成(年度)?(绩效)?指标", t):
        return "high"
    return None


@rule("C19", "qualitative_band_mismatch", title="定性指标得分不在所述档次", severity="warning",
      rationale="A qualitative row that names its band scores within it: 达成年度指标 80–100 % of W, 部分达成… "
                "60–80 %, 未达成… below 60 % (DOMAIN §2.6, §3.2 C19). The band is read from the actual value, the "
                "row's 评分标准/备注 cells and its reason; 评分说明 prose outside the table is not extracted.",
      message="“{phrase}”对应得分区间 {low}–{high} 分，实得 {score}/{weight}",
      message_en="'{phrase}' means a score of {low}–{high}, the row scored {score}/{weight}",
      cells=("actual", "score"))
def qualitative_band_mismatch(table, rows):
    logical = {lr.index: lr for lr in table.rows}
    for r in scored(rows):
        if r.target_value is not None or r.score is None:
            continue
        cells = logical[r.row_index].cells if r.row_index in logical else {}
        texts = [r.actual, r.reason] + [cells.get(k) for k in ("criteria", "note", "target_note")]
        bands = {b for b in map(qualitative_band, texts) if b}
        if len(bands) != 1:
            continue  # no band named, or two contradicting ones: nothing firm to compare with
        band = bands.pop()
        lo, hi = (f * r.weight for f in _BANDS[band])
        inside = lo - SCORE_TOL <= r.score <= hi + SCORE_TOL if band == "high" else lo - SCORE_TOL <= r.score < hi - 1e-9
        if not inside:
            yield r, {"phrase": _BAND_PHRASES[band], "band": band, "low": as_printed(lo), "high": as_printed(hi),
                      "score": as_printed(r.score), "weight": as_printed(r.weight)}


_SHANXI = re.compile(r"山西|(太原|大同|阳泉|长治|晋城|朔州|晋中|运城|忻州|临汾|吕梁)(市|__)")
_COST_GROUPS = frozenset({"成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"})


@rule("C36", "cost_missing_high_score", title="成本指标分值过高（山西）", severity="info",
      rationale="山西 caps the 成本 points at 5; a cost group above that, all the more with no cost row of its own, "
                "is flagged (DOMAIN §3.2 C36). The region is read from the table's caption, project and unit "
                "fields and the file name, since no region field is extracted.",
      message="山西规则下成本指标不超过 {cap} 分，本表成本指标 {points} 分（有数值的三级指标 {cost_rows} 个）",
      message_en="the 山西 rule caps cost indicators at {cap} points; here they carry {points} ({cost_rows} cost rows "
                 "with values)")
def cost_missing_high_score(table, rows):
    if not _in_shanxi(table, rows):
        return
    cost = [r for r in rows if r.level2 in _COST_GROUPS or r.level1 in _COST_GROUPS]
    points = sum((r.score if r.score is not None else r.weight) or 0.0 for r in cost)
    if not points:
        printed = {r.level2_weight for r in cost if r.level2_weight} | {r.level1_weight for r in cost
                                                                       if r.level1 in _COST_GROUPS and r.level1_weight}
        points = max(printed, default=0.0)
    with_values = sum(1 for r in cost if r.target_value is not None or r.actual_value is not None)
    if points > SHANXI_COST_CAP + SCORE_TOL:
        yield None, {"cap": as_printed(SHANXI_COST_CAP), "points": as_printed(points), "cost_rows": with_values}


def _in_shanxi(table, rows) -> bool:
    texts = [table.title, table.project, table.meta.other_notes, *table.meta.head.values()]
    texts.append(PurePath(rows[0].source).name if rows else "")
    return any(t and _SHANXI.search(t) for t in texts)
