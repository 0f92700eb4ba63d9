"""Map printed indicator names to canonical indicators, honestly.

Tiers, strongest first: exact → normalised (width, punctuation, enumerators, 率/数量 suffix variants)
→ prefix (a name cut short by a fixed-width cell) → fuzzy (rapidfuzz on jieba tokens). A name shared
by several candidates is resolved from its own document — full names printed in the narrative or in
other tables, the same target in another table, row order — and rows sharing one truncated name are
assigned jointly, one to one (scipy's linear_sum_assignment). What stays undecided is reported as
`ambiguous` with its candidates, never silently picked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from .catalog import Catalog, Entry, default_catalog, entry_id, normalise_name, variant_key
from .levels import LEVEL2_TO_LEVEL1
from .model import IndicatorRow

STATUSES = ("exact", "normalised", "prefix", "fuzzy", "ambiguous", "unmatched")
MIN_PREFIX = 4  # a truncated name must keep this many characters …
MIN_PREFIX_SHARE = 0.4  # … and this share of the full name
FUZZY_ACCEPT = 86  # rapidfuzz score (0–100) to accept a fuzzy match
FUZZY_MARGIN = 4  # … with this lead over the runner-up, else ambiguous
_PHRASE_END = re.compile(r"[、，,。；;：:（(\n\t）)“”\"]|等|及|以及|\s")
_MAX_EXTENSION = 24


@dataclass(frozen=True)
class Link:
    canonical: str | None
    canonical_id: str | None
    status: str
    score: float
    candidates: tuple[str, ...] = ()
    evidence: str = ""

    def apply(self, row: IndicatorRow) -> None:
        row.canonical = self.canonical
        row.canonical_id = self.canonical_id
        row.link_status = self.status
        row.link_score = round(self.score, 3)
        row.link_candidates = list(self.candidates) if self.status == "ambiguous" else None


UNMATCHED = Link(None, None, "unmatched", 0.0)


def _bucket(level2: str | None) -> str | None:
    """Coarse family used to block matches: 满意度 / 效益 / 产出, only in the fixed hierarchy."""
    return LEVEL2_TO_LEVEL1.get(level2 or "")


@lru_cache(maxsize=4096)
def _token_string(text: str) -> str:
    from .segment import tokens

    return " ".join(tokens(text))


class Linker:
    """Catalog lookups for one name (`link_name`) and for all rows of a document (`link_document`)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or default_catalog()
        self._names = sorted({n for e in self.catalog.entries for n in map(normalise_name, e.names()) if n})
        self._owner = {n: self.catalog.by_norm[n] for n in self._names}

    # ------------------------------------------------------------ one name, catalog only

    def link_name(self, name: str | None, level2: str | None = None) -> Link:
        if not name:
            return UNMATCHED
        norm = normalise_name(name)
        printed = re.sub(r"\s+", "", name)
        hits = [e for e in self.catalog.by_norm.get(norm, []) if printed in e.names()]
        if hits:
            return self._decide(hits, "exact", 1.0)
        if norm in self.catalog.by_norm:
            return self._decide(self.catalog.by_norm[norm], "normalised", 0.97)
        if variant_key(norm) in self.catalog.by_variant:
            return self._decide(self.catalog.by_variant[variant_key(norm)], "normalised", 0.93)
        longer = self._prefix_candidates(norm, self._names)
        if longer:
            entries = _unique(e for n in longer for e in self._owner[n])
            return self._decide(entries, "prefix", 0.6 + 0.3 * len(norm) / max(len(n) for n in longer))
        return self._fuzzy(norm, level2)

    def _decide(self, entries: list[Entry], status: str, score: float) -> Link:
        if len(entries) == 1:
            e = entries[0]
            return Link(e.name, e.id, status, score)
        return Link(None, None, "ambiguous", score / 2, tuple(sorted(e.name for e in entries))[:3])

    @staticmethod
    def _prefix_candidates(norm: str, names) -> list[str]:
        if len(norm) < MIN_PREFIX:
            return []
        return [n for n in names if len(n) > len(norm) and n.startswith(norm) and len(norm) / len(n) >= MIN_PREFIX_SHARE]

    def _fuzzy(self, norm: str, level2: str | None) -> Link:
        from rapidfuzz import fuzz, process

        if len(norm) < 3:
            return UNMATCHED
        found = process.extract(norm, self._names, scorer=fuzz.ratio, limit=8, score_cutoff=60)
        scored = []
        q_tokens = _token_string(norm)
        for cand, char_score, _ in found:
            # Length guard against the substring trap: "满意度" is contained in every satisfaction name.
            if min(len(norm), len(cand)) / max(len(norm), len(cand)) < 0.6:
                continue
            tok = fuzz.token_sort_ratio(q_tokens, _token_string(cand))
            score = 0.5 * char_score + 0.5 * tok
            entries = self._owner[cand]
            if level2 and any(_bucket(e.level2) and _bucket(e.level2) != _bucket(level2) for e in entries):
                score -= 15  # a 满意度 name is not a 质量 rate
            scored.append((score, cand))
        scored.sort(key=lambda x: (-x[0], x[1]))
        if not scored or scored[0][0] < FUZZY_ACCEPT:
            return UNMATCHED
        best, cand = scored[0]
        rivals = [c for s, c in scored[1:] if best - s < FUZZY_MARGIN and self._owner[c] != self._owner[cand]]
        if rivals:
            names = tuple(sorted({e.name for c in [cand, *rivals] for e in self._owner[c]}))[:3]
            return Link(None, None, "ambiguous", best / 200, names)
        return self._decide(self._owner[cand], "fuzzy", best / 100)

    # ------------------------------------------------------------ a whole document

    def link_document(self, rows: list[IndicatorRow], narrative: list[str]) -> list[Link]:
        """Links for every row, using the document itself to resolve truncated and shared names."""
        links = [self.link_name(r.name, r.level2) for r in rows]
        names = {normalise_name(r.name) for r in rows if r.name}
        phrases = _narrative_phrases(narrative)
        for i, r in enumerate(rows):
            if not r.name or links[i].status in ("exact", "normalised"):
                continue
            norm = normalise_name(r.name)
            local = self._local_candidates(norm, names, phrases)
            if local and links[i].status in ("unmatched", "fuzzy", "ambiguous", "prefix"):
                links[i] = Link(None, None, "ambiguous", 0.3, tuple(c for c, _ in local[:3]))
        self._assign_truncated(rows, links, names, phrases)
        return links

    def _local_candidates(self, norm: str, names: set[str], phrases: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """Longer names in the document (narrative first, in order; then other rows) that begin with `norm`."""
        if len(norm) < MIN_PREFIX:
            return []
        out: dict[str, int] = {}
        for text, pos in phrases:
            for m in re.finditer(re.escape(norm), text):
                ext = _PHRASE_END.split(text[m.end(): m.end() + _MAX_EXTENSION], maxsplit=1)[0]
                if ext:
                    out.setdefault(norm + ext, pos * 10_000 + m.start())
        for n in names:
            if len(n) > len(norm) and n.startswith(norm):
                out.setdefault(n, 10**9)
        for n in self._prefix_candidates(norm, self._names):
            out.setdefault(n, 2 * 10**9)
        full = [c for c in out if not any(o != c and o.startswith(c) for o in out)]  # drop cut-off phrases
        full = [c for c in full if len(norm) / len(c) >= MIN_PREFIX_SHARE]
        return sorted(((c, out[c]) for c in full), key=lambda x: (x[1], x[0]))

    def _assign_truncated(self, rows: list[IndicatorRow], links: list[Link], names: set[str],
                          phrases: list[tuple[str, int]]) -> None:
        """Rows of one table that share a truncated name take distinct full names, jointly."""
        from scipy.optimize import linear_sum_assignment

        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            if links[i].status == "ambiguous" and r.name:
                groups[(r.table_index, normalise_name(r.name))].append(i)
        for (_, norm), idx in sorted(groups.items()):
            cands = self._local_candidates(norm, names, phrases)
            if not cands:
                continue
            listed = _enumerated(cands)
            n, m = len(idx), len(cands)
            if n == 1 and m == 1:
                self._set_local(links, idx[0], cands[0][0], "prefix", 0.85, "only longer name in the document")
                continue
            if m < n or len(listed) < n:
                continue  # fewer candidates than rows, or no order to go by: stays ambiguous
            # Row order against the order of an enumeration in the text ("科目一…、科目二…、…").
            cost = [[abs(k - listed.index(c)) if c in listed else n + m for c, _ in cands] for k in range(n)]
            rr, cc = linear_sum_assignment(cost)
            if any(cost[a][b] for a, b in zip(rr, cc)):
                continue  # order does not line up: do not guess
            for a, b in zip(rr, cc):
                self._set_local(links, idx[a], cands[b][0], "prefix", 0.7, "row order matches an enumeration in the text")

    def _set_local(self, links: list[Link], i: int, full: str, status: str, score: float, why: str) -> None:
        hits = self.catalog.by_norm.get(full, [])
        cid = hits[0].id if len(hits) == 1 else entry_id(full)
        name = hits[0].name if len(hits) == 1 else full
        links[i] = Link(name, cid, status, score, (), why)


def _unique(entries) -> list[Entry]:
    out: list[Entry] = []
    for e in entries:
        if all(x.id != e.id for x in out):
            out.append(e)
    return out


def _narrative_phrases(narrative: list[str]) -> list[tuple[str, int]]:
    """Normalised narrative blocks with their reading-order position."""
    out = []
    for pos, text in enumerate(narrative):
        t = re.sub(r"[ \u3000]+", "", text or "")
        if len(t) >= 4:
            out.append((t, pos))
    return out


def _enumerated(cands: list[tuple[str, int]]) -> list[str]:
    """The longest run of candidates printed one after another in one block (an enumeration)."""
    runs: list[list[str]] = []
    last_block = None
    for c, pos in cands:
        block = pos // 10_000
        if runs and block == last_block and pos < 10**9:
            runs[-1].append(c)
        else:
            runs.append([c])
        last_block = block
    return max(runs, key=len) if runs else []


def link_rows(rows: list[IndicatorRow], narrative: list[str], linker: Linker | None = None) -> list[IndicatorRow]:
    """Fill the link fields of a document's rows in place and return them."""
    links = (linker or default_linker()).link_document(rows, narrative)
    for row, link in zip(rows, links):
        link.apply(row)
    return rows


@lru_cache(maxsize=1)
def default_linker() -> Linker:
    return Linker()


__all__ = ["Link", "Linker", "STATUSES", "link_rows", "default_linker", "replace"]
