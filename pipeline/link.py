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
from dataclasses import dataclass
from functools import lru_cache

from .catalog import Catalog, Entry, default_catalog, entry_id, normalise_name, same_meaning_shape, variant_key
from .segment import cut_mid_word
from .values import nfkc
from .levels import LEVEL2_TO_LEVEL1
from .model import IndicatorRow

STATUSES = ("exact", "normalised", "prefix", "fuzzy", "ambiguous", "unmatched")
MIN_PREFIX = 5  # a cut-off name must keep this many characters …
MIN_PREFIX_SHARE = 0.4  # … and this share of the complete name found in its own document
CATALOG_PREFIX_SHARE = 0.5  # … or of a catalog name (DOMAIN §6.8's length guard)
FUZZY_ACCEPT = 86  # rapidfuzz score (0–100) to accept a fuzzy match
FUZZY_MARGIN = 4  # … with this lead over the runner-up, else ambiguous
_PHRASE_END = re.compile(r"[、，,。；;：:（(\n\t）)“”\"《》〈〉]|等|以及|\s")
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
        longer = [n for n in self._prefix_candidates(norm, self._names) if len(norm) / len(n) >= CATALOG_PREFIX_SHARE]
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
        # Characters first (cheap); words only for names close enough to matter.
        found = process.extract(norm, self._names, scorer=fuzz.ratio, limit=8, score_cutoff=2 * FUZZY_ACCEPT - 100)
        scored = []
        q_tokens = _token_string(norm) if found else ""
        for cand, char_score, _ in found:
            # Length guard against the substring trap: "满意度" is contained in every satisfaction name.
            if min(len(norm), len(cand)) / max(len(norm), len(cand)) < 0.6:
                continue
            if not same_meaning_shape(norm, cand):
                continue  # a swapped content character names another indicator (开工率/完工率)
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
        links = [_uncut_stays_whole(r, self.link_name(r.name, r.level2)) for r in rows]
        doc = _DocNames(rows, narrative)
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            # Only names cut by their cell are completed from the text: a complete name followed by
            # more words in a sentence ("业务数据量2.69G") is not a longer indicator.
            if r.name and "name_truncated" in r.flags and (links[i].status not in ("exact", "normalised")
                                                           or normalise_name(links[i].canonical) == normalise_name(r.name)):
                # a cut name is completed even when the catalog holds the same cut form
                groups[(r.table_index, normalise_name(r.name))].append(i)
        pending = [(idx, [c for c in self._complete_forms(norm, doc) if c.row is None or c.name != norm])
                   for (_, norm), idx in sorted(groups.items())]
        pending = [(idx, cands) for idx, cands in pending if cands]
        if pending:
            from .mentions import find_mentions

            names = sorted({c.name for _, cands in pending for c in cands})
            for m in find_mentions(narrative, names):
                doc.figures.setdefault(normalise_name(m.name), set()).add(m.value)
        catalog_links = list(links)
        for idx, cands in pending:
            self._resolve(rows, links, idx, cands, doc)
        for i, before in enumerate(catalog_links):
            if links[i].status == "ambiguous" and before.status in ("exact", "normalised"):
                links[i] = before  # no decisive completion: the catalog's own cut form stands
        return links

    def _complete_forms(self, norm: str, doc: "_DocNames") -> list["_Candidate"]:
        """Complete names in the document (narrative first, in reading order; then untruncated rows)
        and in the catalog that begin with the printed, cut-off `norm`."""
        if len(norm) < MIN_PREFIX:
            return []
        out: dict[str, _Candidate] = {}
        for pos, start in doc.find(norm):
            text = doc.phrases[pos][0]
            if start and text[start - 1] in "《〈":
                continue  # inside a cited title: 《机动车驾驶证业务工作规范》 is no indicator
            ext = _extension(text[start + len(norm): start + len(norm) + _MAX_EXTENSION])
            if ext:
                out.setdefault(norm + ext, _Candidate(norm + ext, doc.phrases[pos][1] * 10_000 + start, None))
        for n, row in doc.complete_rows.items():
            if len(n) > len(norm) and n.startswith(norm) and not _PUNCT_START.match(n[len(norm):]):
                out.setdefault(n, _Candidate(n, 10**9, row))
        for n in self._prefix_candidates(norm, self._names):
            out.setdefault(n, _Candidate(n, 2 * 10**9, None))
        # A phrase that is itself the start of another candidate was cut off in the text too.
        full = [c for c in out.values() if not any(o != c.name and o.startswith(c.name) for o in out)]
        full = [c for c in full if len(norm) / len(c.name) >= MIN_PREFIX_SHARE and c.name not in doc.truncated]
        return sorted(full, key=lambda c: (c.order, c.name))

    def _resolve(self, rows, links, idx: list[int], cands: list["_Candidate"], doc: "_DocNames") -> None:
        """Rows of one table sharing a cut-off name get distinct complete names, jointly: the same
        target in another table, then row order against a list printed in the text."""
        listed = _enumerated(cands) if len(idx) >= 2 else []  # order means something for several rows only
        n, m = len(idx), len(cands)
        if n > m:  # more rows than complete names: no one-to-one reading exists
            for i in idx:
                links[i] = Link(None, None, "ambiguous", 0.3, tuple(c.name for c in cands[:3]), "more rows than complete names")
            return
        evidence = [[_evidence(rows[i], k, c, listed, doc) for c in cands] for k, i in enumerate(idx)]
        if n == 1 and m == 1:
            why = evidence[0][0][1] or "only complete form in the document"
            self._set_local(links, idx[0], cands[0].name, 0.85 if evidence[0][0][0] else 0.8, why)
            return
        from scipy.optimize import linear_sum_assignment  # heavy import: only when rows compete

        cost = [[-e[0] for e in row] for row in evidence]
        rr, cc = linear_sum_assignment(cost)
        for a, b in zip(rr, cc):
            score, why = evidence[a][b]
            others = [evidence[a][j][0] for j in range(m) if j != b]
            if score <= 0 or (others and max(others) >= score):
                names = tuple(c.name for c in cands[:3])
                links[idx[a]] = Link(None, None, "ambiguous", 0.3, names, "several complete forms fit")
            else:
                self._set_local(links, idx[a], cands[b].name, min(0.95, 0.6 + 0.1 * score), why)

    def _set_local(self, links: list[Link], i: int, full: str, score: float, why: str) -> None:
        hits = self.catalog.by_norm.get(normalise_name(full), [])
        cid = hits[0].id if len(hits) == 1 else entry_id(full)
        name = hits[0].name if len(hits) == 1 else full
        links[i] = Link(name, cid, "prefix", score, (), why)


def _uncut_stays_whole(row: IndicatorRow, link: Link) -> Link:
    """A name its cell printed whole is complete: a catalog name that goes on for more than a measure
    character (社会福利资金 → 社会福利资金及时足额下达) is another indicator, as in the text (see
    link_document); 受助人员满意 → 受助人员满意度 still links."""
    if link.status != "prefix" or "name_truncated" in row.flags:
        return link
    if len(normalise_name(link.canonical)) - len(normalise_name(row.name)) <= 1:
        return link
    return UNMATCHED


_PUNCT_START = re.compile(r"[，,、；;：:（(]")  # "…停放，提高通行率" is a longer indicator, not a completion


@dataclass(frozen=True)
class _Candidate:
    name: str
    order: int  # reading order: narrative blocks first, then other rows, then the catalog
    row: IndicatorRow | None  # the row that prints it in full, when it comes from a table


class _DocNames:
    """What a document knows about its names: untruncated row names, cut-off names, narrative."""

    def __init__(self, rows: list[IndicatorRow], narrative: list[str]) -> None:
        # Cut forms that cannot stand for an indicator: a fixed-width column, stopping inside a word.
        self.truncated = {normalise_name(r.name) for r in rows
                          if r.name and "name_truncated" in r.flags and cut_mid_word(normalise_name(r.name))}
        self.complete_rows: dict[str, IndicatorRow] = {}
        for r in rows:
            n = normalise_name(r.name)
            if n and "name_truncated" not in r.flags:  # a longer form that is cut too completes nothing
                self.complete_rows.setdefault(n, r)
        self.phrases = _narrative_phrases(narrative)
        self.figures: dict[str, set[float]] = {}  # name -> figures printed next to it in the text
        self._joined = "\x00".join(t for t, _ in self.phrases)  # one string: one search per name
        self._starts = []
        offset = 0
        for t, _ in self.phrases:
            self._starts.append(offset)
            offset += len(t) + 1

    def find(self, needle: str) -> list[tuple[int, int]]:
        """(phrase index, offset in it) of every occurrence of `needle` in the narrative."""
        import bisect

        out = []
        i = self._joined.find(needle)
        while i >= 0:
            block = bisect.bisect_right(self._starts, i) - 1
            out.append((block, i - self._starts[block]))
            i = self._joined.find(needle, i + 1)
        return out


_FIGURE = re.compile(r"\d[\d.,]*\s*[万千亿余多]{0,2}\s*(人次|个|次|起|件|份|篇|期|本|册|台|套|辆|户|项|家|天|小时|元|万元|%|名|支|条|部|场|人|座|所|处|G|M|T|GB|TB|m|km)")


_VERBS_BEFORE_FIGURE = {"办理", "完成", "开展", "达到", "共计", "共", "合计", "累计", "实现", "约", "为", "达", "是", "有"}
_RATE_REACHES = re.compile(r"(?<=[率量数度])(达到|达)$")


def _extension(text: str) -> str:
    """How a name continues in running text: up to punctuation or a figure ("…覆盖率达60%" ends at
    覆盖率). When a verb stands between the words and the figure ("…案件办理2331起") it is unclear
    where the name ends: no completion."""
    ext = _PHRASE_END.split(text, maxsplit=1)[0]
    m = _FIGURE.search(ext)
    if not m:
        return ext
    ext = ext[: m.start()]
    if _RATE_REACHES.search(ext):
        return _RATE_REACHES.sub("", ext)
    from .segment import tokens

    words = tokens(ext)
    return "" if words and words[-1] in _VERBS_BEFORE_FIGURE else ext  # "…行为" is a word, "…人数为" is not


def _evidence(row: IndicatorRow, rank: int, cand: _Candidate, listed: list[str], doc: _DocNames) -> tuple[float, str]:
    """How strongly the document ties this row to this complete name, and why."""
    score, why = 0.0, []
    if cand.row is not None and row.target_value is not None and cand.row.target_value == row.target_value \
            and (cand.row.op or "") == (row.op or ""):
        score += 3
        why.append("same target in another table")
    if len(listed) >= 2 and cand.name in listed and listed.index(cand.name) == rank:
        score += 2
        why.append("row order matches a list in the text")
    values = {v for v in (row.actual_value, row.target_value) if v is not None}
    if values & doc.figures.get(normalise_name(cand.name), set()):
        score += 3
        why.append("its figure is printed with this name in the text")
    if cand.row is not None and cand.row.level2 and cand.row.level2 == row.level2:
        score += 0.5
    return score, "; ".join(why)


def _unique(entries) -> list[Entry]:
    out: list[Entry] = []
    for e in entries:
        if all(x.id != e.id for x in out):
            out.append(e)
    return out


def _narrative_phrases(narrative: list[str]) -> list[tuple[str, int]]:
    """Normalised narrative blocks (NFKC, no spaces) with their reading-order position."""
    out = []
    for pos, text in enumerate(narrative):
        t = re.sub(r"[ \u3000]+", "", nfkc(text or ""))
        if len(t) >= 4:
            out.append((t, pos))
    return out


def _enumerated(cands: list[_Candidate]) -> list[str]:
    """The longest run of candidates printed one after another in one text block (a list)."""
    runs: list[list[str]] = []
    last_block = None
    for c in cands:
        block = c.order // 10_000
        if runs and block == last_block and c.order < 10**9:
            runs[-1].append(c.name)
        else:
            runs.append([c.name])
        last_block = block
    return max(runs, key=len) if runs else []


def link_rows(rows: list[IndicatorRow], narrative: list[str], linker: Linker | None = None) -> list[IndicatorRow]:
    """Fill the link fields of a document's rows in place and return them."""
    links = (linker or default_linker()).link_document(rows, narrative)
    for row, link, key in zip(rows, links, link_keys(rows, links)):
        link.apply(row)
        row.link_key = key
    return rows


def link_keys(rows: list[IndicatorRow], links: list[Link]) -> list[str | None]:
    """Cross-table keys: the canonical id when known; otherwise the name, where a cut-off name with
    exactly one longer form in the document shares that form's key."""
    norms = [normalise_name(r.name) for r in rows]
    key_of: dict[str, str] = {}
    for n, link in zip(norms, links):
        if n and link.canonical_id:
            key_of.setdefault(n, link.canonical_id)
    out = []
    for n, link in zip(norms, links):
        if not n:
            out.append(None)
        elif link.canonical_id:
            out.append(link.canonical_id)
        else:
            longer = sorted({m for m in norms if m and len(m) > len(n) and m.startswith(n)}) if len(n) >= MIN_PREFIX else []
            base = longer[0] if len(longer) == 1 else n
            out.append(key_of.get(base, "doc:" + base))
    return out


@lru_cache(maxsize=1)
def default_linker() -> Linker:
    return Linker()


__all__ = ["Link", "Linker", "STATUSES", "link_rows", "link_keys", "default_linker"]
