"""Normalised table rows → IndicatorRow, with every value parsed by the `values` module."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import where
from .model import BBox, DocError, IndicatorRow, LogicalRow, Table
from .packed import joined, split_packed
from .tables import INDICATOR_KINDS
from .values import canonical_unit, clean_text, finite_number, parse_number, parse_op, parse_value, split_trailing_op

LOW_CONFIDENCE = 0.8  # OCR below this on a number: the row's findings are info, not errors
NUMBER_ROLES = ("target", "actual", "weight", "score")


def _float(text: str | None) -> float | None:
    return finite_number(text) if text else None


def to_indicator_row(table: Table, row: LogicalRow) -> IndicatorRow:
    c = row.cells
    name = clean_text(c.get("name"))
    glued_op = None
    if name:
        name, glued_op = split_trailing_op(name)
    target = clean_text(c.get("target"))
    actual = clean_text(c.get("actual"))
    unit_col = clean_text(c.get("unit"))
    tv, av = parse_value(target), parse_value(actual)
    op = parse_op(c.get("op")) or glued_op or tv.op
    if op is None and tv.value is not None:
        op = "="  # a bare number is formally "=" (DOMAIN §1.11)
    unit = unit_col or (tv.unit if tv.value is not None else None)
    flags = [f"target_{f}" for f in tv.flags] + [f"actual_{f}" for f in av.flags]
    if any(row.confidence.get(k, 1.0) < LOW_CONFIDENCE for k in NUMBER_ROLES):
        flags.append("ocr_low_confidence")  # a number OCR was unsure of: no error is built on it
    prov = table.provenance
    return IndicatorRow(
        source=prov.source,
        doc_sha256=prov.sha256,
        page=row.page,
        sheet=prov.sheet,
        table_index=prov.table_index,
        table_kind=table.kind,
        table_title=table.title,
        project=c.get("project") or table.project,
        row_index=row.index,
        level1=c.get("level1") or None,
        level1_weight=_float(c.get("level1_weight")),
        level2=c.get("level2") or None,
        level2_weight=_float(c.get("level2_weight")),
        name=name or None,
        op=op,
        target=target,
        target_value=tv.value,
        target_unit=tv.unit or (canonical_unit(unit_col) if tv.value is not None else None),
        unit=unit,
        actual=actual,
        actual_value=av.value,
        actual_unit=av.unit or (canonical_unit(unit_col) if av.value is not None else None),
        weight=parse_number(c.get("weight")),
        score=parse_number(c.get("score")),
        reason=clean_text(c.get("reason")),
        qualitative=bool(target) and tv.value is None and not tv.multi_value and not tv.absent,
        flags=flags,
        bbox=dict(row.bboxes),
        ocr_confidence=round(min(row.confidence.values()), 4) if row.confidence else None,
    )


def table_rows(table: Table) -> list[IndicatorRow]:
    if table.kind not in INDICATOR_KINDS:
        return []
    rows = [to_indicator_row(table, r) for r in table.rows]
    cut = truncated_names(rows)
    for r, logical in zip(rows, table.rows):
        # a name the page shows with room to spare, or wrapped, was not cut by its cell
        if r.name in cut and not logical.fits.get("name"):
            r.flags.append("name_truncated")
    return rows


@dataclass
class _OpenProject:
    table: Table
    row: LogicalRow
    parts: list[tuple[int | None, str, BBox | None]] = field(default_factory=list)  # page, text, cell box


class PackedCells:
    """The rows of packed indicator cells (packed.py), read across the tables of one document in
    order: a row without a project name continues the cell above it, also from the page before, so a
    project is split only once all its parts are in. Each item keeps the page its text starts on."""

    def __init__(self, warnings: list[DocError]):
        self.warnings = warnings
        self.open: _OpenProject | None = None
        self.next_index: dict[int, int] = {}  # table index -> next row_index

    def add(self, table: Table) -> list[IndicatorRow]:
        out: list[IndicatorRow] = []
        for row in table.rows:
            part = (row.page, joined(row.cells.get("packed", "")), row.bboxes.get("packed"))
            if not row.cells.get("project") and self.open is not None:
                self.open.parts.append(part)
                continue
            out.extend(self.close())
            self.open = _OpenProject(table, row, [part])
        return out

    def close(self) -> list[IndicatorRow]:
        if self.open is None:
            return []
        p, self.open = self.open, None
        text = "".join(t for _, t, _ in p.parts)
        items, rest = split_packed(text)
        prov = p.table.provenance
        if rest:
            self.warnings.append(DocError(
                f"{where(p.row.page, prov.table_index)}packed indicator cell of {p.row.cells.get('project') or 'a project'} "
                f"not fully split; text left over: {rest[:60]}", p.row.page, prov.table_index))
        bounds, at = [], 0
        for page, t, box in p.parts:
            bounds.append((at, page, box))
            at += len(t)
        rows = []
        for item in items:
            _, page, box = max((b for b in bounds if b[0] <= item.start), key=lambda b: b[0])
            index = self.next_index.get(prov.table_index, 0)
            self.next_index[prov.table_index] = index + 1
            cells = {"project": p.row.cells.get("project", ""), "level1": item.level1, "level2": item.level2 or "",
                     "name": item.name or "", "target": item.target or ""}
            row = to_indicator_row(p.table, LogicalRow(index, cells, {"name": box} if box else {}, page))
            row.period_target = clean_text(item.period_target)
            rows.append(row)
        return rows


def print_width(text: str) -> int:
    """Width as a fixed-width export counts it: two for a CJK or full-width character, one otherwise."""
    return len(text.encode("gbk", errors="replace"))


def truncated_names(rows: list[IndicatorRow], min_share: float = 0.5, min_width: int = 12) -> set[str]:
    """Names cut by a fixed-width cell (DOMAIN §5.8): at least half of a table's names (three or more)
    print within two columns of the widest one. Exports cut by pixel width, so the cut wanders by a
    character. Names that end like a complete indicator (…率, …度, …数) are not flagged."""
    widths = [print_width(r.name) for r in rows if r.name]
    if len(widths) < 3:
        return set()
    widest = max(widths)
    band = [r.name for r in rows if r.name and print_width(r.name) >= widest - 2]
    if widest < min_width or len(band) < max(3, min_share * len(widths)):
        return set()
    return {n for n in band if not n.endswith(("率", "度", "数", "量", "次数", "人数", "时间", "时限", "情况", "性"))}
