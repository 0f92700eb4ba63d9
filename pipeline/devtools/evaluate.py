"""Score extracted rows against gold annotations.

Rows are matched within a document on (normalised name, normalised target). When gold rows carry a
`page` (annotated PDF pages), only predictions on those pages are scored. Where several rows
share a key they are paired by how many fields agree, then by order. Field accuracy is exact match
of normalised text (NFKC, whitespace removed) or of the number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..values import nfkc, strip_ws

SCORED_FIELDS = ("level1", "level2", "name", "target", "period_target", "actual", "weight", "score", "reason")
NUMERIC_FIELDS = {"weight", "score", "level1_weight"}


def norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 6)
    t = strip_ws(nfkc(str(value)))
    return t or None


def doc_key(source: str) -> str:
    return Path(str(source)).name


def load_rows(path: str | Path) -> list[dict]:
    """JSONL file, or a folder of JSONL files; a file's rows keep an empty document visible."""
    p = Path(path)
    files = sorted(p.rglob("*.jsonl")) if p.is_dir() else [p]
    rows: list[dict] = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rows.append(json.loads(line))
    return rows


def gold_documents(path: str | Path) -> dict[str, list[dict]]:
    """Gold rows by document. A gold file named '<doc>.jsonl' with no rows is a document with none."""
    p = Path(path)
    docs: dict[str, list[dict]] = {}
    files = sorted(p.rglob("*.jsonl")) if p.is_dir() else [p]
    for f in files:
        rows = load_rows(f)
        if not rows and f.name.endswith(".jsonl"):
            docs.setdefault(f.name[: -len(".jsonl")], [])
        for r in rows:
            docs.setdefault(doc_key(r["source"]), []).append(r)
    return docs


def fields_agree(g: dict, p: dict, f: str) -> bool:
    return norm(g.get(f)) == norm(p.get(f))


def match_rows(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    by_key: dict[tuple, list[dict]] = {}
    for p in pred:
        by_key.setdefault((norm(p.get("name")), norm(p.get("target"))), []).append(p)
    pairs = []
    for g in gold:
        cands = by_key.get((norm(g.get("name")), norm(g.get("target"))))
        if not cands:
            continue
        best = max(range(len(cands)), key=lambda i: (sum(fields_agree(g, cands[i], f) for f in SCORED_FIELDS), -i))
        pairs.append((g, cands.pop(best)))
    return pairs


@dataclass
class DocScore:
    doc: str
    gold: int
    pred: int
    matched: int
    field_hits: dict[str, int] = field(default_factory=dict)
    mismatches: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else (1.0 if self.gold == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def accuracy(self, f: str) -> float:
        return self.field_hits.get(f, 0) / self.matched if self.matched else (1.0 if self.gold == 0 else 0.0)

    def to_dict(self) -> dict:
        return {
            "doc": self.doc, "gold": self.gold, "pred": self.pred, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "field_accuracy": {f: round(self.accuracy(f), 4) for f in SCORED_FIELDS},
            "mismatches": self.mismatches,
        }


def score_document(doc: str, gold: list[dict], pred: list[dict]) -> DocScore:
    pairs = match_rows(gold, pred)
    s = DocScore(doc, len(gold), len(pred), len(pairs), {f: 0 for f in SCORED_FIELDS})
    for g, p in pairs:
        for f in SCORED_FIELDS:
            if fields_agree(g, p, f):
                s.field_hits[f] += 1
            else:
                s.mismatches.append({"name": g.get("name"), "field": f, "gold": g.get(f), "pred": p.get(f)})
    return s


def in_scope(gold: list[dict], pred: list[dict]) -> list[dict]:
    """Gold for a PDF may cover some pages only (its rows carry `page`): score predictions there."""
    pages = {g["page"] for g in gold if g.get("page") is not None}
    return [p for p in pred if p.get("page") in pages] if pages else pred


def evaluate(gold_path: str | Path, pred_rows: Iterable[dict]) -> tuple[list[DocScore], DocScore]:
    gold = gold_documents(gold_path)
    pred: dict[str, list[dict]] = {}
    for r in pred_rows:
        pred.setdefault(doc_key(r.get("source", "")), []).append(r)
    scores = [score_document(d, gold[d], in_scope(gold[d], pred.get(d, []))) for d in sorted(gold)]
    total = DocScore("overall", sum(s.gold for s in scores), sum(s.pred for s in scores), sum(s.matched for s in scores))
    total.field_hits = {f: sum(s.field_hits.get(f, 0) for s in scores) for f in SCORED_FIELDS}
    return scores, total


# ---------------------------------------------------------------- links


@dataclass
class LinkScores:
    labels: int = 0
    paired: int = 0
    predicted: int = 0  # pairs where the linker named a canonical indicator
    correct: int = 0
    resolvable: int = 0  # labels that name a canonical indicator
    abstained_on_resolvable: int = 0
    tiers: dict[str, list[int]] = field(default_factory=dict)  # status -> [correct, total]
    by_class: dict[str, dict[str, int]] = field(default_factory=dict)  # label class -> predicted status counts
    errors: list[dict] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def abstention(self) -> float:
        return self.abstained_on_resolvable / self.resolvable if self.resolvable else 0.0

    def to_dict(self) -> dict:
        return {
            "labels": self.labels, "paired": self.paired, "predicted": self.predicted, "correct": self.correct,
            "accuracy_when_not_abstaining": round(self.accuracy, 4), "resolvable": self.resolvable,
            "abstention_on_resolvable": round(self.abstention, 4),
            "tiers": {k: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None} for k, (c, t) in self.tiers.items()},
            "by_class": self.by_class, "errors": self.errors,
        }


def _same_indicator(pred: dict, expected: str, catalog) -> bool:
    """The prediction names the labelled indicator: same normalised name, or any name of its catalog entry."""
    from ..catalog import normalise_name

    want = normalise_name(expected)
    names = {normalise_name(pred.get("canonical"))}
    entry = catalog.by_id.get(pred.get("canonical_id"))
    if entry is not None:
        names |= {normalise_name(n) for n in entry.names()}
    return want in names


def evaluate_links(labels_path: str | Path, pred_rows: Iterable[dict], catalog=None) -> LinkScores:
    """Accuracy of canonical links against labelled pairs (corpus/links)."""
    from ..catalog import default_catalog

    catalog = catalog or default_catalog()
    labels = gold_documents(labels_path)
    pred: dict[str, list[dict]] = {}
    for r in pred_rows:
        pred.setdefault(doc_key(r.get("source", "")), []).append(r)
    s = LinkScores()
    for doc in sorted(labels):
        rows = labels[doc]
        s.labels += len(rows)
        for lab, p in match_rows(rows, pred.get(doc, [])):
            s.paired += 1
            status = p.get("link_status") or "unmatched"
            s.by_class.setdefault(lab["class"], {}).setdefault(status, 0)
            s.by_class[lab["class"]][status] += 1
            expected = lab.get("expected")
            abstains = status in ("ambiguous", "unmatched") or not p.get("canonical")
            if expected:
                s.resolvable += 1
                s.abstained_on_resolvable += abstains
            if abstains:
                continue
            s.predicted += 1
            ok = bool(expected) and _same_indicator(p, expected, catalog)
            s.correct += ok
            tier = s.tiers.setdefault(status, [0, 0])
            tier[0] += ok
            tier[1] += 1
            if not ok:
                s.errors.append({"doc": doc, "name": lab["name"], "class": lab["class"], "expected": expected,
                                 "predicted": p.get("canonical"), "status": status})
    return s
