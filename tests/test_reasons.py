"""Deviation reasons: splitter, blank class, keyword baseline, model output, round trip, determinism."""

from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.reasons import MODEL_PATH, ReasonModel, is_blank, keyword_labels, load_dataset, split_reason

from .conftest import ROOT

DATA = ROOT / "corpus" / "reasons"


@pytest.mark.parametrize("text,cause,measure", [
    ("人员不足，下一步将加强统筹", "人员不足", "下一步将加强统筹"),
    ("原因：资金到位较晚。措施：加快支付进度", "资金到位较晚", "加快支付进度"),
    ("工作质量提升情况缺少有效数据支撑；后续拟加强对数据的挖掘", "工作质量提升情况缺少有效数据支撑", "后续拟加强对数据的挖掘"),
    ("一是资金下达晚；二是部分资金结转下年使用。下一步加快执行进度", "一是资金下达晚，二是部分资金结转下年使用", "下一步加快执行进度"),
    ("下一步将加强管理", "", "下一步将加强管理"),
    ("经审批将本项目结余指标调剂用于车辆购置", "经审批将本项目结余指标调剂用于车辆购置", ""),
    ("受疫情影响，未组织开展", "受疫情影响，未组织开展", ""),
])
def test_split_reason_and_measure(text, cause, measure):
    assert split_reason(text) == (cause, measure)


@pytest.mark.parametrize("text", ["", "\u3000", "无", "/", "—", "无偏差", "按计划完成"])
def test_blank_is_its_own_class_without_a_model(text):
    assert is_blank(text) and keyword_labels(text) == ["R00"]


@pytest.mark.parametrize("text,blank", [
    ("本项指标完成情况良好，无偏差原因", True),  # the word 原因 is not a cause
    ("与目标一致，不存在偏差", True),
    ("未全部完成", False),  # a negated "completed" is a shortfall
    ("未达到年初目标值", False),
    ("按自然年与按项目周期统计的口径不一致", False),
    ("加强沟通协调，确保项目按期完成", False),  # measures only: R17, not "nothing to explain"
    ("部分预算指标被财政收回，已完成的工作量无法支付", False),  # a cause beside 已完成
])
def test_no_deviation_statements_and_their_negations(text, blank):
    assert is_blank(text) is blank


def test_shipped_model_never_puts_a_restatement_or_vagueness_beside_a_cause():
    from pipeline.reasons import default_model

    texts = ["资金下达较晚，未完成年度目标，执行率偏低", "未达到目标值", "受疫情影响，部分工作存在一定差距"]
    for res in default_model().predict(texts):
        causes = [c for c in res.labels if c not in ("R00", "R16", "R17")]
        assert res.labels and (not causes or not set(res.labels) & {"R00", "R16", "R17"}), res


@pytest.mark.parametrize("text,labels", [
    ("疫情暂停业务办理", ["R01"]),  # 暂停 is the epidemic's consequence, not R04
    ("持续降雨影响工期", ["R11"]),  # weather is the cause, the schedule its consequence
    ("资金下达较晚，部分资金结转下年使用", ["R02", "R05"]),
    ("中标价低于预算，节约资金", ["R08"]),
    ("下一步将加强管理", ["R17"]),  # measures only: nothing explained
])
def test_keyword_baseline_rules(text, labels):
    assert keyword_labels(text) == labels


@pytest.fixture(scope="module")
def small_data():
    """A few examples per class: enough to exercise the estimator quickly."""
    per: dict[str, list] = defaultdict(list)
    for d in load_dataset(DATA / "written.jsonl"):
        if len(per[d["labels"][0]]) < 10:
            per[d["labels"][0]].append(d)
    data = [d for rows in per.values() for d in rows]
    return [d["text"] for d in data], [d["labels"] for d in data]


def test_model_output_is_multilabel_with_confidence(small_data):
    texts, labels = small_data
    model = ReasonModel().fit(texts, labels)
    out = model.predict(["资金下达较晚，部分资金结转下年使用，下一步加快支付", "\u3000", "下一步将加强管理"])
    assert all(isinstance(r.labels, list) and r.labels and 0 <= r.confidence <= 1 for r in out)
    assert out[1].labels == ["R00"] and out[2].labels == ["R17"]
    assert out[0].measure == "下一步加快支付" and "结转" in out[0].cause


def test_training_is_deterministic_and_round_trips(small_data, tmp_path):
    texts, labels = small_data
    probe = ["系统升级暂停服务", "受汛期影响施工推迟", "上级要求取消该活动", "指标值设定偏高"]
    a = ReasonModel().fit(texts, labels)
    b = ReasonModel().fit(texts, labels)
    pa, pb = a.predict_proba(probe), b.predict_proba(probe)
    assert (pa == pb).all()
    path = tmp_path / "m.skops"
    a.save(path)
    loaded = ReasonModel.load(path)
    assert (loaded.predict_proba(probe) == pa).all()
    assert [r.labels for r in loaded.predict(probe)] == [r.labels for r in a.predict(probe)]


def test_loading_refuses_unexpected_types(tmp_path):
    import skops.io as sio

    path = tmp_path / "evil.skops"
    sio.dump({"pipeline": Path("x"), "classes": [], "threshold": 0.5, "low_confidence": 0.1}, path)
    with pytest.raises(ValueError, match="refusing"):
        ReasonModel.load(path)


def test_shipped_model_tags_extracted_rows(seed_results):
    if not MODEL_PATH.exists():
        pytest.skip("no trained model in models/reasons")
    rows = [r for r in seed_results["004"].rows if r.table_kind == "project_self_eval"]
    assert all(r.reason_labels for r in rows)
    covid = next(r for r in rows if r.reason == "受新冠疫情影响")
    assert covid.reason_labels == ["R01"] and covid.reason_confidence > 0.5
    blank = next(r for r in rows if not r.reason)
    assert blank.reason_labels == ["R00"]
