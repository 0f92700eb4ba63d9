"""The canonical indicator catalog: the fixed hierarchy, the framework indicators, and the 三级 names
that recur across a corpus (built by catalog_build.py, `perfaudit catalog build`).

The catalog is a versioned JSON file in models/catalog/; every entry names its source. Entry ids are
derived from the canonical name, so they stay stable when the catalog is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .levels import LEVEL1_NAMES, LEVEL2_TO_LEVEL1
from .resources import models_dir
from .values import TRAILING_OP, nfkc, strip_ws

MODELS = models_dir() / "catalog"
CATALOG_PATH = MODELS / "catalog.json"
FRAMEWORKS_PATH = MODELS / "frameworks.json"
# Each character's reading without tone (pypinyin's first reading), grouped by syllable: "zhong\t中钟…".
# Shipped as data because pypinyin's own character table costs 55 MiB in every worker.
SYLLABLES_PATH = MODELS / "syllables.txt"

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


FUNCTION_CHARS = frozenset("的对之和与及等各类个项")


def same_meaning_shape(a: str, b: str) -> bool:
    """Two spellings of one indicator: they differ only by function characters (的, 对 …), by word
    order, or by one homophone misprint (行使/行驶). One content character swapped usually names a
    different indicator (开工率/完工率, 发案率/破案率, 产出/效益指标完成情况): never merged."""
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
