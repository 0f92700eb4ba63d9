"""The reason model's card: data, classes, scores, version, date."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path

from .. import __version__
from ..reasons import CLASSES, CONCEPT_WEIGHT, LOW_CONFIDENCE, SLUGS, THRESHOLD


def write_card(path: Path, model, real: list[dict], written: list[dict], scores, fit_seconds: float) -> Path:
    real_counts = Counter(c for d in real for c in d["labels"])
    written_counts = Counter(c for d in written for c in d["labels"])
    lines = [
        "# Model card: deviation-reason classifier",
        "",
        f"- version: perfaudit {__version__}, trained {_dt.date.today().isoformat()} (`perfaudit train reasons`, seed 0, "
        f"fit in {fit_seconds:.1f} s)",
        "- file: `reasons.skops` (skops format: loading runs no code; the only trusted non-sklearn callable is "
        "`pipeline.segment.zh_tokens`)",
        "- task: multi-label tagging of the cause part of 偏差原因分析及改进措施 cells with the classes of DOMAIN.md §4",
        "- model: TF-IDF on character 1–3-grams and on jieba words (the project's spaCy zh tokenizer), hits of "
        "DOMAIN §4.4's keyword seeds, and hits of broader concept lexicons per class (weight "
        f"{CONCEPT_WEIGHT}); one-vs-rest logistic regression (C=8, balanced classes), probabilities calibrated by "
        "sigmoid (3-fold). R00 is not a model class.",
        f"- decision: classes with probability ≥ {THRESHOLD}; if none, the best class when ≥ {LOW_CONFIDENCE} "
        "(flagged low confidence), else R17 (flagged). Blank, 无, / and statements that the target was met are "
        "R00 by rule; a cell with measures only is R17 by rule. R16 (restates the shortfall) and R17 never stand "
        "beside a cause class.",
        "",
        "## Data (`corpus/reasons/`)",
        "",
        f"{len(real)} real texts (every reason cell of the seeds and the real PDFs, labelled by hand) and "
        f"{len(written)} written texts (original sentences covering every class). See `corpus/reasons/README.md`.",
        "",
        "| class | real | written |",
        "|---|---|---|",
        *[f"| {c} {SLUGS[c]} | {real_counts.get(c, 0)} | {written_counts.get(c, 0)} |" for c in CLASSES],
    ]
    if scores:
        lines += ["", "## Scores", "",
                  "F1 per class; cross-validation: 5 stratified folds over all texts; real: each real text predicted "
                  "by a model trained without its document.", "",
                  "| class | CV model | CV keywords | real model | real keywords |", "|---|---|---|---|---|"]
        for c in CLASSES:
            cells = []
            for k in ("cv_model", "cv_keywords", "real_model", "real_keywords"):
                v = scores[k].per_class.get(c)
                cells.append(f"{v[2]:.2f}" if v else "—")
            lines.append(f"| {c} | " + " | ".join(cells) + " |")
        lines.append("| **macro-F1** | " + " | ".join(f"**{scores[k].macro_f1:.3f}**" for k in
                                                    ("cv_model", "cv_keywords", "real_model", "real_keywords")) + " |")
        lines += ["", "Most frequent confusions (true → predicted): "
                  + "; ".join(f"{t}→{p} ×{n}" for t, p, n in scores["cv_model"].confusions[:8])]
    lines += ["", "## Limits", "",
              "The real set is small (tens of cells from a handful of documents, heavy in R00/R01/R03); most "
              "training text is written. Expect weaker recall on phrasings far from both."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
