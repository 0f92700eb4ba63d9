"""Rules on what the text says against the tables (DOMAIN §3.2 C28–C31): figures in the running
text against the actual values, 三公 spending against its budget and the narrative's claims, years
against the report year, and 实际完成情况 that copies the target text."""

from __future__ import annotations

import re

from ..catalog import normalise_name
from ..mentions import find_mentions
from ..model import DocumentResult
from ..values import canonical_unit, nfkc, squeezed as norm
from .arithmetic import MONEY_TOL
from .common import as_printed
from ..tables import SELF_EVAL_KINDS
from .registry import rule
from .rules_money import table_of


_TARGET_WORDS = re.compile(r"预计|计划|目标|力争|预期|拟|将")
_BOUND_WORDS = re.compile(r"约|余|近|超过|超|逾|以上|以下|多|左右|累计|截至|截止")
_ONE_PROJECT = re.compile(r"[此该本]项目|项目名称")  # a paragraph about one project: its figures are that project's


def _name_variants(r) -> set[str]:
    """The row's name as the text may print it: without a count suffix (处理交通事故案件数 → 处理交通事故案件),
    and the complete name of a name cut by its cell."""
    names = {normalise_name(r.name)}
    if r.link_status == "prefix" and r.canonical:
        names.add(normalise_name(r.canonical))
    for n in list(names):
        for suffix in ("数", "数量", "次数", "个数", "人数"):
            if n.endswith(suffix):
                names.add(n[: -len(suffix)])
    return {n for n in names if len(n) >= 4}


def _unit_class(unit: str | None) -> str | None:
    u = canonical_unit(unit) or ""
    if not u:
        return None
    if u in ("%", "‰"):
        return "percent"
    if u in ("元", "万元"):
        return "money"
    if u in ("天", "日", "小时", "工作日", "年", "月", "周", "个月", "分钟"):
        return "time"
    return "count"


@rule("C28", "narrative_table_mismatch", title="文字所述数值与表中实际值不符", severity="warning", scope="result",
      rationale="A figure the text gives for an indicator equals the table's actual (or the sum of the rows "
                "that share its name); compared only when the sentence names the indicator, is not about a "
                "target, and carries no 约/余/累计/截至 (DOMAIN §3.2 C28, §3.3).",
      message="文字称“{context}”（{printed}），表中“{name}”实际完成值为 {actual}",
      message_en="the text says '{context}' ({printed}); the table's '{name}' actual value is {actual}",
      cells=("actual",))
def narrative_table_mismatch(res: DocumentResult):
    by_table: dict[int, list] = {}
    for r in res.rows:
        if r.table_kind in SELF_EVAL_KINDS and r.actual_value is not None and r.name:
            by_table.setdefault(r.table_index, []).append(r)
    for t in res.tables:
        rows = by_table.get(t.provenance.table_index)
        if rows:
            yield from _mention_mismatches([p.actual for p in t.meta.overall_goals], rows)
    running = [p.text for p in res.passages if p.table_index is None and not _ONE_PROJECT.search(p.text)]
    named: dict[str, set[int]] = {}
    for rows in by_table.values():
        for r in rows:
            named.setdefault(normalise_name(r.name), set()).add(r.table_index)
    unique = [r for rows in by_table.values() for r in rows if len(named[normalise_name(r.name)]) == 1]
    yield from _mention_mismatches(running, unique)


def _mention_mismatches(blocks: list[str], rows: list):
    """Figures printed next to an indicator's name against that indicator's actual values."""
    if not blocks or not rows:
        return
    variants: dict[str, list] = {}
    for r in rows:
        for n in _name_variants(r):
            variants.setdefault(n, []).append(r)
    for mention in find_mentions(blocks, sorted(variants)):
        same = variants.get(normalise_name(mention.name), [])
        if not same or _TARGET_WORDS.search(mention.context) or _BOUND_WORDS.search(mention.context):
            continue
        if _unit_class(mention.unit) != _unit_class(same[0].unit or same[0].actual_unit):
            continue
        actuals = [r.actual_value for r in same]
        candidates = actuals + [sum(actuals)]
        if not any(abs(mention.value - a) <= 1e-6 * max(1.0, abs(a)) for a in candidates):
            r = same[0]
            yield r, {"context": mention.context[:60], "printed": mention.text, "value": as_printed(mention.value, 4),
                      "name": r.name, "actual": r.actual if len(same) == 1 else f"{' + '.join(x.actual or '' for x in same)}",
                      "actual_value": actuals[0] if len(same) == 1 else as_printed(sum(actuals), 4)}


# ---------------------------------------------------------------- C29

@rule("C29", "sangong_over_budget", title="三公经费超预算", severity="warning", scope="result",
      rationale="三公经费 决算 above its 预算, or above last year's 决算 while the text claims it was cut "
                "(压缩/压减/控制/下降) (DOMAIN §1.5, §1.8, §3.2 C29).",
      message="三公经费决算 {final} 万元，高于{what} {reference} 万元（{rate}%）；文中说法：“{claim}”",
      message_en="三公 expenses: outturn {final} above the {what_en} of {reference} ({rate}%); the text says: '{claim}'")
def sangong_over_budget(res: DocumentResult):
    claim = _control_claim([p.text for p in res.passages])
    seen: set[tuple] = set()
    for table, budget, final, previous in _sangong_pairs(res):
        for what, what_en, ref in (("预算", "budget", budget), ("上年决算", "previous year's outturn", previous)):
            if ref is None or final <= ref + MONEY_TOL or (what == "上年决算" and claim is None):
                continue
            if (what, ref, final) in seen:
                continue
            seen.add((what, ref, final))
            yield table, {"final": as_printed(final, 4), "reference": as_printed(ref, 4), "what": what, "what_en": what_en,
                          "rate": as_printed(final / ref * 100) if ref else None, "claim": claim}


def _sangong_pairs(res: DocumentResult):
    """(table, 预算, 决算, 上年决算) of the 三公 total, from tables and from sentences that print both."""
    for mt in res.money:
        figures = mt.sangong
        finals = [s for s in figures if s.measure == "final"]
        for f in finals:
            budget = next((s for s in figures if s.measure == "budget" and s.year == f.year and s.row == f.row), None)
            prev = next((s for s in finals if f.year and (s.year == f.year - 1)), None) or \
                next((s for s in finals if s is not f and re.search(r"上年", s.label)), None)
            if budget is not None or prev is not None:
                yield (table_of(res, mt.table_index), budget.total() if budget else None, f.total(),
                       prev.total() if prev else None)
    for p in res.passages:
        for s in p.sangong:
            yield table_of(res, p.table_index), s.budget, s.final, None


CONTROL_CLAIM = re.compile(r"压缩|压减|控制|节约|下降|减少")


def _control_claim(narrative: list[str]) -> str | None:
    """A sentence saying the 三公 expenses were cut or kept under control."""
    for text in narrative:
        for sent in re.split(r"[。；;，,]", nfkc(text)):
            s = norm(sent)
            if "三公" in s and CONTROL_CLAIM.search(s) and not re.search(r"严控|严格控制|要|应|将", s[:4]):
                return s[:40]
    return None


# ---------------------------------------------------------------- C30

_YEAR_CONTEXT = re.compile(r"((?:19|20)\d{2})\s*年度\s*(?:部门)?(?:决算|预算|绩效|自评|对[^，。；]{0,8}下达)")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@rule("C30", "year_mismatch", title="年份与报告年度不符", severity="info", scope="result",
      rationale="A table title or a 年度 决算/预算 reference names a year other than the report's; ±1 year is "
                "normal in text, a title one year off counts when its own rows name the report year "
                "(DOMAIN §3.2 C30).",
      message="“{context}”中的 {year} 年与报告年度 {report_year} 年不符",
      message_en="'{context}' names {year}, the report year is {report_year}")
def year_mismatch(res: DocumentResult):
    year = res.facts.report_year
    if year is None:
        return
    seen: set[tuple] = set()
    for t in res.tables:
        hit = _ANY_YEAR.search(norm(t.title))
        if not hit or int(hit.group(1)) == year or t.title in seen:
            continue
        y = int(hit.group(1))
        printed = t.meta.years_printed
        if abs(y - year) >= 2 or printed.get(year, 0) > printed.get(y, 0):
            seen.add(t.title)
            yield t, {"year": y, "report_year": year, "context": norm(t.title)[:40]}
    for p in res.passages:
        text = p.text
        for hit in _YEAR_CONTEXT.finditer(norm(text)):
            y = int(hit.group(1))
            if abs(y - year) >= 2 and (y, text) not in seen:
                seen.add((y, text))
                s = norm(text)
                yield table_of(res, p.table_index), {"year": y, "report_year": year, "context": s[max(0, hit.start() - 12):hit.end() + 12]}


# ---------------------------------------------------------------- C31

_PUNCT = re.compile(r"[\W_]+")


@rule("C31", "actual_copies_target_text", title="实际完成情况照抄预期目标", severity="info", scope="result",
      rationale="The 年度总体目标 实际完成情况 cell repeats the 预期目标 cell word for word: nothing was "
                "reported (DOMAIN §1.3, §3.2 C31).",
      message="年度总体目标的实际完成情况与预期目标完全相同：“{expected}”",
      message_en="the 年度总体目标 actual outcome repeats the expected target word for word: '{expected}'")
def actual_copies_target_text(res: DocumentResult):
    for t in res.tables:
        for pair in t.meta.overall_goals:
            a, b = _PUNCT.sub("", norm(pair.expected)), _PUNCT.sub("", norm(pair.actual))
            if len(a) >= 10 and a == b:
                yield t, {"expected": norm(pair.expected)[:60], "length": len(a)}
