"""Made-up sample documents, one per supported format, with their gold rows.

Every department, project, number and sentence here is invented. The gold rows are derived from
the same literal structures the documents are built from, so they describe each document exactly
as a person reads it. Output is deterministic: fixed content, for DOCX/XLSX fixed core
properties and zip member times, and for the PDF reportlab's invariant mode (fixed dates and IDs).
PDF gold rows also carry `page`.

    python -m pipeline.samples OUT_DIR
"""

from __future__ import annotations

import html
import io
import json
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2024, 3, 1, 9, 0, 0)

# Printed 二级 variants → canonical names (corpus/gold/README.md).
LEVEL2_CANON = {"产出数量": "数量指标", "产出质量": "质量指标", "生态效益": "生态效益指标",
                "社会公众及服务对象满意度": "服务对象满意度指标"}
INLINE_OPS = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", ">": ">", "<": "<"}


# ---------------------------------------------------------------- helpers


def _ws(v) -> str | None:
    """Gold text: all whitespace removed (U+3000 and line breaks too); blank → None."""
    if v is None:
        return None
    t = re.sub(r"\s+", "", str(v))
    return t or None


def _label(printed: str) -> tuple[str, float | None]:
    """A printed level label → (bare or canonical name, weight from a '(50分)' suffix)."""
    t = _ws(printed)
    m = re.fullmatch(r"(.+?)[（(](\d+)分[)）]", t)
    name, weight = (m.group(1), int(m.group(2))) if m else (t, None)
    return LEVEL2_CANON.get(name, name), weight


def _inline_op(target: str) -> str | None:
    """Operator of a target with the operator inline: '≥120个' → '>=', '100%' → '=', '明显提升' → None."""
    t = _ws(target)
    if t[0] in INLINE_OPS:
        return INLINE_OPS[t[0]]
    return "=" if t[0].isdigit() else None


def _flat(tree):
    """((一级, ((二级, (row, ...)), ...)), ...) → (一级, 二级, *row) per row."""
    for l1, groups in tree:
        for l2, rows in groups:
            for row in rows:
                yield (l1, l2, *row)


def _runs(keys: list) -> list[tuple[int, int]]:
    """Inclusive (start, end) of each run of equal consecutive keys."""
    out: list[tuple[int, int]] = []
    for i, k in enumerate(keys):
        if out and keys[out[-1][0]] == k:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _num(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def _gold(source, kind, title, project, l1, l2, name, op=None, target=None, unit=None, actual=None,
          weight=None, score=None, reason=None) -> dict:
    level1, level1_weight = _label(l1) if l1 else (None, None)
    return {
        "source": source, "table_kind": kind, "table_title": title, "project": project,
        "level1": level1, "level1_weight": level1_weight, "level2": _label(l2)[0] if l2 else None,
        "name": _ws(name), "op": op, "target": _ws(None if target is None else _num(target)),
        "unit": _ws(unit), "actual": _ws(actual), "weight": weight, "score": score, "reason": _ws(reason),
    }


def _write_gold(out_dir: Path, source: str, rows: list[dict]) -> None:
    gold = out_dir / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    with open(gold / f"{source}.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _fix_zip(path: Path) -> None:
    """Rewrite an OOXML package with fixed member times and fixed core-property dates."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            zout.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- DOCX helpers


def _put(cell, text) -> None:
    """Cell text; a line break becomes a second paragraph."""
    first, *rest = _num(text).split("\n")
    cell.text = first
    for line in rest:
        cell.add_paragraph(line)


def _merge(t, r0: int, c0: int, r1: int, c1: int, text) -> None:
    """Merge a rectangle (python-docx writes gridSpan / vMerge) and set its text."""
    cell = t.cell(r0, c0) if (r0, c0) == (r1, c1) else t.cell(r0, c0).merge(t.cell(r1, c1))
    _put(cell, text)


def _docx_block(t, r0: int, rows: list[tuple], cells) -> None:
    """Indicator rows from table row r0: values from cells(row), 一级/二级 merged vertically over their runs."""
    for i, row in enumerate(rows):
        for c, v in enumerate(cells(row), start=2):
            _put(t.cell(r0 + i, c), v)
    for col, key in ((0, lambda r: r[0]), (1, lambda r: r[:2])):
        for a, b in _runs([key(r) for r in rows]):
            _merge(t, r0 + a, col, r0 + b, col, rows[a][col])


def _new_docx():
    import docx

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    d.core_properties.author = d.core_properties.last_modified_by = "perfaudit samples"
    return d


def _score(v: float) -> str:
    return f"{v:.2f}"


# ---------------------------------------------------------------- 1. project self-evaluation (DOCX)

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
    rows = list(_flat(PSE_INDICATORS))
    d = _new_docx()
    d.add_paragraph(PSE_TITLE)
    first = 11  # first indicator row
    t = d.add_table(rows=first + len(rows) + 1, cols=10)
    t.style = "Table Grid"
    _merge(t, 0, 0, 0, 0, "项目名称"), _merge(t, 0, 1, 0, 9, PSE_PROJECT)
    _merge(t, 1, 0, 1, 0, "主管部门"), _merge(t, 1, 1, 1, 4, PSE_DEPT)
    _merge(t, 1, 5, 1, 5, "实施单位"), _merge(t, 1, 6, 1, 9, PSE_UNIT)
    for r, (label, *vals) in enumerate((("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), *PSE_FUNDS), start=2):
        _merge(t, r, 1, r, 3, label)
        for c, v in enumerate(vals, start=4):
            _put(t.cell(r, c), v)
    _merge(t, 2, 0, 6, 0, "项目资金（万元）")
    _merge(t, 7, 1, 7, 5, "预期目标"), _merge(t, 7, 6, 7, 9, "实际完成情况")
    _merge(t, 8, 1, 8, 5, PSE_GOALS[0]), _merge(t, 8, 6, 8, 9, PSE_GOALS[1])
    _merge(t, 7, 0, 8, 0, "年度总体目标")
    _merge(t, 9, 3, 9, 5, "年度指标值")  # gridSpan group header
    for c, h in enumerate(("指标性质", "指标值", "度量单位"), start=3):
        _put(t.cell(10, c), h)
    for c, h in {0: "一级指标", 1: "二级指标", 2: "三级指标", 6: "实际完成值", 7: "分值", 8: "得分", 9: "偏差原因分析及改进措施"}.items():
        _merge(t, 9, c, 10, c, h)  # vMerge over the two header rows
    _docx_block(t, first, rows, lambda r: (*r[2:7], _score(r[7]), _score(r[8]), r[9]))
    last = first + len(rows)
    _merge(t, last, 0, last, 6, "总分")
    for c, v in enumerate(PSE_TOTAL, start=7):
        _put(t.cell(last, c), v)
    d.save(path)
    _fix_zip(path)
    return [_gold(path.name, "project_self_eval", PSE_TITLE, PSE_PROJECT, l1, l2, name, op, target, unit, actual, w, s, reason)
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
    rows = list(_flat(MPT_INDICATORS))
    d = _new_docx()
    d.add_paragraph(MPT_TITLE)
    for part, chunk in enumerate((rows[:MPT_SPLIT], rows[MPT_SPLIT:])):
        if part:
            d.add_page_break()  # the continued table: header repeated, no caption
        top = 1 if part == 0 else 0
        t = d.add_table(rows=top + 1 + len(chunk), cols=4)
        t.style = "Table Grid"
        if part == 0:
            _merge(t, 0, 0, 0, 0, "项目名称"), _merge(t, 0, 1, 0, 3, MPT_PROJECT)
        for c, h in enumerate(MPT_HEADER):
            _put(t.cell(top, c), h)
        _docx_block(t, top + 1, chunk, lambda r: r[2:])
    d.save(path)
    _fix_zip(path)
    return [_gold(path.name, "project_target", MPT_TITLE, MPT_PROJECT, l1, l2, name, _inline_op(target), target)
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


def _sheet_block(ws, r0: int, rows: list[tuple]) -> None:
    """Write rows from 1-based sheet row r0, merging 一级/二级 runs vertically."""
    for i, row in enumerate(rows):
        for c, v in enumerate(row, start=1):
            if c > 2 and v is not None:
                ws.cell(r0 + i, c, v)
    for col, key in ((1, lambda r: r[0]), (2, lambda r: r[:2])):
        for a, b in _runs([key(r) for r in rows]):
            ws.cell(r0 + a, col, rows[a][col - 1])
            if b > a:
                ws.merge_cells(start_row=r0 + a, start_column=col, end_row=r0 + b, end_column=col)


def dept_self_eval_xlsx(path: Path) -> list[dict]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "自评表"
    ws.append([DSE_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DSE_HEADER))
    ws.append(list(DSE_HEADER))
    rows = list(_flat(DSE_INDICATORS))
    _sheet_block(ws, 3, rows)
    total = 3 + len(rows)
    ws.cell(total, 1, "总分")
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=5)
    for c, v in enumerate(DSE_TOTAL, start=6):
        ws.cell(total, c, v)

    ws2 = wb.create_sheet("目标表")
    ws2.append([DT_TITLE])
    ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DT_HEADER))
    ws2.append(list(DT_HEADER))
    targets = list(_flat(DT_INDICATORS))
    _sheet_block(ws2, 3, targets)
    wb.save(path)
    _fix_zip(path)
    return [_gold(path.name, "dept_self_eval", DSE_TITLE, None, l1, l2, name, _inline_op(target), target, None, actual, w, s, reason)
            for l1, l2, name, target, actual, w, s, reason in rows] + \
           [_gold(path.name, "dept_target", DT_TITLE, None, l1, l2, name, op, target, unit)
            for l1, l2, name, op, target, unit in targets]


# ---------------------------------------------------------------- 4. key indicators and score summary (HTML)

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


def _pct(score: float, weight: float) -> str:
    return f"{score / weight * 100:.1f}%"


def _td(text, **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items() if v != 1)
    return f"<td{extra}>{html.escape(_num(text)).replace(chr(10), '<br>')}</td>"


def key_indicators_html(path: Path) -> list[dict]:
    ss_rows = list(_flat(SS_INDICATORS))
    starts = {col: {a: b - a + 1 for a, b in _runs([r[: col + 1] for r in ss_rows])} for col in (0, 1)}
    body = []
    for i, row in enumerate(ss_rows):
        cells = [_td(row[c], rowspan=starts[c][i]) for c in (0, 1) if i in starts[c]]
        cells += [_td(row[2]), _td(row[3]), _td(row[4]), _td(_pct(row[4], row[3]))]
        body.append("<tr>" + "".join(cells) + "</tr>")
    w_total, s_total = sum(r[3] for r in ss_rows), round(sum(r[4] for r in ss_rows), 2)
    body.append("<tr>" + _td("合计", colspan=3) + _td(w_total) + _td(s_total) + _td(_pct(s_total, w_total)) + "</tr>")
    ki = "".join(f"<tr>{_td(i)}{_td(n)}{_td(t)}{_td(a)}</tr>" for i, (n, t, a, _) in enumerate(KI_ROWS, start=1))
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
    return [_gold(path.name, "key_indicators", KI_TITLE, None, None, None, n, op, t, None, a) for n, t, a, op in KI_ROWS] + \
           [_gold(path.name, "score_summary", SS_TITLE, None, l1, l2, n, weight=w, score=s) for l1, l2, n, w, s in ss_rows]


# ---------------------------------------------------------------- 5. legacy project target (XLS)

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
    rows = list(_flat(XLS_INDICATORS))
    for i, row in enumerate(rows):
        ws.write(3 + i, 2, row[2])
        ws.write(3 + i, 3, row[3])
    for col, key in ((0, lambda r: r[0]), (1, lambda r: r[:2])):
        for a, b in _runs([key(r) for r in rows]):
            if b > a:
                ws.write_merge(3 + a, 3 + b, col, col, rows[a][col])
            else:
                ws.write(3 + a, col, rows[a][col])
    wb.save(str(path))
    return [_gold(path.name, "project_target", XLS_TITLE, XLS_PROJECT, l1, l2, name, _inline_op(target), target)
            for l1, l2, name, target in rows]


# ---------------------------------------------------------------- 6. tab-separated text dump (TXT)

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
    rows = list(_flat(TXT_INDICATORS))
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
        cells = [l1 if first_of_l1 else "", l2 if first_of_l2 else "", *(_num(v) for v in vals)]
        if i in TXT_LOST_CELL:
            cells = cells[1:] + [""]
        lines.append("\t".join(cells))
    lines += [
        "其他需要说明事项\t\t\t无\t\t\t\t\t\t",
        "总分\t\t\t\t\t\t\t100\t99.3\t优", "",
        "备注：", "", "1. 执行率按全年执行数除以全年预算数计算。", "2. 自评得分保留两位小数。", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return [_gold(path.name, "project_self_eval", TXT_TITLE, TXT_PROJECT, l1, l2, name, op, target, unit, actual, w, s, reason)
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

PDF_FONT, PDF_SIZE = "STSong-Light", 10.5
PDF_LINE = PDF_SIZE * 1.5  # line pitch inside a cell
PDF_ROW_H = 36.0  # minimum row height
PDF_PAD = 2.5  # left/right cell padding
PDF_WIDTHS = (48, 70, 100, 64, 62, 42, 42, 112)  # sum 540: A4 width less two 27.6 pt margins
PDF_X0, PDF_TOP, PDF_BOTTOM = 27.6, 112.0, 780.0  # table left edge, table top on page 1, lowest table bottom
PDF_TOP2 = 72.0  # table top on page 2 (all from the page top)


def _pdf_wrap(text: str, width: float) -> list[str]:
    """Greedy line breaking at the cell's inner width, as a word processor breaks CJK text;
    a closing punctuation mark never starts a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    cur = ""
    for ch in _num(text):
        if cur and stringWidth(cur + ch, PDF_FONT, PDF_SIZE) > width - 2 * PDF_PAD and ch not in "，。；、：）%":
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur] if cur else lines


def _pdf_row_height(lines: int) -> float:
    return max(PDF_ROW_H, lines * PDF_LINE + 16)


def _pdf_page(c, cells: list[tuple], xs: list[float], ys: list[float], footer: int) -> None:
    """One page: cells (row, col, rowspan, colspan, text, align) on the grid xs × ys (top-down
    display coordinates); every cell boxed, merged cells without inner rules, text centred
    vertically in its (merged) cell."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth

    h = A4[1]
    c.setFont(PDF_FONT, PDF_SIZE)
    segs: set[tuple[float, float, float, float]] = set()
    for r, col, rs, cs, text, align in cells:
        x0, x1, t0, t1 = xs[col], xs[col + cs], ys[r], ys[r + rs]
        segs |= {(x0, t0, x1, t0), (x0, t1, x1, t1), (x0, t0, x0, t1), (x1, t0, x1, t1)}
        lines = _pdf_wrap(text, x1 - x0) if text else []
        first = (t0 + t1) / 2 - (PDF_LINE * (len(lines) - 1) + PDF_SIZE) / 2 + PDF_SIZE * 0.88
        for k, ln in enumerate(lines):
            w = stringWidth(ln, PDF_FONT, PDF_SIZE)
            x = x0 + PDF_PAD if align == "l" else (x0 + x1 - w) / 2
            c.drawString(x, h - (first + k * PDF_LINE), ln)
    c.setLineWidth(0.6)
    for x0, t0, x1, t1 in sorted(segs):
        c.line(x0, h - t0, x1, h - t1)
    c.setFont(PDF_FONT, 9)
    c.drawCentredString(A4[0] / 2, 30, f"— {footer} —")


def project_self_eval_pdf(path: Path) -> list[dict]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    rows = list(_flat(PDF_INDICATORS))
    xs = [PDF_X0]
    for w in PDF_WIDTHS:
        xs.append(xs[-1] + w)

    def height(texts) -> float:
        return _pdf_row_height(max(len(_pdf_wrap(t, PDF_WIDTHS[col])) for col, t in texts))

    def body(chunk: list[tuple], r0: int, open_l1: bool, open_l2: bool) -> list[tuple]:
        """Cells of indicator rows from grid row r0; 一级/二级 merged over their runs. open_*: the
        chunk's first run continues from the previous page (its cell is printed without text)."""
        cells = []
        for i, (_, _, name, target, actual, w, s, reason) in enumerate(chunk):
            cells += [(r0 + i, 2, 1, 1, name, "l"), (r0 + i, 3, 1, 1, target, "c"), (r0 + i, 4, 1, 1, actual, "c"),
                      (r0 + i, 5, 1, 1, w, "c"), (r0 + i, 6, 1, 1, _score(s) if s % 1 else _num(s), "c"),
                      (r0 + i, 7, 1, 1, reason, "l")]
        for col, key, open_ in ((0, lambda r: r[0], open_l1), (1, lambda r: r[:2], open_l2)):
            for k, (a, b) in enumerate(_runs([key(r) for r in chunk])):
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
    _pdf_page(c, cells, xs, ys, 1)
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
    _pdf_page(c, cells, xs, ys, 2)
    c.showPage()
    c.save()
    return [{**_gold(path.name, "project_self_eval", PDF_TITLE, PDF_PROJECT, l1, l2, name, _inline_op(target), target,
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
        _write_gold(out_dir, name, build(path))
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
