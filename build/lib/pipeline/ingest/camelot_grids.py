"""camelot as a second grid source: the fallback for tables without full ruling (stream flavour)
and an alternative engine (lattice) for cross-checks. Its tables land in the same RawTable model."""

from __future__ import annotations

import logging
import warnings

from ..model import Cell, RawTable
from .ruling import merge_slots


def _spans(table) -> list[tuple[int, int, int, int, str]]:
    """camelot cells → (row, col, rowspan, colspan, text): slots joined where camelot found no edge."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    cells = merge_slots(rows, cols, lambda r, c: not table.cells[r][c].right, lambda r, c: not table.cells[r][c].bottom)
    out = []
    for r0, c0, rs, cs in cells:
        texts = (table.cells[r][c].text.strip() for r in range(r0, r0 + rs) for c in range(c0, c0 + cs))
        out.append((r0, c0, rs, cs, "\n".join(t for t in texts if t)))
    return out


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
