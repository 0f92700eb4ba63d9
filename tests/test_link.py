"""Linking printed names to canonical indicators: tiers, the substring trap, joint assignment,
honest ambiguity, and cross-table keys."""

import pytest

from pipeline.catalog import Catalog, Entry, entry_id, normalise_name, variant_key
from pipeline.link import Linker, link_rows
from pipeline.model import IndicatorRow


def _entry(name, *aliases, level2=None):
    from pipeline.levels import LEVEL2_TO_LEVEL1

    return Entry(entry_id(name), name, aliases, LEVEL2_TO_LEVEL1.get(level2 or ""), level2, "test")


CATALOG = Catalog("test", [
    _entry("在职人员控制率", "人员控制率"),
    _entry("预算完成率", "预算执行率"),
    _entry("验收合格率", level2="质量指标"),
    _entry("监督检查次数", level2="数量指标"),
    _entry("驾驶人对考试业务满意度", level2="服务对象满意度指标"),
    _entry("群众对122接处警工作满意度", level2="服务对象满意度指标"),
    _entry("群众对车管业务办理工作满意度", level2="服务对象满意度指标"),
    _entry("交通警卫引导任务", level2="数量指标"),
    _entry("规范车辆行驶和停放", level2="生态效益指标"),
    _entry("项目按计划完工率", level2="时效指标"),
    _entry("网络通畅保障率", level2="质量指标"),
    _entry("网络通畅保障时长", level2="质量指标"),
], [])


@pytest.fixture(scope="module")
def linker():
    return Linker(CATALOG)


def row(name, table=0, target=None, op=">=", level2=None, actual=None, flags=(), cut=False):
    """An indicator row; `cut` marks a name cut by a fixed-width cell (rows.truncated_names)."""
    flags = list(flags) + (["name_truncated"] if cut else [])
    return IndicatorRow(source="d.txt", doc_sha256="0" * 64, page=None, sheet=None, table_index=table,
                        table_kind="project_self_eval", table_title=None, project=None, row_index=0, name=name,
                        target_value=target, op=op, level2=level2, actual_value=actual, flags=flags)


@pytest.mark.parametrize("printed,status,canonical", [
    ("验收合格率", "exact", "验收合格率"),
    ("人员控制率", "exact", "在职人员控制率"),  # an alias of a framework indicator
    ("验收 合格率 ", "exact", "验收合格率"),
    ("指标1：验收合格率", "normalised", "验收合格率"),
    ("“验收合格率”", "normalised", "验收合格率"),
    ("验收合格率 =", "normalised", "验收合格率"),
    ("监督检查次数（次）", "normalised", "监督检查次数"),
    ("监督检查数量", "normalised", "监督检查次数"),  # 数量/次数 suffix variants meet
    ("验收合格比率", "normalised", "验收合格率"),
    ("驾驶人对考试业务满", "prefix", "驾驶人对考试业务满意度"),  # cut by a fixed-width cell
    ("规范车辆行使和停放", "fuzzy", "规范车辆行驶和停放"),  # a homophone misprint (使/驶)
    ("驾驶人考试业务满意度", "fuzzy", "驾驶人对考试业务满意度"),  # a function word less
])
def test_tiers(linker, printed, status, canonical):
    link = linker.link_name(printed)
    assert (link.status, link.canonical) == (status, canonical)
    assert 0 < link.score <= 1


def test_substring_trap(linker):
    """partial_ratio would score "满意度" 100 against every satisfaction indicator."""
    for short in ("满意度", "群众满意度", "工作满意度"):
        assert linker.link_name(short).status in ("unmatched", "ambiguous")


def test_one_swapped_content_character_is_another_indicator(linker):
    """开工率 is not 完工率, 交警 is not 交通: near-identical strings are not the same indicator."""
    assert linker.link_name("项目按计划开工率").status == "unmatched"
    assert linker.link_name("交警警卫引导任务").status == "unmatched"


def test_prefix_of_several_stays_ambiguous(linker):
    link = linker.link_name("网络通畅保障")
    assert link.status == "ambiguous" and link.canonical is None
    assert set(link.candidates) == {"网络通畅保障率", "网络通畅保障时长"}


def test_unknown_name_is_unmatched(linker):
    assert linker.link_name("开展农村公路安全隐患排查").status == "unmatched"


def test_normalisation_helpers():
    assert normalise_name(" 指标2：发行量（万册） ") == "发行量"
    assert normalise_name("居民满意度指标") == "居民满意度"
    assert normalise_name("零星修缮（维修）") == "零星修缮(维修)"  # not a unit: kept
    assert variant_key("检查数量") == variant_key("检查数") != variant_key("检查率")


NARRATIVE = ["支队按照产出指标、效益指标和满意度指标分别从汽车类驾驶证许可科目一考试服务、汽车类驾驶证许可科目二小车考试服务、"
             "汽车类驾驶证许可科目二大车考试服务、汽车类驾驶证许可科目三小车考试服务、汽车类驾驶证许可科目"]


def test_complete_names_are_not_extended_from_the_text(linker):
    """A complete name followed by more words in a sentence is not a longer indicator."""
    (link,) = linker.link_document([row("业务数据量")], ["共涉及两个信息化建设项目，平均业务数据量2.69G。"])
    assert link.status == "unmatched"


def test_rows_sharing_a_cut_name_are_assigned_jointly_by_order(linker):
    rows = [row("汽车类驾驶证许可", target=t, cut=True) for t in (154000, 8400, 126000, 9100)]
    links = linker.link_document(rows, NARRATIVE)
    assert [lk.canonical for lk in links] == [
        "汽车类驾驶证许可科目一考试服务", "汽车类驾驶证许可科目二小车考试服务",
        "汽车类驾驶证许可科目二大车考试服务", "汽车类驾驶证许可科目三小车考试服务"]
    assert all(lk.status == "prefix" and "order" in lk.evidence for lk in links)
    assert len({lk.canonical_id for lk in links}) == 4


def test_more_rows_than_complete_names_stay_ambiguous(linker):
    narrative = ["分别从汽车类驾驶证许可科目一考试服务、汽车类驾驶证许可科目二小车考试服务开展"]
    rows = [row("汽车类驾驶证许可", target=t, cut=True) for t in (1, 2, 3)]
    links = linker.link_document(rows, narrative)
    assert all(lk.status == "ambiguous" and lk.canonical is None for lk in links)
    assert all(len(lk.candidates) == 2 for lk in links)


def test_one_row_two_equally_good_names_stays_ambiguous(linker):
    narrative = ["开展设施设备（系统）检查，并统计设施设备（系统）故障次数。"]
    links = linker.link_document([row("设施设备（系统）", target=5, cut=True)], narrative)
    assert links[0].status == "ambiguous" and set(links[0].candidates) == {"设施设备(系统)检查", "设施设备(系统)故障次数"}


def test_same_target_in_another_table_decides(linker):
    rows = [row("设施设备（系统）", table=0, target=365, op=">=", cut=True), row("设施设备（系统）", table=0, target=0, op="<", cut=True),
            row("设施设备（系统）检查", table=1, target=365, op=">="),
            row("设施设备（系统）发生安全事故次数", table=1, target=0, op="<")]
    links = linker.link_document(rows, [])
    assert links[0].canonical == "设施设备(系统)检查" and links[1].canonical == "设施设备(系统)发生安全事故次数"
    assert "same target" in links[0].evidence


def test_figure_printed_with_a_name_decides(linker):
    narrative = ["全年组织民警轮值轮训0人次；组织民警和辅警综合能力提升培训2730人次；组织民警和辅警专题培训15人次。"]
    rows = [row("组织民警和辅警", actual=2730, target=597, cut=True)]
    (link,) = linker.link_document(rows, narrative)
    assert link.canonical == "组织民警和辅警综合能力提升培训" and "figure" in link.evidence


def test_cross_table_key_joins_a_cut_name_to_its_full_form(linker):
    rows = [row("安保巡查次数", table=0, target=365), row("安保巡查次数", table=1, target=2920),
            row("道路交通事故一般", table=0, flags=["name_truncated"]), row("道路交通事故一般案", table=1, flags=["name_truncated"])]
    link_rows(rows, [], linker)
    assert rows[0].link_key == rows[1].link_key
    assert rows[2].link_key == rows[3].link_key != rows[0].link_key
    assert rows[2].canonical is None  # a longer form that is itself cut short is no canonical name


def test_seed_004_truncated_names_resolved_from_the_narrative(seed_results):
    rows = [r for r in seed_results["004"].rows if r.name in ("汽车类驾驶证许可", "汽车类驾驶证许可科")]
    assert len(rows) == 8
    dept = [r.canonical for r in rows if r.name == "汽车类驾驶证许可"]
    proj = [r.canonical for r in rows if r.name == "汽车类驾驶证许可科"]
    assert dept == proj and dept[1] == "汽车类驾驶证许可科目二小车考试服务"
    by_target = {}
    for r in rows:
        by_target.setdefault(r.target_value, set()).add(r.link_key)
    assert all(len(keys) == 1 for keys in by_target.values())  # 13表 row i and 14-8表 row i share a key


def test_three_cut_department_rows_are_resolved_by_the_targets_their_project_tables_print(linker):
    """A department table cuts three names to the same nine characters; only the targets printed
    beside the full names in the project tables tell them apart."""
    full = ["城市道路桥梁设施维护面积", "城市道路桥梁设施巡查次数", "城市道路桥梁设施完好率"]
    cut = "城市道路桥梁设施维"[:8]  # the three share their first eight characters
    assert all(f.startswith(cut) for f in full)
    targets = [(120, ">="), (365, ">="), (98, ">=")]
    rows = [row(cut, table=0, target=t, op=op, cut=True) for t, op in targets]
    rows += [row(name, table=1 + i, target=t, op=op) for i, (name, (t, op)) in enumerate(zip(full[::-1], targets[::-1]))]
    links = linker.link_document(rows, [])
    assert [lk.canonical for lk in links[:3]] == [normalise_name(n) for n in full]
    assert all("same target" in lk.evidence for lk in links[:3])


def test_two_rows_sharing_an_undecidable_cut_name_never_take_the_same_name(linker):
    """Two rows cut to the same form; another table prints two complete names that fit, with targets
    of their own that match neither row: nothing decides, so neither row takes a name (and no two
    rows ever take the same one)."""
    rows = [row("城市道路桥梁设施", table=0, target=5, cut=True), row("城市道路桥梁设施", table=0, target=7, cut=True),
            row("城市道路桥梁设施维护面积", table=1, target=120), row("城市道路桥梁设施巡查次数", table=1, target=365)]
    links = linker.link_document(rows, [])
    picked = [lk.canonical for lk in links[:2] if lk.canonical]
    assert len(picked) == len(set(picked))
    assert all(lk.status == "ambiguous" and len(lk.candidates) == 2 for lk in links[:2])


def test_the_shipped_syllable_table_tells_homophones_as_pypinyin_does():
    """The homophone check reads models/catalog/syllables.txt instead of pypinyin's 55 MiB table:
    the shipped table must give pypinyin's answers (rebuild it with `catalog build` if this fails)."""
    from itertools import combinations

    from pypinyin import lazy_pinyin

    from pipeline.catalog import _homophones

    chars = [chr(c) for c in range(0x4E00, 0x9FA5, 97)] + list("使驶谓胃维围制治")
    pairs = list(combinations(chars, 2))
    assert len(pairs) > 20_000
    assert [_homophones(a, b) for a, b in pairs] == [lazy_pinyin(a) == lazy_pinyin(b) for a, b in pairs]
    assert _homophones("使", "驶") and not _homophones("使", "胃")


def test_a_name_printed_whole_is_not_extended_by_a_longer_catalog_name(linker):
    """Only a cell that cut a name lets a longer catalog name complete it; a name printed whole takes
    a longer name only when that adds one measure character."""
    whole, cut, measure = row("项目按计划"), row("项目按计划", cut=True), row("在职人员控制")
    links = linker.link_document([whole, cut, measure], [])
    assert links[0].status == "unmatched" and links[0].canonical is None
    assert links[1].status == "prefix" and links[1].canonical == "项目按计划完工率"
    assert links[2].status == "prefix" and links[2].canonical == "在职人员控制率"
