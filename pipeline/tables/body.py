"""One raw grid → Table: the header found, body rows mapped to roles, levels, totals, grade and
其他需要说明事项 read into TableMeta, packed one-cell indicator tables recognised, and a quality report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..levels import is_level_label
from ..model import LogicalRow, ProjectGoal, Provenance, RawTable, Table, TableMeta, TableQuality
from ..packed import is_packed, joined
from ..values import clean_text, nfkc, parse_number, strip_ws
from .columns import GRADE_LABEL, GRADE_VALUE, Header, PARENTHETICAL, TERMINATORS, TOTAL_LABEL, VALUE_ROLES, cell_index, cell_marks, drop_empty_columns, expand_spans, find_header, header_role, is_header_repeat, map_row
from .funds import parse_funds
from .context import LevelState, detect_kind, title_and_context


@dataclass
class _Body:
    rows: list[LogicalRow] = field(default_factory=list)
    meta: TableMeta = field(default_factory=TableMeta)
    dropped: int = 0
    total: int = 0
    numbers_seen: int = 0
    numbers_ok: int = 0
    open_tail: int = 0  # trailing rows in an empty merged level cell: their label is on the next page


@dataclass
class Continuation:
    """What a table passes to its continuation on the next page: header, open labels, column x-ranges."""

    header: Header
    state: LevelState
    col_x: dict[int, tuple[float, float]]
    open_tail: int = 0  # last rows of the part whose merged 一级/二级 cell prints its label on the next page
    edges: tuple[float, ...] = ()  # column edges of the table's earlier parts

    def then(self, part: Continuation) -> Continuation:
        """The continuation after `part` was stitched on: its open labels, every column edge seen, and
        the header of the wider of the two (a part may show only some of the table's columns)."""
        seen = tuple(sorted(set(self.edges) | {x for rng in self.col_x.values() for x in rng}))
        if len(part.col_x) >= len(self.col_x):
            return replace(part, edges=seen)
        return replace(self, state=part.state, open_tail=part.open_tail, edges=seen)


def column_ranges(raw: RawTable, kept: list[int]) -> dict[int, tuple[float, float]]:
    """x-range of every grid column (after dropping empty columns), from the cells' bboxes."""
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for c in raw.cells:
        if c.bbox:
            left.setdefault(c.col, c.bbox[0])
            right.setdefault(c.col + c.colspan - 1, c.bbox[2])
    return {j: (left[k], right[k]) for j, k in enumerate(kept) if k in left and k in right}


def _remap_header(cont: Continuation, ranges: dict[int, tuple[float, float]]) -> Header:
    """The previous page's header applied to this grid by column position on the page."""
    if not cont.col_x or not ranges:
        return cont.header
    positions = {}
    for j, (x0, x1) in ranges.items():
        mid = (x0 + x1) / 2
        src = next((k for k, (a, b) in cont.col_x.items() if a <= mid <= b), None)
        if src is not None and src in cont.header.positions:
            positions[j] = cont.header.positions[src]
    return Header(0, 0, positions, cont.header.roles)


def normalise_table(raw: RawTable, prov: Provenance) -> Table:
    return normalise_part(raw, prov, None)[0]


def normalise_part(raw: RawTable, prov: Provenance, cont: Continuation | None) -> tuple[Table, Continuation | None]:
    grid = [[c or "" for c in row] for row in expand_spans(raw)]
    kept = list(range(raw.n_cols))
    if raw.aligned:
        grid, kept = drop_empty_columns(grid)
    index = cell_index(raw)
    ranges = column_ranges(raw, kept)
    header = find_header(grid)
    used = header or (_remap_header(cont, ranges) if cont else None)
    # Without a header of its own, a table's first rows may still hold 项目名称 (a head on its own page).
    title, project, head = title_and_context(raw, grid, header.start if header else min(len(grid), 8))
    if used is None and cont is None:
        packed = _packed_table(raw, prov, grid, kept, index, title, project, head)
        if packed is not None:
            return packed, None
    if used is None:
        meta = TableMeta(head=head, funds=parse_funds(grid, len(grid), raw.aligned))
        quality = TableQuality("other", None, raw.source_engine, False, 0, raw.n_rows, 0, 0, _empty_share(grid), 0.0, 1,
                               raw.notes)
        return Table(prov, "other", title, project, (), [], meta, quality, raw), None
    kind, family = detect_kind(set(used.roles), title, project)
    funds = parse_funds(grid, header.start if header else 0, raw.aligned) if header else []
    state = LevelState(**vars(cont.state)) if cont else LevelState()
    start = header.end if header else _indicator_start(grid, project is not None or bool(funds))
    body = _read_body(grid, used, start, raw, index, kept, state, continued=cont is not None)
    n_level_cols = sum(1 for r in used.roles if r in ("level1", "level2"))
    meta = replace(body.meta, family=family, funds=funds, head=head, level_columns=n_level_cols,
                   blank_template=header is not None and not body.rows and cont is None)
    quality = TableQuality(
        kind=kind,
        family=family,
        engine=raw.source_engine,
        header_found=header is not None,
        header_rows=(header.end - header.start) if header else 0,
        rows_total=body.total,
        rows_emitted=len(body.rows),
        rows_dropped=body.dropped,
        empty_share=_empty_share(grid[used.end if header else 0:]),
        numbers_parsed=round(body.numbers_ok / body.numbers_seen, 3) if body.numbers_seen else 1.0,
        stitched_parts=1,
        notes=raw.notes,
    )
    table = Table(prov, kind, title, project, used.roles, body.rows, meta, quality, raw)
    return table, Continuation(used, state, ranges, body.open_tail)


PACKED_COLUMNS = {"packed": re.compile(r"^(年度)?绩效指标$"), "goal": re.compile(r"^(年度)?绩效目标$")}


def _packed_header(grid: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(header row, role -> column) of a table with one row per project whose 绩效指标 column packs
    every indicator of the project into one cell (see packed.py)."""
    for r, row in enumerate(grid[:8]):
        cols: dict[str, int] = {}
        for c, text in enumerate(row):
            t = PARENTHETICAL.sub("", strip_ws(nfkc(text)))
            for role, pat in PACKED_COLUMNS.items():
                if pat.match(t) and role not in cols:
                    cols[role] = c
            if header_role(text) == "project" and "project" not in cols:
                cols["project"] = c
        if "packed" in cols and "project" in cols:
            return r, cols
    return None


def _packed_table(raw: RawTable, prov: Provenance, grid: list[list[str]], kept: list[int], index: dict,
                  title: str | None, project: str | None, head_fields: dict[str, str]) -> Table | None:
    """The table as project rows with their packed cells, when its body holds such cells; rows.py
    splits them. A row without a project name continues the row above (a cell run onto the next page)."""
    found = _packed_header(grid)
    if found is None:
        return None
    head, cols = found
    rows: list[LogicalRow] = []
    for r in range(head + 1, len(grid)):
        cells = {role: grid[r][c] for role, c in cols.items() if c < len(grid[r])}
        if not strip_ws(cells.get("packed", "")):
            continue  # 合计, a department's subtotal: no indicators
        cells["project"] = strip_ws(cells.get("project", ""))
        bboxes, page, sure, fits = {}, raw.page, {}, {}
        for role, c in cols.items():
            cell = index.get((r, kept[c])) if c < len(kept) else None
            if cell is not None and cell.bbox is not None:
                bboxes[role] = cell.bbox
                page = cell.page or page
            cell_marks(cell, role, sure, fits)
        rows.append(LogicalRow(index=len(rows), cells=cells, bboxes=bboxes, page=page, confidence=sure, fits=fits))
    if not rows or not any(is_packed(r.cells["packed"]) for r in rows):
        return None
    kind = "dept_target" if re.search(r"部门整体|整体支出", title or "") else "project_target"
    # each project's 绩效目标 paragraph is the project's record, never an indicator cell's text
    goals = [ProjectGoal(r.cells["project"], joined(r.cells.get("goal", ""))) for r in rows if strip_ws(r.cells.get("goal", ""))]
    meta = TableMeta(family="packed", head=head_fields, project_goals=goals)
    quality = TableQuality(kind, "packed", raw.source_engine, True, head + 1, len(grid) - head - 1, len(rows),
                           len(grid) - head - 1 - len(rows), _empty_share(grid[head + 1:]), 1.0, 1, raw.notes)
    return Table(prov, kind, title, project, tuple(sorted(cols, key=cols.get)), rows, meta, quality, raw)


def _indicator_start(grid: list[list[str]], has_head: bool) -> int:
    """First body row of a table read with another part's header. Rows above the first level label
    are the table's own head block (项目名称, funds, 总体目标) when it has one; otherwise the body
    starts at the top (a continued span may print no label)."""
    if not has_head:
        return 0
    return next((r for r, row in enumerate(grid) if any(is_level_label(strip_ws(c)) for c in row)), len(grid))


def _empty_share(grid: list[list[str]]) -> float:
    cells = [c for r in grid for c in r]
    return round(sum(1 for c in cells if not strip_ws(c)) / len(cells), 3) if cells else 0.0


_PLACEHOLDER = re.compile(r"^[/／\\\-－—–─_*＊…·.。、]+$|^(无|暂无)$")


def _placeholder(text: str | None) -> bool:
    """Blank, or a filler that says "nothing here" (/, —, *, 无)."""
    return not text or bool(_PLACEHOLDER.match(strip_ws(text)))


def _read_body(grid: list[list[str]], header: Header, start: int, raw: RawTable, index: dict, kept: list[int],
               state: LevelState, continued: bool = False) -> _Body:
    body = _Body()
    n_level_cols = sum(1 for r in header.roles if r in ("level1", "level2"))
    pending_backfill: list[int] = []
    for r in range(start, len(grid)):
        row = grid[r]
        cells = [strip_ws(c) for c in row]
        if not any(cells):
            continue
        first = next(c for c in cells if c)
        if TERMINATORS.match(first):
            rest = [clean_text(c) for c in row if strip_ws(c) and not TERMINATORS.match(strip_ws(c))]
            body.meta.other_notes = " ".join(dict.fromkeys(t for t in rest if t)) or None
            continue
        label = PARENTHETICAL.sub("", first)
        if GRADE_LABEL.match(label):
            grade = next((c for c in cells[cells.index(first) + 1:] if c), None)
            if grade:
                body.meta.grade = grade
            continue
        if TOTAL_LABEL.match(label):
            if body.rows or continued:  # a 总分 row closes the body (a page may hold it alone); a 合计 row above the first indicator does not
                body.meta = replace(body.meta, **_parse_total(row))
                break
            continue
        if is_header_repeat(row, header):
            body.meta.repeated_headers += 1
            continue
        body.total += 1
        roles, cols, labels = map_row(row, header, raw.aligned)
        name = clean_text(roles.get("name"))
        values = [clean_text(roles.get(k)) for k in VALUE_ROLES]
        if labels:
            state.take_labels(labels)
        if _placeholder(name) and all(_placeholder(v) for v in values):
            name, values = "", []  # "/" or "—" in every cell: the template's way of saying "no indicator here"
        if not name and not any(values):
            if labels:
                body.meta.empty_groups.append(state.level2 or state.level1)
            else:
                body.dropped += 1
            continue
        if name and not any(values) and not clean_text(roles.get("op")) and not labels:
            body.dropped += 1  # a name with nothing measured: wrapped text or narrative, not a row
            continue
        if not name and "name" in header.roles and not any(values[2:]):  # a group with no 三级 row: nothing scored
            body.meta.empty_groups.append(state.level2 or state.level1)
            continue
        for k in ("weight", "score"):
            if strip_ws(roles.get(k)):
                body.numbers_seen += 1
                body.numbers_ok += parse_number(roles.get(k)) is not None
        if state.level2 is None and n_level_cols:
            pending_backfill.append(len(body.rows))
        if raw.aligned and _label_below_page(r, header, kept, index, len(grid)):
            body.open_tail += 1
        out = dict(roles)
        if "project" in header.roles:
            _row_project(state, out, roles, cols, r, kept, index, raw, first_of_part=continued and not body.rows)
        out.update(
            level1=state.level1 or "",
            level1_weight="" if state.level1_weight is None else str(state.level1_weight),
            level2=state.level2 or "",
            level2_weight="" if state.level2_weight is None else str(state.level2_weight),
        )
        bboxes, sure, fits = {}, {}, {}
        for role, j in cols.items():
            cell = index.get((r, kept[j])) if raw.aligned and j < len(kept) else None
            if cell is not None and cell.bbox is not None:
                bboxes[role] = cell.bbox
            cell_marks(cell, role, sure, fits)
        body.rows.append(LogicalRow(index=len(body.rows), cells=out, bboxes=bboxes, page=raw.page, confidence=sure,
                                    fits=fits))
    _backfill_midspan(body.rows, pending_backfill)
    return body


def _label_below_page(r: int, header: Header, kept: list[int], index: dict, n_rows: int) -> bool:
    """Row r lies in an empty merged 一级/二级 cell that runs to the bottom of the part: the cell
    goes on over the page break and prints its label there, mid-span."""
    for col, role in header.positions.items():
        cell = index.get((r, kept[col])) if role in ("level1", "level2") and col < len(kept) else None
        if cell is not None and not strip_ws(cell.text) and cell.rowspan >= 2 and cell.row + cell.rowspan >= n_rows:
            return True
    return False


def _row_project(state: LevelState, out: dict, roles: dict, cols: dict, r: int, kept: list[int], index: dict,
                 raw: RawTable, first_of_part: bool) -> None:
    """Row-level 项目名称 of a multi-project table. A merged project cell prints its name once, often
    mid-span and sometimes on the next page: rows of a still nameless cell wait for the name."""
    text = clean_text(roles.get("project"))
    j = cols.get("project")
    cell = index.get((r, kept[j])) if raw.aligned and j is not None and j < len(kept) else None
    same_cell = cell is not None and cell is state.project_cell
    state.project_cell = cell
    if text:
        state.project = text
        for waiting in state.project_pending:
            waiting["project"] = text
        state.project_pending = []
    elif first_of_part or (same_cell and not state.project_pending) or cell is None:
        pass  # the merged cell continues from the page before (or no geometry): keep its name
    else:
        state.project = None
        state.project_pending.append(out)
    out["project"] = state.project or ""


def _backfill_midspan(rows: list[LogicalRow], pending: list[int]) -> None:
    """Rows before the first 二级 label belong to it: a merged label printed mid-span (DOMAIN §5.4)."""
    first = next((row for row in rows if row.cells.get("level2")), None)
    if first is None:
        return
    for i in pending:
        cells = rows[i].cells
        if not cells.get("level2"):
            cells["level2"] = first.cells["level2"]
            cells["level2_weight"] = first.cells.get("level2_weight", "")
            if not cells.get("level1"):
                cells["level1"] = first.cells.get("level1", "")
                cells["level1_weight"] = first.cells.get("level1_weight", "")


def _parse_total(row: list[str]) -> dict:
    # 得分率 ("96.9%") is not a total: keep plain numbers only.
    nums = [parse_number(c) for c in row if parse_number(c) is not None and "%" not in c]
    out: dict = {}
    if len(nums) >= 2:
        out["total_weight"], out["total_score"] = nums[-2], nums[-1]
    elif len(nums) == 1:
        out["total_score"] = nums[0]
    grade = next((strip_ws(c) for c in row if GRADE_VALUE.match(strip_ws(c))), None)
    if grade:
        out["grade"] = grade
    return out
