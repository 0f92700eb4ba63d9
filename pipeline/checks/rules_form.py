"""Rules on what the form says: units against the indicator, satisfaction figures not from a survey,
empty groups, placeholder values, a missing level 1, and time limits outside the project period
(DOMAIN.md §3.2 C22 C23 C32 C33 C35 C37)."""

from __future__ import annotations

import re
from collections import Counter

from ..levels import LEVEL2_TO_LEVEL1
from ..tables import INDICATOR_KINDS, SELF_EVAL_KINDS
from ..values import ABSENT, nfkc, strip_ws
from .common import (OP_PREFIX, STANDARD_SHARES, as_printed, bare_name, effective_name, fixed_hierarchy,
                     generic_keys, row_level1, row_unit, short_title)
from .registry import rule

SATISFACTION_REPEAT_MIN_TABLES = 3  # C23: one value in at least this many tables …
SATISFACTION_REPEAT_MIN_SHARE = 0.5  # … and in at least this share of the tables reporting satisfaction


TIME_UNITS = frozenset({"年", "月", "天", "日", "小时", "工作日", "周", "分钟", "个月"})
QUALITATIVE_BAD_UNITS = frozenset({"%", "年", "次"})


_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|[-./])\s*(?:(\d{1,2})\s*(?:月|[-./]|$|\D))?")
_NEXT_YEAR = re.compile(r"次年\s*(?:(\d{1,2})\s*月)?")


def _years(text: str | None) -> list[int]:
    return [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", text or "")]


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
        unit = row_unit(r)
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
    name = effective_name(r) or r.name or ""
    return bool(_PERSON.search(name)) and not _TIME_WORD.search(bare_name(name))


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
        if r.link_key and r.link_key not in generic and r.target_value is not None and row_unit(r) \
                and r.table_kind.startswith("project"):
            by_key.setdefault(r.link_key, []).append(r)
    for group in by_key.values():
        if len({r.project for r in group}) < 2:
            continue  # one project's target ↔ self-evaluation is C27's pair
        dims = Counter(_dimension(row_unit(r)) for r in group)
        if len(dims) < 2:
            continue
        (top, n1), (_, n2) = dims.most_common(2)
        usual = top if n1 > n2 else _dimension(row_unit(group[0]))
        other_unit = next(row_unit(r) for r in group if _dimension(row_unit(r)) == usual)
        for r in group:
            if _dimension(row_unit(r)) != usual:
                yield r, {"unit": row_unit(r), "other_unit": other_unit, "target": r.target,
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
    return r.actual_value if row_unit(r) in (None, "%") else None


_SURVEY = re.compile(r"问卷|调查|抽样|样本|测评|受访")


@rule("C23", "satisfaction_suspicious", title="满意度数据疑似未经调查", severity="info", scope="result",
      rationale="Satisfaction comes from a survey: one identical figure across most projects of a document, a "
                "figure equal to its target or above 100 % suggest it was not measured (DOMAIN §3.2 C23). The "
                "repeated figure is one document-level finding listing the tables, with whether the text mentions "
                "a survey or sample (问卷, 调查, 样本 …) near 满意; a zero with full marks is C13's.",
      message="满意度{what}", message_en="satisfaction figure {what_en}", cells=("actual",))
def satisfaction_suspicious(res):
    rows = res.rows
    sat = [r for r in rows if r.table_kind in SELF_EVAL_KINDS and _is_satisfaction(r) and _satisfaction_value(r) is not None]
    texts = list(res.narrative) + [t.meta.other_notes or "" for t in res.tables] + [r.reason or "" for r in sat]
    surveyed = any("满意" in x and _SURVEY.search(x) for x in texts)
    repeated = yield from _repeated_satisfaction(sat, surveyed)
    for r in sat:
        b, a = _satisfaction_value(r), r.target_value
        if b > 100 and row_unit(r) == "%":
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
    titles = {(r.table_index, r.project): short_title(r.table_title)
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
            yield None, {"group": group, "level1": row_level1(members[0]), "rows": len(members)}


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
        if not fixed_hierarchy(members):
            continue  # another hierarchy, or rows without level labels
        missing = _missing_level1(members)
        if missing:
            yield None, {"project": project, "missing": "、".join(missing), "rows": len(members),
                         "first_page": members[0].page, "first_row": members[0].row_index,
                         "missing_en": ", ".join(english[m] + " indicators" for m in missing)}


def _missing_level1(members) -> list[str]:
    present = {row_level1(r) for r in members}
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
