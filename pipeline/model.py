"""Typed records that flow one way through the stages.

ingest -> Document(RawTable, TextBlock) -> tables -> Table -> rows -> IndicatorRow.
Every record keeps enough provenance to point back to a page and a cell.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


def union_bbox(boxes) -> BBox | None:
    """The smallest box holding every given box (missing ones skipped); None when there is none."""
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


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


@dataclass
class Table:
    """A normalised table: header understood, kind known, body rows mapped to roles."""

    provenance: Provenance
    kind: str
    title: str | None
    project: str | None
    roles: tuple[str, ...]
    rows: list[LogicalRow]
    meta: dict[str, Any]  # funds block, totals, grade, 其他需要说明事项, family …
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
    canonical: str | None = None
    canonical_id: str | None = None
    link_status: str | None = None
    link_score: float | None = None
    link_candidates: list[str] | None = None
    link_key: str | None = None  # the same indicator in two tables of one document shares this key
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
    bbox: list[float] | None = None  # page region (x0, top, x1, bottom in PDF points) covering those cells
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
