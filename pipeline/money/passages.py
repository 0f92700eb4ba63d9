"""The document's running text as passages, with the budget and 三公 sentences they print.
"""

from __future__ import annotations

import math
import re

from ..model import BudgetSentence, Passage, SangongSentence, Table
from ..values import nfkc, strip_ws
from .grids import parse_percent


_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SENTENCE = re.compile(r"[。；;！？!?\n]")
_BUDGET_FIG = re.compile(r"(全年预算|调整后预算|年初预算|预算)(?:支出)?(?:数|金额)?(?:为|是|[:：])?" + _NUM + r"万元")
_SPENT_FIG = re.compile(r"(?<!预算)(?:支出决算|决算支出|决算|实际支出|共支出|支出|执行数)(?:数|金额)?(?:为|是|[:：])?"
                        + _NUM + r"万元")
_RATE_FIG = re.compile(r"(?:执行率|完成(年初|全年)?预算的?)(?:为|是|达到?|[:：])?" + _NUM + r"%")


def budget_sentences(text: str) -> list[BudgetSentence]:
    """Sentences that print one budget, one amount spent and perhaps the rate between them ("全年预算数
    2,352.97 万元,共支出2,110.20万元,预算执行率为89.68%"; "年初预算为336万元，支出决算为331万元，完成年初
    预算的98.51%"). The rate's own words pick the budget; text after 其中 is about parts. Anything
    ambiguous is left out."""
    out = []
    for sent in _SENTENCE.split(nfkc(text or "")):
        s = strip_ws(sent).split("其中")[0]
        budgets = {(k[:2], _f(v)) for k, v in _BUDGET_FIG.findall(s)}
        spent = {_f(v) for v in _SPENT_FIG.findall(s)}
        rates = _RATE_FIG.findall(s)
        if len(spent) != 1 or len(rates) > 1 or not budgets:
            continue
        wanted = rates[0][0][:2] if rates and rates[0][0] else None
        pick = [b for b in budgets if b[0] == wanted] if wanted else \
            ([b for b in budgets if b[0] in ("全年", "调整")] or list(budgets))
        if len(pick) != 1:
            continue
        kind = {"调整": "全年", "预算": "预算"}.get(pick[0][0], pick[0][0])
        rate = parse_percent(rates[0][1] + "%") if rates else None
        out.append(BudgetSentence(pick[0][1], kind, next(iter(spent)), rate, s))
    return out


def _f(text: str) -> float:
    num = float(text.replace(",", ""))
    if not math.isfinite(num):
        raise ValueError(f"number of {len(text)} characters is too long to be an amount")
    return num


_SG_BUDGET = re.compile(r"(?<!较)(?<!比)预算(?:支出)?(?:数|额)?(?:为|是|[:：])?" + _NUM + r"万元")
_SG_FINAL = re.compile(r"(?<!较)(?<!比)决算(?:支出)?(?:数|额)?(?:为|是|[:：])?" + _NUM + r"万元")
_YEARS = re.compile(r"((?:19|20)\d{2})年")


def sangong_sentences(text: str) -> list[SangongSentence]:
    """(预算, 决算, sentence) for sentences that print the 三公 total's budget and outturn together
    ("“三公”经费支出预算为231.95万元，支出决算为294.6万元"). Sub-items after 其中 are left out, and a
    sentence naming two years, or 上年, is not read."""
    out = []
    for sent in _SENTENCE.split(nfkc(text or "")):
        s = strip_ws(sent)
        at = s.find("三公")
        if at < 0:
            continue
        head = s[at:].split("其中")[0]
        budgets, finals = _SG_BUDGET.findall(head), _SG_FINAL.findall(head)
        if len(set(budgets)) == 1 and len(set(finals)) == 1 and len(set(_YEARS.findall(s))) <= 1 \
                and not re.search(r"上年|上一年|去年", head):
            out.append(SangongSentence(_f(budgets[0]), _f(finals[0]), s))
    return out


def paragraphs(blocks: list[str]) -> list[str]:
    """Running text with a PDF's wrapped lines joined back into sentences: a line that does not end a
    sentence continues on the next one (a short line is a heading)."""
    out: list[str] = []
    for b in blocks:
        t = (b or "").strip()
        if not t:
            continue
        if out and len(out[-1]) >= 20 and not re.search(r"[。；;！？!?：:]$", out[-1]):
            out[-1] += t
        else:
            out.append(t)
    return out





def read_passages(tables: list[Table], narrative: list[str]) -> list[Passage]:
    """The document's running text as paragraphs, then the long cells of its tables (reports laid out as
    tables), each with the table that printed it and the budget and 三公 sentences it holds."""
    cells: dict[str, int] = {}
    for t in tables:
        for text in t.meta.long_cells:
            cells.setdefault(text, t.provenance.table_index)
    running = [(p, None) for p in paragraphs([b for b in narrative if b not in cells])]
    return [Passage(text, table, tuple(budget_sentences(text)), tuple(sangong_sentences(text)))
            for text, table in running + list(cells.items())]
