"""Whole documents: each grid normalised in order, and a table continued on the next page (a part
without its own header, or repeating it) stitched onto the one it continues.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import recorded
from ..model import DocError, Document, LogicalRow, Provenance, RawTable, Table, TableQuality
from ..values import strip_ws
from .body import Continuation, normalise_part
from .columns import INDICATOR_KINDS, TITLE_LINE
from .context import LevelState, detect_kind


def _may_continue(prev: Table, raw: RawTable) -> bool:
    """Whether a table right after `prev` can be its continuation over a page break: `prev` is an
    indicator table without its closing total, the table starts on the same or the next page, and
    no caption other than the previous one's stands above it."""
    if prev.kind not in INDICATOR_KINDS:
        return False
    captions = [strip_ws(t) for t in raw.context if TITLE_LINE.search(strip_ws(t))]
    if captions and (prev.title is None or any(c not in prev.title for c in captions)):
        return False
    if prev.meta.total_score is not None:
        return False
    last = prev.meta.last_page if prev.meta.last_page is not None else prev.raw.page
    return raw.page is None or last is None or raw.page in (last + 1, last)


def _own_head(table: Table, prev: Table) -> bool:
    """A title or 项目名称 of its own, different from the previous table's, starts a new table. A
    caption printed again on the next page is no title of its own, even when the previous title
    has more lines (or, in a messy text layer, two captions printed over each other)."""
    own_title = table.title is not None and any(part not in (prev.title or "") for part in table.title.split(" "))
    return own_title or table.project not in (None, prev.project)


# How far a column edge of the same template moves from one page to the next: a born-digital 西安
# table's rules are redrawn up to 4.7 pt apart on consecutive pages, and a scan's rules sit a pixel
# or two off (0.5-1 pt at 150-200 dpi)
COLUMN_DRIFT = 6.0


def _columns_continue(before: Continuation, after: dict[int, tuple[float, float]],
                      tolerance: float = COLUMN_DRIFT) -> bool:
    """The columns of a headerless part continue the table before it: nearly every column edge of
    the part is a column edge of one of the table's parts so far (the same template's rules; a part
    may show only some columns). Without geometry (text dumps), nothing contradicts it."""
    known = sorted(set(before.edges) | {x for rng in before.col_x.values() for x in rng})
    if not known or not after:
        return True
    edges = sorted({x for rng in after.values() for x in rng})
    matched = sum(1 for x in edges if any(abs(x - k) <= tolerance for k in known))
    return matched >= 0.8 * len(edges)


def normalise_document(doc: Document, warnings: list[DocError] | None = None) -> list[Table]:
    """Every raw table of the document, normalised, with continued tables stitched.

    A table that cannot be interpreted is left out and, when `warnings` is given, recorded there with
    its page and table (errors as data); without `warnings` the failure propagates."""
    tables: list[Table] = []
    conts: list[Continuation | None] = []
    for i, raw in enumerate(doc.tables):
        with recorded(warnings, "table not read", raw.page, i):  # one malformed table must not lose the document
            _add_table(doc, i, raw, tables, conts)
    return tables


def _add_table(doc: Document, i: int, raw: RawTable, tables: list[Table], conts: list[Continuation | None]) -> None:
    """Normalise one raw table and append it to `tables`, or stitch it onto the last one."""
    prov = Provenance(doc.source, doc.sha256, raw.page, raw.sheet, i)
    table, cont = normalise_part(raw, prov, None)
    prev = tables[-1] if tables else None
    if prev is not None and _is_head_only(prev) and table.kind in INDICATOR_KINDS and table.title is None \
            and raw.page is not None and prev.raw.page is not None and raw.page == prev.raw.page + 1:
        table = _with_head(table, prev)  # 项目名称 and funds on one page, the indicators on the next
    elif prev is not None and conts[-1] is not None and _may_continue(prev, raw) and _own_head(table, prev):
        if table.kind == "other" and table.title is None:
            # its own 项目名称 block but no header row: the next table of the same template
            new, new_cont = normalise_part(raw, prov, Continuation(conts[-1].header, LevelState(), conts[-1].col_x))
            if new_cont is not None and new.rows and _columns_continue(conts[-1], new_cont.col_x):
                table, cont = _same_template(new, prev), new_cont
    elif prev is not None and conts[-1] is not None and _may_continue(prev, raw):
        if table.kind == "other":
            part, part_cont = normalise_part(raw, prov, conts[-1])
            if part_cont is not None and _columns_continue(conts[-1], part_cont.col_x):
                _stitch(prev, part, conts[-1].open_tail)
                conts[-1] = conts[-1].then(part_cont)
                return
        elif _same_header(table, prev):
            part, cont = normalise_part(raw, prov, Continuation(cont.header, conts[-1].state, cont.col_x))
            _stitch(prev, part, conts[-1].open_tail)
            conts[-1] = conts[-1].then(cont)
            return
    tables.append(table)
    conts.append(cont)


def _same_template(table: Table, prev: Table) -> Table:
    """A table read with the header of the table before it: the series caption applies to it too."""
    kind, family = detect_kind(set(table.roles), prev.title, table.project)
    q = table.quality
    quality = TableQuality(kind, family, q.engine, q.header_found, q.header_rows, q.rows_total, q.rows_emitted,
                           q.rows_dropped, q.empty_share, q.numbers_parsed, q.stitched_parts,
                           q.notes + (f"no header row: columns read with the header of the table on page {prev.raw.page}",))
    return Table(table.provenance, kind, prev.title, table.project, table.roles, table.rows,
                 replace(table.meta, family=family), quality, table.raw)


def _is_head_only(t: Table) -> bool:
    """A table holding only the head of a self-evaluation table: 项目名称 and/or the funds block."""
    return t.kind == "other" and bool(t.meta.funds or t.project)


def _with_head(table: Table, head: Table) -> Table:
    title = head.title
    project = table.project or head.project
    kind, family = detect_kind(set(table.roles), title, project)
    # the head's funds block, when it has one, comes with the rest of its meta
    meta = replace(table.meta.over(head.meta), family=family)
    rows = [LogicalRow(r.index, r.cells, r.bboxes, r.page, r.confidence, r.fits) for r in table.rows]
    q = table.quality
    quality = TableQuality(kind, family, q.engine, q.header_found, q.header_rows, q.rows_total, q.rows_emitted,
                           q.rows_dropped, q.empty_share, q.numbers_parsed, q.stitched_parts,
                           q.notes + (f"title, project and funds from the table on page {head.raw.page}",))
    return Table(table.provenance, kind, title, project, table.roles, rows, meta, quality, table.raw)


def _same_header(a: Table, b: Table) -> bool:
    return a.roles == b.roles


def _stitch(into: Table, part: Table, open_tail: int = 0) -> None:
    """Append a continuation part; the last `open_tail` rows of `into` take the labels of the part's
    first row (their merged cell prints its label after the break)."""
    if open_tail and part.rows:
        first = part.rows[0].cells
        for row in into.rows[-open_tail:]:
            for k in ("level1", "level1_weight", "level2", "level2_weight"):
                row.cells[k] = first.get(k, "")
    offset = len(into.rows)
    for row in part.rows:
        into.rows.append(LogicalRow(index=offset + row.index, cells=row.cells, bboxes=row.bboxes, page=row.page,
                                    confidence=row.confidence, fits=row.fits))
    into.meta.last_page = part.raw.page
    for k in ("total_weight", "total_score", "grade", "other_notes"):
        if getattr(part.meta, k) is not None:
            setattr(into.meta, k, getattr(part.meta, k))
    q = into.quality
    into.quality = TableQuality(
        q.kind, q.family, q.engine, q.header_found, q.header_rows, q.rows_total + part.quality.rows_total,
        q.rows_emitted + part.quality.rows_emitted, q.rows_dropped + part.quality.rows_dropped, q.empty_share,
        q.numbers_parsed, q.stitched_parts + 1, q.notes + (f"stitched continuation (table part {q.stitched_parts + 1})",),
    )
