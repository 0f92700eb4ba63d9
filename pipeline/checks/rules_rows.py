"""Row- and table-level rules on weights, scoring formulas, directions, units, placeholders and
satisfaction figures (DOMAIN.md §3.2 C04 C07 C10 C18 C19 C22 C23 C32 C33 C35 C36 C37)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from ..levels import LEVEL2_TO_LEVEL1
from ..tables import INDICATOR_KINDS
from ..values import ABSENT, canonical_unit, nfkc, strip_ws
from .registry import rule
from .common import OP_PREFIX, SCORE_TOL, SELF_EVAL, as_printed, full_marks, generic_keys, scale_mismatch, scored

STANDARD_SHARES = (("产出指标", 50.0), ("效益指标", 30.0), ("满意度指标", 10.0))  # DOMAIN §2.2
STANDARD_SHARES_WITH_COST = (("成本指标", 20.0), ("产出指标", 40.0), ("效益指标", 20.0), ("满意度指标", 10.0))
STANDARD_EXEC_WEIGHT = 10.0
SATISFACTION_REPEAT_MIN_TABLES = 3  # C23: one value in at least this many tables …
SATISFACTION_REPEAT_MIN_SHARE = 0.5  # … and in at least this share of the tables reporting satisfaction
SHANXI_COST_CAP = 5.0  # C36: the 山西 rule caps the 成本 points
APPROX_SLACK = 0.1  # an actual printed with 余/约 may be up to 10 % larger than its number

TIME_UNITS = frozenset({"年", "月", "天", "日", "小时", "工作日", "周", "分钟", "个月"})
QUALITATIVE_BAD_UNITS = frozenset({"%", "年", "次"})


# ---------------------------------------------------------------- shared helpers


def _close(printed: float, expected: float) -> bool:
    """A score agrees with its formula within ±0.01, or as printed with one decimal (7.713 → 7.7)."""
    return abs(printed - expected) <= SCORE_TOL + 1e-9 or abs(printed - round(expected, 1)) <= 1e-9


def _unit(r) -> str | None:
    return canonical_unit(r.unit or r.target_unit)


def _effective_name(r) -> str | None:
    """The complete name: a name cut by its cell counts only when linking completed it (DOMAIN §5.8)."""
    if "name_truncated" in r.flags:
        return r.canonical if r.canonical and r.name and r.canonical.startswith(r.name[:4]) else None
    return r.name


def _bare_name(name: str) -> str:
    """Name without whitespace, a trailing bracketed note (（万册）, （运行小时数/…）) or 指标."""
    t = strip_ws(nfkc(name))
    t = re.sub(r"[(（][^()（）]*[)）]$", "", t)
    return re.sub(r"指标$", "", t)


def _level1_of(r) -> str | None:
    return r.level1 or LEVEL2_TO_LEVEL1.get(r.level2 or "")


def _fixed_hierarchy(rows) -> bool:
    """Every labelled row sits in 产出/效益/满意度 (成本 as 一级 in newer templates): DOMAIN §1.9."""
    labelled = [_level1_of(r) for r in rows if _level1_of(r)]
    return bool(labelled) and len(labelled) >= len(rows) / 2 and \
        all(x in ("产出指标", "效益指标", "满意度指标", "成本指标") for x in labelled)


def _short_title(title: str | None) -> str:
    """公开14-3表 from "2022年度项目支出绩效自评表 公开14-3表"; else the title itself."""
    if not title:
        return "—"
    m = re.search(r"(公开\s*[\d-]+\s*表|表\s*\d+)", title)
    return strip_ws(m.group(1)) if m else title


_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|[-./])\s*(?:(\d{1,2})\s*(?:月|[-./]|$|\D))?")
_NEXT_YEAR = re.compile(r"次年\s*(?:(\d{1,2})\s*月)?")


def _years(text: str | None) -> list[int]:
    return [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", text or "")]


# ---------------------------------------------------------------- C04


@rule("C04", "level1_weights_nonstandard", title="一级指标分值偏离常规权重", severity="info",
      rationale="产出 50 / 效益 30 / 满意度 10 plus 执行率 10 is the principle; departments may adjust it, so a "
                "different split is reported at info (DOMAIN §2.2, §3.2 C04). Shares are the sums of the row weights "
                "(the printed 一级 weight where a group has none). Tables of the newer template with 成本 as a 一级 "
                "are held to its split 成本 20 / 产出 40 / 效益 20 / 满意度 10 (+10) [recalled from the central "
                "2021 guidance; every 国家信访局 table in the corpus follows it].",
      message="一级指标分值为 {shares}（执行率 {exec_weight}），不同于常规的 {standard}（执行率10）",
      message_en="level-1 weights are {shares} (execution rate {exec_weight}), not the usual {standard} (+10)")
def level1_weights_nonstandard(table, rows):
    if "weight" not in table.roles or not scored(rows) or not _fixed_hierarchy(rows):
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
        level1 = _level1_of(r)
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
        if t.kind not in SELF_EVAL:
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
        if r.table_index in sheets and r.name and _EXEC_ROW.search(_bare_name(r.name)):
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
        name = _effective_name(r)
        if not name or r.op is None or r.target_value is None:
            continue
        bare = _bare_name(name)
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


# ---------------------------------------------------------------- C22

_PERSON = re.compile(r"人员|人数|人次|民警|辅警|干警|职工|干部|学员|学生|群众|驾驶人|参训")
_TIME_WORD = re.compile(r"时间|时限|时长|期限|周期|工期|年限|天数|日数|时数|月数|年度|及时|时效|工作日|小时|天|日$")


@rule("C22", "unit_implausible", title="计量单位与指标不符", severity="info", scope="document",
      rationale="A unit must fit its indicator: %, 年 or 次 on a qualitative target, a time unit on a head count, a "
                "unit typed twice (万万元), or another unit than the same indicator (link key) in another project's "
                "table (DOMAIN §1.12, §3.2 C22). Department ↔ project and target ↔ self-evaluation pairs are C27's.",
      message="单位“{unit}”不适合该指标：{why}", message_en="unit '{unit}' does not fit the indicator: {why_en}",
      cells=("unit",))
def unit_implausible(tables, rows):
    for r in rows:
        unit = _unit(r)
        if not unit:
            continue
        if r.qualitative and unit in QUALITATIVE_BAD_UNITS and not _DATE.search(nfkc(r.target or "")):
            yield r, {"unit": unit, "target": r.target, "why": f"定性目标“{r.target}”不应有计量单位",
                      "why_en": f"the qualitative target '{r.target}' takes no unit"}
        elif unit in TIME_UNITS and r.level2 != "时效指标" and _is_head_count(r):
            yield r, {"unit": unit, "target": r.target, "why": "人数/人次类指标使用了时间单位",
                      "why_en": "a head count measured in a time unit"}
        elif typo := next((t for t in (r.target, r.actual) if t and _UNIT_TYPO.search(nfkc(t))), None):
            yield r, {"unit": unit, "target": r.target, "why": f"单位重复书写（“{typo}”），疑为笔误",
                      "why_en": f"the unit is written twice ('{typo}'), a typing slip"}
    yield from _unit_differs_across_projects(rows)


_UNIT_TYPO = re.compile(r"万万|亿亿|%%")  # ≤234万万元, ≥100%%: a unit typed twice


def _is_head_count(r) -> bool:
    name = _effective_name(r) or r.name or ""
    return bool(_PERSON.search(name)) and not _TIME_WORD.search(_bare_name(name))


_DIMENSIONS = {**{u: "time" for u in TIME_UNITS}, "%": "share", "‰": "share", "元": "money", "万元": "money",
               "m²": "area", "亩": "area", "公顷": "area", "米": "length", "公里": "length", "千米": "length", "km": "length"}


def _dimension(unit: str | None) -> str | None:
    """What a unit measures: time, share, money, area, length, or a count (个, 次, 人, 套 …)."""
    return _DIMENSIONS.get(unit, "count") if unit else None


def _unit_differs_across_projects(rows):
    """The same quantitative indicator measured in another dimension (a time against a count, a share against
    money …) in another project's table. 天/日, 年/月 or 个/套 are choices of scale or wording, not errors."""
    generic = generic_keys()
    by_key: dict[str, list] = {}
    for r in rows:
        if r.link_key and r.link_key not in generic and r.target_value is not None and _unit(r) \
                and r.table_kind.startswith("project"):
            by_key.setdefault(r.link_key, []).append(r)
    for group in by_key.values():
        if len({r.project for r in group}) < 2:
            continue  # one project's target ↔ self-evaluation is C27's pair
        dims = Counter(_dimension(_unit(r)) for r in group)
        if len(dims) < 2:
            continue
        (top, n1), (_, n2) = dims.most_common(2)
        usual = top if n1 > n2 else _dimension(_unit(group[0]))
        other_unit = next(_unit(r) for r in group if _dimension(_unit(r)) == usual)
        for r in group:
            if _dimension(_unit(r)) != usual:
                yield r, {"unit": _unit(r), "other_unit": other_unit, "target": r.target,
                          "why": f"同一指标在其他项目表中的单位为“{other_unit}”",
                          "why_en": f"the same indicator is measured in '{other_unit}' in another project's table"}


# ---------------------------------------------------------------- C23


def _is_satisfaction(r) -> bool:
    return r.level2 == "服务对象满意度指标" or bool(r.name and re.search(r"满意(度|率)", r.name))


def _satisfaction_value(r) -> float | None:
    """A measured satisfaction percentage: not a comparison ("≥90%", C21), not a multi-value cell."""
    if r.actual_value is None or any(f.endswith("multi_value") for f in r.flags):
        return None
    if r.actual and OP_PREFIX.match(r.actual):
        return None
    return r.actual_value if _unit(r) in (None, "%") else None


_SURVEY = re.compile(r"问卷|调查|抽样|样本|测评|受访")


@rule("C23", "satisfaction_suspicious", title="满意度数据疑似未经调查", severity="info", scope="result",
      rationale="Satisfaction comes from a survey: one identical figure across most projects of a document, a "
                "figure equal to its target or above 100 % suggest it was not measured (DOMAIN §3.2 C23). The "
                "repeated figure is one document-level finding listing the tables, with whether the text mentions "
                "a survey or sample (问卷, 调查, 样本 …) near 满意; a zero with full marks is C13's.",
      message="满意度{what}", message_en="satisfaction figure {what_en}", cells=("actual",))
def satisfaction_suspicious(res):
    rows = res.rows
    sat = [r for r in rows if r.table_kind in SELF_EVAL and _is_satisfaction(r) and _satisfaction_value(r) is not None]
    texts = list(res.narrative) + [t.meta.other_notes or "" for t in res.tables] + [r.reason or "" for r in sat]
    surveyed = any("满意" in x and _SURVEY.search(x) for x in texts)
    repeated = yield from _repeated_satisfaction(sat, surveyed)
    for r in sat:
        b, a = _satisfaction_value(r), r.target_value
        if b > 100 and _unit(r) == "%":
            yield r, {"actual": as_printed(b), "what": f"实际值 {as_printed(b)}% 超过 100%", "what_en": f"{as_printed(b)}% exceeds 100%"}
        elif a is not None and b == a and r.op in (">=", ">", "=") and b not in repeated:
            yield r, {"actual": as_printed(b), "target": as_printed(a), "what": f"实际值 {as_printed(b)} 与目标值恰好相同",
                      "what_en": f"{as_printed(b)} equals the target exactly"}


def _repeated_satisfaction(sat, surveyed: bool):
    """One finding per figure shared by most tables (projects) of the document; returns those figures."""
    per_table: dict[tuple, set[float]] = {}
    for r in sat:
        per_table.setdefault((r.table_index, r.project), set()).add(_satisfaction_value(r))
    shared_tables = Counter(index for index, _ in per_table)
    titles = {(r.table_index, r.project): _short_title(r.table_title)
              + (f"（{r.project}）" if shared_tables[r.table_index] > 1 else "") for r in sat}
    counts = Counter(v for values in per_table.values() for v in values if v != 0)  # zeros: C13
    repeated = set()
    for value, n in sorted(counts.items()):
        if n < SATISFACTION_REPEAT_MIN_TABLES or n < SATISFACTION_REPEAT_MIN_SHARE * len(per_table):
            continue
        repeated.add(value)
        listed = "、".join(titles[k] for k in sorted(per_table, key=lambda k: k[0]) if value in per_table[k])
        targets = sorted({r.target_value for r in sat if _satisfaction_value(r) == value and r.target_value is not None})
        yield None, {"value": as_printed(value), "n_tables": n, "of_tables": len(per_table), "tables": listed,
                     "targets": [as_printed(x) for x in targets], "survey_mentioned": surveyed,
                     "what": f"实际值在 {n}/{len(per_table)} 张表中均为 {as_printed(value)}（{listed}）",
                     "what_en": f"{as_printed(value)} is reported in {n} of {len(per_table)} tables ({listed})"}
    return repeated


# ---------------------------------------------------------------- C32


@rule("C32", "empty_group", title="二级指标下无三级指标或数值", severity="info",
      rationale="A 二级 group printed without any 三级 row or value carries no points; worth counting (DOMAIN §3.2 "
                "C32). A label printed on its own line while its rows follow (text dumps) is not an empty group.",
      message="“{group}”下没有三级指标或数值", message_en="group '{group}' has no level-3 row or value")
def empty_group(table, rows):
    if _unfilled_form(rows):
        return
    filled = {g for r in rows if _has_value(r) for g in (r.level2, r.level1)}
    seen = set()
    for group in table.meta.empty_groups:
        if group and group not in filled and group not in seen:
            seen.add(group)
            yield None, {"group": group, "level1": LEVEL2_TO_LEVEL1.get(group, group), "rows": 0}
    by_group: dict[str, list] = {}
    for r in rows:
        if r.level2:
            by_group.setdefault(r.level2, []).append(r)
    for group, members in by_group.items():
        if group not in seen and not any(_has_value(r) for r in members):
            yield None, {"group": group, "level1": _level1_of(members[0]), "rows": len(members)}


def _unfilled_form(rows) -> bool:
    """A table none of whose rows holds a value: a form published unused (an empty 表16), whose blanks
    are not omissions of their own."""
    return len(rows) >= 2 and not any(_has_value(r) for r in rows)


def _has_value(r) -> bool:
    return any(v not in (None, "") for v in (r.target, r.actual, r.weight, r.score))


# ---------------------------------------------------------------- C33

_FIELD_LABELS = {"target": "指标值", "actual": "实际完成值", "weight": "分值", "score": "得分"}


@rule("C33", "placeholder_value", title="必填数值为空或占位符", severity="info",
      rationale="Target, actual, weight and score are required where the table has the column; blank, *, —, / or "
                "--- there is a placeholder (DOMAIN §1.12, §3.2 C33). A blank score counts 0 in the sums (C02).",
      message="{labels} 为空或占位符（{printed}）", message_en="{fields} blank or a placeholder ({printed})",
      cells=("target", "actual", "weight", "score"))
def placeholder_value(table, rows):
    if table.kind not in INDICATOR_KINDS or _unfilled_form(rows):
        return
    logical = {lr.index: lr for lr in table.rows}
    required = [f for f in ("target", "actual", "weight", "score") if f in table.roles]
    if table.kind in ("project_target", "dept_target"):
        required = [f for f in required if f == "target"]
    for r in rows:
        cells = logical[r.row_index].cells if r.row_index in logical else {}
        missing = [f for f in required if _placeholder(cells.get(f)) and not (f == "score" and r.weight is None)]
        if missing:
            printed = "，".join(f"{_FIELD_LABELS[f]}“{strip_ws(cells.get(f) or '')}”" for f in missing)
            yield r, {"fields": missing, "labels": "、".join(_FIELD_LABELS[f] for f in missing), "printed": printed}


def _placeholder(text: str | None) -> bool:
    return strip_ws(nfkc(text or "")) in ABSENT


# ---------------------------------------------------------------- C35


@rule("C35", "missing_level1", title="项目缺少一级指标", severity="info",
      rationale="A project's indicators cover 产出, 效益 and 满意度, with 一级 derived from 二级 (DOMAIN §1.9, §3.2 "
                "C35). Multi-project tables are judged per project: rows whose merged 项目名称 cell was not read "
                "belong to the project above them, and a project name cut in two by a page break (two incomplete "
                "halves that complete each other across the break) is judged as one project.",
      message="项目“{project}”缺少一级指标：{missing}", message_en="project '{project}' has no {missing_en}")
def missing_level1(table, rows):
    if not table.kind.startswith("project"):
        return
    english = {"产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction"}
    for project, members in _project_groups(table, rows):
        if not _fixed_hierarchy(members):
            continue  # another hierarchy, or rows without level labels
        missing = _missing_level1(members)
        if missing:
            yield None, {"project": project, "missing": "、".join(missing), "rows": len(members),
                         "first_page": members[0].page, "first_row": members[0].row_index,
                         "missing_en": ", ".join(english[m] + " indicators" for m in missing)}


def _missing_level1(members) -> list[str]:
    present = {_level1_of(r) for r in members}
    return [name for name, _ in STANDARD_SHARES if name not in present]


def _project_groups(table, rows) -> list[tuple[str, list]]:
    """Rows per project in reading order; a row without a project name continues the project above it."""
    groups: dict[str, list] = {}
    current = table.project or "—"
    for r in sorted(rows, key=lambda r: r.row_index):
        current = r.project or current
        groups.setdefault(current, []).append(r)
    ordered = list(groups.items())
    merged: list[tuple[str, list]] = []
    for name, members in ordered:
        if merged and _cut_by_page_break(merged[-1][1], members):
            prev_name, prev = merged.pop()
            merged.append((prev_name + name, prev + members))
        else:
            merged.append((name, members))
    return merged


def _cut_by_page_break(before, after) -> bool:
    """Two halves of one project: the first ends on the page before the second begins, neither is complete
    alone, and together they are."""
    end, start = before[-1].page, after[0].page
    if end is None or start is None or start != end + 1:
        return False
    return bool(_missing_level1(before)) and bool(_missing_level1(after)) and not _missing_level1(before + after)


# ---------------------------------------------------------------- C36

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


# ---------------------------------------------------------------- C37


@rule("C37", "timeliness_out_of_period", title="时效指标日期超出项目期间", severity="info", scope="result",
      rationale="A 时效 target or completion date lies within the evaluation year or the project period (DOMAIN §3.2 "
                "C37). The year comes from the table caption (else the document's most common caption year); the "
                "project period widens it with years printed in the project name, a 期限/周期 field, or a sentence "
                "of the text that names the project and its 实施期限/周期. A target that says 次年 plans the next "
                "year on purpose; its actual is held to that date.",
      message="{field_label}“{text}”中的日期 {date} 超出{period}", message_en="{field} '{text}' dates {date}, "
      "outside {period_en}", cells=("target", "actual"))
def timeliness_out_of_period(res):
    fallback = _document_year(res.tables)
    by_index = {t.provenance.table_index: t for t in res.tables}
    for r in res.rows:
        if not _is_timeliness(r):
            continue
        period = _period(by_index.get(r.table_index), r, fallback, res.narrative)
        if period is not None:
            yield from _dates_outside(r, period)


def _is_timeliness(r) -> bool:
    if r.level2:
        return r.level2 == "时效指标"
    return bool(r.name and re.search(r"时效|及时|时限|完成时间|日期", r.name))


def _document_year(tables) -> int | None:
    years = Counter(y for t in tables for y in set(_years(t.title)))
    return years.most_common(1)[0][0] if years else None


def _period(table, r, fallback: int | None, narrative: list[str]) -> tuple[int, int] | None:
    title_years = sorted(set(_years(table.title if table else r.table_title)))
    year = title_years[-1] if title_years else fallback
    if year is None:
        return None
    years = [year] + _years(r.project)
    for key, value in (table.meta.head if table else {}).items():
        if _PERIOD_WORD.search(key):
            years += [int(y) for y in re.findall(r"(?:19|20)\d{2}", value)]
    if r.project:
        for text in narrative:
            if r.project in text:
                years += [int(y) for m in _PERIOD_SPAN.finditer(text) for y in re.findall(r"(?:19|20)\d{2}", m.group(0))]
    return min(years), max(years)


_PERIOD_WORD = re.compile(r"期限|周期|期间|实施期|起止")
_PERIOD_SPAN = re.compile(r"(?:实施期限|实施周期|项目期限|项目周期|起止时间|实施期)[:：为是]?\s*"
                          r"(?:19|20)\d{2}[^，。；;]{0,12}?(?:至|到|-|—|–|~)\s*(?:19|20)\d{2}")


def _dates(text: str | None, base: int) -> list[tuple[int, int]]:
    """(year, month) of every date in a text; month 12 when only the year is printed; 次年 is base + 1."""
    t = nfkc(text or "")
    out = [(int(y), int(m) if m and 1 <= int(m) <= 12 else 12) for y, m in _DATE.findall(t)]
    out += [(base + 1, int(m) if m else 12) for m in _NEXT_YEAR.findall(t)]
    return out


def _dates_outside(r, period: tuple[int, int]):
    lo, hi = period
    shown = f"{lo}年" if lo == hi else f"{lo}–{hi}年"
    target_dates = _dates(r.target, hi)
    explicit = [d for d in _dates(re.sub(r"次年[^，。；]*", "", nfkc(r.target or "")), hi)]
    bad_target = [d for d in explicit if not lo <= d[0] <= hi]
    if bad_target:
        y, m = bad_target[0]
        yield r, {"field": "target", "field_label": "指标值", "text": r.target, "date": f"{y}年{m}月",
                  "period": f"评价期间 {shown}", "period_en": f"the period {lo}–{hi}", "year": y}
        return
    limit = max(target_dates, default=(hi, 12))
    late = [d for d in _dates(r.actual, hi) if d > limit or d[0] < lo]
    if late:
        y, m = late[0]
        bound = f"目标时限 {limit[0]}年{limit[1]}月" if target_dates else f"评价期间 {shown}"
        bound_en = f"the target date {limit[0]}-{limit[1]:02d}" if target_dates else f"the period {lo}–{hi}"
        yield r, {"field": "actual", "field_label": "实际完成值", "text": r.actual, "date": f"{y}年{m}月",
                  "period": bound, "period_en": bound_en, "year": y}
