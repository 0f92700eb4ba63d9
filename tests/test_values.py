"""Value parsing on real cell strings from the seeds (text as printed, incl. U+3000 and full width)."""

import pytest

from pipeline.values import clean_text, join_lines, parse_number, parse_op, parse_value, split_trailing_op

# (cell text, op, value, unit, flags) — None for value means "no single number".
TARGETS = [
    # seed 000 target and self-evaluation tables: op and unit inline
    ("≥50个", ">=", 50, "个", set()),
    ("55个\u3000", None, 55, "个", set()),
    ("≥2万M²", ">=", 20000, "m²", {"multiplier"}),
    ("2万M²", None, 20000, "m²", {"multiplier"}),
    ("≥0.5万个", ">=", 5000, "个", {"multiplier"}),
    ("0.6万个", None, 6000, "个", {"multiplier"}),
    ("≥50期", ">=", 50, "期", set()),
    ("25期", None, 25, "期", set()),
    ("≥5次", ">=", 5, "次", set()),
    ("8次", None, 8, "次", set()),
    ("≥1万本", ">=", 10000, "本", {"multiplier"}),
    ("0.61万本", None, 6100, "本", {"multiplier"}),
    ("≥60%", ">=", 60, "%", set()),
    ("＜60%", "<", 60, "%", set()),
    ("100%", None, 100, "%", set()),
    ("≥95%", ">=", 95, "%", set()),
    ("＞90%", ">", 90, "%", set()),
    ("≤1天", "<=", 1, "天", set()),
    ("≤5天", "<=", 5, "天", set()),
    ("≤3天", "<=", 3, "天", set()),
    ("≤24小时", "<=", 24, "小时", set()),
    ("≥2天", ">=", 2, "天", set()),
    ("≥1000万元", ">=", 1000, "万元", set()),
    ("981万元", None, 981, "万元", set()),
    ("≥85%", ">=", 85, "%", set()),
    ("≥90%", ">=", 90, "%", set()),
    ("\u300096.5", None, 96.5, None, set()),
    # seed 004: separate 指标性质 / 度量单位 columns, 万 inside values, text around numbers
    ("154000", None, 154000, None, set()),
    ("154033", None, 154033, None, set()),
    ("8409", None, 8409, None, set()),
    ("23.1万", None, 231000, None, {"multiplier"}),
    ("238.3万", None, 2383000, None, {"multiplier"}),
    ("录入劝导日志80万条", None, 800000, "条", {"multiplier"}),
    ("40万余条", None, 400000, "条", {"multiplier", "approx"}),
    ("8万次劝导宣传", None, 80000, "次", {"multiplier"}),
    ("9万余次", None, 90000, "次", {"multiplier", "approx"}),
    ("录入劝导日志80万", None, 800000, None, {"multiplier"}),
    ("400000", None, 400000, None, set()),
    ("0.95", None, 0.95, None, set()),
    ("90.64", None, 90.64, None, set()),
    ("2920", None, 2920, None, set()),
    ("0", None, 0, None, set()),
    ("1020", None, 1020, None, set()),
    # seed 002: sentence targets with word operators
    ("不低于 90%。", ">=", 90, "%", set()),
    ("不低于 80%。", ">=", 80, "%", set()),
    ("92.8%以上。", ">=", 92.8, "%", set()),
    ("2G 以上。", ">=", 2, "G", set()),
    ("低于 20%。", "<", 20, "%", set()),
    ("大于 85%。", ">", 85, "%", set()),
    ("500 支。", None, 500, "支", set()),
    ("100 个。", None, 100, "个", set()),
    ("500支。", None, 500, "支", set()),
    ("验收合格率 100%。", None, 100, "%", set()),
    ("群众重复咨询比例 10%。", None, 10, "%", set()),
    ("网站正常运行率 99.7%。", None, 99.7, "%", set()),
    ("第三方服务单位满意度 100%。", None, 100, "%", set()),
    ("共涉及两个信息化建设项目，平均业务数据量 2.69G。", None, 2.69, "G", set()),
    ("全年代理组织约 70 个采购项目（含智慧云平台采购项目）。", "=", 70, "个", {"approx"}),
    ("全年完成代理组织采购项目 80 个（含智慧云平台采购项目）。", None, 80, "个", set()),
    ("每日（工作日）制作舆情日报和专报产品 1 份。", None, 1, "份", set()),
    ("“广州街坊”微信小程序注册并运行的群防共治队伍 466 支。", None, 466, "支", set()),
    ("群众安全感 98.8%，政法工作满意度 96.7%。", None, None, None, {"multi_value"}),
    ("对 1 个以上的社会治安重点地区、5 个以上的社会治安突出问题地区开展专项整治行动。", ">=", None, None, {"multi_value"}),
    # seed 003 三公 table and seed 001 basic data
    ("80.39%", None, 80.39, "%", set()),
    ("91.14%", None, 91.14, "%", set()),
    ("82.7%\u3000", None, 82.7, "%", set()),
    ("\u30005.7", None, 5.7, None, set()),
    ("23,880.75", None, 23880.75, None, set()),
    ("2,608", None, 2608, None, set()),
    ("1,831.00", None, 1831, None, set()),
    ("9,510.3", None, 9510.3, None, set()),
]

QUALITATIVE = ["不断提升", "持续优化", "日益改善", "不断增加", "持续", "作用明显", "及时发放", "及时配发", "及时报告",
               "更齐全", "有效提升", "提供科技保障交通秩", "有效减少尾气排放", "全年网络畅通"]
ABSENT = ["", "—", "/", "\u3000", "---", " ", "——"]


@pytest.mark.parametrize("text,op,value,unit,flags", TARGETS)
def test_parse_value_real_cells(text, op, value, unit, flags):
    v = parse_value(text)
    assert v.op == op
    if value is None:
        assert v.value is None
    else:
        assert v.value == pytest.approx(value)
    assert v.unit == unit
    assert flags <= set(v.flags)
    assert v.raw == clean_text(text)  # the printed text stays beside the parsed value


@pytest.mark.parametrize("text", QUALITATIVE)
def test_qualitative_targets_stay_qualitative(text):
    v = parse_value(text)
    assert v.qualitative and v.value is None and not v.absent
    assert v.raw == text


@pytest.mark.parametrize("text", ABSENT)
def test_placeholders_mean_absent(text):
    v = parse_value(text)
    assert v.absent and v.value is None


@pytest.mark.parametrize("text,expected", [
    (">=", ">="), ("=", "="), ("<", "<"), (">", ">"), ("≥", ">="), ("≤", "<="), ("＞", ">"), ("＜", "<"),
    ("<=", "<="), ("≦", "<="), ("≧", ">="), ("正向", ">="), ("反向", "<="), ("定性", None), ("", None), ("作用明显", None),
])
def test_operator_column(text, expected):
    assert parse_op(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("20.00", 20.0), ("10分", 10.0), ("1,831.00", 1831.0), ("—", None), ("", None), ("\u3000", None),
    ("  2", 2.0), ("100.00", 100.0), ("4,600.00", 4600.0), ("96.88", 96.88), ("作用明显", None), ("-", None),
])
def test_plain_numbers(text, expected):
    assert parse_number(text) == expected


def test_operator_glued_to_name_is_split():
    assert split_trailing_op("办理各类治安案件数 =") == ("办理各类治安案件数", "=")
    assert split_trailing_op("办理各类刑事案件 >=") == ("办理各类刑事案件", ">=")
    assert split_trailing_op("群众安全感满意度") == ("群众安全感满意度", None)


def test_join_lines_cjk_and_latin():
    assert join_lines("年度预\n算申请\n（万元）") == "年度预算申请（万元）"
    assert join_lines("绩\n效\n指\n标") == "绩效指标"
    assert join_lines("Wi-Fi\nhotspot 12\n34") == "Wi-Fi hotspot 12 34"


def test_combined_operator_and_unit_columns():
    """A separate 指标性质 column combines with a separate 度量单位 column (seed 004)."""
    from pipeline.model import LogicalRow, Provenance, RawTable, Table, TableQuality
    from pipeline.rows import to_indicator_row

    q = TableQuality("project_self_eval", None, "t", True, 1, 1, 1, 0, 0.0, 1.0, 1)
    table = Table(Provenance("x", "0"), "project_self_eval", None, None, (), [], {}, q, RawTable((), 0, 0))
    row = LogicalRow(0, {"name": "道路交通事故一般案", "op": ">=", "target": "32", "unit": "起", "actual": "33",
                         "weight": "20.00", "score": "20.00"}, {}, None)
    r = to_indicator_row(table, row)
    assert (r.op, r.target_value, r.target_unit, r.unit, r.actual_value, r.actual_unit) == (">=", 32, "起", "起", 33, "起")
    assert (r.weight, r.score, r.target) == (20.0, 20.0, "32")
