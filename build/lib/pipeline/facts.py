"""What a document is about, one function each: the year it reports on, the department, the region.
Every rule and the corpus read them from DocumentResult.facts."""

from __future__ import annotations

import re
from collections import Counter

from .model import DocumentFacts, Passage, Table
from .values import squeezed as norm


def document_facts(tables: list[Table], passages: list[Passage]) -> DocumentFacts:
    running = [p.text for p in passages if p.table_index is None]
    titles = title_lines(tables, running)
    dept = department(tables, titles)
    return DocumentFacts(report_year([t.title for t in tables if t.title], running), dept, region(dept, titles))


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
# an organisation's name ends with what it is (…局, …委员会, …支队)
_ORGANISATION = re.compile(r"^[\u4e00-\u9fff（）()]{3,40}?(局|委员会|委|厅|办公室|办|院|中心|部|政府|支队|大队|队|站|所|馆|会|处|社|"
                           r"学校|学院|大学|医院|园|团|室|署|司|总站|研究所)$")
_TITLE_NAME = re.compile(r"^(.{3,40}?)(?:(?:19|20)\d{2}\s*年度?)?(?:部门|单位)?(?:整体)?"
                         r"(?:预算|决算|绩效|支出|收支|收入|财政拨款|一般公共|政府性基金|三公|项目)")
_LEADING = re.compile(r"^(?:\d+[_\-\s]+)?(?:(?:19|20)\d{2}\s*年度?)?")  # a file name's number, a title's year
_ADMIN = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?(?:[\u4e00-\u9fff]{2,8}?(?:市|自治州|地区|盟))?"
                    r"(?:[\u4e00-\u9fff]{1,8}?(?:区|县|旗))?")


def title_lines(tables: list[Table], running: list[str]) -> list[str]:
    """Table titles and the first lines of running text, each up to its first punctuation, that name a
    budget, outturn or evaluation (a cover's title may run on into its table of contents)."""
    lines = [norm(t.title) for t in tables if t.title] + [norm(x) for x in running[:12]]
    heads = [re.split(r"[，。；,;：:]", t)[0][:80] for t in lines]
    return [t for t in heads if _REPORT_WORDS.search(t)]


def department(tables: list[Table], titles: list[str]) -> str | None:
    """The reporting department: the organisation name a head field prints most often (主管部门 before
    实施单位, which may be a sub-unit), else the organisation named before the year on a title line
    (`titles`: title_lines)."""
    for key in _DEPARTMENT_FIELDS:
        names = Counter(n for t in tables if _ORGANISATION.match(n := norm(t.meta.head.get(key))))
        if names:
            return max(names.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
    for line in titles:
        hit = _TITLE_NAME.match(_LEADING.sub("", re.sub(r"^表\s*\d+[-—]?\d*", "", line)))
        if hit and _ORGANISATION.match(hit.group(1)):
            return hit.group(1)
    return None


def region(dept: str | None, titles: list[str]) -> str | None:
    """The administrative region the report belongs to (山西省, 济南市, 北京市东城区): the place names that
    open the department's name or a title line of the document."""
    for text in [dept or ""] + titles:
        place = _ADMIN.match(_PARTY.sub("", _LEADING.sub("", text))).group(0)
        if place:
            return place
    return None
