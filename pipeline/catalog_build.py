"""Building the catalog from a corpus (`perfaudit catalog build`): every indicator name that recurs
in MIN_DOCS documents or MIN_TABLES tables, near-duplicates clustered (rapidfuzz on normalised
names, then the same meaning shape), beside the framework indicators. Deterministic: the same rows
give the same catalog document.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from .catalog import SYLLABLES_PATH, entry_id, normalise_name, same_meaning_shape
from .families import family_of
from .levels import LEVEL1_NAMES, LEVEL2_TO_LEVEL1
from .segment import cut_mid_word

CATALOG_VERSION = "2.0.0"
MIN_DOCS = 2  # a corpus name becomes an entry when it recurs in this many documents …
MIN_TABLES = 2  # … or in this many tables
NEAR_DUPLICATE = 85  # rapidfuzz ratio for one indicator spelt two ways (行使/行驶, 交警/交通)

def _framework_entries(frameworks: dict) -> list[dict]:
    out = []
    for fw in frameworks["frameworks"]:
        for name in fw["names"]:
            out.append({"name": name, "aliases": list(fw.get("aliases", {}).get(name, [])), "level1": fw.get("level1"),
                        "level2": fw.get("level2"), "source": fw["source"], "documents": 0})
    return out


def is_prefix_of_other(norm: str, others: Iterable[str], min_len: int = 4) -> list[str]:
    """Longer names that start with `norm` (a printed name cut short by a fixed-width cell). A longer
    name that goes on after punctuation ("…停放，提高通行率") is another indicator, not a completion."""
    if len(norm) < min_len:
        return []
    return [o for o in others if len(o) > len(norm) and o.startswith(norm) and o[len(norm)] not in "，,、；;：:（("]


def cluster_names(stats: dict[str, dict]) -> list[list[str]]:
    """Near-duplicate names (same length ±1, ratio ≥ NEAR_DUPLICATE) in one cluster each."""
    from rapidfuzz import fuzz, process

    names = sorted(stats)
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    if names:
        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE)
        for i, a in enumerate(names):
            for j in range(i + 1, len(names)):
                b = names[j]
                if scores[i][j] and abs(len(a) - len(b)) <= 2 and len(a) >= 5 and same_meaning_shape(a, b):
                    parent[find(a)] = find(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[find(n)].append(n)
    return [sorted(g) for g in groups.values()]


def write_syllables(path: Path = SYLLABLES_PATH) -> None:
    """The syllable table from pypinyin (needed only to write it): every character pypinyin knows,
    under its first reading without tone; characters it reads as themselves are left out."""
    from pypinyin import lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    groups: dict[str, list[str]] = defaultdict(list)
    for code in sorted(pinyin_dict):
        char = chr(code)
        syllable = lazy_pinyin(char)[0]
        if syllable != char:
            groups[syllable].append(char)
    path.write_text("".join(f"{s}\t{''.join(cs)}\n" for s, cs in sorted(groups.items())), encoding="utf-8")


ENTRY_FIELDS = ("id", "name", "aliases", "family", "level1", "level2", "unit", "op", "source", "documents", "rows", "departments")


def _most_common(counters) -> str | None:
    """The value printed most often (ties: the smallest), unknown values aside."""
    total = sum(counters, Counter())
    total.pop(None, None)
    return min(total, key=lambda v: (-total[v], str(v))) if total else None


def build_catalog(rows: Iterable[dict], frameworks: dict, built_from: list[str]) -> dict:
    """Frameworks + recurring corpus names → the catalog document (deterministic)."""
    stats: dict[str, dict] = {}
    for r in rows:
        if r.get("table_kind") in (None, "other") or not r.get("name"):
            continue
        if "name_truncated" in (r.get("flags") or ()) and cut_mid_word(r["name"]):
            continue  # a name cut inside a word by its cell is not a canonical form
        norm = normalise_name(r["name"])
        if len(norm) < 2:
            continue
        s = stats.setdefault(norm, {"docs": set(), "tables": set(), "departments": set(), "level1": Counter(),
                                    "level2": Counter(), "unit": Counter(), "op": Counter(), "count": 0, "whole_docs": set(),
                                    "printed": Counter()})
        s["printed"][re.sub(r"\s+", "", r["name"])] += 1
        s["docs"].add(r["doc_sha256"])
        s["tables"].add((r["doc_sha256"], r["table_index"]))
        s["departments"].add(r.get("department") or r["doc_sha256"])  # a document whose department is unknown counts as one
        for key in ("level1", "level2", "unit", "op"):
            s[key][r.get(key)] += 1
        s["count"] += 1
        if "name_truncated" not in (r.get("flags") or ()):
            s["whole_docs"].add(r["doc_sha256"])
    # A name that is a strict prefix of other names is a truncation, not an indicator of its own,
    # unless MIN_DOCS documents print it in a cell that did not cut it (项目总成本 beside
    # 项目总成本控制率 is the cost cap of many departments).
    full = {n: s for n, s in stats.items() if not is_prefix_of_other(n, stats) or len(s["whole_docs"]) >= MIN_DOCS}
    entries = _framework_entries(frameworks)
    known = {normalise_name(n): e for e in entries for n in [e["name"], *e["aliases"]]}
    for group in cluster_names(full):
        docs = set().union(*(full[n]["docs"] for n in group))
        tables = set().union(*(full[n]["tables"] for n in group))
        hit = next((known[n] for n in group if n in known), None)
        if hit is not None:
            printed = set().union(*(full[n]["printed"] for n in group))
            hit["aliases"] = sorted((set(hit["aliases"]) | printed) - {hit["name"]})
            hit["documents"] = len(docs)
            continue
        if len(docs) < MIN_DOCS and len(tables) < MIN_TABLES:
            continue
        printed = sum((full[n]["printed"] for n in group), Counter())
        name = max(printed, key=lambda n: (printed[n], len(n), n))  # the form printed most often
        usual = {key: _most_common(full[n][key] for n in group) for key in ("level1", "level2", "unit", "op")}
        entries.append({"name": name, "aliases": sorted(set(printed) - {name}), **usual,
                        "source": f"corpus: {len(docs)} documents, {len(tables)} tables", "documents": len(docs),
                        "rows": sum(full[n]["count"] for n in group),
                        "departments": len(set().union(*(full[n]["departments"] for n in group)))})
    for e in entries:
        e["id"] = entry_id(e["name"])
        e["family"] = family_of(e["name"], e.get("level2"))
    entries.sort(key=lambda e: (e["source"].startswith("corpus"), e["source"], e["name"]))
    return {
        "version": CATALOG_VERSION,
        "built_from": built_from,
        "hierarchy": {
            "level1": list(LEVEL1_NAMES),
            "level2": [{"name": k, "level1": v} for k, v in LEVEL2_TO_LEVEL1.items()],
        },
        "terms": sorted(set(frameworks.get("terms", []))),
        "indicators": [{k: e.get(k) for k in ENTRY_FIELDS} for e in entries],
    }
