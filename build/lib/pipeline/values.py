"""Pure parsers for cell text: operators, numbers, 万/亿 multipliers, units, qualitative values.

The raw text always travels beside the parsed value (`Value.raw`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

# Placeholders that mean "no value printed".
ABSENT = frozenset({"", "—", "——", "–", "-", "--", "---", "/", "／", "*", "\\", "－", "空", "无数据"})

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"


def strip_ws(text: str | None) -> str:
    """Remove every kind of whitespace (line breaks, U+3000, NBSP, zero-width)."""
    return _WS.sub("", text or "")


def join_lines(text: str | None) -> str:
    """Join the lines of a multi-line cell: no separator between CJK, one space between Latin/digits."""
    if not text:
        return ""
    parts = [p.strip(" \t\u3000\u00a0") for p in re.split(r"[\r\n]+", text)]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", p[0]):
            out += " "
        out += p
    return out.strip()


def clean_text(text: str | None) -> str | None:
    """Cell text as stored in rows: lines joined, surrounding spaces and U+3000 removed; None if blank."""
    t = join_lines(text)
    t = t.strip(" \t\u3000\u00a0")
    return t or None


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squeezed(text: str | None) -> str:
    """NFKC, with no whitespace at all (U+3000 included): the form in which printed labels are compared."""
    return strip_ws(nfkc(text or ""))


def is_absent(text: str | None) -> bool:
    return strip_ws(nfkc(text or "")) in ABSENT


# ---------------------------------------------------------------- operators

_OP_SYMBOLS: list[tuple[str, str]] = [
    (">=", ">="), ("≥", ">="), ("≧", ">="), ("=>", ">="),
    ("<=", "<="), ("≤", "<="), ("≦", "<="), ("=<", "<="),
    (">", ">"), ("<", "<"), ("=", "="), ("≈", "="),
]
_OP_WORDS_PREFIX: list[tuple[str, str]] = [
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("达到", ">="), ("大于等于", ">="),
    ("不高于", "<="), ("不超过", "<="), ("不超", "<="), ("不大于", "<="), ("不多于", "<="), ("小于等于", "<="),
    ("大于", ">"), ("超过", ">"), ("高于", ">"), ("多于", ">"),
    ("低于", "<"), ("小于", "<"), ("少于", "<"),
    ("等于", "="), ("约", "="),
]
_OP_WORDS_SUFFIX: list[tuple[str, str]] = [("以上", ">="), ("及以上", ">="), ("以下", "<="), ("以内", "<="), ("前", "<=")]
_OP_COLUMN = {"正向": ">=", "反向": "<=", "定性": None, "定量": None}

OP_CELL = re.compile(r"^\s*(>=|<=|≥|≤|≧|≦|＞=|＜=|>|<|=|＞|＜|＝|定性|正向|反向)\s*$")
TRAILING_OP = re.compile(r"\s*(>=|<=|≥|≤|＞=|＜=|>|<|=|＞|＜|＝)\s*$")


def parse_op(text: str | None) -> str | None:
    """An operator cell (指标性质 column) → canonical op."""
    t = strip_ws(nfkc(text or ""))
    if t in _OP_COLUMN:
        return _OP_COLUMN[t]
    for sym, op in _OP_SYMBOLS:
        if t == sym:
            return op
    return None


def split_trailing_op(name: str) -> tuple[str, str | None]:
    """"办理各类治安案件数 =" → ("办理各类治安案件数", "=")."""
    m = TRAILING_OP.search(name)
    if m and m.start() > 0:
        return name[: m.start()].rstrip(), parse_op(m.group(1))
    return name, None


# ---------------------------------------------------------------- numbers and units

_NUM = re.compile(r"(?<![\d.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MULT = {"万": 1e4, "亿": 1e8, "千": 1e3}
_APPROX = ("余", "约", "近", "逾", "左右", "多")

# Longest first so that 人次 wins over 人 and 万元 over 万.
UNITS: tuple[str, ...] = (
    "个/标段", "个月", "百分比", "平方米", "工作日", "人次", "万元", "小时", "分钟", "公里", "千米", "户次", "台套",
    "车次", "架次", "班次", "场次", "批次", "m²", "m2", "㎡", "元", "个", "次", "人", "起", "件", "部", "份", "辆",
    "本", "期", "支", "篇", "条", "天", "日", "年", "月", "周", "%", "‰", "G", "家", "所", "台", "套", "处", "项",
    "场", "批", "户", "名", "米", "吨", "座", "间", "张", "册", "片", "株", "亩", "km", "公顷", "篇次", "小时/次",
)
_UNIT_CANON = {"百分比": "%", "m2": "m²", "㎡": "m²", "平方米": "m²", "M2": "m²", "M²": "m²"}


def canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    u = strip_ws(unit)
    u2 = nfkc(u)
    if u2 in _UNIT_CANON or u in _UNIT_CANON:
        return _UNIT_CANON.get(u2, _UNIT_CANON.get(u))
    if u2.lower() == "m2":
        return "m²"
    return u2 or None


def finite_number(text: str) -> float | None:
    """The float of a printed number; None for one too long to be a number (thousands of digits,
    which a float holds only as infinity: the cell keeps its text and the row a flag)."""
    num = float(text.replace(",", ""))
    return num if math.isfinite(num) else None


def parse_number(text: str | None) -> float | None:
    """A plain numeric cell (分值, 得分, money): "20.00" → 20.0, "1,831.00" → 1831.0, "10分" → 10.0."""
    if text is None:
        return None
    t = strip_ws(nfkc(text))
    if t in ABSENT:
        return None
    m = re.fullmatch(r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(分|%|万元|元)?", t)
    if not m:
        return None
    return finite_number(m.group(1))


@dataclass(frozen=True)
class Value:
    raw: str | None
    op: str | None = None  # operator printed in the text, None when none printed
    value: float | None = None  # number with 万/亿 applied; None when absent, qualitative or multi-valued
    unit: str | None = None  # canonical unit printed after the number
    multiplier: float = 1.0
    approx: bool = False
    multi_value: bool = False
    qualitative: bool = False
    absent: bool = False
    numbers: tuple[float, ...] = field(default=())
    too_large: bool = False  # printed a number no float holds

    @property
    def flags(self) -> list[str]:
        out = ["number_too_large"] if self.too_large else []
        if self.approx:
            out.append("approx")
        if self.multi_value:
            out.append("multi_value")
        if self.multiplier != 1.0:
            out.append("multiplier")
        return out


def _match_unit(rest: str) -> str | None:
    """The unit printed right after a number; compound units like 元/亩 or 次/年 stay whole."""
    unit = None
    for u in sorted(UNITS, key=len, reverse=True):
        if rest.startswith(u) or nfkc(rest).lower().startswith(nfkc(u).lower()):
            unit = u
            break
    if unit is None:
        m = re.match(r"[A-Za-z²]{1,3}", rest)
        unit = m.group(0) if m else None
    if unit and rest[len(unit):len(unit) + 1] == "/":
        per = _match_unit(rest[len(unit) + 1:])
        if per and per != unit:
            unit = f"{unit}/{per}"
    return unit


def _words_op(t: str) -> str | None:
    for word, op in _OP_WORDS_PREFIX:
        if t.startswith(word) or re.search(word + r"\s*[-+]?\d", t):
            return op
    for word, op in _OP_WORDS_SUFFIX:
        if re.search(r"\d[^\d]{0,6}" + word, t):
            return op
    return None


def parse_value(text: str | None) -> Value:
    """Parse a target/actual cell: "≥2万M²" → (>=, 20000, m²); "不断提升" → qualitative."""
    raw = clean_text(text)
    if raw is None or is_absent(raw):
        return Value(raw=raw, absent=True)
    t = strip_ws(nfkc(raw))
    op = None
    for sym, canon in _OP_SYMBOLS:
        if t.startswith(sym):
            op = canon
            t = t[len(sym):]
            break
    if op is None:
        op = _words_op(t)
    # Ignore dates and years: "2022年度…" is context, not the measured value.
    scan = re.sub(r"(?<=[\d万（(])[mM]2", "m²", t)  # NFKC turned ² and ㎡ into a digit
    scan = re.sub(r"(19|20)\d{2}\s*年(度)?(\d{1,2}月(\d{1,2}日)?)?|(19|20)\d{2}[-/]\d{1,2}([-/]\d{1,2})?", " ", scan)
    scan = re.sub(r"[（(]\d+[）)]|^\d+[.、](?!\d)|(?<=[。；;，,\s])\d+[.、](?!\d)", " ", scan)
    found = list(_NUM.finditer(scan))
    if not found:
        return Value(raw=raw, op=op, qualitative=True)
    numbers = []
    details = []
    for m in found:
        num = finite_number(m.group(0))
        if num is None:
            return Value(raw=raw, op=op, too_large=True)
        rest = scan[m.end():]
        mult = 1.0
        if rest[:1] in _MULT and not rest.startswith("万元"):
            mult = _MULT[rest[0]]
            rest = rest[1:]
        approx = rest[:1] in ("余", "多") or scan[max(0, m.start() - 2): m.start()].endswith(("约", "近", "逾", "超"))
        if approx and rest[:1] in ("余", "多"):
            rest = rest[1:]
        unit = _match_unit(rest)
        numbers.append(num * mult)
        details.append((num, mult, unit, approx, rest))
    if len(numbers) > 1:
        return Value(raw=raw, op=op, multi_value=True, numbers=tuple(numbers))
    num, mult, unit, approx, rest = details[0]
    approx = approx or "左右" in rest[:6]
    return Value(
        raw=raw,
        op=op,
        value=round(num * mult, 10) if math.isfinite(num * mult) else None,
        unit=canonical_unit(unit),
        multiplier=mult,
        approx=approx,
        numbers=tuple(numbers),
    )
