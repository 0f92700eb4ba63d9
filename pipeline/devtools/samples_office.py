"""The office-format samples: a project self-evaluation (DOCX), a project target table over two Word
tables (DOCX), a department self-evaluation with its target table (XLSX), and a legacy project
target table (XLS).
"""

from __future__ import annotations

from pathlib import Path

from .sample_writers import (FIXED_TIME, docx_block, fix_zip_times, flatten, gold_row, inline_op, merge_cells, new_docx,
                             put_text, runs_of_equal, score_text, sheet_block)


PSE_TITLE = "2023年度项目支出绩效自评表"
PSE_PROJECT = "城区公园绿地养护提升项目"
PSE_DEPT, PSE_UNIT = "青川市园林绿化局", "青川市公园管理服务中心"
# label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
PSE_FUNDS = (
    ("年度资金总额", "320.00", "356.40", "341.80", "10", "95.90%", "9.59"),
    ("其中：当年财政拨款", "300.00", "336.40", "321.80", "—", "95.66%", "—"),
    ("上年结转资金", "20.00", "20.00", "20.00", "—", "100.00%", "—"),
    ("其他资金", "—", "—", "—", "—", "", "—"),
)
PSE_GOALS = ("完成城区185万平方米公园绿地日常养护，修剪行道树1.2万株，新建口袋公园6处，提升绿地养护质量和市民游园体验。",
             "全年养护公园绿地186.2万平方米，修剪及防治行道树1.265万株，建成口袋公园5处，另1处因管线迁改顺延至2024年。")
# 三级, 指标性质, 指标值, 度量单位, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
PSE_INDICATORS = (
    ("产出指标", (
        ("数量指标", (
            ("公园绿地养护面积", ">=", "185", "万平方米", "186.2", 10, 10, ""),
            ("行道树修剪\n及病虫害防治株数", ">=", "12000", "株", "12650", 10, 10, ""),
            ("新建口袋公园", "=", "6", "个", "5", 10, 8.33,
             "1处选址涉及地下管线迁改，工期顺延至2024年一季度。\n下一步加强前期踏勘，提前协调管线权属单位。"),
        )),
        ("质量指标", (
            ("绿地养护质量考核合格率", ">=", "95", "%", "97.5", 5, 5, ""),
            ("补植苗木成活率", ">=", "90", "%", "92", 5, 5, ""),
        )),
        ("时效指标", (("养护任务按期完成率", "=", "100", "%", "100", 10, 10, ""),)),
    )),
    ("效益指标", (
        ("社会效益指标", (
            ("市民休闲游憩条件", "=", "明显改善", "", "明显改善", 10, 10, ""),
            ("城市绿化覆盖率", ">=", "42.5", "%", "42.8", 10, 10, ""),
            ("公园绿地服务半径覆盖率", ">=", "85", "%", "86.3", 10, 10, ""),
        )),
    )),
    ("满意度指标", (
        ("服务对象满意度指标", (
            ("周边居民满意度", ">=", "90", "%", "93.6", 5, 5, ""),
            ("游园群众\n满意度", ">=", "90", "%", "91.2", 5, 5, ""),
        )),
    )),
)
PSE_TOTAL = ("100", "97.92", "优")


def project_self_eval_docx(path: Path) -> list[dict]:
    rows = list(flatten(PSE_INDICATORS))
    d = new_docx()
    d.add_paragraph(PSE_TITLE)
    first = 11  # first indicator row
    t = d.add_table(rows=first + len(rows) + 1, cols=10)
    t.style = "Table Grid"
    merge_cells(t, 0, 0, 0, 0, "项目名称"), merge_cells(t, 0, 1, 0, 9, PSE_PROJECT)
    merge_cells(t, 1, 0, 1, 0, "主管部门"), merge_cells(t, 1, 1, 1, 4, PSE_DEPT)
    merge_cells(t, 1, 5, 1, 5, "实施单位"), merge_cells(t, 1, 6, 1, 9, PSE_UNIT)
    for r, (label, *vals) in enumerate((("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), *PSE_FUNDS), start=2):
        merge_cells(t, r, 1, r, 3, label)
        for c, v in enumerate(vals, start=4):
            put_text(t.cell(r, c), v)
    merge_cells(t, 2, 0, 6, 0, "项目资金（万元）")
    merge_cells(t, 7, 1, 7, 5, "预期目标"), merge_cells(t, 7, 6, 7, 9, "实际完成情况")
    merge_cells(t, 8, 1, 8, 5, PSE_GOALS[0]), merge_cells(t, 8, 6, 8, 9, PSE_GOALS[1])
    merge_cells(t, 7, 0, 8, 0, "年度总体目标")
    merge_cells(t, 9, 3, 9, 5, "年度指标值")  # gridSpan group header
    for c, h in enumerate(("指标性质", "指标值", "度量单位"), start=3):
        put_text(t.cell(10, c), h)
    for c, h in {0: "一级指标", 1: "二级指标", 2: "三级指标", 6: "实际完成值", 7: "分值", 8: "得分", 9: "偏差原因分析及改进措施"}.items():
        merge_cells(t, 9, c, 10, c, h)  # vMerge over the two header rows
    docx_block(t, first, rows, lambda r: (*r[2:7], score_text(r[7]), score_text(r[8]), r[9]))
    last = first + len(rows)
    merge_cells(t, last, 0, last, 6, "总分")
    for c, v in enumerate(PSE_TOTAL, start=7):
        put_text(t.cell(last, c), v)
    d.save(path)
    fix_zip_times(path)
    return [gold_row(path.name, "project_self_eval", PSE_TITLE, PSE_PROJECT, l1, l2, name, op, target, unit, actual, w, s, reason)
            for l1, l2, name, op, target, unit, actual, w, s, reason in rows]


# ---------------------------------------------------------------- 2. project target over two pages (DOCX)

MPT_TITLE = "2024年度项目支出绩效目标表"
MPT_PROJECT = "云溪县2024年高标准农田建设项目"
MPT_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
MPT_SPLIT = 19  # rows in the first Word table; the rest follow a page break
MPT_INDICATORS = (
    ("产出指标", (
        ("数量指标", (
            ("新建高标准农田面积", "≥2.5万亩"), ("新建及改造灌溉渠道长度", "≥42公里"), ("新建田间道路长度", "≥36公里"),
            ("新建机耕桥", "≥18座"), ("新建排水沟长度", "≥28公里"), ("新建灌溉泵站", "≥6座"),
            ("安装农田墒情及虫情监测设备", "≥120个"), ("开展土壤改良面积", "≥1.2万亩"), ("技术培训农户人次", "≥800人次"),
            ("设立工程标识牌", "≥40块"),
        )),
        ("质量指标", (
            ("工程验收合格率", "100%"), ("耕地质量等级提升", "≥0.5等"), ("灌溉设计保证率", "≥85%"),
            ("田间道路通达度", "≥95%"), ("农田排涝标准", "≥10年一遇"), ("监测设备完好率", "≥95%"),
        )),
        ("时效指标", (
            ("初步设计批复时限", "≤3个月"), ("年度工程完工率", "≥90%"), ("工程质量问题整改响应时间", "≤24小时"),
            ("补助资金拨付及时率", "100%"),
        )),
        ("成本指标", (("亩均建设成本", "≤1500元/亩"), ("监测设备单价", "≤0.8万元/套"))),
    )),
    ("效益指标", (
        ("经济效益指标", (("新增粮食产能", "≥300万斤"), ("亩均节本增效", "≥150元"), ("项目区农户经营性收入", "明显提升"))),
        ("社会效益指标", (("受益农户数", "≥5200户"), ("农业机械化作业条件", "有效提升"), ("项目区群众生产出行条件", "显著改善"))),
        ("生态效益指标", (("节水灌溉面积占比", "≥60%"), ("化肥施用量较上年降幅", "≥3%"), ("水土流失治理面积", "≥0.3万亩"))),
        ("可持续影响指标", (("工程设计使用年限", "≥15年"), ("建后管护机制", "健全"))),
    )),
    ("满意度指标", (("服务对象满意度指标", (("项目区农户满意度", "≥95%"), ("村集体经济组织满意度", "＞90%"))),)),
)


def multipage_target_docx(path: Path) -> list[dict]:
    rows = list(flatten(MPT_INDICATORS))
    d = new_docx()
    d.add_paragraph(MPT_TITLE)
    for part, chunk in enumerate((rows[:MPT_SPLIT], rows[MPT_SPLIT:])):
        if part:
            d.add_page_break()  # the continued table: header repeated, no caption
        top = 1 if part == 0 else 0
        t = d.add_table(rows=top + 1 + len(chunk), cols=4)
        t.style = "Table Grid"
        if part == 0:
            merge_cells(t, 0, 0, 0, 0, "项目名称"), merge_cells(t, 0, 1, 0, 3, MPT_PROJECT)
        for c, h in enumerate(MPT_HEADER):
            put_text(t.cell(top, c), h)
        docx_block(t, top + 1, chunk, lambda r: r[2:])
    d.save(path)
    fix_zip_times(path)
    return [gold_row(path.name, "project_target", MPT_TITLE, MPT_PROJECT, l1, l2, name, inline_op(target), target)
            for l1, l2, name, target in rows]


# ---------------------------------------------------------------- 3. department self-evaluation and target (XLSX)

DSE_TITLE = "2023年度部门整体支出绩效自评表"
DSE_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
# 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
DSE_INDICATORS = (
    ("产出指标(60分)", (
        ("数量指标", (
            ("农业技术推广服务农户数", "≥3000户", "3260户", 10, 10, None),
            ("动物疫病强制免疫数量", "≥45万头（只）", "47.3万头（只）", 10, 10, None),
            ("农产品质量安全抽检批次", "≥600批次", "540批次", 10, 9,
             "县农产品检测站资质复审期间暂停检测一个月，部分批次未完成。下一步提前制定全年抽检计划，委托第三方机构补位。"),
        )),
        ("质量指标", (
            ("农产品质量安全抽检合格率", "≥98%", "99.2%", 10, 10, None),
            ("强制免疫病种免疫密度", "≥90%", "95%", 10, 10, None),
        )),
        ("时效指标", (("耕地地力保护补贴兑付及时率", "100%", "100%", 10, 10, None),)),
    )),
    ("效益指标(30分)", (
        ("经济效益指标", (("农村居民人均可支配收入增长率", "≥6%", "6.8%", 10, 10, None),)),
        ("社会效益指标", (
            ("区域性重大动物疫情发生次数", "0次", "0次", 5, 5, None),
            ("粮食播种面积", "≥52万亩", "52.6万亩", 5, 5, None),
        )),
        ("生态效益指标", (("畜禽粪污综合利用率", "≥80%", "83%", 10, 10, None),)),
    )),
    ("满意度指标(10分)", (
        ("服务对象满意度指标", (
            ("农户满意度", "≥90%", "94%", 5, 5, None),
            ("新型农业经营主体满意度", "≥90%", "92.5%", 5, 5, None),
        )),
    )),
)
DSE_TOTAL = (100, 99, "优")

DT_TITLE = "2024年度部门整体支出绩效目标表"
DT_HEADER = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位")
DT_INDICATORS = (
    ("产出指标", (
        ("数量指标", (("农业技术推广服务农户数", ">=", 3200, "户"), ("农产品质量安全抽检批次", ">=", 650, "批次"))),
        ("质量指标", (("农产品质量安全抽检合格率", ">=", 98, "%"),)),
        ("时效指标", (("耕地地力保护补贴兑付及时率", "=", 100, "%"),)),
        ("成本指标", (("单批次抽检平均费用", "<=", 800, "元"),)),
    )),
    ("效益指标", (
        ("社会效益指标", (("区域性重大动物疫情发生次数", "=", 0, "次"),)),
        ("生态效益指标", (("秸秆综合利用率", ">=", 92, "%"),)),
    )),
    ("满意度指标", (("服务对象满意度指标", (("农户满意度", ">=", 90, "%"),)),)),
)


def dept_self_eval_xlsx(path: Path) -> list[dict]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "自评表"
    ws.append([DSE_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DSE_HEADER))
    ws.append(list(DSE_HEADER))
    rows = list(flatten(DSE_INDICATORS))
    sheet_block(ws, 3, rows)
    total = 3 + len(rows)
    ws.cell(total, 1, "总分")
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=5)
    for c, v in enumerate(DSE_TOTAL, start=6):
        ws.cell(total, c, v)

    ws2 = wb.create_sheet("目标表")
    ws2.append([DT_TITLE])
    ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DT_HEADER))
    ws2.append(list(DT_HEADER))
    targets = list(flatten(DT_INDICATORS))
    sheet_block(ws2, 3, targets)
    wb.save(path)
    fix_zip_times(path)
    return [gold_row(path.name, "dept_self_eval", DSE_TITLE, None, l1, l2, name, inline_op(target), target, None, actual, w, s, reason)
            for l1, l2, name, target, actual, w, s, reason in rows] + \
           [gold_row(path.name, "dept_target", DT_TITLE, None, l1, l2, name, op, target, unit)
            for l1, l2, name, op, target, unit in targets]


XLS_TITLE = "2024年度项目支出绩效目标表"
XLS_PROJECT = "云溪县农村人居环境整治项目"
XLS_INDICATORS = (
    ("产出指标", (
        ("产出数量", (("改造农村户用卫生厕所", "≥1500户"), ("新建村级污水处理设施", "≥12座"))),
        ("产出质量", (("改厕工程验收合格率", "≥95%"), ("污水处理设施出水达标率", "≥90%"))),
    )),
    ("效益指标", (("生态效益", (("农村生活污水治理率", "≥45%"),)),)),
    ("满意度指标", (("社会公众及服务对象满意度", (("受益群众满意度", "≥90%"),)),)),
)


def legacy_xls(path: Path) -> list[dict]:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("目标表")
    ws.write_merge(0, 0, 0, 3, XLS_TITLE)
    ws.write(1, 0, "项目名称")
    ws.write_merge(1, 1, 1, 3, XLS_PROJECT)
    for c, h in enumerate(MPT_HEADER):
        ws.write(2, c, h)
    rows = list(flatten(XLS_INDICATORS))
    for i, row in enumerate(rows):
        ws.write(3 + i, 2, row[2])
        ws.write(3 + i, 3, row[3])
    for col, key in ((0, lambda r: r[0]), (1, lambda r: r[:2])):
        for a, b in runs_of_equal([key(r) for r in rows]):
            if b > a:
                ws.write_merge(3 + a, 3 + b, col, col, rows[a][col])
            else:
                ws.write(3 + a, col, rows[a][col])
    wb.save(str(path))
    return [gold_row(path.name, "project_target", XLS_TITLE, XLS_PROJECT, l1, l2, name, inline_op(target), target)
            for l1, l2, name, target in rows]
