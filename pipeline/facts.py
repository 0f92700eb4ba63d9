"""What a document is about, one function each: the year it reports on, the department, the region.
Every rule and the corpus read them from DocumentResult.facts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from .model import DocumentFacts, Passage, Table
from .values import nfkc, strip_ws


def norm(text: str | None) -> str:
    return strip_ws(nfkc(text or ""))


def document_facts(source: str, tables: list[Table], passages: list[Passage]) -> DocumentFacts:
    running = [p.text for p in passages if p.table_index is None]
    return DocumentFacts(report_year([t.title for t in tables if t.title], running),
                         department(tables, running), region(source, tables, running))


_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT_WORDS = re.compile(r"决算|预算|自评|绩效|报告")


def report_year(titles: list[str], narrative: list[str]) -> int | None:
    """The year the document reports on: the most frequent year in table titles and in the first narrative
    lines that are titles (no sentence punctuation) naming a budget, outturn, evaluation or report (the
    latest on a tie)."""
    counts: Counter[int] = Counter()
    heads = [t for t in (norm(x) for x in narrative[:12]) if not re.search(r"[，。；,;]", t)]  # title lines, not sentences
    for t in [norm(x) for x in titles] + heads:
        if _REPORT_WORDS.search(t):
            counts.update(int(y) for y in _REPORT_YEAR.findall(t))
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, n in counts.items() if n == best)


_DEPARTMENT_FIELDS = ("主管部门", "部门名称", "预算部门名称", "预算单位", "实施单位")
_PARTY = re.compile(r"^(中国共产党|中共)")
_DEPARTMENT_IN_TITLE = re.compile(r"^(.{2,40}?)(?:(?:19|20)\d{2}\s*年度?)?(?:部门|单位)?(?:整体)?(?:预算|决算|绩效|支出)")
_ADMIN = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?(?:[\u4e00-\u9fff]{2,8}?(?:市|自治州|地区|盟))?"
                    r"(?:[\u4e00-\u9fff]{1,8}?(?:区|县|旗))?")


def department(tables: list[Table], running: list[str]) -> str | None:
    """The reporting department: the head field the tables print most often (主管部门 before 实施单位, which
    may be a sub-unit), else the name before the year in the document's title line."""
    for key in _DEPARTMENT_FIELDS:
        names = Counter(norm(t.meta.head[key]) for t in tables if norm(t.meta.head.get(key)))
        if names:
            return max(names.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    for line in running[:6]:
        t = norm(line)
        if len(t) > 60 or re.search(r"[，。；,;]", t):
            continue
        hit = _DEPARTMENT_IN_TITLE.match(re.sub(r"^(?:19|20)\d{2}\s*年度?", "", t))
        if hit and not re.fullmatch(r"[\d年度]+", hit.group(1)):
            return hit.group(1)
    return None


_LEADING = re.compile(r"^(?:\d+[_\-\s]+)?(?:(?:19|20)\d{2}\s*年度?)?")  # a file name's number, a title's year


def region(source: str, tables: list[Table], running: list[str]) -> str | None:
    """The administrative region the report belongs to (山西省, 济南市, 北京市东城区): the place names that
    open the department's name or the document's title, else the file name's."""
    dept = department(tables, running)
    for text in [dept or ""] + [t.title or "" for t in tables] + running[:3] + [PurePath(source).stem]:
        place = _ADMIN.match(_PARTY.sub("", _LEADING.sub("", norm(text)))).group(0)
        if place:
            return place
    return None
