"""Indicator families: what a researcher groups rows by across documents, whether or not the row's
name links to a catalog entry. A small fixed taxonomy, decided from the printed name first (what is
measured: 满意度, 及时率, 覆盖率 …), then from the 二级 label the table files it under, so that every
row has one; `other` is what neither says.
"""

from __future__ import annotations

import re

from .values import nfkc, strip_ws

# id, label, what it holds. The order of FAMILY_RULES below decides a name that says two things
# (资金拨付及时率 is budget execution before timeliness; 满意度 wins over everything).
TAXONOMY: tuple[tuple[str, str, str], ...] = (
    ("satisfaction", "满意度", "satisfaction of the served, the public, staff (满意度, 满意率)"),
    ("budget_execution", "资金执行", "budget execution, disbursement and funds in place (预算执行率, 支付进度, 资金到位率)"),
    ("coverage", "覆盖率", "coverage and take-up (覆盖率, 普及率, 参保率, 受益面)"),
    ("timeliness", "及时率", "timeliness and deadlines (及时率, 按时完成, 完成时限, 办结时限)"),
    ("quality_rate", "合格率", "pass, compliance and accuracy rates (合格率, 达标率, 准确率, 验收通过, 正常运行率)"),
    ("completion_rate", "完成率", "completion of a plan or task as a rate (完成率, 办结率, 实现率, 处置率)"),
    ("cost_control", "成本控制", "costs, fees and their control (成本, 费用, 经费, 单价, 控制率)"),
    ("quantity", "完成数量", "counts of outputs (次数, 人次, 个数, 面积, 份 …)"),
    ("management", "管理规范", "how a department manages: budgets, assets, procurement, rules, disclosure, "
                               "performance management (the 投入/过程 parts of an overall self-evaluation)"),
    ("economic_benefit", "经济效益", "economic effects"),
    ("social_benefit", "社会效益", "social effects"),
    ("ecological_benefit", "生态效益", "ecological and environmental effects"),
    ("sustainability", "可持续影响", "lasting effects"),
    ("other", "其他", "none of the above: the name and the 二级 label say nothing the taxonomy knows"),
)
FAMILIES = tuple(f for f, _, _ in TAXONOMY)
FAMILY_LABELS = {f: label for f, label, _ in TAXONOMY}

FAMILY_RULES: tuple[tuple[str, re.Pattern], ...] = tuple((f, re.compile(p)) for f, p in (
    ("satisfaction", r"满意|好评"),
    ("budget_execution", r"(预算|资金|支出|经费)(执行|支付|拨付|到位|使用)|执行率|支付(率|进度)|拨付(率|进度)|到位率|支出进度|(资金|预算)支出率"),
    ("coverage", r"覆盖|普及率|参保率|受益(面|率)|入户率|知晓率"),
    ("timeliness", r"及时|按时|按期|准时|时限|期限|时效|完成时间|周期|工作日|办结时间"),
    ("quality_rate", r"合格|达标|优良|准确|正确|精准|验收|通过率|合规|规范率|正常运行率|完好率|可用率|安全率|质量|差错率|故障率|投诉率"),
    ("completion_rate", r"完成(率|比例|进度)|办结率|实现率|处置率|处理率|落实率|执行到位|完成情况"),
    ("cost_control", r"成本|费用|经费|单价|标准$|控制率|节约|造价|租金|补助标准|金额"),
    ("quantity", r"(次|人次|场次|个|件|份|项|篇|期|册|台|套|辆|户|家|批|条|场|所|名|人)数?$|数量|次数|个数|人数|户数|面积|长度|里程|规模|总量|数$|量$"),
    ("management", r"管理|制度|公开|目标设定|目标合理|指标明确|预算编制|绩效(评估|自评|结果|信息|目标)|内控|盘点|整改"),
    ("economic_benefit", r"经济效益"),
    ("social_benefit", r"社会效益"),
    ("ecological_benefit", r"生态效益"),
    ("sustainability", r"可持续"),
))
LEVEL2_FAMILIES: tuple[tuple[str, str], ...] = (
    ("满意", "satisfaction"), ("时效", "timeliness"), ("成本", "cost_control"), ("质量", "quality_rate"),
    ("数量", "quantity"), ("经济效益", "economic_benefit"), ("社会效益", "social_benefit"),
    ("生态", "ecological_benefit"), ("可持续", "sustainability"), ("预算执行", "budget_execution"),
    ("资金", "budget_execution"), ("管理", "management"), ("目标设定", "management"), ("预算编制", "management"),
    ("信息公开", "management"),
)
_COUNT_UNIT = re.compile(r"^(万|千|百)?(次|人次|个|件|份|项|篇|期|本|册|台|套|辆|户|家|场|所|名|人|分钟|小时|天|平方米|公里|米|吨|亩|GB|TB|条)$")
_ENUMERATOR = re.compile(r"^(指标\s*\d*\s*[:：.、]|\d+\s*[.、:：)）]|[（(]\s*\d+\s*[)）])")


def family_of(name: str | None, level2: str | None = None) -> str:
    """The family of an indicator row: from what its name measures, else from its 二级 label, else
    `other`."""
    text = _ENUMERATOR.sub("", strip_ws(nfkc(name or "")))
    bracketed = re.search(r"\(([^()]*)\)$", text)  # a unit in brackets at the end: 发行量(万册), 时长(分钟)
    text = text[: bracketed.start()] if bracketed else text
    for family, pattern in FAMILY_RULES:
        if text and pattern.search(text):
            return family
    if bracketed and _COUNT_UNIT.search(bracketed.group(1)):
        return "quantity"
    label = strip_ws(nfkc(level2 or ""))
    return next((family for key, family in LEVEL2_FAMILIES if key in label), "other")
