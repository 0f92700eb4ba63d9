"""Packed indicator cells: one cell that writes every indicator of a project as numbered running text.

    1.1－产出指标，11－数量指标，项目专职环保员数量；实施周期指标值：≦核定人数，年度指标值：≦核定人数；
    2、1－产出指标，12－质量指标，环境应急事件响应率；实施周期指标值：100%，年度指标值：100%;3、…

An item is `[number] code－一级, code－二级, name; 实施周期指标值: X, 年度指标值: Y`. What marks an item
is its coded 一级 label (a one-digit code and a name ending in 指标), not its number, which restarts
and is written `1、` or `1.`; the separators (`，` `,` `；` `;`), dashes (`－` `-`) and colons vary.
The cell's line breaks are where the printer wrapped it, so the text is read as one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .levels import canonical_level1, canonical_level2
from .values import nfkc

# a dash, or 一 for one: OCR reads a short dash between a code and its label as the character 一
_DASH = r"\s*[-－—–‐‑‒―─一]\s*"
_SEP = r"[，,；;、]"
_LEVEL1_LABEL = r"[\u4e00-\u9fff]{1,8}?指标"
# an item starts at its coded 一级 label, after an optional item number; OCR may lose the dash, and
# then the item number must be there (`2、1产出指标，`), or ordinary text (`3项考核指标，`) would start one
_NUMBER = r"(?<![\d.])\d{1,3}\s*[、.．]\s*"
ITEM_START = re.compile(rf"(?:(?:{_NUMBER})?(?<!\d)([1-9]){_DASH}|{_NUMBER}(?<!\d)([1-9])\s*)({_LEVEL1_LABEL})\s*{_SEP}\s*")
_LEVEL2 = re.compile(rf"(\d{{2}})(?:{_DASH}|\s*)([\u4e00-\u9fff]{{1,14}}?)\s*{_SEP}\s*")
# the colon after the label is sometimes mistyped or missing (实施周期指标值》90%): 指标值 alone marks it
_PERIOD = re.compile(r"实施周期(?:(?:指标值|目标值)\s*[:：]?|指标\s*[:：])\s*")
_YEAR = re.compile(r"年度(?:(?:指标值|目标值)\s*[:：]?|指标\s*[:：])\s*")
_END = re.compile(r"[\s，,；;。、:：]+$")  # a colon too: OCR reads the ； before 实施周期 as ：
# marks that a cell is packed: a coded 一级 label and a 年度指标值
PACKED_MARK = re.compile(rf"[1-9]{_DASH}{_LEVEL1_LABEL}.*?{_YEAR.pattern}", re.S)


@dataclass(frozen=True)
class PackedItem:
    start: int  # offset of the item in the joined text (to find the page it is printed on)
    level1: str
    level2: str | None
    name: str | None
    period_target: str | None
    target: str | None


def joined(text: str) -> str:
    """The cell as one line: its line breaks are the printer's wrapping, not separators."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def is_packed(text: str | None) -> bool:
    return bool(text) and PACKED_MARK.search(text) is not None


def _value(text: str) -> str | None:
    v = _END.sub("", text.strip())
    return v or None


def split_packed(text: str) -> tuple[list[PackedItem], str]:
    """The items of one packed cell (already joined), and the text no item explains (empty when the
    cell split cleanly)."""
    starts = list(ITEM_START.finditer(text))
    items: list[PackedItem] = []
    leftover = [text[: starts[0].start()]] if starts else [text]
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        body = text[m.end():end]
        level1 = canonical_level1(m.group(3)) or m.group(3)
        level2 = None
        l2 = _LEVEL2.match(body)
        if l2:
            level2 = canonical_level2(l2.group(2)) or l2.group(2)
            body = body[l2.end():]
        period = _PERIOD.search(body)
        year = _YEAR.search(body, period.end() if period else 0)
        if year is None:
            leftover.append(text[m.start():end])
            continue
        name_end = period.start() if period else year.start()
        name = _value(body[:name_end])
        period_target = _value(body[period.end():year.start()]) if period else None
        items.append(PackedItem(m.start(), level1, level2, name, period_target, _value(body[year.end():])))
    rest = "".join(leftover)
    return items, "" if not _END.sub("", nfkc(rest)).strip() else rest.strip()
