"""Contradiction rules: the registry, each rule on a small table, and the seed examples of DOMAIN §3."""

import pytest

from pipeline.checks import RULES, check_document, get_rule
from pipeline.checks.registry import rule
from pipeline.extract import assembled
from pipeline.model import IndicatorRow, Provenance, RawTable, Table, TableMeta, TableQuality


def _row(i, name, op=">=", target=None, actual=None, weight=10.0, score=10.0, reason=None, unit=None, **kw):
    from pipeline.values import parse_value

    t, a = parse_value(target), parse_value(actual)
    return IndicatorRow(source="t.txt", doc_sha256="0" * 64, page=1, sheet=None, table_index=kw.pop("table", 0),
                        table_kind=kw.pop("kind", "project_self_eval"), table_title="测试表", project=kw.pop("project", "P"),
                        row_index=i, name=name, op=op, target=target, target_value=t.value, target_unit=t.unit or unit,
                        unit=unit, actual=actual, actual_value=a.value, actual_unit=a.unit or unit, weight=weight,
                        score=score, reason=reason, qualitative=t.value is None and bool(target), **kw)


def _doc(rows, meta=None, roles=("name", "target", "actual", "weight", "score", "reason"), kind="project_self_eval"):
    q = TableQuality(kind, None, "t", True, 1, len(rows), len(rows), 0, 0.0, 1.0, 1)
    table = Table(Provenance("t.txt", "0" * 64, 1, None, 0), kind, "测试表", "P", roles, [], TableMeta(**(meta or {})), q, RawTable((), 0, 0))
    return assembled("t.txt", [table], rows)


def _rules(doc):
    return sorted({f.rule for f in check_document(doc)})


def test_registry_refuses_duplicates_and_names_known_rules():
    with pytest.raises(ValueError):
        rule("C01", "again", title="x", severity="error", rationale="x", message="x", message_en="x")(lambda t, r: [])
    with pytest.raises(KeyError, match="known: C01"):
        get_rule("C99")
    assert all(r.severity in ("error", "warning", "info") and "DOMAIN" in r.rationale for r in RULES.values())


def test_clean_table_has_no_findings_above_info():
    rows = [_row(0, "培训人数", ">=", "300人次", "320人次", 40, 40), _row(1, "合格率", ">=", "95%", "98%", 50, 50)]
    funds = [{"label": "年度资金总额", "budget_full": 100.0, "executed": 100.0, "weight": 10.0, "rate": 100.0, "score": 10.0}]
    doc = _doc(rows, {"total_score": 100.0, "total_weight": 100.0, "grade": "优", "funds": funds})
    assert [f for f in check_document(doc) if f.severity != "info"] == []


@pytest.mark.parametrize("rows,meta,expected", [
    ([_row(0, "甲", score=12.0, weight=10.0)], {}, "C01"),
    ([_row(0, "甲", ">=", "10次", "12次", 50, 50), _row(1, "乙", ">=", "5次", "5次", 40, 40)], {"total_score": 100.0}, "C02"),
    ([_row(0, "甲", ">=", "10次", "12次", 50, 50)], {"total_weight": 100.0}, "C03"),
    ([_row(0, "甲", ">=", "10次", "12次", 90, 90)], {"funds": [{"budget_full": 147.0, "executed": 138.38, "rate": 91.14}]}, "C05"),
    ([_row(0, "发放驾驶证数量", ">=", "1万本", "0.61万本", 2, 2)], {}, "C11"),
    ([_row(0, "主体工程完成率", "=", "100", "0", 10, 10, unit="%")], {}, "C13"),
    ([_row(0, "规范车辆行驶和停放", "=", "作用明显", "0", 25, 25)], {}, "C13"),  # qualitative, nothing delivered
    ([_row(0, "电动自行车上牌登记率", ">=", "60%", "50%", 2, 1, reason="\u3000")], {}, "C14"),
    ([_row(0, "网络通畅保障率", "=", "0.95", "100", 10, 10, unit="%")], {}, "C16"),
    ([_row(0, "安全事故发生率", "<", "0", "0", 10, 10, unit="%")], {}, "C17"),
    ([_row(0, "服务水平", "=", "不断提升", "不断提升", 3, 3)], {}, "C20"),
    ([_row(0, "甲", ">=", "10次", "12次", 90, 75)], {"total_score": 75.0, "grade": "优"}, "C24"),
    ([_row(0, "工程数量", "=", "1", "0", 90, 90)], {"grade": "优", "total_score": 90.0, "other_notes": "此项目未开展"}, "C25"),
    ([_row(0, "租赁房屋及维护维修", "=", "1", "3", 10, 10, unit="次")], {}, "C12"),
    ([_row(0, "文艺、电影下乡", ">=", "3", "60", 10, 10, unit="次")], {}, "C15"),
    ([_row(0, "重点驾驶人三十日内审验率", ">=", "≥95%", "≥95%", 2, 2)], {}, "C21"),
    ([_row(0, "组织民警轮值轮训", ">=", "75", "70", 5, 5, reason="受疫情影响，未组织开展")], {}, "C26"),
    ([_row(0, "甲", ">=", "10次", "12次", 90, 90)], {"funds": [{"budget_initial": 90.0, "budget_full": 20.83}]}, "C34"),
])
def test_each_rule_fires_on_its_case(rows, meta, expected):
    assert expected in _rules(_doc(rows, meta))


def test_a_target_of_at_least_zero_sets_nothing_but_a_growth_rate_may():
    found = [f for f in check_document(_doc([_row(0, "建设成本控制率", ">=", "≥0%", "95%", 10, 10)])) if f.rule == "C17"]
    assert len(found) == 1 and "no target is set" in found[0].message_en
    assert "C17" not in _rules(_doc([_row(0, "业务收入增长率", ">=", "≥0%", "3%", 10, 10)]))


def test_zero_on_a_qualitative_target_that_asks_for_nothing_to_happen_is_no_finding():
    rows = [_row(0, "安全生产", "=", "无重大安全事故", "0", 10, 10), _row(1, "群众投诉", "=", "投诉明显减少", "0", 10, 10)]
    assert "C13" not in _rules(_doc(rows))


def test_cross_table_mismatch_between_department_and_project():
    rows = [_row(0, "安保巡查次数", ">=", "365", "2920", None, None, unit="次", table=0, kind="dept_self_eval", link_key="k"),
            _row(0, "安保巡查次数", ">=", "2920", "2920", 10, 10, unit="次", table=1, link_key="k"),
            _row(1, "消防巡查次数", ">=", "365", "365", None, None, unit="次", table=0, kind="dept_self_eval", link_key="f"),
            _row(1, "消防巡查次数", ">=", "365", "365", 10, 10, unit="次", table=1, link_key="f")]  # restated rows
    assert "C27" in _rules(_doc(rows))


def test_seed_004_findings_match_domain_examples(seed_results):
    found = check_document(seed_results["004"])
    by_rule = {}
    for f in found:
        by_rule.setdefault(f.rule, []).append(f)
    zero = {f.table_title.split()[-1] for f in by_rule["C13"]}
    assert zero == {"公开14-2表", "公开14-4表", "公开14-6表", "公开14-12表"}  # DOMAIN C13
    assert {f.table_title.split()[-1] for f in by_rule["C25"]} == zero
    assert [f.table_title.split()[-1] for f in by_rule["C02"]] == ["公开14-14表"]  # 85 + 10 ≠ 100
    assert by_rule["C02"][0].evidence["computed"] == 95.0 and by_rule["C02"][0].evidence["printed"] == 100.0
    assert {f.name for f in by_rule["C27"]} >= {"安保巡查次数", "网络通畅保障率", "组织民警轮值轮训"}
    assert {f.name for f in by_rule["C16"]} >= {"网络通畅保障率", "警务通使用率", "当年系统完成建设率"}
    assert all(f.page is None and f.row_index is not None for f in by_rule["C13"])


def test_seed_000_deduction_without_reason(seed_results):
    found = [f for f in check_document(seed_results["000"]) if f.rule == "C14"]
    assert [f.name for f in found] == ["电动自行车上牌登记率"]
    assert "未填写偏差原因" in found[0].message and found[0].evidence["score"] == 1.0


@pytest.mark.parametrize("name", ["020_西安__应急管理局_2026年部门预算.pdf", "004_重庆__2026年重庆市规划和自然资源局部门预算.pdf"])
def test_a_table_read_with_another_tables_head_keeps_its_rules_running(name):
    """A headerless table that takes title and project from the table before it, when that table has no
    funds block, must not carry `funds: None` (five rules crashed on it)."""
    from pipeline.checks import check_file

    from .conftest import SHARED

    path = SHARED / "corpus" / "wide" / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    checked = check_file(path)
    assert not [e.message for e in checked.result.errors if "not completed" in e.message]


@pytest.mark.parametrize("executed, printed, flagged", [
    (834.7, 83.5, False),  # 83.47 % printed with one decimal: right at its precision
    (834.7, 83.47, False),
    (834.7, 83.0, False),  # the funds block keeps a float: 83 is 83.47 at no decimals
    (834.7, 82.0, True),
    (834.7, 84.0, True),
    (834.7, 83.4, False),  # truncated, which templates do (DOMAIN §2.7)
    (834.7, 83.3, True),
])
def test_c05_compares_a_printed_rate_at_its_own_precision(executed, printed, flagged):
    funds = [{"label": "年度资金总额", "budget_full": 1000.0, "executed": executed, "rate": printed}]
    found = [f for f in check_document(_doc([_row(0, "甲", ">=", "10次", "12次", 90, 90)], {"funds": funds})) if f.rule == "C05"]
    assert bool(found) == flagged, [f.evidence for f in found]
    if found:
        assert found[0].evidence["tolerance_pp"] > 0


@pytest.mark.parametrize("column_target, flagged", [("≥100", False), ("≥90", True)])
def test_cross_table_mismatch_reads_a_unit_column_on_the_same_scale(column_target, flagged):
    """重庆 prints ≥100亿元 in one table and ≥100 | 计量单位 亿元 in the other: the same figure."""
    rows = [_row(0, "地区生产总值", ">=", "≥100亿元", None, None, None, unit="元", table=0, kind="dept_target", link_key="g",
                 flags=["target_multiplier"]),
            _row(0, "地区生产总值", ">=", column_target, None, None, None, unit="亿元", table=1, kind="project_target",
                 link_key="g"),
            _row(1, "货物吞吐量", ">=", "≥700万吨", None, None, None, unit="吨", table=0, kind="dept_target", link_key="t",
                 flags=["target_multiplier"]),
            _row(1, "货物吞吐量", ">=", "≥700", None, None, None, unit="万吨", table=1, kind="project_target", link_key="t")]
    found = [f for f in check_document(_doc(rows)) if f.rule == "C27"]
    assert [f.name for f in found] == (["地区生产总值"] if flagged else [])


def test_cross_table_mismatch_ignores_a_unit_one_table_leaves_out():
    rows = [_row(0, "创建数字化车间数量", ">=", "100", None, None, None, unit="个", table=0, kind="dept_target", link_key="a"),
            _row(0, "创建数字化车间数量", ">=", "100", None, None, None, table=1, kind="project_target", link_key="a"),
            _row(1, "新能源汽车产量", ">=", "120", None, None, None, unit="万辆", table=0, kind="dept_target", link_key="b"),
            _row(1, "新能源汽车产量", ">=", "110", None, None, None, table=1, kind="project_target", link_key="b")]
    assert [f.name for f in check_document(_doc(rows)) if f.rule == "C27"] == ["新能源汽车产量"]


def test_a_number_ocr_was_unsure_of_makes_its_findings_info():
    """The same contradiction is an error on printed text and info when it rests on a low-confidence OCR cell."""
    printed = _row(0, "培训人数", ">=", "300人次", "0人次", 40, 40)
    scanned = _row(0, "培训人数", ">=", "300人次", "0人次", 40, 40, flags=["ocr_low_confidence"], ocr_confidence=0.55)
    sev = {f.rule: f.severity for f in check_document(_doc([printed]))}
    assert sev.get("C13") == "error"
    assert {f.rule: f.severity for f in check_document(_doc([scanned]))}.get("C13") == "info"
