"""Rules C04 C07 C10 C18 C19 C22 C23 C32 C33 C35 C36 C37: each on small hand-built tables, and the seed
examples of DOMAIN §3.2."""

import copy

from pipeline.checks import RULES, check_document
from pipeline.checks.rules_scoring import _department_rate, qualitative_band
from pipeline.extract import assembled
from pipeline.model import IndicatorRow, LogicalRow, Provenance, RawTable, Table, TableMeta, TableQuality
from pipeline.values import parse_value

MINE = ("C04", "C07", "C10", "C18", "C19", "C22", "C23", "C32", "C33", "C35", "C36", "C37")


def _row(i, name, op=">=", target=None, actual=None, weight=10.0, score=10.0, reason=None, unit=None, **kw):
    t, a = parse_value(target), parse_value(actual)
    kw.setdefault("flags", [f"target_{f}" for f in t.flags] + [f"actual_{f}" for f in a.flags])
    return IndicatorRow(source="t.txt", doc_sha256="0" * 64, page=kw.pop("page", 1), sheet=None, table_index=0,
                        table_kind="project_self_eval", table_title="测试表", project=kw.pop("project", None),
                        row_index=i, name=name, op=op, target=target, target_value=t.value, target_unit=t.unit or unit,
                        unit=unit, actual=actual, actual_value=a.value, actual_unit=a.unit or unit, weight=weight,
                        score=score, reason=reason, qualitative=t.value is None and bool(target), **kw)


def _printed(x):
    return "" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))


def _table(index, rows, kind="project_self_eval", title="2022年度项目支出绩效自评表", project="P", meta=None,
           roles=("level1", "level2", "name", "target", "actual", "weight", "score", "reason"), cells=None):
    """A normalised table around `rows`; its logical rows print the rows' values (`cells` overrides them)."""
    logical = []
    for r in rows:
        r.table_index, r.table_kind, r.table_title = index, kind, title
        r.project = r.project or project
        printed = {k: _printed(getattr(r, k)) for k in ("name", "target", "actual", "weight", "score", "reason")}
        printed.update((cells or {}).get(r.row_index, {}))
        logical.append(LogicalRow(r.row_index, printed, {}, r.page))
    q = TableQuality(kind, "indicator", "t", True, 1, len(rows), len(rows), 0, 0.0, 1.0, 1)
    return Table(Provenance("t.txt", "0" * 64, 1, None, index), kind, title, project, tuple(roles), logical,
                 TableMeta(**(meta or {})), q, RawTable((), 0, 0))


def _t(index, rows, **kw):
    """A table and its rows, as _doc takes them."""
    return _table(index, rows, **kw), rows


def _doc(*parts, narrative=()):
    tables = [t for t, _ in parts]
    rows = [r for _, rows in parts for r in rows]
    return assembled("t.txt", tables, rows, list(narrative))


def _found(doc, rule_id):
    return [f for f in check_document(doc) if f.rule == rule_id]


def _levels(rows_spec):
    """(level1, level2, weight) triples → scored rows with targets met."""
    return [_row(i, f"指标{i}", ">=", "10次", "10次", w, w, level1=l1, level2=l2) for i, (l1, l2, w) in enumerate(rows_spec)]


FUNDS_OK = [{"label": "年度资金总额", "budget_full": 100.0, "executed": 100.0, "weight": 10.0, "rate": 100.0, "score": 10.0}]


def test_every_rule_is_registered_with_domain_rationale_and_both_messages():
    for rid in MINE:
        rule = RULES[rid]
        assert "DOMAIN" in rule.rationale and rule.title and rule.message and rule.message_en
        assert rule.severity in ("error", "warning", "info")


# ---------------------------------------------------------------- C04


def test_c04_flags_a_nonstandard_split_and_passes_50_30_10():
    odd = _levels([("产出指标", "数量指标", 70), ("效益指标", "社会效益指标", 15), ("满意度指标", "服务对象满意度指标", 5)])
    found = _found(_doc(_t(0, odd, meta={"funds": FUNDS_OK})), "C04")
    assert len(found) == 1 and found[0].severity == "info"
    assert found[0].evidence["weights"] == {"产出指标": 70.0, "效益指标": 15.0, "满意度指标": 5.0}
    usual = _levels([("产出指标", "数量指标", 30), ("产出指标", "质量指标", 20), ("效益指标", "社会效益指标", 30),
                     ("满意度指标", "服务对象满意度指标", 10)])
    assert _found(_doc(_t(0, usual, meta={"funds": FUNDS_OK})), "C04") == []


def test_c04_holds_the_cost_template_to_its_own_split_and_skips_other_hierarchies():
    cost = _levels([("成本指标", "经济成本指标", 20), ("产出指标", "数量指标", 40), ("效益指标", "社会效益指标", 20),
                    ("满意度指标", "服务对象满意度指标", 10)])
    assert _found(_doc(_t(0, cost, meta={"funds": FUNDS_OK})), "C04") == []
    cost[1].weight = cost[1].score = 50.0
    assert _found(_doc(_t(0, cost, meta={"funds": FUNDS_OK})), "C04")
    other = _levels([("投入", "目标设定", 10), ("过程", "预算执行", 40), ("产出", "职责履行", 25), ("效果", "履职效益", 25)])
    assert _found(_doc(_t(0, other, kind="dept_self_eval")), "C04") == []


def test_c04_seed_004_split_examples(seed_results):
    found = {f.table_title.split()[-1]: f for f in _found(seed_results["004"], "C04")}
    assert found["公开14-3表"].evidence["weights"] == {"产出指标": 70.0, "效益指标": 15.0, "满意度指标": 5.0}
    assert found["公开14-2表"].evidence["weights"]["满意度指标"] == 30.0
    assert "公开14-7表" not in found  # 50 / 30 / 10
    assert _found(seed_results["000"], "C04") == []  # DOMAIN: passes


# ---------------------------------------------------------------- C07


def _exec_doc(funds, kind="project_self_eval"):
    return _doc(_t(0, [_row(0, "甲", ">=", "10次", "12次", 90, 90)], kind=kind, meta={"funds": funds}))


def test_c07_flags_an_execution_score_off_the_rate():
    found = _found(_exec_doc([{"budget_full": 100.0, "executed": 80.0, "weight": 10.0, "rate": 80.0, "score": 10.0}]), "C07")
    assert len(found) == 1 and found[0].evidence["expected"] == 8.0 and found[0].table_title
    assert found[0].row_index is None and found[0].table_index == 0


def test_c07_accepts_rounding_capping_and_a_wrong_printed_rate():
    assert _found(_exec_doc([{"budget_full": 536.2, "executed": 413.57, "weight": 10.0, "rate": 77.13, "score": 7.7}]), "C07") == []
    assert _found(_exec_doc([{"budget_full": 100.0, "executed": 109.0, "weight": 10.0, "rate": 100.0, "score": 10.0}]), "C07") == []
    # the printed rate is wrong (C05) but the score follows executed / budget: not C07's finding
    assert _found(_exec_doc([{"budget_full": 147.0, "executed": 138.38, "weight": 10.0, "rate": 91.14, "score": 9.41}]), "C07") == []


def _score_sheet(score, roles=("level1", "level2", "name", "weight", "score")):
    dept = _t(0, [], kind="other", title="表2 部门整体支出决算表", project=None,
              meta={"funds": [{"label": "年度资金总额", "budget_full": 9418.58, "executed": 9369.27}]}, roles=())
    sheet = _t(1, [_row(0, "部门预算资金支出率", None, None, None, 10.0, score, level1="履职效能", level2="整体效能")],
               kind="score_summary", title="表4部门整体绩效自评得分情况", project=None, roles=roles)
    return _doc(dept, sheet)


def test_c07_checks_a_score_sheet_row_against_the_department_funds():
    found = _found(_score_sheet(9.5), "C07")
    assert [f.name for f in found] == ["部门预算资金支出率"] and found[0].evidence["expected"] == 9.95
    assert _found(_score_sheet(9.95), "C07") == []
    assert _found(_score_sheet(9.5, roles=("level1", "level2", "name", "weight", "criteria", "score")), "C07") == []


def test_c07_seed_002_passes_and_a_changed_score_does_not(seed_results):
    res = seed_results["002"]
    assert round(_department_rate(res.tables), 2) == 99.48  # 9,369.27 / 9,418.58: the text's 99.5 %
    assert _found(res, "C07") == []
    broken = copy.deepcopy(res)
    row = next(r for r in broken.rows if r.name == "部门预算资金支出率")
    assert row.score == 9.95
    row.score = 9.0
    assert [f.evidence["expected"] for f in _found(broken, "C07")] == [9.95]
    assert _found(seed_results["004"], "C07") == []  # DOMAIN: all projects pass


# ---------------------------------------------------------------- C10


def test_c10_under_scoring_is_info_and_over_scoring_a_warning():
    under = _found(_doc(_t(0, [_row(0, "发放驾驶证数量", ">=", "≥1万本", "0.61万本", 2, 1)])), "C10")
    assert [(f.severity, f.evidence["expected"], f.evidence["direction"]) for f in under] == [("info", 1.22, "under")]
    over = _found(_doc(_t(0, [_row(0, "培训人数", ">=", "100人", "50人", 10, 8)])), "C10")
    assert [(f.severity, f.evidence["expected"]) for f in over] == [("warning", 5)]
    assert "severity" not in over[0].evidence


def test_c10_passes_the_formula_and_leaves_other_rules_their_cases():
    assert _found(_doc(_t(0, [_row(0, "举办交警网校学习培训考试班次", ">=", "≥50期", "25期", 2, 1)])), "C10") == []
    cases = [_row(0, "甲", ">=", "100人", "80人", 10, 10),  # full marks on a miss: C11
             _row(1, "乙", ">=", "≥60%", "＜60%", 2, 1),  # a comparison, not a measurement: C21
             _row(2, "丙", ">=", "100", "0", 10, 10, unit="%"),  # zero actual: C13
             _row(3, "丁", "<=", "≤24小时", "30小时", 10, 5),  # 反向: regional variants
             _row(4, "戊", ">=", "录入劝导日志80万条", "40万余条", 10, 5.3)]  # 余: up to 10 % more
    assert _found(_doc(_t(0, cases)), "C10") == []


def test_c10_flags_points_deducted_on_a_met_lower_is_better_target():
    met = _found(_doc(_t(0, [_row(0, "投诉次数", "<=", "≤4次", "4次", 10, 9),
                             _row(1, "安全事故发生次数", "<", "＜1次", "0次", 10, 8)])), "C10")
    assert [(f.name, f.evidence["expected"], f.severity) for f in met] == [("投诉次数", 10, "info"), ("安全事故发生次数", 10, "info")]
    quiet = [_row(0, "投诉次数", "<=", "≤4次", "4次", 10, 10),  # met, full marks
             _row(1, "办结时限", "<=", "≤24小时", "30小时", 10, 5)]  # missed: regional rules, not judged
    assert _found(_doc(_t(0, quiet)), "C10") == []


def test_c10_seed_examples(seed_results):
    found = {f.name: f for f in _found(seed_results["000"], "C10")}
    assert set(found) == {"发放驾驶证数量", "非税收入"}
    assert (found["发放驾驶证数量"].evidence["expected"], found["发放驾驶证数量"].evidence["score"]) == (1.22, 1)
    assert (found["非税收入"].evidence["expected"], found["非税收入"].evidence["score"]) == (9.81, 9.5)
    assert all(f.severity == "info" for f in found.values())
    seed_004 = _found(seed_results["004"], "C10")
    assert not [f for f in seed_004 if f.table_title.endswith("公开14-7表")]  # 40万 / 80万 × 10 = 5


# ---------------------------------------------------------------- C18


def test_c18_flags_a_direction_against_the_meaning():
    rows = [_row(0, "投诉量", ">=", "≥100%", None, None, None), _row(1, "竣工验收合格率", "<=", "≤95%", None, None, None)]
    found = _found(_doc(_t(0, rows, kind="project_target")), "C18")
    assert [(f.name, f.evidence["meaning"]) for f in found] == [("投诉量", "越低越好"), ("竣工验收合格率", "越高越好")]


def test_c18_leaves_handled_cases_negations_validity_periods_and_cut_names_alone():
    rows = [_row(0, "处理交通事故案件数", ">=", "23000", None, None, None),
            _row(1, "安全事故发生率", "<", "0", None, None, None, unit="%"),
            _row(2, "标准导则规划编制适用时限", ">", ">1年", None, None, None),
            _row(3, "不合格率", "<=", "≤5%", None, None, None),
            _row(4, "成本节约率", ">=", "≥5%", None, None, None),
            _row(5, "预防交通事故", ">=", "10", None, None, None, flags=["name_truncated"])]
    assert _found(_doc(_t(0, rows, kind="project_target")), "C18") == []


def test_c18_none_in_seed_004(seed_results):
    assert _found(seed_results["004"], "C18") == []  # DOMAIN: its 事故 rows correctly use <


# ---------------------------------------------------------------- C19


def test_qualitative_band_phrases():
    assert qualitative_band("达成年度指标") == "high"
    assert qualitative_band("部分达成年度指标并具有一定效果") == "mid"
    assert qualitative_band("未达成年度指标且效果较差") == "low"
    assert qualitative_band("作用明显") is None


def test_c19_score_outside_the_named_band():
    rows = [_row(0, "社会效益", "=", "作用明显", "部分达成年度指标并具有一定效果", 10, 10),
            _row(1, "可持续影响", "=", "持续", "达成年度指标", 10, 5)]
    found = _found(_doc(_t(0, rows)), "C19")
    assert [(f.name, f.evidence["band"]) for f in found] == [("社会效益", "mid"), ("可持续影响", "high")]


def test_c19_band_from_the_criteria_cell_and_scores_inside_pass():
    rows = [_row(0, "社会效益", "=", "作用明显", "作用明显", 10, 7), _row(1, "生态效益", "=", "改善", "改善", 10, 10),
            _row(2, "经济效益", "=", "提高", "提高", 10, 9)]
    cells = {2: {"criteria": "未达成年度指标且效果较差的，得分低于60%"}}
    roles = ("name", "target", "actual", "weight", "criteria", "score")
    assert [f.name for f in _found(_doc(_t(0, rows, roles=roles, cells=cells)), "C19")] == ["经济效益"]
    rows[0].actual = "部分达成年度指标并具有一定效果"
    assert [f.name for f in _found(_doc(_t(0, rows[:2])), "C19")] == []


# ---------------------------------------------------------------- C22


def test_c22_units_that_do_not_fit():
    rows = [_row(0, "提高农村地区道路交通安全", "=", "作用明显", "作用明显", 10, 10, unit="年"),
            _row(1, "为警务辅助人员购买保险", ">=", "300", "312", 10, 10, unit="年")]
    found = _found(_doc(_t(0, rows)), "C22")
    assert [f.name for f in found] == ["提高农村地区道路交通安全", "为警务辅助人员购买保险"]
    assert found[0].cells == ["unit"]


def test_c22_passes_dates_time_rows_and_fitting_units():
    rows = [_row(0, "工作完成时效", "=", "2025年度内", None, None, None, unit="年"),
            _row(1, "“两个教育”线上教育时间", ">=", "≥2天", "≥2天", 2, 2, unit="天", level2="时效指标"),
            _row(2, "培训人数", ">=", "300", "320", 10, 10, unit="人次")]
    assert _found(_doc(_t(0, rows)), "C22") == []


def test_c22_same_indicator_in_another_dimension_across_projects():
    def project(i, unit, name="资金支付时限"):
        return _t(i, [_row(0, name, "<=", "≤5", None, None, None, unit=unit, link_key="k")], kind="project_target",
                  project=f"项目{i}")
    assert _found(_doc(project(0, "天"), project(1, "日"), project(2, "天")), "C22") == []  # same dimension
    found = _found(_doc(project(0, "天"), project(1, "次"), project(2, "天")), "C22")
    assert [(f.table_index, f.evidence["other_unit"]) for f in found] == [(1, "天")]


def test_c22_seed_004_examples(seed_results):
    found = {(f.table_title.split()[-1], f.row_index): f for f in _found(seed_results["004"], "C22")}
    head_count = found[("公开14-13表", 0)]  # 为警务辅助人员购买… ≥300 年 (the narrative says 312人次)
    assert head_count.evidence["unit"] == "年" and "人数" in head_count.message
    assert found[("公开14-7表", 3)].evidence["unit"] == "年"  # 作用明显 with unit 年
    assert found[("公开14-12表", 2)].evidence["unit"] == "次"  # 作用明显 with unit 次
    assert all(f.severity == "info" for f in found.values())


# ---------------------------------------------------------------- C23


def _sat_table(i, value, target="90", project=None):
    return _t(i, [_row(0, "服务对象满意度", ">=", target, value, 10, 10, unit="%", level2="服务对象满意度指标")],
              project=project or f"项目{i}", title=f"2022年度项目支出绩效自评表 公开14-{i}表")


def test_c23_one_document_finding_for_a_repeated_figure():
    doc = _doc(_sat_table(1, "92"), _sat_table(2, "92"), _sat_table(3, "92"), _sat_table(4, "95"))
    found = _found(doc, "C23")
    assert len(found) == 1 and found[0].row_index is None
    assert found[0].evidence["n_tables"] == 3 and found[0].evidence["of_tables"] == 4
    assert found[0].evidence["tables"] == "公开14-1表、公开14-2表、公开14-3表"
    assert found[0].evidence["survey_mentioned"] is False
    surveyed = _doc(_sat_table(1, "92"), _sat_table(2, "92"), _sat_table(3, "92"),
                    narrative=["满意度通过发放问卷300份调查取得。"])
    assert _found(surveyed, "C23")[0].evidence["survey_mentioned"] is True


def test_c23_row_level_signs_and_unrelated_values_pass():
    assert _found(_doc(_sat_table(1, "92"), _sat_table(2, "95.3"), _sat_table(3, "97")), "C23") == []
    found = _found(_doc(_sat_table(1, "105"), _sat_table(2, "98", target="98"), _sat_table(3, "≥90%")), "C23")
    assert [(f.table_index, f.evidence["actual"]) for f in found] == [(1, 105), (2, 98)]


def test_c23_seed_004_the_92s(seed_results):
    found = _found(seed_results["004"], "C23")
    assert len(found) == 1 and found[0].row_index is None
    ev = found[0].evidence
    assert ev["value"] == 92 and ev["n_tables"] == 14 and ev["targets"] == [90]
    tables = ev["tables"].split("、")
    assert "公开13表" in tables and "公开14-3表" in tables and "公开14-16表" not in tables  # 14-16 prints 90.64


# ---------------------------------------------------------------- C32


def test_c32_an_empty_group_and_a_label_printed_above_its_rows():
    rows = [_row(0, "培训人数", ">=", "300", "320", 10, 10, level1="产出指标", level2="数量指标")]
    found = _found(_doc(_t(0, rows, meta={"empty_groups": ["成本指标", "数量指标", "成本指标"]})), "C32")
    assert [f.evidence["group"] for f in found] == ["成本指标"]
    assert _found(_doc(_t(0, rows, meta={"empty_groups": ["数量指标"]})), "C32") == []


def test_c32_seed_examples(seed_results):
    groups = [(f.table_index, f.evidence["group"]) for f in _found(seed_results["000"], "C32")]
    assert groups == [(0, "成本指标"), (0, "生态效益指标"), (1, "成本指标"), (1, "生态效益指标")]
    assert _found(seed_results["004"], "C32") == []  # 公开13表 prints its labels on lines of their own


# ---------------------------------------------------------------- C33


def test_c33_placeholders_where_a_value_is_required():
    rows = [_row(0, "甲", ">=", "10次", "0次", 5, None, reason="受疫情影响"), _row(1, "乙", ">=", "—", "3次", 5, 5),
            _row(2, "丙", ">=", "10次", "12次", 5, 5)]
    found = _found(_doc(_t(0, rows, cells={0: {"score": ""}, 1: {"target": "—"}})), "C33")
    assert [(f.name, f.evidence["fields"]) for f in found] == [("甲", ["score"]), ("乙", ["target"])]


def test_c33_only_columns_the_table_has():
    rows = [_row(0, "甲", ">=", "≥10次", None, None, None)]
    assert _found(_doc(_t(0, rows, kind="project_target", roles=("level1", "level2", "name", "target"))), "C33") == []


def test_c33_seed_004_blank_scores(seed_results):
    found = _found(seed_results["004"], "C33")
    assert {(f.table_title.split()[-1], f.row_index) for f in found} == {("公开14-10表", 0), ("公开14-10表", 2)}
    assert all(f.evidence["fields"] == ["score"] for f in found)


# ---------------------------------------------------------------- C35


def test_c35_missing_level1_per_project():
    rows = _levels([("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30), ("满意度指标", "服务对象满意度指标", 10),
                    ("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30)])
    for r, project in zip(rows, ["甲", "甲", "甲", "乙", None]):
        r.project = project  # None: the merged 项目名称 cell continues from above
    found = _found(_doc(_t(0, rows, project=None, kind="project_target")), "C35")
    assert [(f.evidence["project"], f.evidence["missing"]) for f in found] == [("乙", "满意度指标")]


def test_c35_a_project_name_cut_by_a_page_break_is_one_project():
    rows = _levels([("产出指标", "数量指标", 50), ("成本指标", "经济成本指标", 20), ("效益指标", "社会效益指标", 30),
                    ("满意度指标", "服务对象满意度指标", 10)])
    for r, project, page in zip(rows, ["道路交通信号", "道路交通信号", "灯专用设备采购", "灯专用设备采购"], [57, 57, 58, 58]):
        r.project, r.page = project, page
    assert _found(_doc(_t(0, rows, project=None, kind="project_target")), "C35") == []
    for r in rows[2:]:
        r.page = 57  # the same page: two projects, each incomplete
    assert len(_found(_doc(_t(0, rows, project=None, kind="project_target")), "C35")) == 2


def test_c35_seed_004_labels_missing_but_level2_present(seed_results):
    assert _found(seed_results["004"], "C35") == []  # 公开14-8/14-10表: 一级 derived from 社会效益指标


# ---------------------------------------------------------------- C36


def _cost_table(title, cost_weight, project="P"):
    rows = _levels([("成本指标", "经济成本指标", cost_weight), ("产出指标", "数量指标", 40), ("效益指标", "社会效益指标", 20),
                    ("满意度指标", "服务对象满意度指标", 10)])
    return _doc(_t(0, rows, title=title, project=project))


def test_c36_shanxi_cost_above_five_points():
    found = _found(_cost_table("太原市2023年项目支出绩效自评表", 10), "C36")
    assert len(found) == 1 and found[0].evidence["points"] == 10 and found[0].evidence["cost_rows"] == 1
    assert _found(_cost_table("太原市2023年项目支出绩效自评表", 5), "C36") == []
    assert _found(_cost_table("2023年项目支出绩效自评表", 10), "C36") == []
    assert _found(_cost_table("2023年项目支出绩效自评表", 10, project="维护社会长治久安专项"), "C36") == []


# ---------------------------------------------------------------- C37


def _timely(target, actual, title="2022年度项目支出绩效自评表", project="P", narrative=()):
    row = _row(0, "项目完成时间", "<=", target, actual, 10, 10, level2="时效指标", level1="产出指标")
    return _doc(_t(0, [row], title=title, project=project), narrative=narrative)


def test_c37_dates_outside_the_year():
    found = _found(_timely("2021年12月底前", "2021年11月"), "C37")
    assert [f.evidence["field"] for f in found] == ["target"]
    found = _found(_timely("2022年12月底前", "2023年3月完成"), "C37")
    assert [(f.evidence["field"], f.evidence["date"]) for f in found] == [("actual", "2023年3月")]


def test_c37_next_year_targets_and_project_periods_pass():
    assert _found(_timely("次年2月份前", "已于2023年2月完成"), "C37") == []
    assert _found(_timely("2022年12月底前", "2022年10月完成"), "C37") == []
    period = ["道路改造项目实施期限：2022年至2024年，分年度推进。"]
    assert _found(_timely("2023年6月底前", "2022年12月", project="道路改造项目", narrative=period), "C37") == []
    assert _found(_timely("2023年6月底前", "2022年12月", project="道路改造项目"), "C37")


# ---------------------------------------------------------------- whole documents


def test_rules_on_every_seed_format_their_messages(seed_results):
    for res in seed_results.values():
        for f in check_document(res):
            if f.rule in MINE:
                assert "{" not in f.message and "{" not in f.message_en and f.severity in ("info", "warning", "error")


def test_an_unfilled_form_is_not_a_list_of_blanks():
    """A form published unused (an empty 表16 with its 二级 labels and names): none of its rows holds a
    value, so C32/C33 say nothing; one blank among filled rows is still a placeholder."""
    blank = [_row(i, name, op=None, weight=None, score=None, level1="产出指标", level2=l2)
             for i, (name, l2) in enumerate((("数量", "数量指标"), ("质量", "质量指标"), ("时效", "时效指标")))]
    found = [f.rule for f in check_document(_doc(_t(0, blank, kind="project_target",
                                                       roles=("level1", "level2", "name", "target"))))]
    assert "C32" not in found and "C33" not in found
    mixed = [_row(0, "甲", target="≥10次", weight=None, score=None, level1="产出指标", level2="数量指标"),
             _row(1, "乙", op=None, weight=None, score=None, level1="产出指标", level2="质量指标")]
    found = [f.rule for f in check_document(_doc(_t(0, mixed, kind="project_target",
                                                       roles=("level1", "level2", "name", "target"))))]
    assert "C33" in found
