"""Each reader lands in the same document model; spans are explicit."""

import pytest

from pipeline import extract_file
from pipeline.ingest import READERS, read_document

from .conftest import seed

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
BODY = [
    ["产出指标(60分)", "数量指标", "培训人次", "≥300人次", "320人次", "30", "30", ""],
    ["产出指标(60分)", "数量指标", "巡查次数", "≥12次", "10次", "30", "25", "人员不足\n下一步加强统筹"],
    ["效益指标(30分)", "社会效益指标", "群众知晓率", "≥90%", "93%", "30", "30", ""],
]


def _docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("2023年度部门整体支出绩效自评表")
    t = d.add_table(rows=1 + len(BODY), cols=len(HEADER))
    for c, h in enumerate(HEADER):
        t.cell(0, c).text = h
    for r, row in enumerate(BODY, start=1):
        for c, v in enumerate(row):
            if c < 2 and r > 1 and BODY[r - 2][c] == v:
                continue
            cell = t.cell(r, c)
            lines = v.split("\n")
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
    t.cell(1, 0).merge(t.cell(2, 0))  # vMerge over the two 产出 rows
    t.cell(1, 1).merge(t.cell(2, 1))
    d.save(path)


def test_docx_vmerge_and_multiline(tmp_path):
    p = tmp_path / "t.docx"
    _docx(p)
    doc = read_document(p)
    assert doc.format == "docx" and len(doc.tables) == 1
    raw = doc.tables[0]
    merged = [c for c in raw.cells if c.rowspan > 1]
    assert {(c.row, c.col, c.rowspan) for c in merged} == {(1, 0, 2), (1, 1, 2)}
    assert raw.context[-1] == "2023年度部门整体支出绩效自评表"
    rows = extract_file(p).rows
    assert [(r.level1, r.level1_weight, r.level2, r.name) for r in rows] == [
        ("产出指标", 60.0, "数量指标", "培训人次"), ("产出指标", 60.0, "数量指标", "巡查次数"),
        ("效益指标", 30.0, "社会效益指标", "群众知晓率")]
    assert rows[1].reason == "人员不足下一步加强统筹" and rows[1].score == 25.0
    assert rows[0].table_kind == "dept_self_eval" and rows[0].page is None


def test_docx_gridspan_header(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("项目支出绩效目标表")
    t = d.add_table(rows=3, cols=5)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "一级指标", "二级指标", "三级指标"
    t.cell(0, 3).merge(t.cell(0, 4)).text = "年度指标值"
    t.cell(1, 3).text, t.cell(1, 4).text = "指标值", "度量单位"
    for c in range(3):
        t.cell(0, c).merge(t.cell(1, c))
    for c, v in enumerate(["产出指标", "质量指标", "验收合格率", "100", "%"]):
        t.cell(2, c).text = v
    p = tmp_path / "g.docx"
    d.save(p)
    raw = read_document(p).tables[0]
    assert any(c.colspan == 2 and c.text == "年度指标值" for c in raw.cells)
    (row,) = extract_file(p).rows
    assert (row.name, row.target, row.unit, row.target_value, row.op) == ("验收合格率", "100", "%", 100.0, "=")


def test_xlsx_merged_ranges_and_sheets(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["2023年度部门整体支出绩效自评表"])
    ws.merge_cells("A1:H1")
    ws.append(HEADER)
    for row in BODY:
        ws.append([float(v) if v.isdigit() else v for v in row])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws2 = wb.create_sheet("目标表")
    ws2.append(["部门整体支出绩效目标表"])
    ws2.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"])
    ws2.append(["满意度指标", "服务对象满意度指标", "群众满意度", ">=", 0.9, "%"])
    ws2["E3"].number_format = "0%"
    p = tmp_path / "t.xlsx"
    wb.save(p)
    res = extract_file(p)
    assert [t.raw.sheet for t in res.tables] == ["自评表", "目标表"]
    assert [(r.sheet, r.level1, r.name, r.weight) for r in res.rows][:2] == [
        ("自评表", "产出指标", "培训人次", 30.0), ("自评表", "产出指标", "巡查次数", 30.0)]
    last = res.rows[-1]
    assert (last.table_kind, last.op, last.target, last.target_value) == ("dept_target", ">=", "90%", 90.0)


def test_html_rowspan_colspan(tmp_path):
    html = """<html><body><h2>表4 部门整体绩效自评得分情况</h2><table>
    <tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>分值</th><th>得分</th><th>得分率</th></tr>
    <tr><td rowspan="3">履职效能</td><td rowspan="2">整体效能</td><td>产出指标完成情况</td><td>20</td><td>19.5</td><td>97.5%</td></tr>
    <tr><td>预算资金支出率</td><td>10</td><td>9.9</td><td>99%</td></tr>
    <tr><td>信息公开</td><td>预决算公开<br>合规性</td><td>2</td><td>1</td><td>50%</td></tr>
    <tr><td colspan="3">合计</td><td>32</td><td>30.4</td><td>95%</td></tr></table></body></html>"""
    p = tmp_path / "t.html"
    p.write_text(html, encoding="utf-8")
    res = extract_file(p)
    t = res.tables[0]
    assert t.kind == "score_summary" and t.title == "表4部门整体绩效自评得分情况"
    assert [(r.level1, r.level2, r.name, r.score) for r in res.rows] == [
        ("履职效能", "整体效能", "产出指标完成情况", 19.5), ("履职效能", "整体效能", "预算资金支出率", 9.9),
        ("履职效能", "信息公开", "预决算公开合规性", 1.0)]
    assert t.meta.total_score == 30.4


def test_text_reader_both_styles():
    cells = read_document(seed("000"))
    rows = read_document(seed("004"))
    assert cells.format == rows.format == "text"
    assert all(not t.aligned for t in cells.tables + rows.tables)
    assert any(c.text == "年度\n指标值" for t in cells.tables for c in t.cells)  # multi-line cell kept
    assert max(t.n_cols for t in rows.tables) >= 10


def test_every_reader_returns_the_document_model(samples_dir):
    """One contract test over the registry: each format yields a Document with tables and provenance."""
    by_format = {}
    for p in sorted(samples_dir.iterdir()):
        if p.is_file():
            res = extract_file(p)
            by_format[res.format] = res
            assert res.sha256 and res.tables and res.rows, p.name
            assert all(r.doc_sha256 == res.sha256 and r.source == str(p) for r in res.rows)
    assert set(by_format) == set(READERS)


def test_samples_match_their_gold(samples_dir):
    from pipeline.devtools.evaluate import SCORED_FIELDS, evaluate

    rows = [r.to_dict() for p in sorted(samples_dir.iterdir()) if p.is_file() for r in extract_file(p).rows]
    scores, total = evaluate(samples_dir / "gold", rows)
    assert total.gold > 60
    assert total.precision >= 0.99 and total.recall >= 0.99, [(s.doc, s.precision, s.recall) for s in scores]
    for f in SCORED_FIELDS:
        assert total.accuracy(f) >= 0.99, (f, total.mismatches[:5])


@pytest.mark.parametrize("name", ["sample_legacy.xls"])
def test_legacy_xls_merged_cells(samples_dir, name):
    doc = read_document(samples_dir / name)
    assert doc.format == "xls" and any(c.rowspan > 1 for t in doc.tables for c in t.cells)
