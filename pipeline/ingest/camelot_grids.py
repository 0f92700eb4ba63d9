"""camelot as a second grid source: the fallback for tables without full ruling (stream flavour)
and an alternative engine (lattice) for cross-checks. Its tables land in the same RawTable model."""

from __future__ import annotations

import logging
import warnings

from ..model import Cell, RawTable


def _spans(table) -> list[tuple[int, int, int, int, str]]:
    """camelot cells → (row, col, rowspan, colspan, text): slots joined where camelot found no edge."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(rows):
        for c in range(cols):
            cell = table.cells[r][c]
            if c + 1 < cols and not cell.right:
                parent[find((r, c))] = find((r, c + 1))
            if r + 1 < rows and not cell.bottom:
                parent[find((r, c))] = find((r + 1, c))
    groups: dict = {}
    for k in parent:
        groups.setdefault(find(k), []).append(k)
    out = []
    for slots in groups.values():
        r0, c0 = min(r for r, _ in slots), min(c for _, c in slots)
        r1, c1 = max(r for r, _ in slots), max(c for _, c in slots)
        text = "\n".join(t for t in (table.cells[r][c].text.strip() for r, c in sorted(slots)) if t)
        out.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1, text))
    return sorted(out)


def camelot_tables(path: str, pages: list[int], flavor: str, page_heights: dict[int, float]) -> list[RawTable]:
    """Tables camelot finds on the given 1-based pages, as RawTables with display-space bboxes."""
    if not pages:
        return []
    import camelot

    logging.getLogger("camelot").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(path, pages=",".join(map(str, pages)), flavor=flavor)
    out = []
    for t in found:
        page = int(t.page)
        h = page_heights.get(page, 842.0)
        cells = []
        for r, c, rs, cs, text in _spans(t):
            a, b = t.cells[r][c], t.cells[r + rs - 1][c + cs - 1]
            bbox = (a.x1, h - a.y2, b.x2, h - b.y1)
            cells.append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs, bbox=bbox, page=page))
        n_rows, n_cols = t.shape
        out.append(RawTable(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, page=page, aligned=True,
                            source_engine=f"camelot-{flavor}"))
    return out
