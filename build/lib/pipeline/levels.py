"""The fixed 一级/二级 indicator hierarchy and the normalisation of printed level labels (DOMAIN §1.9)."""

from __future__ import annotations

import re

from .values import nfkc, strip_ws

# canonical 二级 -> canonical 一级
LEVEL2_TO_LEVEL1: dict[str, str] = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
    "经济成本指标": "成本指标",
    "社会成本指标": "成本指标",
    "生态环境成本指标": "成本指标",
}
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标")

# Stems after stripping 产出/等/指标; maps to the canonical 二级.
_LEVEL2_STEMS: dict[str, str] = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众及服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "经济成本": "经济成本指标",
    "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标",
}
_LEVEL1_STEMS = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标", "成本": "成本指标"}

_WEIGHT = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")


def split_weight(label: str | None) -> tuple[str | None, float | None]:
    """"产出指标(50分)" → ("产出指标", 50.0); whitespace removed."""
    if not label:
        return None, None
    t = strip_ws(label)
    m = _WEIGHT.search(nfkc(t))
    if m:
        cut = len(t) - (len(nfkc(t)) - m.start())
        return (t[:cut] or None), float(m.group(1))
    return (t or None), None


def _stem(label: str) -> str:
    t = strip_ws(nfkc(label))
    t = re.sub(r"等$", "", t)
    t = re.sub(r"指标$", "", t)
    t = re.sub(r"等$", "", t)
    if t.startswith("产出") and t[2:] in ("数量", "质量", "时效", "成本"):
        t = t[2:]
    return t


def canonical_level2(label: str | None) -> str | None:
    """Printed 二级 label → canonical name, or None when it is not a fixed-hierarchy 二级."""
    if not label:
        return None
    name, _ = split_weight(label)
    return _LEVEL2_STEMS.get(_stem(name or "")) or _cut_before_break(name, _LEVEL2_STEMS)


def canonical_level1(label: str | None) -> str | None:
    if not label:
        return None
    name, _ = split_weight(label)
    return _LEVEL1_STEMS.get(_stem(name or "")) or _cut_before_break(name, _LEVEL1_STEMS)


def _cut_before_break(name: str | None, stems: dict[str, str]) -> str | None:
    """A label that a page break (or a too-narrow cell) cuts short, "效益指" or "服务对象" of a merged
    cell that goes on over the page: the one label it begins, when it begins only one."""
    t = strip_ws(nfkc(name or ""))
    if len(t) < 2:
        return None
    found = {canonical for stem, canonical in stems.items() if (stem + "指标").startswith(t)}
    return found.pop() if len(found) == 1 else None


def is_cut_tail(label: str | None) -> bool:
    """The rest of a label cut by a page break, printed at the top of the next page ("标", "意度指标"):
    the tail of a fixed-hierarchy label that is no label itself."""
    t = strip_ws(nfkc(split_weight(label)[0] or ""))
    if not t or canonical_level1(t) or canonical_level2(t):
        return False
    names = [stem + "指标" for stem in (*_LEVEL1_STEMS, *_LEVEL2_STEMS)]
    return any(n.endswith(t) and n != t for n in names)


def level1_of(level2: str | None) -> str | None:
    return LEVEL2_TO_LEVEL1.get(level2 or "")


def is_level_label(text: str | None) -> bool:
    return canonical_level1(text) is not None or canonical_level2(text) is not None
