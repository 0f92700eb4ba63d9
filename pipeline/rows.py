"""Normalised table rows → IndicatorRow, with every value parsed by the `values` module."""

from __future__ import annotations

from .model import IndicatorRow, LogicalRow, Table
from .tables import INDICATOR_KINDS
from .values import canonical_unit, clean_text, finite_number, parse_number, parse_op, parse_value, split_trailing_op


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
    )


def table_rows(table: Table) -> list[IndicatorRow]:
    if table.kind not in INDICATOR_KINDS:
        return []
    rows = [to_indicator_row(table, r) for r in table.rows]
    cut = truncated_names(rows)
    for r in rows:
        if r.name in cut:
            r.flags.append("name_truncated")
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
