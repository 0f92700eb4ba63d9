"""The records of documents, tables, indicator rows, results and findings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, TypedDict

from .money_records import MoneyTable, Passage
from .places import BBox


@dataclass(frozen=True)
class Provenance:
    source: str  # path as given by the user
    sha256: str
    page: int | None = None  # 1-based; None when the format has no pages
    sheet: str | None = None
    table_index: int = 0


@dataclass(frozen=True)
class Cell:
    """One printed cell of a raw grid. Spans are explicit; a covered position has no Cell."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    page: int | None = None
    confidence: float | None = None  # the lowest OCR confidence of its characters; None when not OCR'd
    # Whether its text visibly fits: it wraps, or a glyph more would fit before the right edge. A cell
    # cut to a fixed width (DOMAIN §5.8) runs to its edge. None when the reader knows no geometry
    fits: bool | None = None


@dataclass(frozen=True)
class RawTable:
    """A grid as a reader found it, before any interpretation."""

    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    page: int | None = None
    sheet: str | None = None
    context: tuple[str, ...] = ()  # text lines printed just above the table (title, 项目名称 …)
    aligned: bool = True  # False for text dumps whose rows may have lost leading empty cells
    source_engine: str = ""  # which extractor produced the grid (for the quality report)
    notes: tuple[str, ...] = ()  # why this source was used, what the reader noticed

    def grid(self) -> list[list[str | None]]:
        """Row-major text grid; positions covered by a span hold None (pdfplumber's convention)."""
        g: list[list[str | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            if c.row < self.n_rows and c.col < self.n_cols:
                g[c.row][c.col] = c.text
        return g


@dataclass(frozen=True)
class TextBlock:
    text: str
    page: int | None = None


@dataclass(frozen=True)
class DocError:
    """A problem met while reading one part of a document (a page, a table, a stage); the rest of the
    document was still read. `partial` is False for a notice that loses nothing (HTML saved as .pdf)."""

    message: str
    page: int | None = None
    table: int | None = None  # index of the raw table, when the problem is inside one
    partial: bool = True
    detail: str | None = None  # the traceback of a caught failure (printed with --debug)


@dataclass
class Document:
    source: str
    sha256: str
    format: str
    pages: int | None = None
    tables: list[RawTable] = field(default_factory=list)
    text: list[TextBlock] = field(default_factory=list)
    errors: list[DocError] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)  # pages without a text layer (scanned?)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text and rules were read from the image


@dataclass(frozen=True)
class TableQuality:
    """Per-table parsing report, in the spirit of camelot's parsing_report."""

    kind: str
    family: str | None
    engine: str
    header_found: bool
    header_rows: int
    rows_total: int
    rows_emitted: int
    rows_dropped: int
    empty_share: float  # share of empty cells in the body
    numbers_parsed: float  # share of numeric cells that parsed
    stitched_parts: int
    notes: tuple[str, ...] = ()

    @property
    def confidence(self) -> float:
        score = 1.0 if self.header_found else 0.5
        score *= 0.5 + 0.5 * self.numbers_parsed
        if self.rows_total:
            score *= 0.5 + 0.5 * (self.rows_emitted + self.rows_dropped) / self.rows_total
        return round(score, 3)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["notes"] = list(self.notes)
        d["confidence"] = self.confidence
        return d


@dataclass(frozen=True)
class LogicalRow:
    """One body row of a normalised table: cells mapped to roles (name, target, …)."""

    index: int
    cells: dict[str, str]  # role -> text (already whitespace-joined)
    bboxes: dict[str, BBox]
    page: int | None
    confidence: dict[str, float] = field(default_factory=dict)  # role -> OCR confidence of its cell
    fits: dict[str, bool] = field(default_factory=dict)  # role -> its cell's `fits`, where the reader knows it


class FundRow(TypedDict, total=False):
    """One row of a 项目资金 block, its figures by role (万元; the rate in percent)."""

    label: str | None
    budget_initial: float  # 年初预算数
    budget_full: float  # 全年预算数
    executed: float  # 全年执行数
    weight: float  # 分值
    rate: float  # 执行率
    score: float  # 得分
    printed: bool  # the label is printed in the grid (a row read by position is labelled by template order)


@dataclass(frozen=True)
class ProjectGoal:
    """A project's 绩效目标 paragraph, in a table with one row per project (packed cells)."""

    project: str
    goal: str


@dataclass(frozen=True)
class GoalPair:
    """The 预期目标 / 实际完成情况 texts of a 年度总体目标 block."""

    expected: str
    actual: str
    row: int  # grid row of the actual text


@dataclass
class TableMeta:
    """What a table prints around its indicator rows, read by the tables stage."""

    family: str | None = None  # the template family (tables.detect_kind)
    funds: list[FundRow] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    grade: str | None = None  # 优 良 中 差, as printed
    other_notes: str | None = None  # 其他需要说明事项
    empty_groups: list[str] = field(default_factory=list)  # level groups printed with no indicator under them
    repeated_headers: int = 0
    last_page: int | None = None  # last page of a table stitched over several pages
    level_columns: int = 0
    blank_template: bool = False  # a header and (at most) level labels, nothing filled in: an unused form
    head: dict[str, str] = field(default_factory=dict)  # 项目名称, 主管部门, 实施单位 … printed above the header
    project_goals: list[ProjectGoal] = field(default_factory=list)
    overall_goals: list[GoalPair] = field(default_factory=list)  # 年度总体目标 预期 / 实际
    labelled_amounts: list[tuple[str, float]] = field(default_factory=list)  # "其中：一般公共预算：2113.48" cells
    long_cells: list[str] = field(default_factory=list)  # cells of 20+ characters: narrative laid out as a table
    years_printed: dict[int, int] = field(default_factory=dict)  # year -> how often "YYYY年" is printed in the cells
    region: BBox | None = None  # the table's part on its first page

    REPORTED = ("family", "funds", "total_weight", "total_score", "grade", "other_notes", "empty_groups",
                "repeated_headers", "last_page", "project_goals")

    def over(self, head: "TableMeta") -> "TableMeta":
        """This table's meta with what it leaves unset taken from `head` (a head block on the page before)."""
        out = TableMeta()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(head, f.name)
            if isinstance(mine, dict):
                setattr(out, f.name, {**theirs, **mine})
            else:
                setattr(out, f.name, mine if mine != _default(f) else theirs)
        return out

    def report(self) -> dict[str, Any]:
        """The fields that are set, for the table report (`--tables`, the corpus's `tables.meta`)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in self.REPORTED and value != _default(f):
                out[f.name] = [asdict(v) for v in value] if f.name == "project_goals" else value
        return out


def _default(f):
    return f.default_factory() if f.default_factory is not MISSING else f.default


@dataclass
class Table:
    """A normalised table: header understood, kind known, body rows mapped to roles."""

    provenance: Provenance
    kind: str
    title: str | None
    project: str | None
    roles: tuple[str, ...]
    rows: list[LogicalRow]
    meta: TableMeta
    quality: TableQuality
    raw: RawTable


@dataclass
class IndicatorRow:
    source: str
    doc_sha256: str
    page: int | None
    sheet: str | None
    table_index: int
    table_kind: str
    table_title: str | None
    project: str | None
    row_index: int
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None
    name: str | None = None
    op: str | None = None
    target: str | None = None
    target_value: float | None = None
    target_unit: str | None = None
    period_target: str | None = None  # 实施周期指标值 of a multi-year target, where the table prints one
    unit: str | None = None
    actual: str | None = None
    actual_value: float | None = None
    actual_unit: str | None = None
    weight: float | None = None
    score: float | None = None
    reason: str | None = None
    qualitative: bool = False
    flags: list[str] = field(default_factory=list)  # approx, multi_value, truncated, percent_scale …
    bbox: dict[str, BBox] = field(default_factory=dict)
    ocr_confidence: float | None = None  # the lowest recognition confidence of its cells, for an OCR'd page
    canonical: str | None = None
    canonical_id: str | None = None
    link_status: str | None = None
    link_score: float | None = None
    link_candidates: list[str] | None = None
    link_key: str | None = None  # the same indicator in two tables of one document shares this key
    family: str | None = None  # what the indicator measures (families.TAXONOMY), for every row, linked or not
    reason_labels: list[str] | None = None
    reason_confidence: float | None = None
    reason_cause: str | None = None  # the cause part of `reason` (what is classified)
    reason_measure: str | None = None  # the improvement-measure part

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["bbox"] = {k: list(v) for k, v in self.bbox.items()}
        return d


ROW_FIELDS: tuple[str, ...] = tuple(IndicatorRow.__dataclass_fields__)


@dataclass(frozen=True)
class DocumentFacts:
    """What the document is about, one function each in facts.py."""

    report_year: int | None = None
    department: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class DocumentResult:
    """What one document yields: rows, normalised tables and the errors met."""

    source: str
    sha256: str
    format: str
    pages: int | None
    tables: list[Table]
    rows: list[IndicatorRow]
    errors: list[DocError]
    narrative: list[str] = field(default_factory=list)  # text outside indicator rows, in reading order
    status: str = "ok"  # ok | partial | empty (see status.py); a file that could not be read is "failed"
    status_reason: str | None = None  # why a document is partial or empty, in one line
    money: list[MoneyTable] = field(default_factory=list)  # budget, 决算 and 三公 tables, read by money.py
    passages: list[Passage] = field(default_factory=list)
    facts: DocumentFacts = field(default_factory=DocumentFacts)


SEVERITIES = ("error", "warning", "info")  # of a Finding, most severe first


@dataclass
class Finding:
    """One contradiction or anomaly, with the numbers that prove it and where it is printed."""

    source: str
    doc_sha256: str
    page: int | None
    table_title: str | None
    project: str | None
    row_index: int | None  # None for a table-level finding
    name: str | None
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    table_index: int | None = None
    cells: list[str] = field(default_factory=list)  # row fields at fault: name, target, actual, weight, score, reason
    bbox: list[float] | None = None  # region (x0, top, x1, bottom; see BBox) covering those cells
    address: str | None = None  # for a spreadsheet source, the cells' address (指标信息!D17:F17)
    id: str = ""  # stable across reruns and worker counts: what a review decision is keyed on
    review_status: str | None = None  # accepted | rejected | fixed, from --review
    review_note: str | None = None

    def __post_init__(self):
        if not self.id:
            key = json.dumps([self.doc_sha256, self.rule, self.table_index, self.row_index, sorted(self.cells),
                              self.evidence], ensure_ascii=False, sort_keys=True, default=str)
            self.id = f"{self.rule}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
