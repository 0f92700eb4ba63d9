"""The canonical indicator catalog: the fixed hierarchy, the framework indicators, and the 三级 names
that recur across a corpus, clustered from extracted rows (`perfaudit catalog build`).

The catalog is a versioned JSON file in models/catalog/; every entry names its source. Entry ids are
derived from the canonical name, so they stay stable when the catalog is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .families import family_of
from .levels import LEVEL1_NAMES, LEVEL2_TO_LEVEL1
from .resources import models_dir
from .values import TRAILING_OP, nfkc, strip_ws

MODELS = models_dir() / "catalog"
CATALOG_PATH = MODELS / "catalog.json"
FRAMEWORKS_PATH = MODELS / "frameworks.json"
# Each character's reading without tone (pypinyin's first reading), grouped by syllable: "zhong\t中钟…".
# Shipped as data because pypinyin's own character table costs 55 MiB in every worker.
SYLLABLES_PATH = MODELS / "syllables.txt"
CATALOG_VERSION = "2.0.0"

MIN_DOCS = 2  # a corpus name becomes an entry when it recurs in this many documents …
MIN_TABLES = 2  # … or in this many tables
NEAR_DUPLICATE = 85  # rapidfuzz ratio for one indicator spelt two ways (行使/行驶, 交警/交通)

_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
_ENUM = re.compile(r"^(指标\s*\d+\s*[:：.、]|\d+\s*[.、)）]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、)")
_UNIT_SUFFIX = re.compile(r"[(（](万|千|百)?(人次|个|次|人|件|份|篇|期|本|册|台|套|辆|户|项|家|天|小时|分钟|元|万元|%|％|平方米|㎡|m2|km|公里|吨|亩)[)）]$")
_SUFFIX_CLASSES = (("次数", "N"), ("个数", "N"), ("数量", "N"), ("数", "N"), ("量", "N"), ("比率", "R"), ("比例", "R"), ("率", "R"), ("情况", ""))


def normalise_name(name: str | None) -> str:
    """Matching form of a printed name: NFKC, no whitespace, quotes, enumerators, trailing operator
    or trailing unit in brackets ("发行量（万册）" → "发行量")."""
    t = strip_ws(nfkc(name or ""))
    t = _QUOTES.sub("", t)
    t = _ENUM.sub("", t)
    m = TRAILING_OP.search(t)
    if m and m.start() > 0:
        t = t[: m.start()]
    t = _UNIT_SUFFIX.sub("", t)
    t = t.rstrip("，,。;；:：")
    return t[:-2] if t.endswith("指标") and len(t) > 5 else t


def variant_key(norm: str) -> str:
    """Suffix variants meet on one key: 检查数量 / 检查数 / 检查量, 合格率 / 合格比率, 完成情况 / 完成."""
    for suffix, cls in _SUFFIX_CLASSES:
        if norm.endswith(suffix) and len(norm) > len(suffix) + 1:
            return norm[: -len(suffix)] + "#" + cls
    return norm


_WORD_ENDINGS = set("率度数量性")


def cut_mid_word(name: str) -> bool:
    """A name that stops inside a word ("提高民警和辅警的执", "保持网络畅通，为交"): its last jieba
    word is a lone character that does not end indicator names."""
    from .segment import tokens

    words = tokens(name)
    return bool(words) and len(words[-1]) == 1 and words[-1] not in _WORD_ENDINGS and len(words) > 1


def entry_id(name: str) -> str:
    return "PA-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8].upper()


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    aliases: tuple[str, ...]
    level1: str | None
    level2: str | None
    source: str
    documents: int = 0

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Catalog:
    version: str
    entries: list[Entry]
    terms: list[str]
    by_norm: dict[str, list[Entry]] = field(default_factory=dict)
    by_variant: dict[str, list[Entry]] = field(default_factory=dict)
    by_id: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.entries:
            self.by_id[e.id] = e
            for n in e.names():
                norm = normalise_name(n)
                _add_unique(self.by_norm.setdefault(norm, []), e)
                _add_unique(self.by_variant.setdefault(variant_key(norm), []), e)

    @classmethod
    def load(cls, path: Path = CATALOG_PATH) -> "Catalog":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = [Entry(e["id"], e["name"], tuple(e.get("aliases", ())), e.get("level1"), e.get("level2"), e["source"],
                         e.get("documents", 0)) for e in data["indicators"]]
        return cls(data["version"], entries, data.get("terms", []))


def _add_unique(bucket: list[Entry], e: Entry) -> None:
    if all(x.id != e.id for x in bucket):
        bucket.append(e)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    return Catalog.load()


def domain_terms() -> list[str]:
    """Words the tokenizer must keep whole: catalog terms, level names, short catalog names."""
    words = set(LEVEL1_NAMES) | set(LEVEL2_TO_LEVEL1)
    try:
        cat = default_catalog()
    except FileNotFoundError:
        return sorted(words)
    words |= set(cat.terms)
    words |= {normalise_name(n) for e in cat.entries for n in e.names() if 2 <= len(normalise_name(n)) <= 6}
    return sorted(w for w in words if w)


# ---------------------------------------------------------------- building


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


FUNCTION_CHARS = frozenset("的对之和与及等各类个项")


def same_meaning_shape(a: str, b: str) -> bool:
    """Two spellings of one indicator: they differ only by function characters (的, 对 …), by word
    order, or by one homophone misprint (行使/行驶). One content character swapped usually names a
    different indicator (开工率/完工率, 发案率/破案率, 产出/效益指标完成情况): never merged."""
    from collections import Counter

    only_a, only_b = Counter(a) - Counter(b), Counter(b) - Counter(a)
    rest_a = {c for c in only_a if c not in FUNCTION_CHARS}
    rest_b = {c for c in only_b if c not in FUNCTION_CHARS}
    if not rest_a and not rest_b:
        return True
    if len(rest_a) == len(rest_b) == 1 and sum(only_a.values()) == sum(only_b.values()) == 1:
        return _homophones(next(iter(rest_a)), next(iter(rest_b)))
    return False


@lru_cache(maxsize=1)
def _syllable_of() -> dict[str, str]:
    table = {}
    for line in SYLLABLES_PATH.read_text(encoding="utf-8").splitlines():
        syllable, _, chars = line.partition("\t")
        table.update(dict.fromkeys(chars, syllable))
    return table


def _homophones(x: str, y: str) -> bool:
    """Whether two different characters are read alike (a misprint by sound: 胃 for 谓)."""
    table = _syllable_of()
    syllable = table.get(x)
    return syllable is not None and syllable == table.get(y)


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
