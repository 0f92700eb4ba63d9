"""Evaluate the reason classifier beside the keyword baseline.

* stratified cross-validation over all labelled texts (real and written);
* real texts only, each predicted by a model trained without any text of its document
  (leave one document out), so real performance is never flattered by its own boilerplate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..reasons import CLASSES, SEED, ReasonModel, keyword_labels


@dataclass
class ClassReport:
    per_class: dict[str, tuple[float, float, float, int]]  # code -> (precision, recall, f1, support)
    macro_f1: float
    confusions: list[tuple[str, str, int]] = field(default_factory=list)  # (true, predicted, count)

    def to_dict(self) -> dict:
        return {"macro_f1": round(self.macro_f1, 4),
                "per_class": {c: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n}
                              for c, (p, r, f, n) in self.per_class.items()},
                "confusions": [{"true": t, "predicted": p, "count": n} for t, p, n in self.confusions]}


def report(true: list[list[str]], pred: list[list[str]]) -> ClassReport:
    """Per-class precision/recall/F1 over the classes present in `true`; macro-F1 over those."""
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    present = [c for c in CLASSES if any(c in t for t in true)]
    mlb = MultiLabelBinarizer(classes=list(CLASSES))
    yt, yp = mlb.fit_transform(true), mlb.transform(pred)
    idx = [CLASSES.index(c) for c in present]
    p, r, f, n = precision_recall_fscore_support(yt[:, idx], yp[:, idx], zero_division=0)
    per = {c: (float(p[i]), float(r[i]), float(f[i]), int(n[i])) for i, c in enumerate(present)}
    confusions: Counter = Counter()
    for t, q in zip(true, pred):
        missed, extra = set(t) - set(q), set(q) - set(t)
        for a in sorted(missed):
            for b in sorted(extra) or ["(none)"]:
                confusions[(a, b)] += 1
    top = sorted(((a, b, k) for (a, b), k in confusions.items()), key=lambda x: (-x[2], x[0], x[1]))[:12]
    return ClassReport(per, sum(v[2] for v in per.values()) / len(per) if per else 0.0, top)


def _primary(labels: list[str]) -> str:
    return sorted(labels)[0]


def cross_validate(data: list[dict], folds: int = 5) -> list[list[str]]:
    """Out-of-fold predictions for every text (folds stratified on the first label)."""
    from sklearn.model_selection import StratifiedKFold

    texts = [d["text"] for d in data]
    labels = [d["labels"] for d in data]
    strata = [_primary(lab) for lab in labels]
    counts = Counter(strata)
    strata = [s if counts[s] >= folds else "rare" for s in strata]
    pred: list[list[str] | None] = [None] * len(data)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, strata):
        model = ReasonModel().fit([texts[i] for i in train], [labels[i] for i in train])
        for i, res in zip(test, model.predict([texts[i] for i in test])):
            pred[i] = res.labels
    return pred  # type: ignore[return-value]


def _document(origin: str) -> str:
    return (origin or "").split()[0] if origin else ""


def real_holdout(real: list[dict], written: list[dict]) -> list[list[str]]:
    """Predictions for the real texts, each from a model that saw no text of its own document."""
    pred: list[list[str] | None] = [None] * len(real)
    docs = sorted({_document(d["origin"]) for d in real})
    for doc in docs:
        test = [i for i, d in enumerate(real) if _document(d["origin"]) == doc]
        train = written + [d for d in real if _document(d["origin"]) != doc]
        model = ReasonModel().fit([d["text"] for d in train], [d["labels"] for d in train])
        for i, res in zip(test, model.predict([real[i]["text"] for i in test])):
            pred[i] = res.labels
    return pred  # type: ignore[return-value]


def evaluate_reasons(real: list[dict], written: list[dict], folds: int = 5) -> dict[str, ClassReport]:
    data = real + written
    cv = cross_validate(data, folds)
    held = real_holdout(real, written)
    return {
        "cv_model": report([d["labels"] for d in data], cv),
        "cv_keywords": report([d["labels"] for d in data], [keyword_labels(d["text"]) for d in data]),
        "real_model": report([d["labels"] for d in real], held),
        "real_keywords": report([d["labels"] for d in real], [keyword_labels(d["text"]) for d in real]),
    }
