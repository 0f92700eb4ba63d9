"""A registry of small, documented rules, each registered under a stable id (DOMAIN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..model import SEVERITIES

REGION = "_region"  # an evidence key a rule may set: the page region of the cells it read (not part of the evidence)


@dataclass(frozen=True)
class Rule:
    id: str  # stable id: C02
    slug: str  # total_mismatch
    title: str
    severity: str
    rationale: str  # why, with the DOMAIN.md section it rests on
    message: str  # Chinese template, str.format(**evidence)
    message_en: str
    scope: str  # "table": fn(table, rows) ; "document": fn(tables, rows) ; "result": fn(DocumentResult)
    fn: Callable[..., Iterable[tuple[object, dict]]]  # yields (row or None, evidence)
    cells: tuple[str, ...] = ()  # the row fields the finding points at (highlighted in reports)


RULES: dict[str, Rule] = {}


def rule(id: str, slug: str, *, title: str, severity: str, rationale: str, message: str, message_en: str,
         scope: str = "table", cells: tuple[str, ...] = ()):
    """Register a rule function that yields (row or None, evidence) for each finding."""
    if severity not in SEVERITIES:
        raise ValueError(f"rule {id}: severity must be one of {SEVERITIES}")

    def deco(fn):
        if id in RULES:
            raise ValueError(f"rule id {id!r} is already registered ({RULES[id].slug})")
        RULES[id] = Rule(id, slug, title, severity, rationale, message, message_en, scope, fn, tuple(cells))
        return fn

    return deco


def get_rule(id: str) -> Rule:
    try:
        return RULES[id]
    except KeyError:
        raise KeyError(f"unknown rule {id!r}; known: {', '.join(sorted(RULES))}") from None
