"""Deviation reasons (偏差原因): split a cell into cause and measure, tag the cause with DOMAIN §4's
classes R00–R17.

* `split_reason` — clauses that announce measures (下一步, 将, 加强 …) go to the measure part.
* `keyword_labels` — the rule baseline from DOMAIN §4.4's keyword seeds and ambiguity rules.
* `ReasonModel` — a scikit-learn Pipeline: TF-IDF on character n-grams and on the project's jieba
  words, one-vs-rest logistic regression with calibrated probabilities; stored with skops (no code
  runs on load) in models/reasons/, loaded lazily. Blank, 无, / are R00 by rule, without the model;
  below the confidence threshold the answer is R17 with a low-confidence flag, never a confident guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import models_dir
from .values import nfkc, strip_ws

CLASSES = ("R00", "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "R12", "R13",
           "R14", "R15", "R16", "R17")
SLUGS = {
    "R00": "NONE", "R01": "EPIDEMIC", "R02": "FUNDS_NOT_RECEIVED", "R03": "BUDGET_ADJUSTED", "R04": "TASK_CHANGED",
    "R05": "CARRYOVER", "R06": "SCHEDULE", "R07": "PROCUREMENT_PAYMENT", "R08": "COST_SAVING", "R09": "DEMAND_CHANGE",
    "R10": "TECHNICAL", "R11": "NATURAL_EXTERNAL", "R12": "TARGET_SETTING", "R13": "OVER_ACHIEVEMENT",
    "R14": "DATA_CALIBER", "R15": "MANAGEMENT", "R16": "CIRCULAR", "R17": "VAGUE_OTHER",
}
MODEL_DIR = models_dir() / "reasons"
MODEL_PATH = MODEL_DIR / "reasons.skops"
THRESHOLD = 0.4  # a class is reported when its calibrated probability reaches this
CONCEPT_WEIGHT = 0.2  # concept-lexicon hits: a hint, not a verdict (at 1.0 they swamp the n-grams on real texts)
LOW_CONFIDENCE = 0.05  # no class reaches THRESHOLD: the best one, flagged low confidence; below this, R17
EXCLUSIVE = ("R00", "R16", "R17")  # "nothing to explain", "restates the shortfall", "nothing explained": never beside a cause
SEED = 0

_NONE = re.compile(r"^(无|/|／|—+|-+|无偏差|已完成|按计划完成|暂无|无差异|未发生偏差|完成|已达成|无异常)[。.]?$")
_SPLIT = re.compile(r"[。；;]|(?=[一二三四五六七八九十]是)|(?<![\d.])(?=\d+[.、．](?!\d))|(?=[（(]\d+[）)])")
_MEASURE_HEAD = re.compile(r"^(下一步|今后|拟|将|要|建议|加强|加快|进一步|强化|完善|提高|确保|督促|改进措施|整改|后续|我们将|我单位将|下阶段|计划)")
_MEASURE_NEAR = re.compile(r"^.{0,6}(下一步|今后|拟|加强|加快|进一步|强化|完善|确保|督促|改进)")
_REASON_WORD = re.compile(r"原因|因|由于|影响|导致|造成|未|尚未|没有|不足|较晚|调整|滞后|推迟|减少|增加")
_HEADER = re.compile(r"(偏差)?原因(分析)?[:：]|(改进)?措施[:：]")


_NO_DEVIATION = re.compile(
    r"(未出现|未发生|不存在|没有|无)(任何)?(偏差|偏离)|无偏差|(?<![不未])(一致|相符)|符合预期|不涉及|无需(说明|分析)|无此情况|得满分|"
    r"(?<![未没不能])(全部|均已|已|如期|按时|按期|按计划|按进度|足额|圆满)(完成|实现|达标|达到)|(?<![未没不])达到(预期|年初|设定)|已达标|如期实现")
_CAUSE_HINT = re.compile(r"因|由于|影响|导致|造成|未完成|未达|未能|不足|较晚|调整|取消|暂停|延期|推迟|滞后|超|低于|减少|"
                         r"收回|无法|不再|\d")
_NO_CAUSE_PHRASE = re.compile(r"(偏差|差异)?原因|无需说明")  # "无偏差原因": the word 原因 is not a cause


def is_blank(text: str | None) -> bool:
    """Nothing to explain: blank, 无, /, or a plain statement that the target was met (R00 by rule)."""
    t = strip_ws(nfkc(text or ""))
    if not t or _NONE.match(t):
        return True
    cause, _ = split_reason(t)
    if not cause:
        return False  # measures only: nothing explained (R17), not "nothing to explain"
    bare = _NO_DEVIATION.sub("", _NO_CAUSE_PHRASE.sub("", cause))
    return bool(_NO_DEVIATION.search(cause)) and not _CAUSE_HINT.search(bare) and not any(
        rx.search(bare) for rx in _KEYWORD_RE.values())


def split_reason(text: str | None) -> tuple[str, str]:
    """(cause, measure) of a 偏差原因分析及改进措施 cell."""
    t = strip_ws(nfkc(text or "")).replace(",", "，")
    if not t:
        return "", ""
    m = re.search(r"(改进)?措施[:：]", t)
    if m and re.search(r"原因(分析)?[:：]", t[: m.start()] or "x"):
        head = re.sub(r"^.*?原因(分析)?[:：]", "", t[: m.start()])
        return head.strip("，。；;"), t[m.end():].strip("，。；;")
    cause, measure = [], []
    for sentence in filter(None, _SPLIT.split(t)):
        for i, clause in enumerate(filter(None, re.split(r"，", sentence))):
            body = re.sub(r"^([一二三四五六七八九十]是|\d+[.、．]|[（(]\d+[）)])", "", clause)
            is_measure = bool(_MEASURE_HEAD.match(body) or (_MEASURE_NEAR.match(body) and not _REASON_WORD.search(body[:4])))
            if measure and not is_measure and i > 0 and not _REASON_WORD.search(body):
                is_measure = True  # the rest of a measure sentence
            (measure if is_measure else cause).append(clause)
    return "，".join(cause).strip("，"), "，".join(measure).strip("，")


# ---------------------------------------------------------------- keyword baseline (DOMAIN §4.4)

_KEYWORDS = {
    "R01": r"疫情|新冠|防控|封控|静默",
    "R02": r"未下达|下达(较|过)?晚|未到位|到位(较|过)?晚|未拨付|拨付(不及时|较晚)|到账(时间)?较晚|(年底|年末)?才(下达|拨付|到位)|配套.*未落实",
    "R03": r"(预算|经费|资金).{0,6}(调整|调减|调剂|压减|收回)|调整为其他|压减|统筹(使用)?",
    "R04": r"取消|暂停|停止实施|政策(调整|变化)|上级(要求|通知|部署)|职能(划转|调整)|机构改革|任务调整",
    "R05": r"结转|结余|跨年|次年支付|下年(度)?(使用|支付)",
    "R06": r"工期|建设期|实施阶段|正在实施|尚未(竣工|验收|完工)|未到.{0,4}(验收|竣工)|前期(手续|工作)",
    "R07": r"采购|招标|流标|流拍|合同|结算|尾款|质保金|进度款|验收后支付",
    "R08": r"节约|结余资金|中标价|低于预算|压缩开支",
    "R09": r"申报(对象|企业|人数)?.{0,4}(少|不足)|受益(人|对象)|需求(变化|增加|减少)|业务量",
    "R10": r"系统|平台|设备|故障|升级|技术|网络",
    "R11": r"降雨|暴雨|汛期|洪涝|干旱|灾害|天气|季节|冬季|施工影响|第三方|协作单位",
    "R12": r"(指标|目标)(值)?.{0,4}(设定|设置|测算).{0,4}(偏低|偏高|不合理|不科学|不足)|合理预测|目标.{0,8}偏差",
    "R13": r"超额|超计划|超出(计划|目标)|超年初|超过.{0,4}目标",
    "R14": r"口径|统计(数据)?(尚未|未出)|数据来源|计量",
    "R15": r"准备不充分|协调不畅|推进(不力|缓慢)|人员不足|力量薄弱|指标混用|管理不到位",
    "R16": r"(原因|由于).{0,10}(执行率|完成率|未完成|未达到)",
}
_KEYWORD_RE = {k: re.compile(v) for k, v in _KEYWORDS.items()}


def keyword_labels(text: str | None) -> list[str]:
    """Rule baseline on the cause part, with DOMAIN §4.4's ambiguity rules."""
    if is_blank(text):
        return ["R00"]
    cause, _ = split_reason(text)
    if not cause:
        return ["R17"]  # measures only: nothing explained
    found = {k for k, rx in _KEYWORD_RE.items() if rx.search(cause)}
    if "R01" in found and "R04" in found and not re.search(r"上级|政策", cause):
        found.discard("R04")  # 疫情暂停业务办理 is R01 only
    if {"R05", "R08"} <= found:
        if "节约" in cause and "结转" not in cause:
            found.discard("R05")
        elif "结转" in cause and "节约" not in cause:
            found.discard("R08")
    if "R11" in found and "R06" in found:
        found.discard("R06")  # weather is the cause, the schedule its consequence
    return sorted(found) or ["R17"]


# ---------------------------------------------------------------- the model


# Broader concept lexicons (one per cause class): the words a reader recognises as that kind of cause
# even when the labelled texts never used them (寒潮, 闪退, 下浮). Features only, never rules.
_CONCEPTS = {
    "R01": r"疫情|新冠|防控|封控|静默|防疫|隔离|核酸|管控措施|传染",
    "R02": r"下达|到位|到账|拨付|未拨|资金.{0,4}(晚|迟|延)|指标下达|配套资金|转移支付",
    "R03": r"调减|调增|追加|核减|压减|收回|削减|调剂|压缩|预算调整|调整(了)?(资金)?用途|经费.{0,3}(减少|缩减)",
    "R04": r"取消|叫停|停办|停止|移交|划转|机构改革|职能|政策|上级|交办|统一(组织|建设|实施)|不再|换届|变更|改由",
    "R05": r"结转|结余|跨年|次年|下年|下一年度|学年|年初支付",
    "R06": r"工期|进度|开工|竣工|施工|阶段|前期|论证|手续|试运行|周期|分期|一期|完工|在建|实施中|尚在",
    "R07": r"采购|招标|中标|流标|合同|结算|付款|支付|验收|质保|供应商|磋商|谈判|到货|供货|询价",
    "R08": r"节约|节省|节余|下浮|降低|压低|优惠|从严控制|少于预算|低于预算|减少(了)?支出|成本|审定价|造价|电子版|标准",
    "R09": r"需求|申报|受益|对象|人数|人次|业务量|群众|使用率|参与|报名|客流|游客|来访|办理量|数量减少|符合条件",
    "R10": r"系统|平台|设备|故障|升级|技术|网络|软件|终端|接口|老化|损坏|死机|闪退|数据库|服务器|硬件|显示屏|摄像|授权|漏洞|性能",
    "R11": r"天气|降雨|雨季|多雨|暴雨|雪|寒潮|台风|高温|汛|洪|旱|地质|气候|季节|淡季|供电|电力|运营商|供应链|第三方|协作|配套工程|外部|雷击|防火",
    "R12": r"目标值|指标值|设定|设置|测算|偏高|偏低|不合理|不科学|标准不一|脱节|未考虑|峰值",
    "R13": r"超额|超出|超过|高于|超年|两倍|倍|远超|多完成|优于|\d{3,}%",
    "R14": r"口径|统计|数据|计量|不可(直接)?比较|剔除|报送数|以.{0,4}计|按.{0,4}统计|未计入|重复计算",
    "R15": r"管理|协调|沟通|衔接|人员|力量|经办|审批|决策|程序|不熟悉|混乱|不规范|编制时|考虑不周|统筹|重视|未及时|迟迟|不够|跟进|轮岗",
    "R16": r"^(因|由于)?(未|没有|尚未)(全部)?(完成|达到)|未达到|未完成|差距|低于(目标|计划|预期|年初)|扣分|少于(计划|目标)|完成率|执行率",
    "R17": r"其他原因|客观原因|外部环境|存在不足|有待|一定差距|各种原因|多种原因|综合因素",
}
_LEXICONS = {"seeds": {k: re.compile(v) for k, v in _KEYWORDS.items()},
             "concepts": {k: re.compile(v) for k, v in _CONCEPTS.items()}}


class KeywordHits:
    """Lexicon hits as features: one column per class, 1 where its pattern fires. `lexicon` is "seeds"
    (DOMAIN §4.4's keyword seeds) or "concepts" (the broader lexicons above).
    (A plain transformer so that skops can store it; listed in TRUSTED_TYPES.)"""

    def __init__(self, lexicon: str = "seeds") -> None:
        self.lexicon = lexicon

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        import numpy as np

        patterns = _LEXICONS[self.lexicon]
        keys = sorted(patterns)
        return np.array([[1.0 if patterns[k].search(t or "") else 0.0 for k in keys] for t in texts])

    def get_params(self, deep=True):
        return {"lexicon": self.lexicon}

    def set_params(self, **params):
        self.lexicon = params.get("lexicon", self.lexicon)
        return self


def build_pipeline():
    """TF-IDF (char n-grams + jieba words) and keyword hits → one-vs-rest calibrated logistic regression."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    from .segment import zh_tokens

    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, max_features=20000)),
        ("words", TfidfVectorizer(tokenizer=zh_tokens, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                                  sublinear_tf=True, max_features=8000)),
        ("keywords", KeywordHits("seeds")),
        ("concepts", KeywordHits("concepts")),
    ], transformer_weights={"concepts": CONCEPT_WEIGHT})
    base = LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000, random_state=SEED)
    # ensemble=False: one model per class, calibrated on 3-fold predictions (a small file)
    clf = OneVsRestClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False))
    return Pipeline([("features", features), ("clf", clf)])


@dataclass(frozen=True)
class ReasonResult:
    text: str
    cause: str
    measure: str
    labels: list[str]
    confidence: float
    low_confidence: bool = False

    def to_dict(self) -> dict:
        return {"text": self.text, "labels": self.labels, "confidence": round(self.confidence, 4),
                "cause": self.cause, "measure": self.measure, "low_confidence": self.low_confidence}


class ReasonModel:
    """fit / predict on reason cells; labels are lists of class codes."""

    def __init__(self, threshold: float = THRESHOLD, low_confidence: float = LOW_CONFIDENCE) -> None:
        self.threshold = threshold
        self.low_confidence = low_confidence

    def fit(self, texts: list[str], labels: list[list[str]]) -> "ReasonModel":
        import numpy as np
        from sklearn.preprocessing import MultiLabelBinarizer

        self.binarizer_ = MultiLabelBinarizer(classes=list(CLASSES))
        y = self.binarizer_.fit_transform(labels)
        keep = (y.sum(axis=0) > 0) & (np.array(CLASSES) != "R00")  # R00 is decided by rule, never by the model
        self.classes_ = [c for c, k in zip(CLASSES, keep) if k]
        self.pipeline_ = build_pipeline().fit([self._features(t) for t in texts], y[:, keep])
        for _, vectorizer in self.pipeline_.named_steps["features"].transformer_list:
            if hasattr(vectorizer, "stop_words_"):
                del vectorizer.stop_words_  # the terms cut by max_features: only needed for inspection
        return self

    @staticmethod
    def _features(text: str) -> str:
        cause, _ = split_reason(text)
        return cause or strip_ws(nfkc(text or ""))

    def predict_proba(self, texts: list[str]):
        return self.pipeline_.predict_proba([self._features(t) for t in texts])

    def predict(self, texts: list[str]) -> list[ReasonResult]:
        out: list[ReasonResult | None] = [by_rule(t) for t in texts]
        todo = [i for i, r in enumerate(out) if r is None]
        if todo:
            probs = self.predict_proba([texts[i] for i in todo])
            for i, p in zip(todo, probs):
                cause, measure = split_reason(texts[i])
                ranked = sorted(zip(self.classes_, p), key=lambda x: (-x[1], x[0]))
                chosen = [(c, pr) for c, pr in ranked if pr >= self.threshold]
                causes = [(c, pr) for c, pr in chosen if c not in EXCLUSIVE]
                chosen = causes or chosen[:1]
                if chosen:
                    out[i] = ReasonResult(texts[i], cause, measure, sorted(c for c, _ in chosen), float(chosen[0][1]))
                elif ranked[0][1] >= self.low_confidence:
                    out[i] = ReasonResult(texts[i], cause, measure, [ranked[0][0]], float(ranked[0][1]), True)
                else:
                    out[i] = ReasonResult(texts[i], cause, measure, ["R17"], float(ranked[0][1]), True)
        return out  # type: ignore[return-value]

    # ------------------------------------------------------------ persistence (skops: no pickle)

    def save(self, path: Path = MODEL_PATH) -> None:
        import zipfile

        import numpy as np
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        # each n-gram vocabulary goes as one array of terms in index order: skops stores a dict entry
        # by entry (two nodes each), which made loading the model take four seconds
        vectorizers = {name: step for name, step in _feature_steps(self.pipeline_).items() if hasattr(step, "vocabulary_")}
        vocabularies = {name: sorted(v.vocabulary_, key=v.vocabulary_.get) for name, v in vectorizers.items()}
        for v in vectorizers.values():
            del v.vocabulary_
        try:
            sio.dump({"pipeline": self.pipeline_, "classes": list(self.classes_), "threshold": self.threshold,
                      "low_confidence": self.low_confidence,
                      "vocabularies": {name: np.array(terms) for name, terms in vocabularies.items()}},
                     path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        finally:
            for name, v in vectorizers.items():
                v.vocabulary_ = {t: i for i, t in enumerate(vocabularies[name])}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ReasonModel":
        import skops.io as sio

        untrusted = sio.get_untrusted_types(file=path)
        allowed = [t for t in untrusted if t in TRUSTED_TYPES]
        refused = sorted(set(untrusted) - set(allowed))
        if refused:
            raise ValueError(f"{path}: refusing to load unexpected types {refused}")
        data = sio.load(path, trusted=allowed)
        model = cls(data["threshold"], data["low_confidence"])
        model.pipeline_ = data["pipeline"]
        model.classes_ = list(data["classes"])
        steps = _feature_steps(model.pipeline_)
        for name, terms in data.get("vocabularies", {}).items():
            steps[name].vocabulary_ = {t: i for i, t in enumerate(terms.tolist())}
        return model


def _feature_steps(pipeline) -> dict:
    """The steps of the model's feature union (n-gram vectorizers, keyword hits), by name."""
    return dict(pipeline.named_steps["features"].transformer_list)


# Types a stored model may contain beyond skops's defaults: the project's tokenizer and keyword
# features, and two private scikit-learn calibration classes. Anything else is refused.
TRUSTED_TYPES = {"pipeline.segment.zh_tokens", "pipeline.reasons.KeywordHits",
                 "sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration"}


@lru_cache(maxsize=1)
def default_model() -> ReasonModel:
    return ReasonModel.load()


def load_dataset(*paths: Path) -> list[dict]:
    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def by_rule(text: str | None) -> ReasonResult | None:
    """The answer for a text that needs no model: blank (R00) or measures only (R17); else None."""
    if is_blank(text):
        return ReasonResult(text or "", "", "", ["R00"], 1.0)
    cause, measure = split_reason(text)
    return None if cause else ReasonResult(text, "", measure, ["R17"], 0.9)  # measures only: nothing explained


def tag_rows(rows) -> None:
    """Fill reason_labels / reason_confidence (and the cause/measure split) of indicator rows. The
    model is loaded only when a row has a reason that the rules cannot answer (a target table has none)."""
    texts = [r.reason or "" for r in rows]
    results = [by_rule(t) for t in texts]
    if any(res is None for res in results):
        try:
            results = default_model().predict(texts)
        except FileNotFoundError:
            return
    for r, res in zip(rows, results):
        r.reason_labels = res.labels
        r.reason_confidence = round(res.confidence, 4)
        r.reason_cause = res.cause or None
        r.reason_measure = res.measure or None
        if res.low_confidence:
            r.flags.append("reason_low_confidence")
