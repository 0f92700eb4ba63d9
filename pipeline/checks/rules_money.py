"""Rules on money (DOMAIN §3.2 C06, C08, C09): printed ratios against their numerator and
denominator, spending over budget, and fund components against their total, in the 项目资金 block
and the money tables (三公经费, 决算 and basic data tables; money.py reads them). Each rule reads the
whole DocumentResult."""

from __future__ import annotations

import re

from ..model import DocumentResult, MoneyColumn, MoneyTable, Percent, Table, union_bbox
from ..money import amount, block_marker, parse_percent, sangong_sums, total_label
from ..values import squeezed as norm
from .arithmetic import MONEY_TOL, PCT_TOL, percent_agrees, sums_agree
from .common import as_printed
from ..tables import SELF_EVAL_KINDS
from .registry import REGION, rule


FUND_TABLES = SELF_EVAL_KINDS + ("project_target", "dept_target")


def table_of(res: DocumentResult, index: int | None) -> Table | None:
    return next((t for t in res.tables if index is not None and t.provenance.table_index == index), None)


def _fund_rows(table: Table) -> list[dict]:
    """The funds block of an indicator table, only rows whose label is really printed in the grid (a block
    read by position is labelled by template order, which proves nothing)."""
    if table.kind not in FUND_TABLES:
        return []
    return [f for f in table.meta.funds if f.get("label") and f.get("printed")]


# ---------------------------------------------------------------- C06

@rule("C06", "ratio_printed_mismatch", title="表中比率与其分子分母不符", severity="error", scope="result",
      rationale="A printed ratio (执行率, 控制率, 得分率, 节约率) is recomputed from the figures beside it, "
                "±0.02 pp at its printed precision; a 100 % printed over a higher rate is a cap, left to C08 "
                "(DOMAIN §2.7, §3.1, §3.2 C06, §3.3).",
      message="“{label}”的{what}印为 {printed}，按 {numerator}/{denominator} 计算应为 {computed}%（{where}）",
      message_en="'{label}': {what} printed {printed}, {numerator}/{denominator} gives {computed}% ({where})")
def ratio_printed_mismatch(res: DocumentResult):
    for t in res.tables:
        for f in _fund_rows(t)[1:]:  # the first row is C05's
            budget, done, rate = f.get("budget_full"), f.get("executed"), f.get("rate")
            if budget and done is not None and rate:  # a 0 printed on every sub-row is a template blank
                found = _ratio_finding(f["label"], "执行率", Percent.of(rate), done, budget, t.title or "")
                if found:
                    yield t, found
    for mt in res.money:
        t = table_of(res, mt.table_index)
        if t is not None and t.meta.funds and t.kind in FUND_TABLES:
            continue  # the funds block of an indicator table is read above and by C05
        yield from ((t, ev) for ev in _section_ratios(mt))
    for p in res.passages:
        for s in p.budgets:
            if s.rate is not None:
                found = _ratio_finding(s.text[:24], "执行率", s.rate, s.executed, s.budget, s.text[:40])
                if found:
                    yield table_of(res, p.table_index), found


def _ratio_finding(label, what, printed: Percent, num: float, den: float, where: str, alt_den: float | None = None):
    if not den:
        return None
    computed = num / den * 100
    capped = printed.value == 100 and computed > 100
    if capped or percent_agrees(printed, computed) or (alt_den and percent_agrees(printed, num / alt_den * 100)):
        return None
    return {"label": label, "what": what, "printed": printed.shown(), "numerator": as_printed(num, 4), "denominator": as_printed(den, 4),
            "computed": as_printed(computed), "where": where}


_RATE_PARTS = {"exec": (("budget", "budget_initial"), ("final",)), "control": (("budget",), ("final",)),
               "score": (("weight",), ("score",)), "saving": (("budget",), ("final",))}
_RATE_NAMES = {"exec": "执行率", "control": "控制率", "score": "得分率", "saving": "节约率"}


def _section_ratios(mt: MoneyTable):
    for col in mt.columns:
        kind = col.rate_kind
        if kind is None:
            continue
        den_col, num_col = _denominator(mt, col, _RATE_PARTS[kind][0]), _numerator(mt, col, _RATE_PARTS[kind][1])
        if den_col is None or num_col is None or (den_col.year and num_col.year and den_col.year != num_col.year):
            continue
        initial = _nearest(mt, col, ("budget_initial",)) if kind == "exec" else None
        for row in mt.rows:
            cells = row.cells
            printed = parse_percent(cells[col.index]) if col.index < len(cells) else None
            num, den = (amount(cells[c.index]) if c.index < len(cells) else None for c in (num_col, den_col))
            if printed is None or num is None or den is None:
                continue
            if kind == "saving":
                num = den - num
            alt = amount(cells[initial.index]) if initial is not None and initial is not den_col else None
            found = _ratio_finding(row.label or mt.where, _RATE_NAMES[kind], printed, num, den, mt.where, alt)
            if found:
                yield _at(found, row, col.index, num_col.index, den_col.index)


def _nearest(mt: MoneyTable, col: MoneyColumn, roles: tuple[str, ...]) -> MoneyColumn | None:
    left = [c for c in mt.columns[:col.index] if c.role in roles]
    return left[-1] if left else None


def _numerator(mt: MoneyTable, col: MoneyColumn, roles: tuple[str, ...]) -> MoneyColumn | None:
    """The figure a ratio divides: under a two-level header (决算数 over 合计 | 基本支出 | 项目支出) the group's
    total, as for the denominator, not the sub-column nearest the ratio; else the nearest."""
    left = [c for c in mt.columns[:col.index] if c.role in roles]
    if not left:
        return None
    return max(left, key=lambda c: (c.is_total or len(c.path) == 1, c.index))


def _denominator(mt: MoneyTable, col: MoneyColumn, roles: tuple[str, ...]) -> MoneyColumn | None:
    """The budget a ratio is taken over: 全年预算数 before 年初预算数 (DOMAIN §1.10), a group's total before
    its components (批复金额 总额 | 财政拨款 | 其他资金), then the nearest."""
    left = [c for c in mt.columns[:col.index] if c.role in roles]
    if not left:
        return None
    return max(left, key=lambda c: ("全年" in c.label or "调整" in c.label, c.role != "budget_initial",
                                    c.is_total or len(c.path) == 1, c.index))


# ---------------------------------------------------------------- C08

@rule("C08", "overspent_budget", title="支出超过预算", severity="warning", scope="result",
      rationale="全年执行数 above 全年预算数 (rate > 100 %, ±0.01 万元 and ±0.02 pp) is spending beyond the "
                "budget; a printed 100 % there is a cap, reported beside it (DOMAIN §1.10, §3.2 C08, §3.3).",
      message="“{label}”执行数 {executed} 万元，高于预算数 {budget} 万元（执行率 {rate}%，表中印为 {printed_rate}）",
      message_en="'{label}': spent {executed}, above the budget of {budget} (rate {rate}%, printed {printed_rate})")
def overspent_budget(res: DocumentResult):
    seen: set[tuple] = set()
    for t in res.tables:
        for f in _fund_rows(t):
            ev = _overspent(f["label"], f.get("executed"), f.get("budget_full"), f.get("rate"))
            if ev and _first(seen, ev):
                yield t, ev
    for mt in res.money:
        t = table_of(res, mt.table_index)
        if (t is not None and _fund_rows(t)) or re.search(r"基础数据", mt.context):
            continue  # the basic data table's 本年预算数 is the year-start budget (DOMAIN §1.5, C34)
        if mt.sangong:
            continue  # C29
        for ev in _section_overspent(mt):
            if _first(seen, ev):
                yield t, ev
    for p in res.passages:
        for s in p.budgets:
            if s.budget_kind == "年初" or "三公" in s.text:
                continue  # above the year-start budget is an adjustment (DOMAIN §1.10); 三公 is C29
            ev = _overspent(s.text[:24], s.executed, s.budget, s.rate)
            if ev and _first(seen, ev):
                yield table_of(res, p.table_index), ev


def _first(seen: set, ev: dict) -> bool:
    key = (ev["executed"], ev["budget"])
    if key in seen:
        return False
    seen.add(key)
    return True


def _overspent(label, executed, budget, printed: Percent | float | None):
    if not budget or executed is None or executed <= budget + MONEY_TOL:
        return None
    rate = executed / budget * 100
    if rate <= 100 + PCT_TOL:
        return None
    if isinstance(printed, float):
        printed = Percent.of(printed)
    return {"label": label, "executed": as_printed(executed, 4), "budget": as_printed(budget, 4), "rate": as_printed(rate),
            "printed_rate": printed.shown() if printed else None, "capped": bool(printed) and printed.value == 100}


def _section_overspent(mt: MoneyTable):
    budgets = [c for c in mt.columns if c.role == "budget" and re.search(r"预算|批复", c.label)]
    finals = [c for c in mt.columns if c.role == "final" and re.search(r"决算|执行数|支出", c.label)]
    if not budgets or not finals:
        return
    budget = max(budgets, key=lambda c: ("全年" in c.label or "调整" in c.label, c.is_total or len(c.path) == 1, -c.index))
    final = finals[0]
    if budget.year and final.year and budget.year != final.year:
        return
    rate_col = next((c for c in mt.columns if c.rate_kind == "exec"), None)
    for row in mt.rows:
        cells = row.cells
        if max(budget.index, final.index) >= len(cells):
            continue
        printed = parse_percent(cells[rate_col.index]) if rate_col is not None and rate_col.index < len(cells) else None
        ev = _overspent(row.label or "合计", amount(cells[final.index]), amount(cells[budget.index]), printed)
        if ev:
            yield _at(ev, row, budget.index, final.index, *((rate_col.index,) if rate_col is not None else ()))


# ---------------------------------------------------------------- C09

_FUND_KIND = (("total", re.compile(r"资金总额|预算资金总额|项目总额")), ("current", re.compile(r"当年财政拨款")),
              ("carry", re.compile(r"上年结转")), ("fiscal", re.compile(r"财政拨款|财政资金")), ("other", re.compile(r"其他资金")))


def _fund_kind(label: str) -> str | None:
    t = norm(label)
    return next((k for k, pat in _FUND_KIND if pat.search(t)), None)


@rule("C09", "fund_components_mismatch", title="资金分项之和与总额不符", severity="error", scope="result",
      rationale="年度资金总额 = 财政拨款 + 上年结转 + 其他资金; 基本 + 项目 = total; 三公 = 因公出国 + 公务接待 + 公务用车 "
                "(= 购置 + 运行维护); a total row or column = its parts; ±0.01 万元 per addend (DOMAIN §1.3, §1.5, §3.1, §3.2 C09).",
      message="{what}：{total} ≠ 分项之和 {computed}（{parts}）（{where}）",
      message_en="{what}: {total} ≠ the sum of its parts {computed} ({parts}) ({where})")
def fund_components_mismatch(res: DocumentResult):
    for t in res.tables:
        for ev in _funds_block_sums(t):
            yield t, ev
        for ev in _labelled_amount_sums(t):
            yield t, ev
    for mt in res.money:
        t = table_of(res, mt.table_index)
        if t is not None and _fund_rows(t):
            continue
        for s in mt.sangong:
            for what, total, parts in sangong_sums(s):
                if not sums_agree(total, parts):
                    yield t, _sum_ev(f"{what}（{s.label or s.measure}）", total, parts, mt.where)
        if mt.sangong:
            continue
        yield from ((t, ev) for ev in _column_group_sums(mt))
        if not _continued(res, t):
            yield from ((t, ev) for ev in _row_total_sums(mt))


def _at(ev: dict, row, *columns: int) -> dict:
    """The evidence with the page region of the row's cells it was read from, for the reports to outline."""
    box = union_bbox(row.boxes[c] for c in columns if c < len(row.boxes))
    return {**ev, REGION: box} if box is not None else ev


def _sum_ev(what: str, total: float, parts: list[float], where: str) -> dict:
    return {"what": what, "total": as_printed(total, 4), "computed": as_printed(sum(parts), 4), "parts": " + ".join(f"{p:g}" for p in parts),
            "where": where}


def _funds_block_sums(t: Table):
    rows = _fund_rows(t)
    if not rows:
        return
    by_kind: dict[str, dict] = {}
    for f in rows:
        by_kind.setdefault(_fund_kind(f["label"]) or "?", f)
    total = by_kind.get("total")
    if total is None:
        return
    for role in ("budget_initial", "budget_full", "executed"):
        value = total.get(role)
        parts = {k: by_kind[k].get(role) for k in ("current", "carry", "fiscal", "other") if k in by_kind}
        if value is None or all(v is None for v in parts.values()):
            continue
        options = _fund_conventions({k: v or 0.0 for k, v in parts.items()})
        if options and not any(sums_agree(value, o) for o in options):
            yield _sum_ev(f"年度资金总额（{_ROLE_NAMES[role]}）", value, options[0], t.title or "")


_ROLE_NAMES = {"budget_initial": "年初预算数", "budget_full": "全年预算数", "executed": "全年执行数"}


def _fund_conventions(p: dict[str, float]) -> list[list[float]]:
    """The ways templates split 年度资金总额: 当年财政拨款 + 上年结转 + 其他; 财政拨款 (= 当年 + 上年结转) + 其他;
    财政拨款 + 上年结转 + 其他 (DOMAIN §1.3)."""
    other = p.get("other", 0.0)
    out = []
    if "current" in p:
        out.append([p["current"], p.get("carry", 0.0), other])
    if "fiscal" in p:
        out.append([p["fiscal"], other])
        if "carry" in p:
            out.append([p["fiscal"], p["carry"], other])
    return out


def _labelled_amount_sums(t: Table):
    """"其中：一般公共预算：2113.48 … 其他资金：13.52" and "基本支出：1271.12 / 项目支出：855.88" cells of a funds
    block (seed 000): each split adds up to the block's 年度资金总额."""
    if t.kind not in FUND_TABLES:
        return
    by_income, by_use = [], []
    for label, value in t.meta.labelled_amounts:
        if not re.search(r"总额|合计", label):
            (by_use if re.search(r"基本支出|项目支出", label) else by_income).append(value)
    funds = _fund_rows(t)
    totals = [funds[0].get(k) for k in ("budget_full", "executed", "budget_initial")] if funds else []
    totals = [v for v in totals if v]
    for what, parts in (("按收入性质分", by_income), ("按支出性质分", by_use)):
        if len(parts) >= 2 and totals and not any(sums_agree(v, parts) for v in totals):
            yield _sum_ev(f"年度资金总额{what}", totals[0], parts, t.title or "")


def _column_group_sums(mt: MoneyTable):
    """A total column against the columns money.py found to add up to it (MoneyTable.splits)."""
    for split in mt.splits:
        col = mt.columns[split.total]
        for row in mt.rows:
            cells = row.cells
            total = amount(cells[col.index]) if col.index < len(cells) else None
            values = [amount(cells[p]) if p < len(cells) else None for p in split.parts]
            if total is None or all(v is None for v in values):
                continue
            vs = [v or 0.0 for v in values]
            if not sums_agree(total, vs) and not (split.partial and sum(vs) < total):
                what = f"“{row.label or col.label}”{col.label}" + (f"（{split.name}）" if split.name else "")
                yield _at(_sum_ev(what, total, vs, mt.where), row, col.index, *split.parts)


def _row_total_sums(mt: MoneyTable):
    """A 合计/总计 row against its top-level rows, where the hierarchy is printed: 序号 (3 over 3.1), 一、二、
    blocks, or subject codes (a 款 row is part of its 类, not another addend); a flattened narrative table
    with no sub-rows at all is one level. A table printed as panels side by side (收入 | 支出) reads each
    panel's amounts with the labels printed left of them."""
    for label_col, col_indices in mt.panels:
        def label(row) -> str:
            if label_col is None:
                return row.label
            return norm(row.cells[label_col]) if label_col < len(row.cells) else ""
        labelled = [(row, label(row)) for row in mt.rows]
        totals = [x for x in labelled if total_label(x[1])]
        if len(totals) != 1:
            continue
        top = _top_level([x for x in labelled if x is not totals[0] and (x[0].code_level or 1) == 1],
                         flat_ok=not mt.from_grid)
        if len(top) < 2:
            continue
        trow, tlabel = totals[0]
        for col in (mt.columns[i] for i in col_indices):
            if col.role in (None, "rate", "weight", "score") or col.index >= len(trow.cells):
                continue
            total = amount(trow.cells[col.index])
            values = [amount(r.cells[col.index]) if col.index < len(r.cells) else None for r, _ in top]
            if total is None or all(v is None for v in values):
                continue
            vs = [v or 0.0 for v in values]
            if not sums_agree(total, vs):
                ev = _sum_ev(f"“{tlabel}”{col.label}", total, vs, mt.where)
                box = union_bbox(r.boxes[col.index] for r in [trow] + [r for r, _ in top] if col.index < len(r.boxes))
                yield {**ev, REGION: box} if box is not None else ev


def _top_level(rows: list, flat_ok: bool) -> list:
    """The (row, label) pairs a total adds up, or [] when the hierarchy is not printed plainly."""
    rows = [x for x in rows if x[1]]
    if rows and all(r.sequence for r, _ in rows):
        return [x for x in rows if "." not in x[0].sequence]
    marked = [x for x in rows if block_marker(x[1])]
    if len(marked) >= 2 and block_marker(rows[0][1]):
        return marked
    if not flat_ok or any(re.match(r"^(其中|[(（]?\d+[)）、.]|[(（][一二三四五六七八九十]+[)）])", x[1]) for x in rows):
        return []
    return rows


def _continued(res: DocumentResult, table: Table | None) -> bool:
    """A table printed over several pages without being stitched (its neighbour carries the same title):
    a total on one page is not the sum of that page's rows."""
    if table is None or not table.title:
        return False
    i = table.provenance.table_index
    return any(t.title == table.title and abs(t.provenance.table_index - i) == 1 for t in res.tables)
