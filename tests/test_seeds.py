"""End-to-end accuracy on the five seed dumps against hand-made gold (issue: ≥ 0.99 everywhere)."""

import pytest

from pipeline.devtools.evaluate import SCORED_FIELDS, evaluate

from .conftest import GOLD_SEEDS


def test_seed_rows_match_gold(seed_results):
    rows = [r.to_dict() for res in seed_results.values() for r in res.rows]
    scores, total = evaluate(GOLD_SEEDS, rows)
    assert len(scores) == 5
    for s in scores:
        assert s.precision >= 0.99, (s.doc, s.precision)
        assert s.recall >= 0.99, (s.doc, s.recall)
        for f in SCORED_FIELDS:
            assert s.accuracy(f) >= 0.99, (s.doc, f, s.mismatches[:5])
    assert total.gold == 350


def test_table_kinds_per_seed(seed_results):
    kinds = {k: [t.kind for t in r.tables if t.kind != "other"] for k, r in seed_results.items()}
    assert kinds["000"] == ["dept_target", "dept_self_eval"]
    assert kinds["001"] == ["dept_self_eval"]
    assert kinds["002"] == ["key_indicators", "score_summary", "key_indicators"]
    assert kinds["003"] == []
    assert kinds["004"] == ["dept_self_eval"] + ["project_self_eval"] * 18


def test_other_tables_are_kept_without_rows(seed_results):
    """基础数据表, 三公, 决算表 and narrative tables stay in the document model but yield no rows."""
    assert any(t.kind == "other" and t.raw.n_rows > 5 for t in seed_results["001"].tables)
    assert any(t.kind == "other" for t in seed_results["002"].tables)
    assert all(r.table_kind != "other" for res in seed_results.values() for r in res.rows)


def test_project_and_totals_attached(seed_results):
    t = next(t for t in seed_results["004"].tables if t.title and "14-2表" in t.title)
    assert t.project == "曲靖市公安局交通警察支队曲陆高速公路交巡警大队二三四中队营房建设专项经费"
    assert (t.meta.total_weight, t.meta.total_score, t.meta.grade) == (100, 90, "优")
    assert "未开展" in t.meta.other_notes
    funds = t.meta.funds
    assert funds[0]["label"] == "年度资金总额" and funds[0]["budget_initial"] == 240.0


def test_row_provenance(seed_results):
    r = seed_results["004"].rows[0]
    assert r.source.endswith("004_a2178cbe83faa704.txt") and len(r.doc_sha256) == 64
    assert r.table_kind == "dept_self_eval" and r.row_index == 0


@pytest.mark.parametrize("prefix,name,expect", [
    ("000", "发放驾驶证数量", dict(level1="产出指标", level1_weight=50.0, level2="数量指标", weight=2.0, score=1.0,
                                 reason="疫情暂停业务办理", target_value=10000, actual_value=6100, op=">=")),
    ("000", "电动自行车上牌登记率", dict(reason=None, actual="＜60%", score=1.0)),
    ("004", "主体工程完成率", dict(level1="产出指标", level2="数量指标", op="=", target_value=100, unit="%",
                                 actual_value=0)),
])
def test_selected_rows(seed_results, prefix, name, expect):
    row = next(r for r in seed_results[prefix].rows if r.name == name and r.table_kind.endswith("self_eval"))
    for k, v in expect.items():
        assert getattr(row, k) == v, k


@pytest.mark.parametrize("table,expected", [
    ("14-4表", {"budget_full": 10.0, "weight": 10.0}),  # two numbers, one empty cell between: not interleaved
    ("14-9表", {"budget_full": 350.0, "executed": 350.0, "weight": 10.0, "score": 10.0}),  # interleaved columns
    ("14-16表", {"budget_full": 70.0, "executed": 70.0, "weight": 10.0, "rate": 100.0, "score": 10.0}),  # 年初 lost
])
def test_funds_block_of_text_dumps(seed_results, table, expected):
    t = next(t for t in seed_results["004"].tables if t.title and t.title.endswith(table))
    got = t.meta.funds[0]
    assert {k: got.get(k) for k in expected} == expected


def test_fund_rows_share_the_layout_of_the_first(seed_results):
    """公开14-16表 loses the 年初预算数 cell in every fund row: 当年财政拨款 `70.00 70.00 — 100.00 —`
    is 全年预算数, 全年执行数, (分值) —, 执行率 100, not a 分值 of 100."""
    t = next(t for t in seed_results["004"].tables if t.title and t.title.endswith("14-16表"))
    sub = t.meta.funds[1]
    assert sub["label"] == "其中：当年财政拨款"
    assert {k: sub.get(k) for k in ("budget_initial", "budget_full", "executed", "weight", "rate")} == \
        {"budget_initial": None, "budget_full": 70.0, "executed": 70.0, "weight": None, "rate": 100.0}
