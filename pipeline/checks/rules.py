"""The rules on one table's rows and its scores. Each is a small generator of (row or None, evidence); DOMAIN.md §3 is the catalogue."""

from __future__ import annotations

import re
from collections import Counter

from ..catalog import normalise_name
from ..reasons import is_blank
from ..model import Percent
from .arithmetic import percent_agrees, percent_tolerance
from .common import (GRADES, NOT_DONE, OP_PREFIX, PROJECT_NOT_DONE, SCORE_TOL, VAGUE, full_marks, generic_keys,
                     scale_mismatch, scored)
from ..tables import SELF_EVAL_KINDS
from .registry import rule

@rule("C01", "score_exceeds_weight", title="得分高于分值", severity="error",
      rationale="A row's score never exceeds its weight (DOMAIN §2.7, §3.2 C01).",
      message="得分 {score} 高于分值 {weight}", message_en="score {score} exceeds the weight {weight}", cells=('weight', 'score'))
def score_exceeds_weight(table, rows):
    for r in scored(rows):
        if r.score is not None and (r.score > r.weight + SCORE_TOL or r.score < 0):
            yield r, {"score": r.score, "weight": r.weight}


@rule("C02", "total_mismatch", title="总分不等于各项得分之和", severity="error",
      rationale="总分 = Σ indicator scores + the execution-rate score (DOMAIN §2.7, §3.2 C02); a blank score counts 0.",
      message="各项得分合计 {computed}（含执行率得分 {exec_score}），与表中总分 {printed} 不符",
      message_en="row scores add up to {computed} (execution score {exec_score} included), the printed total is {printed}")
def total_mismatch(table, rows):
    found = _sum_against_total(table, rows, "score", "total_score")
    if found:
        yield None, {"computed": found[0], "exec_score": found[1], "printed": found[2],
                     "stitched_parts": table.quality.stitched_parts}


def _sum_against_total(table, rows, field: str, printed_key: str) -> tuple[float, float, float] | None:
    """(Σ rows + the funds block's execution-rate value, that value, the printed total) when they
    disagree; a blank score counts 0 (DOMAIN §1.12)."""
    printed = getattr(table.meta, printed_key)
    weighted = scored(rows)
    if printed is None or not weighted or table.kind not in SELF_EVAL_KINDS:
        return None
    funds = table.meta.funds
    exec_value = next((f.get(field) for f in funds if f.get(field) is not None), 0.0) or 0.0
    computed = round(sum(getattr(r, field) or 0.0 for r in weighted) + exec_value, 2)
    return (computed, exec_value, printed) if abs(computed - printed) > SCORE_TOL else None


@rule("C03", "weight_sum_mismatch", title="分值合计不等于总分值", severity="error",
      rationale="Σ weights + the execution-rate weight equals the printed total weight (DOMAIN §2.2, §3.2 C03).",
      message="各项分值合计 {computed}（含执行率分值 {exec_weight}），与表中总分值 {printed} 不符",
      message_en="weights add up to {computed} (execution weight {exec_weight} included), the printed total weight is {printed}")
def weight_sum_mismatch(table, rows):
    found = _sum_against_total(table, rows, "weight", "total_weight")
    if found:
        yield None, {"computed": found[0], "exec_weight": found[1], "printed": found[2]}


@rule("C05", "exec_rate_printed_mismatch", title="执行率与执行数/预算数不符", severity="error",
      rationale="执行率 = 全年执行数 / 全年预算数 (DOMAIN §1.10, §3.2 C05); ±0.02 pp, a printed 100 over a higher rate may be a cap.",
      message="执行率印为 {printed}%，按 {executed}/{budget} 计算应为 {computed}%",
      message_en="execution rate printed {printed}%, {executed}/{budget} gives {computed}%")
def exec_rate_printed_mismatch(table, rows):
    for f in table.meta.funds[:1]:
        budget, done, printed = f.get("budget_full"), f.get("executed"), f.get("rate")
        if budget and done is not None and printed is not None:
            exact = done / budget * 100
            shown = Percent.of(printed)  # 83.5 printed for 83.47 % is right at one decimal
            if not percent_agrees(shown, exact) and not (printed == 100 and exact > 100):
                yield None, {"printed": printed, "executed": done, "budget": budget, "computed": round(exact, 2),
                             "tolerance_pp": round(percent_tolerance(shown), 4)}


@rule("C11", "shortfall_full_score", title="未达目标却得满分", severity="warning",
      rationale="A quantitative target missed by its operator should lose points (DOMAIN §2.4, §3.2 C11).",
      message="目标 {op} {target}，实际 {actual}，未达标却得满分 {score}/{weight}",
      message_en="target {op} {target}, actual {actual}: missed, yet full marks {score}/{weight}", cells=('target', 'actual', 'score'))
def shortfall_full_score(table, rows):
    for r in scored(rows):
        a, b = r.target_value, r.actual_value
        if a is None or b is None or not full_marks(r) or b == 0 or "percent_scale" in r.flags:
            continue
        if (r.target_unit and r.actual_unit and r.target_unit != r.actual_unit):
            continue
        missed = (r.op in (">=", ">") and b < a - 1e-9) or (r.op in ("<=", "<") and b > a + 1e-9)
        if missed and not scale_mismatch(r):
            yield r, {"op": r.op, "target": a, "actual": b, "score": r.score, "weight": r.weight}


@rule("C13", "zero_actual_scored", title="实际完成值为零仍得分", severity="error",
      rationale="Nothing delivered earns no points (DOMAIN §3.2 C13; seed 004 公开14-2/14-4/14-6/14-12表).",
      message="实际完成值为 {actual}，却得分 {score}/{weight}",
      message_en="actual value is {actual}, yet scored {score}/{weight}", cells=('actual', 'score'))
def zero_actual_scored(table, rows):
    for r in scored(rows):
        zero = r.actual_value == 0 and r.op not in ("<", "<=") and (
            r.target_value not in (0, None) or _positive_qualitative(r))  # "作用明显" → 0
        not_done = r.actual_value is None and bool(NOT_DONE.search(r.actual or ""))  # 实际完成值 "未开展"
        if (zero or not_done) and r.score and r.score > 0:
            yield r, {"actual": r.actual, "score": r.score, "weight": r.weight}


_NEGATIVE_TARGET = re.compile(r"无|不|零|杜绝|未|没有|减少|降低|下降|事故|投诉|差错|违规|违纪")


def _positive_qualitative(r) -> bool:
    """A qualitative target that asks for something to happen (作用明显, 有效提升), so that 0 delivers
    nothing; "无重大事故" or "投诉减少" are met by 0."""
    return bool(r.qualitative and r.target and not _NEGATIVE_TARGET.search(r.target + (r.name or "")))


@rule("C14", "deduction_without_reason", title="扣分但未说明原因", severity="warning",
      rationale="A row that loses points must explain why (DOMAIN §2.7, §3.2 C14).",
      message="得分 {score}，低于分值 {weight}，但未填写偏差原因",
      message_en="scored {score} of {weight} with no deviation reason given", cells=('score', 'reason'))
def deduction_without_reason(table, rows):
    if "reason" not in table.roles:
        return  # scoring sheets without a reason column explain deductions elsewhere
    for r in scored(rows):
        if r.score is not None and r.score < r.weight - SCORE_TOL and is_blank(r.reason):
            yield r, {"score": r.score, "weight": r.weight, "reason": r.reason}


@rule("C16", "percent_scale_mismatch", title="百分比口径不一致", severity="warning",
      rationale="A target written as a fraction beside a percent actual (0.95 % → 100) is a scale error (DOMAIN §1.12, §3.2 C16).",
      message="单位为 %，目标 {target} 与实际 {actual} 的量级不一致",
      message_en="unit %, target {target} and actual {actual} are on different scales", cells=('target', 'actual'))
def percent_scale_mismatch(table, rows):
    for r in rows:
        if scale_mismatch(r):
            yield r, {"target": r.target_value, "actual": r.actual_value}


@rule("C17", "impossible_target", title="目标无法实现", severity="warning",
      rationale="Nothing is below 0, nothing exceeds 100 %, and no rate or satisfaction can be required above 100 % "
                "(DOMAIN §3.2 C17, §1.12); '≥ 0' on a count or share is met by anything, so it sets no target "
                "(growth rates, which can fall below 0, are left alone).",
      message="目标 {op} {target}{unit}{why}", message_en="target {op} {target}{unit} {why_en}", cells=('target',))
def impossible_target(table, rows):
    for r in rows:
        a, unit = r.target_value, r.unit or r.target_unit
        if a is None:
            continue
        above_whole = unit == "%" and r.op in (">=", ">", "=") and a > 100 and _share_name(r.name)  # ≥1100 % 满意度
        if (r.op == "<" and a == 0) or (r.op == ">" and a == 100 and unit == "%") or above_whole:
            yield r, {"op": r.op, "target": a, "unit": unit or "", "why": " 无法实现", "why_en": "cannot be met"}
        elif r.op == ">=" and a == 0 and not _GROWTH.search(r.name or ""):
            yield r, {"op": r.op, "target": a, "unit": unit or "", "why": " 任何结果都达标，形同未设目标",
                      "why_en": "is met by any result: no target is set"}


_SHARE_END = re.compile(r"(率|满意度)$")
_GROWTH = re.compile(r"增长|增幅|增速|提高|提升|上升|下降|变动|变化|同比|环比|超额")


def _share_name(name: str | None) -> bool:
    """A rate or a satisfaction (合格率, 完成率, 满意度) is a share of a whole, never above 100 %; growth rates
    (增长率, 提高率) are not shares."""
    return bool(name and _SHARE_END.search(name) and not _GROWTH.search(name))


@rule("C20", "vague_target", title="目标不可衡量", severity="info",
      rationale="Stock phrases are not measurable targets (DOMAIN §3.2 C20).",
      message="目标“{target}”不可衡量", message_en="target '{target}' is not measurable", cells=('target',))
def vague_target(table, rows):
    for r in rows:
        if r.qualitative and r.target and VAGUE.search(r.target):
            yield r, {"target": r.target}


@rule("C24", "grade_total_mismatch", title="自评等级与总分不符", severity="error",
      rationale="优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (DOMAIN §2.8, §3.2 C24).",
      message="总分 {total} 应为“{expected}”，表中为“{grade}”",
      message_en="total {total} means grade {expected}, the table prints {grade}")
def grade_total_mismatch(table, rows):
    grade, total = table.meta.grade, table.meta.total_score
    if grade in ("优", "良", "中", "差") and total is not None:
        expected = next(g for g, floor in GRADES if total >= floor)
        if expected != grade:
            yield None, {"total": total, "grade": grade, "expected": expected}


@rule("C25", "grade_contradicts_facts", title="项目未实施却评为优良", severity="warning",
      rationale="A project that did not happen cannot be graded 优/良 (DOMAIN §3.2 C25, C26).",
      message="项目未实施（{why}），却评为“{grade}”、总分 {total}",
      message_en="the project was not carried out ({why}), yet graded {grade} with total {total}")
def grade_contradicts_facts(table, rows):
    grade = table.meta.grade
    if grade not in ("优", "良") or table.kind != "project_self_eval":
        return
    notes = table.meta.other_notes or ""
    numeric = [r for r in rows if r.actual_value is not None]
    why = None
    if NOT_DONE.search(notes):
        why = notes
    elif numeric and all(r.actual_value == 0 for r in numeric) and all(r.op not in ("<", "<=") for r in numeric[:1]):
        why = "every actual value is 0"
    if why:
        yield None, {"why": why[:60], "grade": grade, "total": table.meta.total_score}


@rule("C27", "cross_table_mismatch", title="同一指标在不同表中目标不一致", severity="info", scope="document",
      rationale="The same indicator carries the same target in every table of one report (DOMAIN §3.2 C27; link keys). "
                "Demoted from warning: 4 of 18 right on unseen reports (a 计量单位 column, a project's share of a "
                "department total and near-name matches fool it).",
      message="“{name}”在“{other_table}”中目标为 {other_op}{other_target}{other_unit}，此处为 {op}{target}{unit}",
      message_en="'{name}' has target {other_op}{other_target}{other_unit} in '{other_table}', here {op}{target}{unit}", cells=('target', 'actual'))
def cross_table_mismatch(tables, rows):
    """Department table ↔ a project table that restates it (two or more indicators in common), and a
    project's target table ↔ its self-evaluation. Two different projects may set different targets for one
    generic indicator (满意度 …): not compared."""
    by_key: dict[str, list] = {}
    for r in rows:
        if r.link_key and r.target_value is not None and r.table_kind in SELF_EVAL_KINDS + ("project_target", "dept_target"):
            by_key.setdefault(r.link_key, []).append(r)
    shared = _shared_indicators(by_key)
    for key, group in sorted(by_key.items()):
        firsts: dict[int, object] = {}
        for r in group:
            firsts.setdefault(r.table_index, r)
        dept = [r for r in firsts.values() if r.table_kind.startswith("dept")]
        projects = [r for r in firsts.values() if r.table_kind.startswith("project")]
        pairs = [] if key in generic_keys() else [(d, p) for d in dept[:1] for p in projects
                                                  if shared[d.table_index, p.table_index] >= 2]
        targets = {p.project: p for p in projects if p.project and p.table_kind == "project_target"}
        pairs += [(targets[p.project], p) for p in projects if p.table_kind == "project_self_eval" and p.project in targets]
        for first, r in pairs:
            if r.unit and first.unit:
                differ = _on_one_scale(r) != _on_one_scale(first)
            else:  # a unit one table leaves out (its 计量单位 column not printed there) is no other unit
                differ = r.target_value != first.target_value
            if differ:
                yield r, {"name": r.name, "op": r.op or "", "target": r.target_value, "unit": r.unit or "",
                          "other_table": first.table_title, "other_op": first.op or "", "other_target": first.target_value,
                          "other_unit": first.unit or ""}


_SCALE = {"万": 1e4, "亿": 1e8}


def _on_one_scale(r) -> tuple[float, str]:
    """(target, base unit) whether 亿/万 is printed in the target (≥100亿元: already applied) or in a
    计量单位 column of its own (≥100 | 亿元), so that the two print styles of one figure compare equal."""
    value, unit = r.target_value, normalise_name(r.unit or "")
    if len(unit) > 1 and unit[0] in _SCALE and "target_multiplier" not in r.flags:
        value, unit = value * _SCALE[unit[0]], unit[1:]
    return round(value, 6), unit


def _shared_indicators(by_key: dict[str, list]) -> Counter:
    """How many specific indicators each (department table, project table) pair has in common. A department
    table that restates a project's rows shares several with it; a single name in common with another project
    (成本使用率, 处理简易程序… of a district brigade) is the same vocabulary over another scope, not the same figure."""
    generic = generic_keys()
    shared: Counter = Counter()
    for key, group in by_key.items():
        if key in generic:
            continue
        depts = {r.table_index for r in group if r.table_kind.startswith("dept")}
        projects = {r.table_index for r in group if r.table_kind.startswith("project")}
        shared.update((d, p) for d in depts for p in projects)
    return shared


@rule("C12", "eq_mismatch_full_score", title="“=”目标未恰好达成却得满分", severity="info",
      rationale="An '=' target missed exactly but scored in full usually means '>=' was meant (DOMAIN §1.11, §3.2 C12).",
      message="目标 = {target}，实际 {actual}，仍得满分：指标性质可能应为“≥”",
      message_en="target = {target}, actual {actual}, full marks: the operator was probably meant as >=", cells=('target', 'actual', 'score'))
def eq_mismatch_full_score(table, rows):
    for r in scored(rows):
        a, b = r.target_value, r.actual_value
        if r.op == "=" and a is not None and b is not None and abs(a - b) > 1e-9 and full_marks(r) and b != 0 \
                and not scale_mismatch(r):
            yield r, {"target": a, "actual": b}


@rule("C15", "over_achievement_unexplained", title="大幅超额完成且未说明", severity="warning",
      rationale="B ≥ 1.2·A at full marks without a reason suggests a target set too low (DOMAIN §2.5, §3.2 C15).",
      message="目标 {op} {target}，实际 {actual}（{ratio} 倍），满分且未说明原因",
      message_en="target {op} {target}, actual {actual} ({ratio}×), full marks and no reason given", cells=('target', 'actual', 'score', 'reason'))
def over_achievement_unexplained(table, rows):
    for r in scored(rows):
        a, b = r.target_value, r.actual_value
        if r.op in (">=", ">") and a and b is not None and a > 0 and b >= 1.2 * a and full_marks(r) and is_blank(r.reason) \
                and not scale_mismatch(r):
            yield r, {"op": r.op, "target": a, "actual": b, "ratio": round(b / a, 2)}


@rule("C21", "actual_not_measured", title="实际完成值不是观测值", severity="warning",
      rationale="An actual that repeats the target with its operator, or is itself a comparison, was not measured (DOMAIN §3.2 C21).",
      message="实际完成值“{actual}”不是实际观测值（目标“{target}”）",
      message_en="actual value '{actual}' is not an observation (target '{target}')", cells=('actual',))
def actual_not_measured(table, rows):
    for r in rows:
        if r.actual and (OP_PREFIX.match(r.actual) or (r.qualitative and r.target and r.actual == r.target and r.op)):
            yield r, {"actual": r.actual, "target": r.target}


@rule("C26", "text_contradicts_numbers", title="说明文字与得分矛盾", severity="warning",
      rationale="A reason, or the table's 其他需要说明事项, that says the work was not done contradicts full marks "
                "(DOMAIN §3.2 C26, §4.5).",
      message="{where}写明“{reason}”，{subject}却得满分 {score}/{weight}",
      message_en="the {where_en} says '{reason}', yet {subject_en} scored full marks {score}/{weight}", cells=('score', 'reason'))
def text_contradicts_numbers(table, rows):
    for r in scored(rows):
        if r.reason and full_marks(r) and re.search(r"未开展|未实施|未完成|未达到|不进行自评|未组织", r.reason):
            yield r, {"where": "偏差原因", "where_en": "reason", "subject": "该项", "subject_en": "the row",
                      "reason": r.reason[:40], "score": r.score, "weight": r.weight}
    # the note speaks for the whole project: one finding for the table, listing the rows it contradicts
    notes = table.meta.other_notes or ""
    full = [r for r in scored(rows) if full_marks(r)]
    if full and PROJECT_NOT_DONE.search(notes):
        yield None, {"where": "其他需要说明事项", "where_en": "其他需要说明事项 note", "subject": f"{len(full)} 项指标",
                     "subject_en": f"{len(full)} rows", "reason": notes[:40],
                     "score": round(sum(r.score for r in full), 2), "weight": round(sum(r.weight for r in full), 2),
                     "rows": [r.name for r in full]}


@rule("C34", "large_budget_adjustment", title="全年预算较年初大幅调整", severity="info",
      rationale="全年预算数 far from 年初预算数 deserves an explanation (DOMAIN §1.10, §3.2 C34; 20 % by default).",
      message="年初预算 {initial} 万元，全年预算 {full} 万元（{change}%）",
      message_en="initial budget {initial}, full-year budget {full} ({change}%)")
def large_budget_adjustment(table, rows):
    for f in table.meta.funds[:1]:
        initial, full = f.get("budget_initial"), f.get("budget_full")
        if initial and full is not None and abs(full / initial - 1) > 0.2:
            yield None, {"initial": initial, "full": full, "change": round((full / initial - 1) * 100, 1)}
