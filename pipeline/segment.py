"""The project's one Chinese tokenizer: spaCy's zh pipeline with the jieba segmenter.

Domain terms from the catalog (驾驶证, 科目二, 满意度, 执行率 …) are added to jieba so that they stay
whole. jieba's dictionary is process-global, so the words are loaded here and nowhere else; the
pipeline is built once per process, on first use.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

_LOCK = threading.Lock()
_NUMBERS = re.compile(r"[-+]?\d+(?:[.,]\d+)*%?")
_PUNCT = re.compile(r"[\s\u3000，,。.、；;：:（）()“”\"'《》<>【】\[\]{}—\-/=≥≤＞＜>+*~…!?！？]+")


@lru_cache(maxsize=1)
def nlp():
    """spacy.blank("zh") with jieba, the catalog's user dictionary loaded."""
    with _LOCK:
        import jieba
        import spacy

        jieba.setLogLevel(logging.WARNING)
        pipe = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        from .catalog import domain_terms

        for term in domain_terms():
            jieba.add_word(term, freq=20000)
        return pipe


def tokens(text: str | None) -> list[str]:
    """Word tokens of a name or sentence: numbers and punctuation dropped (jieba splits them
    inconsistently), domain terms whole."""
    if not text:
        return []
    clean = _PUNCT.sub(" ", _NUMBERS.sub(" ", text))
    out: list[str] = []
    for part in clean.split():
        out.extend(t.text for t in nlp()(part) if t.text.strip())
    return out


def zh_tokens(text: str) -> list[str]:
    """Module-level tokenizer for scikit-learn vectorisers (picklable by reference)."""
    return tokens(text)


_WORD_ENDINGS = set("率度数量性")


def cut_mid_word(name: str) -> bool:
    """A name that stops inside a word ("提高民警和辅警的执", "保持网络畅通，为交"): its last jieba
    word is a lone character that does not end indicator names."""
    words = tokens(name)
    return bool(words) and len(words[-1]) == 1 and words[-1] not in _WORD_ENDINGS and len(words) > 1
