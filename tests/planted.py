"""Planted anomalies (issue 6, evaluation): correct self-evaluation tables written as real documents,
and the same tables with one anomaly of a named kind planted in their printed cells.

The tables are invented and internally consistent: a score follows its actual (full marks when the
target is met, the proportional rule with a written reason when it is not), weights add up to 100,
总分 to the scores plus the execution score, the grade to its band, 执行率 to 执行数 / 全年预算数, and
the fund parts to their total. A kind changes printed cells — a figure, a unit, a grade — never the
rows a reader recovers, so each planted document tests reading and checking end to end. Everything
is drawn from one seeded generator: the same seed gives the same documents, byte for byte.

    python -m tests.planted [--n 100] [--seed 0] [--out DIR]
"""

from __future__ import annotations

import argparse
import copy
import functools
import io
import math
import random
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.devtools import sample_writers as writers

FORMATS = ("txt", "docx", "xlsx", "pdf")
READ_OPTIONS = {"reasons": False}  # no rule reads the reason classes, and the classifier would dominate a batch

# ---------------------------------------------------------------- invented content

PLACES = ("青川市", "云溪县", "临河区", "松岭县", "东港区", "南湖区", "西岭县", "北塘区", "石桥县", "安平市")
AGENCIES = (  # 主管部门, 实施单位, project topics
    ("园林绿化局", "公园管理服务中心", ("城区公园绿地养护提升项目", "城市绿道建设项目")),
    ("民政局", "养老服务指导中心", ("社区居家养老服务补助项目", "困难群众临时救助项目")),
    ("农业农村局", "农业技术推广中心", ("高标准农田建设项目", "农村人居环境整治项目")),
    ("文化和旅游局", "文化馆", ("乡村公共文化服务提升项目", "文化惠民演出项目")),
    ("交通运输局", "公路养护中心", ("农村公路养护项目", "公交站台改造项目")),
    ("卫生健康委员会", "疾病预防控制中心", ("基本公共卫生服务项目", "免费健康体检项目")),
    ("教育局", "教育装备中心", ("中小学校舍维修改造项目", "学生营养改善项目")),
    ("水务局", "供排水服务中心", ("老旧供水管网改造项目", "农村饮水安全巩固项目")),
    ("应急管理局", "应急救援指挥中心", ("防汛抗旱应急能力建设项目", "基层应急物资储备项目")),
    ("市场监督管理局", "检验检测中心", ("食品安全抽检监测项目", "特种设备安全监察项目")),
)
LEVEL1_OF = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
             "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
             "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标"}
LEVEL2_ORDER = tuple(LEVEL1_OF)
# 二级, 三级, unit, op, target range, may be printed with 万 (3万册)
QUANTITATIVE = (
    ("数量指标", "开展业务培训人次", "人次", ">=", 300, 6000, False),
    ("数量指标", "新建村级文化活动室", "个", ">=", 5, 60, False),
    ("数量指标", "发放宣传资料", "份", ">=", 10000, 200000, True),
    ("数量指标", "完成道路养护里程", "公里", ">=", 20, 400, False),
    ("数量指标", "开展专项检查次数", "次", ">=", 12, 240, False),
    ("数量指标", "补助困难群众户数", "户", ">=", 300, 6000, False),
    ("数量指标", "完成植树造林面积", "亩", ">=", 500, 30000, True),
    ("数量指标", "更新办公设备数量", "台", ">=", 10, 300, False),
    ("数量指标", "改造老旧供水管网长度", "公里", ">=", 5, 90, False),
    ("数量指标", "组织应急演练次数", "次", ">=", 4, 36, False),
    ("数量指标", "免费健康体检人数", "人", ">=", 1000, 50000, True),
    ("数量指标", "维修校舍面积", "平方米", ">=", 1000, 30000, True),
    ("数量指标", "采购图书册数", "册", ">=", 5000, 60000, True),
    ("数量指标", "安装视频监控点位", "个", ">=", 50, 800, False),
    ("数量指标", "举办文化惠民演出场次", "场", ">=", 20, 300, False),
    ("数量指标", "完成规划编制数量", "项", "=", 1, 6, False),
    ("质量指标", "工程验收合格率", "%", ">=", 95, 100, False),
    ("质量指标", "设备运行完好率", "%", ">=", 90, 98, False),
    ("质量指标", "培训考核合格率", "%", ">=", 85, 95, False),
    ("质量指标", "数据录入准确率", "%", ">=", 95, 99, False),
    ("质量指标", "抽检样品合格率", "%", ">=", 90, 98, False),
    ("质量指标", "补植苗木成活率", "%", ">", 85, 95, False),
    ("质量指标", "档案资料完整率", "%", "=", 100, 100, False),
    ("时效指标", "补助资金拨付及时率", "%", "=", 100, 100, False),
    ("时效指标", "项目按期完工率", "%", ">=", 90, 100, False),
    ("时效指标", "问题整改响应时间", "小时", "<=", 12, 72, False),
    ("时效指标", "审批事项办结时间", "工作日", "<=", 5, 20, False),
    ("时效指标", "设备故障修复时间", "小时", "<", 24, 72, False),
    ("成本指标", "单位面积建设成本", "元/平方米", "<=", 800, 3000, False),
    ("成本指标", "人均培训费用", "元", "<=", 300, 1500, False),
    ("经济效益指标", "带动农户户均增收", "元", ">=", 500, 5000, False),
    ("经济效益指标", "新增就业岗位", "个", ">=", 20, 600, False),
    ("社会效益指标", "受益群众人数", "人", ">=", 1000, 80000, True),
    ("社会效益指标", "政策知晓率", "%", ">=", 80, 95, False),
    ("社会效益指标", "公共服务覆盖率", "%", ">=", 80, 98, False),
    ("生态效益指标", "生活垃圾无害化处理率", "%", ">=", 90, 100, False),
    ("生态效益指标", "建成区绿化覆盖率", "%", ">=", 35, 45, False),
    ("可持续影响指标", "设施设计使用年限", "年", ">=", 10, 30, False),
    ("服务对象满意度指标", "服务对象满意度", "%", ">=", 85, 95, False),
    ("服务对象满意度指标", "受益群众满意度", "%", ">=", 85, 95, False),
    ("服务对象满意度指标", "参训人员满意度", "%", ">=", 85, 95, False),
)
# 二级, 三级, target phrase, actual phrase (an actual that only echoes its target is flagged: C21)
QUALITATIVE = (
    ("社会效益指标", "基层公共服务能力", "明显提升", "达到预期目标"),
    ("社会效益指标", "群众生产生活条件", "持续改善", "群众反映良好"),
    ("经济效益指标", "项目区经营性收入", "稳步增长", "较上年增长"),
    ("生态效益指标", "区域生态环境质量", "逐步改善", "较上年改善"),
    ("可持续影响指标", "长效管护机制", "健全", "已建立并运行"),
)
DEDUCTION_REASONS = (
    "受汛期持续降雨影响，部分工程施工延后；下一步加强进度调度，确保次年一季度完成。",
    "部分采购项目因供应商资质复核延期，下一步提前启动采购程序。",
    "受场地改造影响，部分活动未能按计划开展，下一步优化活动安排。",
    "项目前期手续办理耗时较长，实施进度滞后；下一步加强部门协调。",
    "部分服务对象需求发生变化，实际服务人数少于计划，下一步完善需求摸底。",
    "资金下达时间较晚，部分任务顺延至次年，下一步提早谋划项目储备。",
)
GOALS = (
    ("按计划完成年度建设和服务任务，提升服务质量和群众满意度。", "全年按计划组织实施，主要任务基本完成，资金按规定拨付使用。"),
    ("规范资金管理，保障项目按期实施，发挥资金使用效益。", "项目按进度推进，资金使用规范，服务对象总体满意。"),
)
# Printing habits of real tables, each drawn per table with these odds.
STYLE_ODDS = {
    "level_weights": 0.5,  # 产出指标(50分)
    "two_decimals": 0.5,  # 10.00 rather than 10
    "symbols": 0.5,  # ≥ ＞ rather than >= >
    "rate_percent": 0.5,  # 执行率 95.90% rather than 95.90
    "notes": 0.5,  # a 其他需要说明事项 row
    "numbers": 0.5,  # spreadsheets: figures typed as numbers (percent-formatted where printed with %)
    "thousands": 0.3,  # 2,816.42 and 12,000
    "words": 0.3,  # 不低于95%, 24小时以内 (inline targets)
    "padded": 0.2,  # an ideographic space before some scores (seed 000)
    "level2_variants": 0.3,  # 产出数量, 社会公众及服务对象满意度
    "line_breaks": 0.4,  # long names printed over two lines (not in tab-separated dumps)
    "repeat_header": 0.5,  # PDF: the header printed again on a continuation page
}
LEVEL2_PRINTED = {"数量指标": "产出数量", "质量指标": "产出质量", "时效指标": "产出时效", "生态效益指标": "生态效益",
                  "服务对象满意度指标": "社会公众及服务对象满意度"}
OP_WORDS = {">=": (("不低于", ""), ("不少于", ""), ("", "以上")), "<=": (("不超过", ""), ("", "以内")),
            ">": (("高于", ""), ("大于", "")), "<": (("低于", ""), ("少于", ""))}
BLANK_REASONS = ("", "\u3000", "无", "/", "—")
GRADE_FLOORS = (("优", 90), ("良", 80), ("中", 60), ("差", 0))
SYMBOLS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}

# ---------------------------------------------------------------- the table a document prints


@dataclass
class Indicator:
    """One indicator row; `printed` holds cell texts forced by a planted anomaly (role → text)."""

    level2: str
    name: str
    op: str | None  # >= > = <= <; None for a qualitative target
    target: float | str  # a number, or a phrase when qualitative
    actual: float | str
    unit: str
    wan: bool  # target and actual printed with 万
    weight: float = 0.0
    score: float = 0.0
    reason: str = ""
    variant: int = 0  # which word form, line break or padding this row gets when its table prints them
    printed: dict[str, str] = field(default_factory=dict)

    @property
    def level1(self) -> str:
        return LEVEL1_OF[self.level2]

    @property
    def quantitative(self) -> bool:
        return self.op is not None

    @property
    def full(self) -> bool:
        return abs(self.score - self.weight) < 1e-9


@dataclass
class Funds:
    """The 项目资金 block in 万元: 年度资金总额 and its parts (当年财政拨款, 上年结转资金)."""

    initial: float
    full: float
    executed: float
    carry: float  # 上年结转资金, all of it spent; 0 when none
    weight: float = 10.0
    printed: dict[str, str] = field(default_factory=dict)  # forced texts of the 年度资金总额 row

    @property
    def rate(self) -> float:
        return round(self.executed / self.full * 100, 2)

    @property
    def score(self) -> float:
        return round(min(self.rate, 100.0) / 100 * self.weight, 2)


@dataclass
class SelfEvalTable:
    scope: str  # "project" (项目支出绩效自评表, with the funds block) | "dept" (部门整体支出)
    layout: str  # "columns": 指标性质 | 指标值 | 度量单位 ; "inline": 年度指标值 such as ≥95%
    year: int
    department: str
    agency: str
    project: str | None
    goal: tuple[str, str]
    rows: list[Indicator]
    funds: Funds | None
    style: dict[str, bool]  # printing habits, see STYLE_ODDS
    printed: dict[str, str] = field(default_factory=dict)  # forced 总分 cells: total_weight, total_score, grade

    @property
    def title(self) -> str:
        kind = "项目支出绩效自评表" if self.scope == "project" else "部门整体支出绩效自评表"
        return f"{self.year}年度{kind}"

    @property
    def total_weight(self) -> float:
        return round(sum(r.weight for r in self.rows) + (self.funds.weight if self.funds else 0.0), 2)

    @property
    def total_score(self) -> float:
        return round(sum(r.score for r in self.rows) + (self.funds.score if self.funds else 0.0), 2)

    def freeze_totals(self) -> None:
        """Keep the 总分 row as printed now, whatever the rows become."""
        self.printed.setdefault("total_weight", self.number(self.total_weight))
        self.printed.setdefault("total_score", self.number(self.total_score))
        self.printed.setdefault("grade", grade_of(self.total_score))

    def number(self, v: float) -> str:
        """A weight or score as this table prints them."""
        return f"{v:.2f}" if self.style["two_decimals"] else trim(v)

    def amount(self, v: float) -> str:
        """A sum of money (万元), with thousands separators when the table uses them."""
        return f"{v:,.2f}" if self.style["thousands"] else f"{v:.2f}"


def grade_of(total: float) -> str:
    return next(g for g, floor in GRADE_FLOORS if total >= floor)


def trim(v: float, thousands: bool = False) -> str:
    """95.0 → "95", 0.975 → "0.975", 186.20 → "186.2"; 12000 → "12,000" with thousands separators."""
    return (f"{round(v, 4):,.4f}" if thousands else f"{round(v, 4):.4f}").rstrip("0").rstrip(".")


# ---------------------------------------------------------------- generating a correct table


def _round_target(rng: random.Random, lo: float, hi: float, unit: str) -> float:
    """A target as people set them: whole percents, counts with two significant figures."""
    v = rng.uniform(lo, hi)
    if unit == "%" or v < 100:
        return float(round(v))
    step = 10 ** (int(math.log10(v)) - 1)
    return float(round(v / step) * step)


def _met_actual(rng: random.Random, op: str, a: float, unit: str) -> float:
    """An actual that meets the target, below 1.2 × A (C15) and within 100 for a percent."""
    cap = 100.0 if unit == "%" else math.inf
    if op == "=" or (op == ">=" and a >= cap):
        return a
    if op in (">=", ">"):
        b = min(cap, a * rng.uniform(1.0, 1.15))
        b = round(b, 1) if unit == "%" else float(max(math.floor(b), a))
        return b if b > a or op == ">=" else min(cap, a + 1)
    b = math.floor(a * rng.uniform(0.55, 0.98))  # <=, <
    return float(max(b, 1) if b < a else a - 1)


def _pick_indicators(rng: random.Random) -> list[Indicator]:
    """3–7 output rows, 1–4 benefit rows (some qualitative), 1–2 satisfaction rows, in template order."""
    by_level1: dict[str, list] = {}
    for t in QUANTITATIVE + QUALITATIVE:
        by_level1.setdefault(LEVEL1_OF[t[0]], []).append(t)
    chosen = []
    for l1, (lo, hi) in (("产出指标", (3, 7)), ("效益指标", (1, 4)), ("满意度指标", (1, 2))):
        chosen += rng.sample(by_level1[l1], rng.randint(lo, hi))
    chosen.sort(key=lambda t: LEVEL2_ORDER.index(t[0]))
    rows = []
    for t in chosen:
        if len(t) == 4:
            rows.append(Indicator(t[0], t[1], None, t[2], t[3], "", False))
            continue
        l2, name, unit, op, lo, hi, wan_ok = t
        a = _round_target(rng, lo, hi, unit)
        if op == ">" and unit == "%":
            a = min(a, 98.0)
        b = _met_actual(rng, op, a, unit)
        wan = wan_ok and a >= 10000 and rng.random() < 0.7
        if wan:
            b = float(round(b, -2))
        rows.append(Indicator(l2, name, op, a, b, unit, wan))
    for r in rows:
        r.variant = rng.randrange(3)
    return rows


def _split_weight(rng: random.Random, total: int, k: int) -> list[float]:
    """total points over k rows, each at least 2, whole numbers."""
    weights = [2] * k
    for _ in range(total - 2 * k):
        weights[rng.randrange(k)] += 1
    return [float(w) for w in weights]


def _assign_weights(rng: random.Random, rows: list[Indicator], scope: str) -> None:
    shares = {"产出指标": 50, "效益指标": 30, "满意度指标": 10} if scope == "project" else \
        rng.choice(({"产出指标": 60, "效益指标": 30, "满意度指标": 10}, {"产出指标": 50, "效益指标": 40, "满意度指标": 10}))
    for l1, total in shares.items():
        group = [r for r in rows if r.level1 == l1]
        for r, w in zip(group, _split_weight(rng, total, len(group))):
            r.weight = r.score = w


def _deduct(rng: random.Random, rows: list[Indicator], profile: str) -> None:
    """Shortfalls scored by the proportional rule (DOMAIN §2.4), each with its reason."""
    open_rows = [r for r in rows if r.op == ">=" and r.target >= 10]
    k = {"none": 0, "light": 1, "heavy": rng.randint(3, 5)}[profile]
    for r in rng.sample(open_rows, min(k, len(open_rows))):
        low, high = (0.3, 0.8) if profile == "heavy" else (0.7, 0.97)
        b = r.target * rng.uniform(low, high)
        b = float(round(b, -2) if r.wan else round(b))
        score = math.floor(r.weight * b / r.target * 100) / 100
        if 0 < b < r.target and score < r.weight - 0.1:
            r.actual, r.score, r.reason = b, score, rng.choice(DEDUCTION_REASONS)


def _funds(rng: random.Random) -> Funds:
    initial = round(rng.uniform(20, 3000), 2)
    full = round(initial * rng.uniform(0.9, 1.15), 2)
    executed = full if rng.random() < 0.2 else round(full * rng.uniform(0.85, 1.0), 2)
    carry = 0.0 if rng.random() < 0.5 else round(full * rng.uniform(0.05, 0.2), 2)
    return Funds(initial, full, executed, min(carry, initial))


def generate_table(rng: random.Random, scope: str | None = None, profile: str | None = None) -> SelfEvalTable:
    """A correct self-evaluation table drawn from rng."""
    scope = scope or rng.choice(("project", "project", "dept"))
    profile = profile or rng.choice(("none", "none", "light", "light", "heavy"))
    place = rng.choice(PLACES)
    dept, agency, topics = rng.choice(AGENCIES)
    rows = _pick_indicators(rng)
    _assign_weights(rng, rows, scope)
    _deduct(rng, rows, profile)
    style = {k: rng.random() < odds for k, odds in STYLE_ODDS.items()}
    return SelfEvalTable(
        scope=scope, layout=rng.choice(("columns", "inline")), year=rng.randint(2021, 2024),
        department=place + dept, agency=place + agency,
        project=rng.choice(topics) if scope == "project" else None, goal=rng.choice(GOALS), rows=rows,
        funds=_funds(rng) if scope == "project" else None, style=style,
    )


# ---------------------------------------------------------------- printed cells


def _value_text(t: SelfEvalTable, r: Indicator, v: float, with_unit: bool) -> str:
    if r.wan:  # 3万册 inline; 3万 over a 度量单位 of 册 (seed 004's 23.1万 份)
        return f"{trim(v / 10000)}万" + (r.unit if with_unit else "")
    return trim(v, t.style["thousands"]) + (r.unit if with_unit else "")


def inline_target(t: SelfEvalTable, r: Indicator, value: str) -> str:
    """A target with its operator inline: ≥95%, >=95%, 不低于95%, 95%以上; a bare figure for '='."""
    if r.op == "=":
        return value
    if t.style["words"]:
        words = OP_WORDS[r.op]
        before, after = words[r.variant % len(words)]
        return before + value + after
    return (SYMBOLS[r.op] if t.style["symbols"] else r.op) + value


def _name_text(t: SelfEvalTable, r: Indicator) -> str:
    if t.style["line_breaks"] and len(r.name) >= 7 and r.variant != 2:
        cut = len(r.name) // 2 + r.variant
        return r.name[:cut] + "\n" + r.name[cut:]
    return r.name


def _op_text(t: SelfEvalTable, r: Indicator) -> str:
    if r.op is None:
        return "定性"
    return SYMBOLS[r.op] if t.style["symbols"] else r.op


def row_texts(t: SelfEvalTable, r: Indicator) -> dict[str, str]:
    """Role → printed text of one indicator row (roles of the table's layout only)."""
    inline = t.layout == "inline"
    if r.quantitative:
        target = _value_text(t, r, r.target, inline)
        target = inline_target(t, r, target) if inline else target
        actual = _value_text(t, r, r.actual, inline)
    else:
        target, actual = r.target, r.actual
    pad = "\u3000" if t.style["padded"] and r.variant == 0 else ""
    out = {"name": _name_text(t, r), "target": target, "actual": actual, "weight": t.number(r.weight),
           "score": pad + t.number(r.score), "reason": r.reason}
    if not inline:
        out.update(op=_op_text(t, r), unit=r.unit)
    out.update(r.printed)
    return out


def level_label(t: SelfEvalTable, level1: str) -> str:
    if not t.style["level_weights"]:
        return level1
    weight = sum(r.weight for r in t.rows if r.level1 == level1)
    return f"{level1}（{trim(weight)}分）" if t.style["symbols"] else f"{level1}({trim(weight)}分)"


def funds_texts(t: SelfEvalTable) -> list[tuple[str, list[str]]]:
    """(label, [年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]) per fund row."""
    f = t.funds
    pct = "%" if t.style["rate_percent"] else ""

    def rate(done: float, full: float) -> str:
        return f"{done / full * 100:.2f}{pct}"

    total = [t.amount(f.initial), t.amount(f.full), t.amount(f.executed), trim(f.weight), f"{f.rate:.2f}{pct}", f"{f.score:.2f}"]
    for i, role in enumerate(("budget_initial", "budget_full", "executed", "weight", "rate", "score")):
        total[i] = f.printed.get(role, total[i])
    fiscal = (f.initial - f.carry, f.full - f.carry, f.executed - f.carry)
    rows = [("年度资金总额", total),
            ("其中：当年财政拨款", [t.amount(v) for v in fiscal] + ["—", rate(fiscal[2], fiscal[1]), "—"])]
    if f.carry:
        rows.append(("上年结转资金", [t.amount(f.carry)] * 3 + ["—", rate(1, 1), "—"]))
    else:
        rows.append(("上年结转资金", ["", "", "", "—", "", "—"]))
    rows.append(("其他资金", ["—", "—", "—", "—", "", "—"]))
    return rows


def total_texts(t: SelfEvalTable) -> list[str]:
    return [t.printed.get("total_weight", t.number(t.total_weight)), t.printed.get("total_score", t.number(t.total_score)),
            t.printed.get("grade", grade_of(t.total_score))]


# ---------------------------------------------------------------- the grid: sections of spanned cells


@dataclass(frozen=True)
class Span:
    row: int  # within its section
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass(frozen=True)
class Section:
    name: str  # info | funds | goals | header | body | notes | total
    rows: int
    spans: tuple[Span, ...]


COLUMNS_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
BODY_ROLES = {"columns": ("name", "op", "target", "unit", "actual", "weight", "score", "reason"),
              "inline": ("name", "target", "actual", "weight", "score", "reason")}


def n_cols(t: SelfEvalTable) -> int:
    return 2 + len(BODY_ROLES[t.layout])


def _info(t: SelfEvalTable, n: int) -> Section:
    half = (n - 2) // 2
    return Section("info", 2, (Span(0, 0, 1, 1, "项目名称"), Span(0, 1, 1, n - 1, t.project),
                               Span(1, 0, 1, 1, "主管部门"), Span(1, 1, 1, half, t.department),
                               Span(1, 1 + half, 1, 1, "实施单位"), Span(1, 2 + half, 1, n - 2 - half, t.agency)))


def _funds_section(t: SelfEvalTable, n: int) -> Section:
    lw = n - 7  # the row label spans what the six figures leave
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    rows = funds_texts(t)
    spans = [Span(0, 0, 1 + len(rows), 1, "项目资金（万元）"), Span(0, 1, 1, lw, "")]
    spans += [Span(0, 1 + lw + k, 1, 1, h) for k, h in enumerate(heads)]
    for i, (label, values) in enumerate(rows, start=1):
        spans.append(Span(i, 1, 1, lw, label))
        spans += [Span(i, 1 + lw + k, 1, 1, v) for k, v in enumerate(values)]
    return Section("funds", 1 + len(rows), tuple(spans))


def _goals(t: SelfEvalTable, n: int) -> Section:
    a = (n - 1) // 2
    return Section("goals", 2, (Span(0, 0, 2, 1, "年度总体目标"), Span(0, 1, 1, a, "预期目标"),
                                Span(0, 1 + a, 1, n - 1 - a, "实际完成情况"), Span(1, 1, 1, a, t.goal[0]),
                                Span(1, 1 + a, 1, n - 1 - a, t.goal[1])))


def _header(t: SelfEvalTable) -> Section:
    if t.layout == "inline":
        return Section("header", 1, tuple(Span(0, c, 1, 1, h) for c, h in enumerate(COLUMNS_HEADER)))
    spans = [Span(0, c, 2, 1, h) for c, h in enumerate(COLUMNS_HEADER[:3])]
    spans += [Span(0, 3, 1, 3, "年度指标值")] + [Span(1, 3 + k, 1, 1, h) for k, h in enumerate(("指标性质", "指标值", "度量单位"))]
    spans += [Span(0, 6 + k, 2, 1, h) for k, h in enumerate(COLUMNS_HEADER[4:])]
    return Section("header", 2, tuple(spans))


def _body(t: SelfEvalTable) -> Section:
    spans = []
    for i, r in enumerate(t.rows):
        texts = row_texts(t, r)
        spans += [Span(i, 2 + k, 1, 1, texts[role]) for k, role in enumerate(BODY_ROLES[t.layout])]
    for col, key in ((0, lambda r: r.level1), (1, lambda r: (r.level1, r.level2))):
        for a, b in writers.runs_of_equal([key(r) for r in t.rows]):
            l2 = t.rows[a].level2
            text = level_label(t, t.rows[a].level1) if col == 0 else \
                (LEVEL2_PRINTED.get(l2, l2) if t.style["level2_variants"] else l2)
            spans.append(Span(a, col, b - a + 1, 1, text))
    return Section("body", len(t.rows), tuple(spans))


def grid_sections(t: SelfEvalTable) -> list[Section]:
    n = n_cols(t)
    out = [_info(t, n), _funds_section(t, n), _goals(t, n)] if t.scope == "project" else []
    out += [_header(t), _body(t)]
    if t.style["notes"]:
        out.append(Section("notes", 1, (Span(0, 0, 1, 3, "其他需要说明事项"), Span(0, 3, 1, n - 3, "无"))))
    out.append(Section("total", 1, (Span(0, 0, 1, n - 3, "总分"),) + tuple(Span(0, n - 3 + k, 1, 1, v) for k, v in enumerate(total_texts(t)))))
    return out


def grid_spans(sections: list[Section]) -> tuple[list[Span], int]:
    """Every span with its row counted from the top of the table, and the number of rows."""
    out, top = [], 0
    for s in sections:
        out += [Span(top + c.row, c.col, c.rowspan, c.colspan, c.text) for c in s.spans]
        top += s.rows
    return out, top


# ---------------------------------------------------------------- documents: text dump, DOCX, XLSX, PDF


def _dump_rows(sections: list[Section], n: int) -> list[list[str]]:
    """The grid as a dump tool prints it: a merged cell's text in its first position and empty cells
    after it, except in the funds block, whose merged labels give one cell (seed 004's dumps)."""
    rows = []
    for s in sections:
        for r in range(s.rows):
            cells: list[str | None] = [""] * n
            for c in s.spans:
                if c.row <= r < c.row + c.rowspan:
                    for k in range(c.col, c.col + c.colspan):
                        cells[k] = None if (s.name == "funds" and k > c.col) else ""
                    cells[c.col] = c.text if c.row == r else ""
            rows.append([x for x in cells if x is not None])
    return rows


def write_text(t: SelfEvalTable, path: Path, rng: random.Random) -> None:
    """A text dump, tab-separated (leading empty cells of some body rows lost, as in real dumps) or
    one cell per line (a TAB before every cell, a blank line after every row)."""
    sections = grid_sections(t)
    rows = _dump_rows(sections, n_cols(t))
    body_start = sum(s.rows for s in sections[: [s.name for s in sections].index("body")])
    head = [t.department + f"{t.year}年度绩效自评结果", "", rng.choice(("附表1", "附件2")), "", t.title, ""]
    if rng.random() < 0.5:
        lines = head
        for i, cells in enumerate(rows):
            cells = [c.replace("\n", "") for c in cells]
            in_body = body_start <= i < body_start + len(t.rows)
            if in_body and t.layout == "columns" and not cells[0] and rng.random() < 0.3:
                cells = cells[1:] + [""]
            lines.append("\t".join(cells))
    else:
        lines = head[:-1]
        for cells in rows:
            lines.append("")
            for c in cells:
                lines.append("\t" + c)
    lines += ["", "备注：执行率按全年执行数除以全年预算数计算。", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _tc(span: Span, continued: bool) -> str:
    props = (f'<w:gridSpan w:val="{span.colspan}"/>' if span.colspan > 1 else "") + \
            ('<w:vMerge/>' if continued else ('<w:vMerge w:val="restart"/>' if span.rowspan > 1 else ""))
    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
                    for line in ([] if continued else span.text.split("\n"))) or "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"


def table_xml(spans: list[Span], n_rows: int, n: int) -> str:
    """A w:tbl with gridSpan / vMerge, as Word writes merged cells; positions no span covers are empty cells."""
    at = {}
    for s in spans:
        for r in range(s.row, s.row + s.rowspan):
            at[(r, s.col)] = s
    rows = []
    for r in range(n_rows):
        cells, c = [], 0
        while c < n:
            s = at.get((r, c)) or Span(r, c, 1, 1, "")
            cells.append(_tc(s, continued=s.row < r))
            c += s.colspan
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    grid = "".join('<w:gridCol w:w="900"/>' for _ in range(n))
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


@functools.lru_cache(maxsize=1)
def _docx_package() -> tuple[tuple[str, bytes], ...]:
    """The parts of an empty document as samples makes them (fixed core properties), built once:
    python-docx takes tens of milliseconds to build and save a package."""
    buf = io.BytesIO()
    writers.new_docx().save(buf)
    with zipfile.ZipFile(buf) as z:
        return tuple((name, z.read(name)) for name in z.namelist())


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(t: SelfEvalTable, path: Path, rng: random.Random) -> None:
    """The title, the table (gridSpan / vMerge) and a note, in the body of samples' empty document;
    zip members carry samples' fixed time."""
    spans, n_rows = grid_spans(grid_sections(t))
    body = _paragraph(t.title) + (_paragraph(f"部门名称：{t.department}") if t.scope == "dept" else "")
    body += table_xml(spans, n_rows, n_cols(t)) + _paragraph("注：执行率按全年执行数除以全年预算数计算。")
    stamp = writers.FIXED_TIME.timetuple()[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _docx_package():
            if name == "word/document.xml":
                text = data.decode("utf-8")
                at = text.rindex("<w:sectPr")
                data = (text[:at] + body + text[at:]).encode("utf-8")
            z.writestr(zipfile.ZipInfo(name, date_time=stamp), data, zipfile.ZIP_DEFLATED)


_PLAIN_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(%?)$")  # a figure a spreadsheet would type as a number


def write_xlsx(t: SelfEvalTable, path: Path, rng: random.Random) -> None:
    """One sheet: the title over the table, merged ranges as printed; plain numbers typed as numbers
    when the table's style says so."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = writers.FIXED_TIME
    ws = wb.active
    ws.title = "自评表"
    n = n_cols(t)
    ws.cell(1, 1, t.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    spans, _ = grid_spans(grid_sections(t))
    for s in spans:
        cell = ws.cell(2 + s.row, 1 + s.col)
        m = _PLAIN_NUMBER.match(s.text)
        if t.style["numbers"] and m and m.group(2):
            cell.value, cell.number_format = float(m.group(1)) / 100, "0.00%"
        elif t.style["numbers"] and m:
            cell.value = float(s.text)
        elif s.text:
            cell.value = s.text
        if s.rowspan > 1 or s.colspan > 1:
            ws.merge_cells(start_row=2 + s.row, start_column=1 + s.col,
                           end_row=1 + s.row + s.rowspan, end_column=s.col + s.colspan)
    wb.save(path)
    writers.fix_zip_times(path)


PDF_WIDTHS = {"inline": writers.PDF_WIDTHS, "columns": (36, 50, 84, 40, 46, 44, 50, 44, 46, 100)}


def _pdf_heights(spans: list[Span], n_rows: int, widths) -> list[float]:
    lines = [1] * n_rows
    for s in spans:
        if s.rowspan == 1 and s.text:
            w = sum(widths[s.col:s.col + s.colspan])
            lines[s.row] = max(lines[s.row], len(writers.pdf_wrap(s.text, w)))
    return [writers.pdf_row_height(k) for k in lines]


def _paginate(heights: list[float], repeated: float) -> list[tuple[int, int]]:
    """(first row, end row) per page: rows fill page 1 from the caption down, later pages from the top
    (below a repeated header `repeated` points high)."""
    pages, start, y = [], 0, writers.PDF_TOP
    for r, h in enumerate(heights):
        if y + h > writers.PDF_BOTTOM and r > start:
            pages.append((start, r))
            start, y = r, writers.PDF_TOP2 + repeated
        y += h
    return pages + [(start, len(heights))]


def _page_cells(spans: list[Span], a: int, b: int, shift: int) -> list[tuple]:
    """writers.pdf_page cells of grid rows a..b, moved up to row `shift`; a merged cell cut by the
    page break keeps its text on the page where it starts."""
    cells = []
    for s in spans:
        top, end = max(s.row, a), min(s.row + s.rowspan, b)
        if top < end:
            centred = bool(_PLAIN_NUMBER.match(s.text)) or s.col < 2
            cells.append((top - a + shift, s.col, end - top, s.colspan, s.text if top == s.row else "", "c" if centred else "l"))
    return cells


def write_pdf(t: SelfEvalTable, path: Path, rng: random.Random) -> None:
    """Ruled grid on A4 pages (samples' PDF primitives); a merged cell cut by a page break continues
    on the next page as an empty merged cell, as word processors print it; the header is printed
    again on later pages when the table's style says so."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if writers.PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(writers.PDF_FONT))
    widths = PDF_WIDTHS[t.layout]
    xs = [writers.PDF_X0]
    for w in widths:
        xs.append(xs[-1] + w)
    sections = grid_sections(t)
    spans, n_rows = grid_spans(sections)
    spans = [Span(s.row, s.col, s.rowspan, s.colspan, s.text.replace("\n", "")) for s in spans]  # wrapped by width
    heights = _pdf_heights(spans, n_rows, widths)
    h0 = sum(s.rows for s in sections[: [s.name for s in sections].index("header")])
    h1 = h0 + next(s.rows for s in sections if s.name == "header")
    repeat = t.style["repeat_header"]
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(t.title)
    for page, (a, b) in enumerate(_paginate(heights, sum(heights[h0:h1]) if repeat else 0.0), start=1):
        if page == 1:
            c.setFont(writers.PDF_FONT, 16)
            c.drawCentredString(A4[0] / 2, A4[1] - 78, t.title)
            if t.scope == "dept":
                c.setFont(writers.PDF_FONT, 10.5)
                c.drawString(writers.PDF_X0, A4[1] - 103, f"部门名称：{t.department}")
        head = list(range(h0, h1)) if repeat and page > 1 else []
        cells = (_page_cells(spans, h0, h1, 0) if head else []) + _page_cells(spans, a, b, len(head))
        ys = [writers.PDF_TOP if page == 1 else writers.PDF_TOP2]
        for h in [heights[r] for r in head] + heights[a:b]:
            ys.append(ys[-1] + h)
        writers.pdf_page(c, cells, xs, ys, page)
        c.showPage()
    c.save()


WRITERS = {"txt": write_text, "docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


# ---------------------------------------------------------------- planting one anomaly


@dataclass(frozen=True)
class Expected:
    """What a reviewer should find: one of `row_rules` on the planted row, or one of `table_rules`
    as a table-level finding (row_index null) on the indicator table."""

    kind: str
    row: int | None  # body row index of the planted row
    name: str | None  # its 三级 name, whitespace removed
    row_rules: tuple[str, ...]
    table_rules: tuple[str, ...]
    change: str  # what was changed, for a reviewer reading a miss


def _pick(rng: random.Random, t: SelfEvalTable, pred) -> int | None:
    idx = [i for i, r in enumerate(t.rows) if pred(r)]
    return rng.choice(idx) if idx else None


def _expect(kind, t, i, row_rules=(), table_rules=(), change="") -> Expected:
    name = re.sub(r"\s+", "", t.rows[i].name) if i is not None else None
    return Expected(kind, i, name, tuple(row_rules), tuple(table_rules), change)


def plant_zero_actual(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """实际完成值 → 0 (or 未开展: nothing done) while the score stays (seed 004's projects not carried out)."""
    i = _pick(rng, t, lambda r: r.op in (">=", ">", "=") and r.target > 0 and r.score > 0)
    if i is None:
        return None
    r = t.rows[i]
    r.actual = 0.0
    text = rng.choice(("0", "0", "0.00", "未开展", "未实施"))
    r.printed["actual"] = text + (r.unit if t.layout == "inline" and text[0] == "0" else "")
    return _expect("zero_actual", t, i, ("C13",), change=f"{r.name}: actual {r.printed['actual']}, score {r.score}")


def plant_inflate_score(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """得分 above 分值; half the time the 总分 follows (only C01 can tell), else it stays (C01 or C02)."""
    i = rng.randrange(len(t.rows))
    r = t.rows[i]
    keep_total = rng.random() < 0.5
    if keep_total:
        t.freeze_totals()
    r.score = r.weight + rng.choice((0.5, 1.0, 2.0, 3.0, 5.0))
    return _expect("inflate_score", t, i, ("C01",), ("C02",) if keep_total else (),
                   change=f"{r.name}: score {r.score} of {r.weight}" + (", total kept" if keep_total else ""))


def plant_break_sum(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """The printed 总分 or 总分值 no longer adds up: the total changed, or one row's weight or score changed under it."""
    t.freeze_totals()
    how = rng.choice(("total_score", "total_weight", "row_weight", "row_score"))
    delta = rng.choice((-5.0, -2.0, -1.0, 1.0, 2.0, 5.0, 10.0))
    if how in ("total_score", "total_weight"):
        now = t.total_score if how == "total_score" else t.total_weight
        t.printed[how] = t.number(now + delta)
        return _expect("break_sum", t, None, table_rules=("C02",) if how == "total_score" else ("C03",),
                       change=f"printed {how} {now} → {now + delta}")
    i = rng.randrange(len(t.rows))
    r = t.rows[i]
    before = (r.weight, r.score)
    if how == "row_weight":
        r.weight = max(1.0, r.weight + delta)
    else:
        r.score = max(0.0, r.score - abs(delta))
    if (r.weight, r.score) == before:
        return None
    return _expect("break_sum", t, None, table_rules=("C03",) if how == "row_weight" else ("C02",),
                   change=f"{r.name}: weight {before[0]} → {r.weight}, score {before[1]} → {r.score}")


def plant_swap_unit(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """Scale slips: a percent printed as a fraction (95 % ↔ 0.95), or 万 dropped from an actual (3.2万册 → 3.2册)."""
    ways = []
    pct = [i for i, r in enumerate(t.rows) if r.unit == "%" and r.quantitative]
    wan = [i for i, r in enumerate(t.rows) if r.wan and r.op in (">=", ">") and r.full]
    if pct:
        ways += ["actual_fraction", "target_fraction"]
    if wan:
        ways += ["wan_dropped"] * 2
    if not ways:
        return None
    how = rng.choice(ways)
    if how == "wan_dropped":
        i = rng.choice(wan)
        r = t.rows[i]
        r.printed["actual"] = trim(r.actual / 10000) + (r.unit if t.layout == "inline" else "")
        return _expect("swap_unit", t, i, ("C11", "C16"), change=f"{r.name}: actual {r.printed['actual']} (万 dropped)")
    i = rng.choice(pct)
    r = t.rows[i]
    inline = t.layout == "inline"
    if how == "actual_fraction":
        r.printed["actual"] = trim(r.actual / 100) + ("%" if inline and rng.random() < 0.5 else "")
    else:
        fraction = trim(r.target / 100)
        r.printed["target"] = inline_target(t, r, fraction + "%") if inline else fraction
    return _expect("swap_unit", t, i, ("C16",), change=f"{r.name}: {how} {r.printed}")


def plant_misstate_rate(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """The printed 执行率 is not 全年执行数 / 全年预算数: off by some points, or over 年初预算数 (the wrong denominator)."""
    f = t.funds
    if f is None:
        return None
    pct = "%" if t.style["rate_percent"] else ""
    by_initial = f.executed / f.initial * 100
    if abs(by_initial - f.rate) > 0.5 and rng.random() < 0.4:
        printed, how = by_initial, "over 年初预算数"
    else:
        printed = f.rate + rng.choice((-1, 1)) * round(rng.uniform(0.3, 8.0), 2)
        printed, how = (printed if printed <= 100 else f.rate - abs(printed - f.rate)), "off"
    f.printed["rate"] = f"{printed:.2f}{pct}"
    return _expect("misstate_rate", t, None, table_rules=("C05",), change=f"rate {f.rate} printed {f.printed['rate']} ({how})")


def plant_missed_full_marks(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """The actual misses its target by the operator, yet the row keeps full marks."""
    i = _pick(rng, t, lambda r: r.op in (">=", ">", "<=", "<") and r.full and (r.op in (">=", ">") or r.unit != "%"))
    if i is None:
        return None
    r = t.rows[i]
    if r.op in (">=", ">"):
        b = r.target * rng.uniform(0.5, 0.95)
        b = round(b, -2) if r.wan else (round(b, 1) if r.unit == "%" else math.floor(b))
        b = min(b, r.target - (100 if r.wan else 1))
    else:
        b = float(math.ceil(r.target * rng.uniform(1.1, 1.8)))
    if b <= 1:
        return None
    r.actual = float(b)
    return _expect("missed_full_marks", t, i, ("C11",), change=f"{r.name}: target {r.op}{r.target}, actual {b}, full marks")


def plant_deduction_no_reason(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """Points taken off a row, the 偏差原因 cell left blank (or 无, /, —); the 总分 follows."""
    i = _pick(rng, t, lambda r: r.full and not r.reason)
    if i is None:
        return None
    r = t.rows[i]
    r.score = round(r.weight - max(0.5, round(r.weight * rng.uniform(0.1, 0.5), 1)), 2)
    r.reason = rng.choice(BLANK_REASONS)
    return _expect("deduction_no_reason", t, i, ("C14",), change=f"{r.name}: score {r.score} of {r.weight}, reason {r.reason!r}")


def plant_grade_mismatch(t: SelfEvalTable, rng: random.Random) -> Expected | None:
    """The printed grade is outside the total's band: 优 under 90, or a lower grade over 90."""
    total = t.total_score
    wrong = "优" if total < 90 else rng.choice(("良", "中"))
    t.printed["grade"] = wrong
    return _expect("grade_mismatch", t, None, table_rules=("C24",), change=f"total {total}, grade {wrong}")


PLANTERS = {
    "zero_actual": plant_zero_actual,
    "inflate_score": plant_inflate_score,
    "break_sum": plant_break_sum,
    "swap_unit": plant_swap_unit,
    "misstate_rate": plant_misstate_rate,
    "missed_full_marks": plant_missed_full_marks,
    "deduction_no_reason": plant_deduction_no_reason,
    "grade_mismatch": plant_grade_mismatch,
}
KINDS = tuple(PLANTERS)


# ---------------------------------------------------------------- documents in batches, and scoring them


@dataclass(frozen=True)
class Planted:
    path: Path
    fmt: str
    table: SelfEvalTable  # as printed, anomaly included
    clean: SelfEvalTable  # the same table before the anomaly was planted
    expected: Expected | None  # None for a clean document


def make_document(kind: str | None, index: int, seed: int, out_dir: Path) -> Planted:
    """Document `index` of a batch: formats in turn, content from a generator seeded by (seed, kind, index).
    Tables where the kind has nothing to plant on are redrawn."""
    rng = random.Random(f"{seed}:{kind}:{index}")
    fmt = FORMATS[index % len(FORMATS)]
    for _ in range(100):
        profile = "heavy" if kind == "grade_mismatch" and rng.random() < 0.5 else None
        table = generate_table(rng, scope="project" if kind == "misstate_rate" else None, profile=profile)
        clean = copy.deepcopy(table)
        expected = PLANTERS[kind](table, rng) if kind else None
        if kind is None or expected is not None:
            break
    else:
        raise RuntimeError(f"no table to plant {kind} on (seed {seed}, index {index})")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / f"{kind or 'clean'}_{index:04d}.{fmt}"
    WRITERS[fmt](table, path, rng)
    return Planted(path, fmt, table, clean, expected)


def matching_rules(expected: Expected, findings) -> set[str]:
    """The expected rules that fired where they should: on the planted row (row rules), or on the
    table as a whole (table rules)."""
    out = set()
    for f in findings:
        if f.row_index is None:
            if f.rule in expected.table_rules:
                out.add(f.rule)
        elif f.rule in expected.row_rules and f.row_index == expected.row and \
                re.sub(r"\s+", "", f.name or "") == expected.name:
            out.add(f.rule)
    return out


def misread(t: SelfEvalTable, res) -> list[str]:
    """Where the rows and totals read back differ from what a clean table prints: a quiet clean
    document only counts when it was read in full."""
    tables = [x for x in res.tables if x.kind in ("project_self_eval", "dept_self_eval")]
    if len(tables) != 1:
        return [f"{len(tables)} self-evaluation tables read, 1 printed"]
    rows = [r for r in res.rows if r.table_index == tables[0].provenance.table_index]
    out = [] if len(rows) == len(t.rows) else [f"{len(rows)} rows read, {len(t.rows)} printed"]
    for got, r in zip(rows, t.rows):
        want = {"name": r.name, "level1": r.level1, "level2": r.level2, "weight": r.weight, "score": r.score,
                "target_value": r.target if r.quantitative else None, "actual_value": r.actual if r.quantitative else None}
        read = {k: getattr(got, k) for k in want} | {"name": re.sub(r"\s+", "", got.name or "")}
        out += [f"row {got.row_index} {k}: read {read[k]!r}, printed {v!r}" for k, v in want.items() if read[k] != v]
    meta = tables[0].meta
    read = {"total_weight": meta.total_weight, "total_score": meta.total_score, "grade": meta.grade,
            "funds rate": (meta.funds or [{}])[0].get("rate")}
    want = {"total_weight": t.total_weight, "total_score": t.total_score, "grade": grade_of(t.total_score)}
    if t.funds:
        want["funds rate"] = t.funds.rate
    return out + [f"{k}: read {read[k]!r}, printed {v!r}" for k, v in want.items() if read[k] != v]


def read_document(path: Path):
    from pipeline.extract import extract_file

    return extract_file(path, READ_OPTIONS)


@dataclass(frozen=True)
class Outcome:
    kind: str  # a planted kind, or "clean"
    n: int
    hits: int  # planted: anomalies found; clean: documents with no finding above info
    notes: tuple[str, ...]  # one line per miss (planted) or per false alarm or misreading (clean)
    by_format: dict[str, tuple[int, int]]  # format → (hits, n)
    by_rule: dict[str, int]  # planted: documents where each expected rule fired; clean: findings above info by rule

    @property
    def rate(self) -> float:
        return self.hits / self.n if self.n else 0.0


def evaluate(kind: str | None, n: int, seed: int, out_dir: Path) -> Outcome:
    """Recall of one planted kind over n documents, or (kind None) how many clean documents stay quiet."""
    from pipeline.checks import check_document

    hits, notes, by_format, by_rule = 0, [], {}, {}
    for i in range(n):
        doc = make_document(kind, i, seed, out_dir)
        try:
            res = read_document(doc.path)
        except Exception as exc:  # a document the reader refuses counts against the kind, named
            notes.append(f"{doc.path.name}: unreadable ({type(exc).__name__}: {exc})")
            by_format[doc.fmt] = (by_format.get(doc.fmt, (0, 0))[0], by_format.get(doc.fmt, (0, 0))[1] + 1)
            continue
        findings = check_document(res)
        if doc.expected is None:
            loud = [f for f in findings if f.severity in ("error", "warning")]
            wrong = misread(doc.table, res)
            ok = not loud and not wrong
            notes += [f"{doc.path.name}: {f.rule} {f.severity} row {f.row_index} {f.name}: {f.message}" for f in loud]
            notes += [f"{doc.path.name}: misread {w}" for w in wrong]
            rules = [f.rule for f in loud]
        else:
            rules = sorted(matching_rules(doc.expected, findings))
            ok = bool(rules)
            if not ok:
                notes.append(f"{doc.path.name}: {doc.expected.change}; found {sorted({(f.rule, f.row_index) for f in findings}, key=str)}")
        for r in rules:
            by_rule[r] = by_rule.get(r, 0) + 1
        hits += ok
        h, m = by_format.get(doc.fmt, (0, 0))
        by_format[doc.fmt] = (h + ok, m + 1)
    return Outcome(kind or "clean", n, hits, tuple(notes), by_format, by_rule)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.planted", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="documents per kind (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="keep the documents here (default: a temporary folder)")
    ap.add_argument("--kind", action="append", choices=KINDS + ("clean",), help="only these kinds (repeatable)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for kind in args.kind or KINDS + ("clean",):
            o = evaluate(None if kind == "clean" else kind, args.n, args.seed, out)
            label = "quiet" if kind == "clean" else "recall"
            formats = " ".join(f"{k} {h}/{m}" for k, (h, m) in sorted(o.by_format.items()))
            rules = " ".join(f"{k} {v}" for k, v in sorted(o.by_rule.items())) or "-"
            print(f"{o.kind:<20} {label} {o.rate:.3f} ({o.hits}/{o.n})  {formats}  rules: {rules}")
            for line in o.notes[:5]:
                print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
