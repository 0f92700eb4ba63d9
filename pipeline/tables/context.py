"""What surrounds a table's body: the level labels carried down merged cells (LevelState), the title,
project and head fields printed above the header, and the table kind they decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..levels import canonical_level1, canonical_level2, is_cut_tail, level1_of, split_weight
from ..model import RawTable
from ..values import clean_text, strip_ws
from .columns import IGNORED_LABELS, TITLE_LINE, header_role


@dataclass
class LevelState:
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None
    fixed: bool = True  # the fixed 产出/效益/满意度 hierarchy; False for 53号 or 广东 sheets
    project: str | None = None  # row-level 项目名称 column (several projects in one table)
    project_pending: list = field(default_factory=list)  # rows whose merged 项目名称 text is printed further down
    project_cell: object = None  # the cell that gave the last row its project

    def take(self, label: str, hint: str | None) -> None:
        """One printed label. The fixed hierarchy is read by vocabulary (一级 derived from 二级); the
        column (`hint`: level1 | level2 | None) decides for other hierarchies and for 成本指标, which
        is a 二级 under 产出 in older templates and a 一级 in newer ones."""
        name, weight = split_weight(label)
        l1, l2 = canonical_level1(label), canonical_level2(label)
        if l1 and l2:
            l1, l2 = (l1, None) if hint == "level1" else (None, l2)
        if self.fixed and l2:
            self.level2, self.level2_weight = l2, weight
            if level1_of(l2) != self.level1:
                self.level1, self.level1_weight = level1_of(l2), None
        elif self.fixed and l1:
            if l1 != self.level1:
                self.level2 = self.level2_weight = None
                self.level1_weight = None
            self.level1 = l1
            self.level1_weight = weight if weight is not None else self.level1_weight
        elif hint == "level1":
            self.level1, self.level1_weight = name, weight
            self.level2 = self.level2_weight = None
        else:
            self.level2, self.level2_weight = name, weight

    def take_labels(self, labels: list[tuple[str | None, str]]) -> None:
        """Labels left of the name, outermost first, each with the header column it sits in."""
        labels = [(h, t) for h, t in labels if not IGNORED_LABELS.match(strip_ws(t)) and not is_cut_tail(t)]
        if any(not (canonical_level1(t) or canonical_level2(t)) for _, t in labels):
            self.fixed = False  # 53号 投入/过程/产出/效果, 广东 履职效能/管理效率 …
        for hint, t in labels:
            self.take(t, hint)


# Labels of a table's head block; 专项（项目）名称 and its variants name the project like 项目名称.
_PROJECT_LABELS = r"项目名称|专项[（(]项目[）)]名称|项目[（(]专项[）)]名称|专项名称"
_HEAD_LABEL = re.compile(rf"^({_PROJECT_LABELS}|主管部门|实施单位|部门名称|预算部门名称|预算单位)[:：]?(.*)$")
_HEAD_LINE_FIELD = re.compile(rf"^\s*({_PROJECT_LABELS}|主管部门|实施单位)\s*[:：]\s*(\S.*)$")


def _head_label(label: str) -> str:
    return "项目名称" if "名称" in label and ("项目" in label or "专项" in label) else label


def title_and_context(raw: RawTable, grid: list[list[str]], header_start: int) -> tuple[str | None, str | None, dict]:
    """(title, 项目名称, the head fields printed above the header)."""
    fields = [f for t in raw.context for f in re.split(r"\s{2,}|\u3000{2,}|\t", t)]
    lines = [strip_ws(t) for t in raw.context if strip_ws(t)]
    head: dict[str, str] = {}
    project = None
    for r in range(header_start):
        cells = [clean_text(c) for c in grid[r]]
        cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
        if not cells:
            continue
        if len(cells) == 1:
            lines.append(strip_ws(cells[0]))
        for i, c in enumerate(cells):
            key = strip_ws(c)
            m = _HEAD_LABEL.match(key)
            if m:
                label = _head_label(m.group(1))
                value = m.group(2) or (cells[i + 1] if i + 1 < len(cells) else "")
                value = strip_ws(value) or None
                if value and header_role(value) is None:
                    head[label] = value
                    if label == "项目名称":
                        project = project or value
    for f in fields:
        m = _HEAD_LINE_FIELD.match(f)
        if m:
            head.setdefault(_head_label(m.group(1)), strip_ws(m.group(2)))
            if _head_label(m.group(1)) == "项目名称" and project is None:
                project = strip_ws(m.group(2))
    lines = _join_wrapped(lines)
    titles = [t for t in lines if TITLE_LINE.search(t) and len(t) <= 80]
    # A caption naming a table (表3 …, …绩效自评表, 公开13表) beats a section heading (一、…完成情况).
    named = [t for t in titles if re.search(r"表\s*\d|表$|公开\d", t)]
    title = " ".join(dict.fromkeys(named or titles[-1:])) or None
    return title, project, head


def _join_wrapped(lines: list[str]) -> list[str]:
    """A caption wrapped over two lines ("…科技兴警绩效" / "目标表") is one caption."""
    out: list[str] = []
    for t in lines:
        if out and len(t) <= 12 and re.search(r"表$", t) and not TITLE_LINE.search(out[-1]) and not re.search(r"[。；;:：]$", out[-1]):
            out[-1] += t
        else:
            out.append(t)
    return out


def detect_kind(roles: set[str], title: str | None, project: str | None) -> tuple[str, str | None]:
    """(table_kind, family) from the header's roles and the caption."""
    t = title or ""
    # Department tables say so (部门整体支出…); a caption naming anything else is a project's.
    projectish = project is not None or (bool(t) and not re.search(r"部门整体|整体支出|单位整体|部门绩效|部门(年度)?(预算)?绩效目标", t))
    if "name" not in roles and not {"level1", "level2", "weight"} <= roles:
        return "other", None
    if "level1" in roles or "level2" in roles:
        if "actual" in roles:
            return ("project_self_eval" if projectish else "dept_self_eval"), "indicator"
        if "target" in roles:
            return ("project_target" if projectish else "dept_target"), "indicator"
        if "weight" in roles and "score" in roles:
            if "自评表" in t and "得分情况" not in t and "汇总" not in t:
                return "dept_self_eval", "scoring_sheet"
            return "score_summary", "scoring_sheet"
        return "other", None
    if "actual" in roles and "target" in roles:
        return "key_indicators", "key_indicators"
    if "target" in roles:
        return ("project_target" if projectish else "dept_target"), "flat"
    if "weight" in roles and "score" in roles:
        return "score_summary", "flat"
    return "other", None
