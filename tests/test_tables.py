"""Grid normalisation: spans, mid-span labels, header variants, table kinds, stitching."""

import pytest

from pipeline.ingest.base import table_from_rows, table_from_spans
from pipeline.ingest.text import parse_text
from pipeline.model import Document, Provenance
from pipeline.rows import table_rows
from pipeline.tables.columns import _row_roles
from pipeline.tables import (detect_kind, expand_spans, find_header, header_role, normalise_document,
                             normalise_table)

PROV = Provenance("t.txt", "0" * 64)


def rows_of(raw):
    return table_rows(normalise_table(raw, PROV))


def test_expand_spans_fills_every_covered_position():
    raw = table_from_spans([(0, 0, 2, 1, "产出指标"), (0, 1, 1, 2, "年度指标值"), (1, 1, 1, 1, "指标值"), (1, 2, 1, 1, "单位")])
    assert expand_spans(raw) == [["产出指标", "年度指标值", "年度指标值"], ["产出指标", "指标值", "单位"]]


def test_vertical_span_label_applies_to_every_row_it_covers():
    """A merged 一级/二级 cell (DOCX vMerge, XLSX merged range) labels all rows of its span."""
    spans = [(0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"), (0, 3, 1, 1, "指标值"),
             (1, 0, 3, 1, "产出指标"), (1, 1, 2, 1, "数量指标"), (3, 1, 1, 1, "质量指标")]
    spans += [(r, 2, 1, 1, f"指标{r}") for r in (1, 2, 3)] + [(r, 3, 1, 1, f"≥{r}个") for r in (1, 2, 3)]
    rows = rows_of(table_from_spans(spans, context=("项目支出绩效目标表", "项目名称：示例项目")))
    assert [(r.level1, r.level2, r.name) for r in rows] == [
        ("产出指标", "数量指标", "指标1"), ("产出指标", "数量指标", "指标2"), ("产出指标", "质量指标", "指标3")]
    assert rows[0].project == "示例项目"


def test_midspan_label_in_text_dump_attaches_to_whole_span():
    """A text dump prints a merged label on a middle row of its span; rows above it belong to it too."""
    text = "\n".join([
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t实际完成值\t偏差原因分析及改进措施",
        "\t\t甲指标\t>=\t10\t次\t12\t",
        "\t数量指标\t乙指标\t>=\t20\t次\t20\t",
        "产出指标\t\t丙指标\t=\t100\t%\t100\t",
        "质量指标\t\t\t\t\t",
        "丁合格率\t=\t100\t%\t100\t",
    ])
    tables, _ = parse_text("部门整体支出绩效自评表\n" + text)
    rows = rows_of(tables[0])
    assert [(r.name, r.level1, r.level2) for r in rows] == [
        ("甲指标", "产出指标", "数量指标"), ("乙指标", "产出指标", "数量指标"),
        ("丙指标", "产出指标", "数量指标"), ("丁合格率", "产出指标", "质量指标")]


def test_level1_is_derived_from_level2_not_from_label_position():
    text = "\n".join([
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "产出指标\t数量指标\t甲\t>=\t1\t次\t1\t10\t10\t",
        "\t社会效益指标\t乙\t=\t作用明显\t%\t作用明显\t10\t10\t",  # 效益 label missing: derive it
        "满意度指标\t服务对象满意度指标等\t丙\t>=\t90\t%\t92\t10\t10\t",
    ])
    tables, _ = parse_text("2023年度项目支出绩效自评表\n" + text)
    rows = rows_of(tables[0])
    assert [(r.level1, r.level2) for r in rows] == [
        ("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
    assert rows[1].qualitative and rows[1].target == "作用明显"


@pytest.mark.parametrize("text,role", [
    ("年度\n指标值", "target"), ("年度指标值(A)", "target"), ("指标值", "target"), ("预期实现值", "target"),
    ("实际\n完成值", "actual"), ("实际完成值（B）", "actual"), ("全年实际值", "actual"),
    ("分值", "weight"), ("指标分值", "weight"), ("权重", "weight"),
    ("得分", "score"), ("自评得分", "score"), ("得分率", "rate"),
    ("偏差原因分析及改进措施", "reason"), ("未完成原因分析", "reason"),
    ("指标性质", "op"), ("度量单位", "unit"), ("计量单位", "unit"),
    ("一级\n指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"), ("指标名称", "name"),
    ("评分标准", "criteria"), ("序号", "seq"), ("绩\n效\n指\n标", None), ("年度资金总额", None),
])
def test_header_roles_by_meaning(text, role):
    assert header_role(text) == role


def test_header_split_over_two_rows_by_meaning():
    grid = [["绩效指标", "", "", "年度指标值", "", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "", "", "", ""],
            ["产出指标", "数量指标", "甲", ">=", "1", "次", "1", "10", "10", ""]]
    h = find_header(grid)
    assert (h.start, h.end) == (0, 2)
    assert h.positions[3] == "op" and h.positions[4] == "target" and h.positions[5] == "unit"
    assert set(h.roles) >= {"level1", "level2", "name", "op", "target", "unit", "actual", "weight", "score", "reason"}


def test_a_second_level2_heading_is_the_level3_a_scan_lost_a_stroke_of():
    # OCR of a faded 三级指标 reads 二级指标; a header never has two 二级 columns
    grid = [["一级指标", "二级指标", "二级指标", "指标值"],
            ["成本指标", "经济成本", "总支出不超过", "≤2万元"]]
    h = find_header(grid)
    assert h is not None and h.positions[2] == "name" and h.has_indicator_columns
    assert _row_roles(["二级指标", "二级指标"]) == {0: "level2", 1: "name"}  # without 一级 too
    assert _row_roles(["二级指标", "三级指标", "二级指标"])[2] == "level2"  # only a missing 三级 is taken


@pytest.mark.parametrize("roles,title,project,kind", [
    ({"level1", "level2", "name", "target", "actual", "weight", "score", "reason"}, "项目支出绩效自评表", "X", "project_self_eval"),
    ({"level1", "level2", "name", "target", "actual", "weight", "score"}, "部门整体支出绩效自评表", None, "dept_self_eval"),
    ({"level1", "level2", "name", "op", "target", "unit", "actual", "reason"}, "部门整体支出绩效自评表", None, "dept_self_eval"),
    ({"level1", "level2", "name", "target", "note"}, "2022年部门整体支出绩效目标表", None, "dept_target"),
    ({"level1", "level2", "name", "op", "target", "unit"}, "项目支出绩效目标表", "Y", "project_target"),
    ({"level1", "level2", "name", "weight", "score", "rate"}, "表4 部门整体绩效自评得分情况", None, "score_summary"),
    ({"level1", "level2", "name", "weight", "criteria", "score"}, "附件2 部门整体支出绩效自评表", None, "dept_self_eval"),
    ({"seq", "name", "target", "actual"}, "表3 关键指标完成情况", None, "key_indicators"),
    ({"seq", "actual"}, "表1 重点工作任务完成情况", None, "other"),
])
def test_table_kind_detection(roles, title, project, kind):
    assert detect_kind(roles, title, project)[0] == kind


def test_repeated_header_inside_table_is_skipped():
    text = "\n".join(["序号\t指标名称\t预期实现值\t实际完成值", "1\t甲\t不低于90%。\t95%。", "",
                      "序号\t指标名称\t预期实现值\t实际完成值", "2\t乙\t100个。\t120个。"])
    tables, _ = parse_text("表3 2023年度部门整体支出绩效关键指标完成情况\n" + text)
    t = normalise_table(tables[0], PROV)
    assert t.kind == "key_indicators" and [r.name for r in table_rows(t)] == ["甲", "乙"]
    assert t.meta.repeated_headers == 1


def test_table_continued_on_next_part_is_stitched():
    header = ["一级指标", "二级指标", "三级指标", "指标值"]
    part1 = table_from_rows([header, ["产出指标", "数量指标", "甲", "≥1个"], ["", "", "乙", "≥2个"]],
                            context=("项目支出绩效目标表", "项目名称：示例"), page=1)
    part2 = table_from_rows([header, ["", "质量指标", "丙", "100%"], ["效益指标", "社会效益指标", "丁", "明显提升"]], page=2)
    doc = Document("d.docx", "0" * 64, "docx", tables=[part1, part2])
    tables = normalise_document(doc)
    assert len(tables) == 1 and tables[0].quality.stitched_parts == 2
    rows = table_rows(tables[0])
    assert [r.name for r in rows] == ["甲", "乙", "丙", "丁"]
    assert [r.level2 for r in rows] == ["数量指标", "数量指标", "质量指标", "社会效益指标"]
    assert [r.page for r in rows] == [1, 1, 2, 2]


def test_continuation_without_header_is_stitched():
    header = ["一级指标", "二级指标", "三级指标", "指标值"]
    part1 = table_from_rows([header, ["产出指标", "数量指标", "甲", "≥1个"]], context=("部门整体支出绩效目标表",), page=3)
    part2 = table_from_rows([["满意度指标", "服务对象满意度", "乙", "≥90%"]], page=4)
    tables = normalise_document(Document("d.pdf", "0" * 64, "pdf", tables=[part1, part2]))
    assert [r.name for r in table_rows(tables[0])] == ["甲", "乙"]


def test_interleaved_empty_columns_are_dropped_in_aligned_grids():
    rows = [["一级指标", "", "二级指标", "", "三级指标", "", "指标值", ""],
            ["产出指标", "", "数量指标", "", "甲", "", "≥3次", ""]]
    r = rows_of(table_from_rows(rows, context=("部门整体支出绩效目标表",)))
    assert (r[0].name, r[0].target_value, r[0].target_unit) == ("甲", 3, "次")


def test_cell_per_line_dump_joins_multiline_cells():
    text = "\t绩\n效\n指\n标\n\t一级指标\n\t二级\n指标\n\t三级指标\n\t年度\n指标值\n\n\t\n\t产出指标\n(50分)\n\t数量\n指标\n\t甲指标\n\t≥5个\n"
    tables, _ = parse_text("部门整体支出绩效目标表\n\n" + text)
    rows = rows_of(tables[0])
    assert (rows[0].level1, rows[0].level1_weight, rows[0].level2, rows[0].name) == ("产出指标", 50.0, "数量指标", "甲指标")


def test_cost_label_is_level1_or_level2_by_its_column():
    """成本指标 is a 二级 under 产出 in older templates and a 一级 (over 经济成本指标) in newer ones."""
    from pipeline.tables import LevelState

    newer = LevelState()
    newer.take_labels([("level1", "成本指标"), ("level2", "经济成本指标")])
    assert (newer.level1, newer.level2) == ("成本指标", "经济成本指标")
    older = LevelState()
    older.take_labels([("level1", "产出指标(50分)"), ("level2", "数量指标")])
    older.take_labels([("level2", "成本\n指标")])
    assert (older.level1, older.level1_weight, older.level2) == ("产出指标", 50.0, "成本指标")


def test_satisfaction_level1_keeps_its_weight():
    from pipeline.tables import LevelState

    s = LevelState()
    s.take_labels([("level1", "满意度指标（10分）"), ("level2", "服务对象满意度指标")])
    assert (s.level1, s.level1_weight, s.level2) == ("满意度指标", 10.0, "服务对象满意度指标")
