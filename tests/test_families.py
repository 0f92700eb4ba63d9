"""Indicator families: every row gets one, from what its name measures, else from its 二级 label."""

from __future__ import annotations

import pytest

from pipeline.families import FAMILIES, TAXONOMY, family_of


@pytest.mark.parametrize("name, level2, family", [
    ("群众对车管业务办理工作满意度", "服务对象满意度指标", "satisfaction"),
    ("送戏下乡演出节目群众好评率", "质量指标", "satisfaction"),
    ("指标5：社会满意度", None, "satisfaction"),
    ("年度预算执行率", None, "budget_execution"),
    ("资金拨付及时率", "时效指标", "budget_execution"),  # funds before timeliness
    ("部门预算资金支出率", None, "budget_execution"),
    ("城乡居民医保参保率", "社会效益指标", "coverage"),
    ("尾款支付及时率", "时效指标", "timeliness"),
    ("补贴发放及时率", "时效指标", "timeliness"),
    ("项目完成时间", "时效指标", "timeliness"),
    ("宣传册质量验收合格率", "质量指标", "quality_rate"),
    ("调查数据准确率", "质量指标", "quality_rate"),
    ("信访案件办结率（%）", "质量指标", "completion_rate"),
    ("项目总成本", "经济成本指标", "cost_control"),
    ("北京长沙宾馆链路费用", "经济成本指标", "cost_control"),
    ("成果报告数量", "数量指标", "quantity"),
    ("宣传片拍摄时长（分钟）", "数量指标", "quantity"),
    ("施划各类标线", "数量指标", "quantity"),  # nothing in the name: its 二级 says it
    ("我市营商环境", "社会效益指标", "social_benefit"),
    ("促进绿色低碳、激发城市活力", "生态效益指标", "ecological_benefit"),
    ("创造良好的安全生产环境", "可持续影响指标", "sustainability"),
    ("带动相关产业发展", "经济效益指标", "economic_benefit"),
    ("绩效目标合理性", "目标设定", "management"),
    ("固定资产利用率", "资产管理", "management"),
    ("社会效益", "履职效益", "social_benefit"),
    ("布局关键技术", None, "other"),
    (None, None, "other"),
])
def test_family_of_a_printed_name(name, level2, family):
    assert family_of(name, level2) == family


def test_the_taxonomy_is_closed_and_documented():
    assert FAMILIES[-1] == "other" and len(set(FAMILIES)) == len(TAXONOMY)
    assert all(label and description for _, label, description in TAXONOMY)


def test_every_row_of_the_seeds_has_a_family(seed_results):
    rows = [r for res in seed_results.values() for r in res.rows]
    assert len(rows) > 300
    assert all(r.family in FAMILIES for r in rows)
    assert sum(r.family == "other" for r in rows) / len(rows) < 0.05
