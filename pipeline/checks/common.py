"""What the rule modules share: tolerances, the self-evaluation kinds, and small readings of a row."""

from __future__ import annotations

import re

from ..levels import LEVEL2_TO_LEVEL1
from ..values import canonical_unit, nfkc, strip_ws

SCORE_TOL = 0.01  # DOMAIN §3.1: scores ±0.01
NOT_DONE = re.compile(r"未开展|未实施|未执行|不进行自评|取消|未下达")
PROJECT_NOT_DONE = re.compile(r"未开展|未实施|不进行自评")  # said of the whole project in 其他需要说明事项
GRADES = (("优", 90), ("良", 80), ("中", 60), ("差", 0))
VAGUE = re.compile(r"不断提升|持续优化|日益改善|不断增加|有效提升|作用明显|明显改善|逐步完善|更齐全|有所提高|显著提升|显著改善")


def generic_keys() -> frozenset[str]:
    """Framework indicators (服务对象满意度 …): every project sets its own target for them."""
    from ..catalog import default_catalog

    return frozenset(e.id for e in default_catalog().entries if not e.source.startswith("corpus"))


def scored(rows):
    return [r for r in rows if r.weight is not None]


def as_printed(x: float | None, nd: int = 2) -> int | float | None:
    """Evidence numbers as printed: 70.0 → 70, 9.8100001 → 9.81 (and so in the messages)."""
    if x is None:
        return None
    x = round(x, nd)
    return int(x) if x == int(x) else x


def full_marks(r) -> bool:
    return r.score is not None and r.weight is not None and abs(r.score - r.weight) <= SCORE_TOL


OP_PREFIX = re.compile(r"^\s*(≥|≤|>=|<=|＞|＜|>|<|不低于|不少于|不高于|不超过)")


def scale_mismatch(r) -> bool:
    a, b = r.target_value, r.actual_value
    if (r.unit or r.target_unit) != "%" or a is None or b is None:
        return False
    # 0 reads the same on both scales: "100 % → 0" is nothing delivered (C13), not a fraction
    return (0 < a <= 1 < b <= 100) or (0 < b <= 1 < a <= 100)



STANDARD_SHARES = (("产出指标", 50.0), ("效益指标", 30.0), ("满意度指标", 10.0))  # DOMAIN §2.2


def row_unit(r) -> str | None:
    return canonical_unit(r.unit or r.target_unit)


def effective_name(r) -> str | None:
    """The complete name: a name cut by its cell counts only when linking completed it (DOMAIN §5.8)."""
    if "name_truncated" in r.flags:
        return r.canonical if r.canonical and r.name and r.canonical.startswith(r.name[:4]) else None
    return r.name


def bare_name(name: str) -> str:
    """Name without whitespace, a trailing bracketed note (（万册）, （运行小时数/…）) or 指标."""
    t = strip_ws(nfkc(name))
    t = re.sub(r"[(（][^()（）]*[)）]$", "", t)
    return re.sub(r"指标$", "", t)


def row_level1(r) -> str | None:
    return r.level1 or LEVEL2_TO_LEVEL1.get(r.level2 or "")


def fixed_hierarchy(rows) -> bool:
    """Every labelled row sits in 产出/效益/满意度 (成本 as 一级 in newer templates): DOMAIN §1.9."""
    labelled = [row_level1(r) for r in rows if row_level1(r)]
    return bool(labelled) and len(labelled) >= len(rows) / 2 and \
        all(x in ("产出指标", "效益指标", "满意度指标", "成本指标") for x in labelled)


def short_title(title: str | None) -> str:
    """公开14-3表 from "2022年度项目支出绩效自评表 公开14-3表"; else the title itself."""
    if not title:
        return "—"
    m = re.search(r"(公开\s*[\d-]+\s*表|表\s*\d+)", title)
    return strip_ws(m.group(1)) if m else title


__all__ = ["SCORE_TOL", "NOT_DONE", "PROJECT_NOT_DONE", "GRADES", "VAGUE", "OP_PREFIX",
           "generic_keys", "scored", "as_printed", "full_marks", "scale_mismatch",
           "STANDARD_SHARES", "row_unit", "effective_name", "bare_name", "row_level1", "fixed_hierarchy", "short_title"]
