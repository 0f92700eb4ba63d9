"""Made-up sample documents, one per supported format, with their gold rows.

Every department, project, number and sentence here is invented. The gold rows are derived from
the same literal structures the documents are built from, so they describe each document exactly
as a person reads it. Output is deterministic: fixed content, for DOCX/XLSX fixed core
properties and zip member times, and for the PDF reportlab's invariant mode (fixed dates and IDs).
PDF gold rows also carry `page`.

    python -m pipeline.devtools.samples OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from .sample_writers import (PDF_BOTTOM, PDF_FONT, PDF_ROW_H, PDF_TOP, PDF_TOP2, PDF_WIDTHS, PDF_X0, as_text, flatten,
                             gold_row, inline_op, pct_text, pdf_page, pdf_row_height, pdf_wrap, runs_of_equal,
                             score_text, td, write_gold)
from .samples_office import dept_self_eval_xlsx, legacy_xls, multipage_target_docx, project_self_eval_docx


KI_DEPT = "临河区市场监督管理局"
KI_TITLE = "表3 2023年度部门整体支出绩效关键指标完成情况"
# 指标名称, 预期实现值, 实际完成值, op as a person reads the target
KI_ROWS = (
    ("食品安全监督抽检", "全年完成食品安全监督抽检不少于2400批次。", "全年完成食品安全监督抽检2516批次。", ">="),
    ("食品抽检合格率", "不低于95%。", "97.8%。", ">="),
    ("特种设备定期检验率", "100%。", "100%，全区在用电梯、锅炉、压力容器均按期检验。", "="),
    ("特种设备万台死亡率", "低于0.2。", "全年未发生特种设备伤亡事故，万台死亡率为0。", "<"),
    ("投诉举报按时办结率", "98%以上。", "受理投诉举报3862件，按时办结3851件，办结率99.7%。", ">="),
    ("消费环境满意度", "持续提升。", "第三方测评得分92.3分，较上年提高1.5分。", None),
)
SS_TITLE = "表4 部门整体绩效自评得分情况"
# 三级, 分值, 得分
SS_INDICATORS = (
    ("履职效能(50分)", (
        ("整体效能", (("年度绩效目标产出完成情况", 25, 24.2), ("年度绩效目标效益实现情况", 15, 15), ("部门预算资金执行率", 10, 9.6))),
    )),
    ("管理效率(50分)", (
        ("预算编制", (("预算编制准确性", 10, 9.5), ("绩效目标设置合理性", 5, 5))),
        ("执行管理", (("资金支付进度", 10, 9), ("政府采购执行规范性", 5, 5))),
        ("信息公开", (("预决算信息\n公开", 5, 5), ("绩效信息公开", 5, 4.5))),
        ("资产管理", (("资产管理规范性", 10, 10),)),
    )),
)


def key_indicators_html(path: Path) -> list[dict]:
    ss_rows = list(flatten(SS_INDICATORS))
    starts = {col: {a: b - a + 1 for a, b in runs_of_equal([r[: col + 1] for r in ss_rows])} for col in (0, 1)}
    body = []
    for i, row in enumerate(ss_rows):
        cells = [td(row[c], rowspan=starts[c][i]) for c in (0, 1) if i in starts[c]]
        cells += [td(row[2]), td(row[3]), td(row[4]), td(pct_text(row[4], row[3]))]
        body.append("<tr>" + "".join(cells) + "</tr>")
    w_total, s_total = sum(r[3] for r in ss_rows), round(sum(r[4] for r in ss_rows), 2)
    body.append("<tr>" + td("合计", colspan=3) + td(w_total) + td(s_total) + td(pct_text(s_total, w_total)) + "</tr>")
    ki = "".join(f"<tr>{td(i)}{td(n)}{td(t)}{td(a)}</tr>" for i, (n, t, a, _) in enumerate(KI_ROWS, start=1))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{KI_DEPT}2023年度部门整体支出绩效自评报告</title></head>
<body>
<h1>{KI_DEPT}2023年度部门整体支出绩效自评报告</h1>
<h2>一、绩效目标完成情况</h2>
<p>2023年，我局围绕食品安全监管、特种设备安全和消费维权三项重点工作安排部门预算，全年预算执行率96.0%。关键指标完成情况见表3。</p>
<p>{KI_TITLE}</p>
<table border="1">
<tr><th>序号</th><th>指标名称</th><th>预期实现值</th><th>实际完成值</th></tr>
{ki}
</table>
<h2>二、自评得分情况</h2>
<p>按照区财政局部门整体支出绩效自评框架，我局自评得分{s_total:g}分，各项指标得分见表4。</p>
<p>{SS_TITLE}</p>
<table border="1">
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>分值</th><th>得分</th><th>得分率</th></tr>
{chr(10).join(body)}
</table>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return [gold_row(path.name, "key_indicators", KI_TITLE, None, None, None, n, op, t, None, a) for n, t, a, op in KI_ROWS] + \
           [gold_row(path.name, "score_summary", SS_TITLE, None, l1, l2, n, weight=w, score=s) for l1, l2, n, w, s in ss_rows]


TXT_TITLE = "2023年度项目支出绩效自评表"
TXT_PROJECT = "社区居家养老服务补助项目"
TXT_INDICATORS = (
    ("产出指标", (
        ("数量指标", (
            ("居家养老上门服务人次", ">=", "24000", "人次", "25310", 15, 15, ""),
            ("助餐服务老年人数", ">=", "800", "人", "760", 10, 9.5, "两处社区助餐点改造延期至四季度启用，下一步加快点位建设并开通送餐上门。"),
        )),
        ("质量指标", (("服务质量抽查合格率", ">=", "95", "%", "97", 15, 15, ""),)),
        ("时效指标", (("补助资金按月发放及时率", "=", "100", "%", "100", 10, 10, ""),)),
    )),
    ("效益指标", (("社会效益指标", (("失能半失能老人照护服务覆盖率", ">=", "60", "%", "63", 30, 30, ""),)),)),
    ("满意度指标", (("服务对象满意度指标", (("服务对象满意度", ">=", "90", "%", "95.2", 10, 10, ""),)),)),
)
TXT_LOST_CELL = {1, 3}  # rows whose first empty cell the dump lost (the line is shifted left)


def text_dump(path: Path) -> list[dict]:
    rows = list(flatten(TXT_INDICATORS))
    lines = [
        "临河区民政局2023年度项目支出绩效自评结果", "",
        "附表1", "", TXT_TITLE, "",
        f"项目名称\t\t{TXT_PROJECT}\t\t\t\t\t\t\t",
        "主管部门\t\t临河区民政局\t\t实施单位\t\t临河区养老服务指导中心\t\t\t",
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\t\t",
        "\t\t年度资金总额\t180.00\t180.00\t176.40\t10\t98.00%\t9.80\t",
        "\t\t其中：当年财政拨款\t180.00\t180.00\t176.40\t—\t98.00%\t—\t",
        "\t\t上年结转资金\t\t\t\t—\t\t—\t",
        "\t\t其他资金\t—\t—\t—\t—\t\t—\t",
        "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t\t\t",
        "\t为辖区高龄、失能及低保老年人提供上门照护和助餐服务，全年服务不少于2.4万人次。\t\t\t"
        "全年提供上门服务25310人次，助餐服务老年人760人，补助资金按月足额发放。\t\t\t\t\t",
        "绩效指标\t\t\t年度指标值\t\t\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t\t\t\t",
    ]
    for i, (l1, l2, *vals) in enumerate(rows):
        first_of_l1 = i == 0 or rows[i - 1][0] != l1
        first_of_l2 = first_of_l1 or rows[i - 1][1] != l2
        cells = [l1 if first_of_l1 else "", l2 if first_of_l2 else "", *(as_text(v) for v in vals)]
        if i in TXT_LOST_CELL:
            cells = cells[1:] + [""]
        lines.append("\t".join(cells))
    lines += [
        "其他需要说明事项\t\t\t无\t\t\t\t\t\t",
        "总分\t\t\t\t\t\t\t100\t99.3\t优", "",
        "备注：", "", "1. 执行率按全年执行数除以全年预算数计算。", "2. 自评得分保留两位小数。", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return [gold_row(path.name, "project_self_eval", TXT_TITLE, TXT_PROJECT, l1, l2, name, op, target, unit, actual, w, s, reason)
            for l1, l2, name, op, target, unit, actual, w, s, reason in rows]


# ---------------------------------------------------------------- 7. project self-evaluation over two pages (PDF)

PDF_TITLE = "2023年度项目支出绩效自评表"
PDF_PROJECT = "松岭县乡村公共文化服务提升项目"
PDF_FUNDS_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
PDF_FUNDS = (
    ("年度资金总额", "260.00", "285.50", "279.30", "10", "97.83%", "9.78"),
    ("其中：当年财政拨款", "240.00", "265.50", "259.30", "—", "97.66%", "—"),
    ("其他资金", "20.00", "20.00", "20.00", "—", "100.00%", "—"),
)
PDF_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
# 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施 (cell text wraps at the cell width)
PDF_INDICATORS = (
    ("产出指标", (
        ("数量指标", (
            ("送戏下乡演出场次", "≥120场", "126场", 10, 10, ""),
            ("村级综合文化服务中心设备配置数量", "≥120个", "124个", 5, 5, ""),
            ("农家书屋图书更新册数", "≥3万册", "2.6万册", 10, 8.67,
             "采购合同签订滞后，0.4万册图书于次年1月到货；下一步提前启动采购程序。"),
        )),
        ("质量指标", (
            ("采购设备验收合格率", "100%", "100%", 5, 5, ""),
            ("送戏下乡演出节目群众好评率", "≥90%", "92.6%", 5, 5, ""),
        )),
        ("时效指标", (
            ("设备故障报修响应时间", "≤24小时", "18小时", 5, 5, ""),
            ("演出计划按期完成率", "100%", "100%", 5, 5, ""),
        )),
        ("成本指标", (("单场演出补助标准", "≤1.2万元/场", "1.15万元/场", 5, 5, ""),)),
    )),
    ("效益指标", (
        ("社会效益指标", (
            ("农村群众精神文化生活", "明显提升", "明显提升", 10, 10, ""),
            ("群众参与文化活动人次", "≥5万人次", "5.8万人次", 5, 5, ""),
            ("村级综合文化服务中心免费开放率", "100%", "100%", 5, 5, ""),
        )),
        ("可持续影响指标", (("基层公共文化服务长效运行机制", "逐步健全", "基本建立", 10, 10, ""),)),
    )),
    ("满意度指标", (
        ("服务对象满意度指标", (
            ("农村群众满意度", "≥90%", "94.2%", 5, 5, ""),
            ("演出承办村（社区）满意度", "≥90%", "96%", 5, 5, ""),
        )),
    )),
)
PDF_TOTAL = ("100", "98.45", "优")
PDF_SPLIT = 10  # indicator rows on page 1; the 社会效益指标 group (and 效益指标) runs on onto page 2


def project_self_eval_pdf(path: Path) -> list[dict]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    rows = list(flatten(PDF_INDICATORS))
    xs = [PDF_X0]
    for w in PDF_WIDTHS:
        xs.append(xs[-1] + w)

    def height(texts) -> float:
        return pdf_row_height(max(len(pdf_wrap(t, PDF_WIDTHS[col])) for col, t in texts))

    def body(chunk: list[tuple], r0: int, open_l1: bool, open_l2: bool) -> list[tuple]:
        """Cells of indicator rows from grid row r0; 一级/二级 merged over their runs. open_*: the
        chunk's first run continues from the previous page (its cell is printed without text)."""
        cells = []
        for i, (_, _, name, target, actual, w, s, reason) in enumerate(chunk):
            cells += [(r0 + i, 2, 1, 1, name, "l"), (r0 + i, 3, 1, 1, target, "c"), (r0 + i, 4, 1, 1, actual, "c"),
                      (r0 + i, 5, 1, 1, w, "c"), (r0 + i, 6, 1, 1, score_text(s) if s % 1 else as_text(s), "c"),
                      (r0 + i, 7, 1, 1, reason, "l")]
        for col, key, open_ in ((0, lambda r: r[0], open_l1), (1, lambda r: r[:2], open_l2)):
            for k, (a, b) in enumerate(runs_of_equal([key(r) for r in chunk])):
                cells.append((r0 + a, col, b - a + 1, 1, "" if (k == 0 and open_) else chunk[a][col], "c"))
        return cells

    # page 1: funds block, header, the first indicator rows
    cells = [(0, 0, 1 + len(PDF_FUNDS), 1, "项目资金（万元）", "c"), (0, 1, 1, 1, "", "c")]
    cells += [(0, 2 + k, 1, 1, t, "c") for k, t in enumerate(PDF_FUNDS_HEADER)]
    heights = [PDF_ROW_H]
    for r, (label, *vals) in enumerate(PDF_FUNDS, start=1):
        cells.append((r, 1, 1, 1, label, "c"))
        cells += [(r, 2 + k, 1, 1, v, "c") for k, v in enumerate(vals)]
        heights.append(height([(1, label)]))
    head = len(heights)
    cells += [(head, col, 1, 1, t, "c") for col, t in enumerate(PDF_HEADER)]
    heights.append(height(enumerate(PDF_HEADER)))
    ind = lambda r: height([(2, r[2]), (7, r[7])])  # noqa: E731
    pages = (rows[:PDF_SPLIT], rows[PDF_SPLIT:])
    cells += body(pages[0], head + 1, False, False)
    heights += [ind(r) for r in pages[0]]
    ys = [PDF_TOP]
    for hh in heights:
        ys.append(ys[-1] + hh)
    if not ys[-1] <= PDF_BOTTOM < ys[-1] + ind(pages[1][0]):
        raise ValueError("PDF_SPLIT: page 1 must end where the next indicator row no longer fits")

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(PDF_TITLE)
    top = A4[1]
    c.setFont(PDF_FONT, 16)
    c.drawCentredString(A4[0] / 2, top - 78, PDF_TITLE)
    c.setFont(PDF_FONT, 10.5)
    c.drawString(PDF_X0, top - 103, f"项目名称：{PDF_PROJECT}")
    pdf_page(c, cells, xs, ys, 1)
    c.showPage()

    # page 2: no header; the cut 二级/一级 runs continue as empty merged cells; then 总分
    prev, nxt = pages[0][-1], pages[1][0]
    cells = body(pages[1], 0, prev[0] == nxt[0], prev[:2] == nxt[:2])
    heights = [ind(r) for r in pages[1]]
    total = len(heights)
    cells += [(total, 0, 1, 5, "总分", "c")] + [(total, 5 + k, 1, 1, v, "c") for k, v in enumerate(PDF_TOTAL)]
    heights.append(PDF_ROW_H)
    ys = [PDF_TOP2]
    for hh in heights:
        ys.append(ys[-1] + hh)
    pdf_page(c, cells, xs, ys, 2)
    c.showPage()
    c.save()
    return [{**gold_row(path.name, "project_self_eval", PDF_TITLE, PDF_PROJECT, l1, l2, name, inline_op(target), target,
                     None, actual, w, s, reason), "page": 1 if i < PDF_SPLIT else 2}
            for i, (l1, l2, name, target, actual, w, s, reason) in enumerate(rows)]


# ---------------------------------------------------------------- entry points

def scanned_self_eval_tif(path: Path) -> list[dict]:
    """The PDF sample as a scanner gives it: 200 dpi grey pages turned by 1°, in a multi-page TIFF."""
    import tempfile

    import pypdfium2 as pdfium
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        gold = project_self_eval_pdf(Path(tmp) / "pages.pdf")
        doc = pdfium.PdfDocument(str(Path(tmp) / "pages.pdf"))
        try:
            pages = [doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
        finally:
            doc.close()
    pages = [p.rotate(1.0 if i % 2 == 0 else -1.0, resample=Image.BICUBIC, fillcolor=255) for i, p in enumerate(pages)]
    pages[0].save(path, "TIFF", dpi=(200, 200), compression="tiff_adobe_deflate", save_all=True, append_images=pages[1:])
    return [dict(g, source=path.name) for g in gold]


BUILDERS = {
    "sample_project_self_eval.docx": project_self_eval_docx,
    "sample_multipage_target.docx": multipage_target_docx,
    "sample_dept_self_eval.xlsx": dept_self_eval_xlsx,
    "sample_key_indicators.html": key_indicators_html,
    "sample_legacy.xls": legacy_xls,
    "sample_dump.txt": text_dump,
    "sample_project_self_eval.pdf": project_self_eval_pdf,
    "sample_scanned_self_eval.tif": scanned_self_eval_tif,
}


def write_samples(out_dir: Path) -> list[Path]:
    """Write every sample document into out_dir and its gold rows into out_dir/gold; return the documents."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in BUILDERS.items():
        path = out_dir / name
        write_gold(out_dir, name, build(path))
        paths.append(path)
    return sorted(paths)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pipeline.samples OUT_DIR", file=sys.stderr)
        return 2
    for p in write_samples(Path(args[0])):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
