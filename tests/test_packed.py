"""Packed indicator cells: every indicator of a project written into one cell as numbered text."""

import itertools
import random

import pytest

from pipeline import extract_file
from pipeline.checks import check_document
from pipeline.packed import joined, split_packed

from .conftest import SHARED

GUANGZHOU = SHARED / "corpus" / "wide" / "005_广州__2026年广州市生态环境局部门预算.pdf"

# (level1 code, level1, level2 code, printed level2, canonical level2, name, period, year)
ITEMS = [
    ("1", "产出指标", "11", "数量指标", "数量指标", "道路养护长度", "47.1公里", "47.1公里"),
    ("1", "产出指标", "13", "时效指标", "时效指标", "应急抢险及时率", "应急抢险及时率为100%", "应急抢险及时率为100%"),
    ("2", "效益指标", "22", "社会效益", "社会效益指标", "环保信访投诉办结率", "≧90%", "≧90%"),
    ("1", "产出指标", "12", "质量指标", "质量指标", "专职环保员队伍管理规范化", "考察是否符合规范，合规得满分，不合规不得分", "是"),
    ("4", "成本指标", "41", "经济成本指标", "经济成本指标", "项目预算控制数", "≦12.61万元/月", "≦12.61万元/月"),
    ("3", "满意度指标", "31", "服务对象满意度", "服务对象满意度指标", "办公场所人员满意度", "≥90%", "≥90%"),
]


def _cell(items, number, sep, dash, colon, end, restart_at=None, wrap=None, rng=None, name_end="；"):
    parts = []
    for k, (c1, l1, c2, l2, _, name, period, year) in enumerate(items):
        n = k + 1 if restart_at is None or k < restart_at else k + 1 - restart_at
        parts.append(f"{n}{number}{c1}{dash}{l1}{sep}{c2}{dash}{l2}{sep}{name}{name_end}实施周期指标值{colon}{period}，"
                     f"年度指标值{colon}{year}{end}")
    text = "".join(parts)
    if wrap:  # the printer's line breaks, anywhere
        cuts = sorted(rng.sample(range(1, len(text)), len(text) // wrap))
        text = "\n".join(text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]))
    return text


@pytest.mark.parametrize("number, sep, dash, colon, end", list(itertools.product(
    ("、", "."), ("，", "；", ";", ","), ("－", "-"), ("：", ":"), ("；", ";", "。", ""))))
def test_every_variant_splits_into_its_items(number, sep, dash, colon, end):
    rng = random.Random(f"{number}{sep}{dash}{colon}{end}")
    text = _cell(ITEMS, number, sep, dash, colon, end, restart_at=3, wrap=23, rng=rng)
    items, rest = split_packed(joined(text))
    assert rest == "", rest
    assert [(i.level1, i.level2, i.name, i.period_target, i.target) for i in items] == [
        (l1, l2c, name, period, year) for _, l1, _, _, l2c, name, period, year in ITEMS]


@pytest.mark.parametrize("dash", ["一", ""])
@pytest.mark.parametrize("name_end", ["；", "：", ":"])
def test_ocr_readings_of_a_packed_cell_split_too(dash, name_end):
    """OCR reads the short dash after a code as 一 or loses it, and the ； before 实施周期 as ："""
    text = _cell(ITEMS, "、", "，", dash, "：", "；", name_end=name_end)
    items, rest = split_packed(joined(text))
    assert rest == "", rest
    assert [(i.level1, i.level2, i.name, i.target) for i in items] == [
        (l1, l2c, name, year) for _, l1, _, _, l2c, name, _, year in ITEMS]


def test_a_digit_before_an_indicator_word_in_running_text_starts_no_item():
    items, rest = split_packed("完成3项考核指标，年度指标值：3项；")
    assert items == [] and rest


def test_an_item_without_its_year_value_is_left_over_not_guessed():
    text = _cell(ITEMS[:2], "、", "，", "－", "：", "；") + "3、2－效益指标，22－社会效益，辖区内污染源巡查率；"
    items, rest = split_packed(text)
    assert [i.name for i in items] == ["道路养护长度", "应急抢险及时率"]
    assert rest.startswith("3、2－效益指标") and "辖区内污染源巡查率" in rest


def test_packed_table_in_a_workbook_gives_rows_and_a_continued_cell(tmp_path):
    """Not a PDF reader's feature: the table stage knows the layout, whatever the format."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2026年项目支出绩效目标表"])
    ws.append([])
    ws.append(["项目名称（资金使用单位）", "总计", "财政拨款", "其他资金", "绩效目标", "绩效指标"])
    ws.append(["合计：", "300.00", "300.00", None, None, None])
    ws.append(["河道保洁经费", "120.00", "120.00", None, "完成河道日常保洁。", _cell(ITEMS[:4], "、", "，", "－", "：", "；")])
    ws.append(["环境监测运维经费", "180.00", "180.00", None, "保障监测站点正常运行。",
               _cell(ITEMS[4:5], ".", "；", "-", ":", ";") + "2.3-满意度指标；31-服务对象满意度；办公场所人"])
    ws.append([None, None, None, None, None, "员满意度；实施周期指标值：≥90%，年度指标值：≥90%;"])  # run on past a page break
    path = tmp_path / "packed.xlsx"
    wb.save(path)
    res = extract_file(path)
    assert res.status == "ok", res.status_reason
    got = [(r.project, r.level1, r.level2, r.name, r.target, r.period_target) for r in res.rows]
    assert got[:4] == [("河道保洁经费", l1, l2c, name, year, period) for _, l1, _, _, l2c, name, period, year in ITEMS[:4]]
    assert got[4:] == [("环境监测运维经费", "成本指标", "经济成本指标", "项目预算控制数", "≦12.61万元/月", "≦12.61万元/月"),
                       ("环境监测运维经费", "满意度指标", "服务对象满意度指标", "办公场所人员满意度", "≥90%", "≥90%")]
    assert all(r.table_kind == "project_target" for r in res.rows)
    assert [r.op for r in res.rows[:4]] == ["=", "=", ">=", None]
    goals = res.tables[0].meta.project_goals
    assert (goals[0].project, goals[0].goal) == ("河道保洁经费", "完成河道日常保洁。")
    assert not any("完成河道" in (r.name or "") + (r.target or "") for r in res.rows)


def test_a_cell_that_does_not_split_is_a_warning_with_its_page(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "绩效目标", "绩效指标"])
    ws.append(["河道保洁经费", "完成河道日常保洁。", _cell(ITEMS[:1], "、", "，", "－", "：", "；") + "2、1－产出指标，12－质量指标，保洁质量"])
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    res = extract_file(path)
    assert [r.name for r in res.rows] == ["道路养护长度"]
    assert res.status == "partial" and any("not fully split" in e.message and "保洁质量" in e.message for e in res.errors)


@pytest.fixture(scope="module")
def guangzhou():
    if not GUANGZHOU.exists():
        pytest.skip(f"{GUANGZHOU} not available")
    return extract_file(GUANGZHOU)


def test_every_page_of_the_guangzhou_document_gives_rows(guangzhou):
    assert guangzhou.status == "ok", guangzhou.status_reason
    assert {r.page for r in guangzhou.rows} == set(range(1, guangzhou.pages + 1))
    assert all(r.name and r.level1 and r.level2 for r in guangzhou.rows)
    # p92 prints one 年度指标值 with nothing after it (`年度指标值：7、2－效益指标…`): no target, rightly
    assert sum(r.target is None for r in guangzhou.rows) <= 2
    assert sum(r.period_target is not None for r in guangzhou.rows) > 0.9 * len(guangzhou.rows)


def test_packed_rows_are_linked_and_checked_like_any_other(guangzhou):
    assert sum(r.link_status in ("exact", "normalised", "fuzzy") for r in guangzhou.rows) >= 20
    warnings = []
    found = check_document(guangzhou, warnings)
    rules = {f.rule for f in found}
    assert {"C17", "C20", "C35"} <= rules, rules
    assert not warnings, warnings
    vague = [f for f in found if f.rule == "C20"]
    assert all(f.page and f.name for f in vague)


def test_guangzhou_rows_match_the_dev_gold(guangzhou):
    from pipeline.devtools.evaluate import SCORED_FIELDS, evaluate

    from .conftest import ROOT

    gold = ROOT / "corpus" / "gold" / "wide" / "dev" / f"{GUANGZHOU.name}.jsonl"
    scores, total = evaluate(gold, [r.to_dict() for r in guangzhou.rows])
    assert total.gold >= 130
    assert total.precision >= 0.98 and total.recall >= 0.98, (total.precision, total.recall)
    for f in SCORED_FIELDS:
        assert total.accuracy(f) >= 0.98, (f, scores[0].mismatches[:5])
