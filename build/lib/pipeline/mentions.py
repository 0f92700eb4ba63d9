"""Indicator mentions in narrative text, found with spaCy on the project's one tokenizer.

A `PhraseMatcher` finds catalog and in-document indicator names; a `Matcher` finds figures (a number
with its unit, 万 allowed: "297561人次", "23.1万份"). A name and a figure in the same clause, next to
each other in either order ("完成297561人次汽车类驾驶证许可考试业务", "处理交通事故案件23000起"), make
a mention. Linking uses mentions as evidence, and the narrative-versus-table check compares them
with the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import normalise_name
from .values import UNITS, parse_value

_CLAUSE = re.compile(r"[。；;！？!?\n，,、]")
_MAX_GAP = 3  # tokens allowed between a name and its figure ("完成 了 …")
_MULTIPLIERS = ["万", "千", "亿"]


@dataclass(frozen=True)
class Mention:
    name: str  # the indicator name as matched
    value: float  # the figure, 万 applied
    unit: str | None
    text: str  # the figure as printed
    context: str  # the clause it sits in
    block: int  # index of the narrative block


def _matchers(names: tuple[str, ...]):
    from spacy.matcher import Matcher, PhraseMatcher

    from .segment import nlp

    pipe = nlp()
    phrases = PhraseMatcher(pipe.vocab)
    phrases.add("NAME", [pipe.make_doc(n) for n in names if n])
    figures = Matcher(pipe.vocab)
    units = sorted({u for u in UNITS if len(u) <= 3}, key=len, reverse=True)
    figures.add("FIGURE", [
        [{"LIKE_NUM": True}, {"TEXT": {"IN": units}}],
        [{"LIKE_NUM": True}, {"TEXT": {"IN": _MULTIPLIERS}}, {"TEXT": {"IN": units}, "OP": "?"}],
    ], greedy="LONGEST")
    return pipe, phrases, figures


def find_mentions(narrative: list[str], names: list[str]) -> list[Mention]:
    """Every (indicator name, figure) pair printed next to each other in one clause."""
    cleaned = sorted({normalise_name(n) for n in names if n and len(normalise_name(n)) >= 3})
    if not cleaned or not narrative:
        return []
    pipe, phrases, figures = _matchers(tuple(cleaned))
    out: list[Mention] = []
    for block, text in enumerate(narrative):
        for clause in _CLAUSE.split(text or ""):
            if len(clause) < 4 or not re.search(r"\d", clause):
                continue
            doc = pipe(clause)
            spans = sorted({(s, e) for _, s, e in phrases(doc)})
            found = [(s, e) for s, e in spans if not any((a, b) != (s, e) and a <= s and e <= b for a, b in spans)]
            figs = sorted((s, e) for _, s, e in figures(doc))
            for s, e in found:
                fig = _nearest(figs, s, e)
                if fig is None:
                    continue
                printed = doc[fig[0]:fig[1]].text
                v = parse_value(printed)
                if v.value is not None:
                    out.append(Mention(doc[s:e].text, v.value, v.unit, printed, clause, block))
    return out


def _nearest(figs: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    """The figure right after the name, else right before it, within a few tokens."""
    after = [f for f in figs if 0 <= f[0] - e <= _MAX_GAP]
    before = [f for f in figs if 0 <= s - f[1] <= _MAX_GAP]
    if after:
        return min(after)
    if before:
        return max(before)
    return None
