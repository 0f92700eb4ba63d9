"""Ruled-table geometry: segments → merged lines → table regions → grid with spans.

Pure functions on plain tuples so they are easy to test without a PDF. Coordinates are display
coordinates: x to the right, `top` downwards, in PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass

SNAP = 2.0  # lines closer than this are the same line (double borders, thin filled rectangles)
JOIN = 2.5  # collinear pieces with a gap up to this are joined
MIN_LEN = 4.0  # shorter pieces are glyph strokes or rectangle ends, not rules
COVER = 0.6  # a boundary exists when rules cover this share of it


@dataclass(frozen=True)
class Line:
    pos: float  # y of a horizontal line, x of a vertical one
    start: float
    end: float


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted cluster centres of nearby values."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def merge_lines(pieces: list[tuple[float, float, float]]) -> list[Line]:
    """(pos, start, end) pieces → lines: snap positions, join collinear overlapping pieces."""
    pieces = [(p, min(a, b), max(a, b)) for p, a, b in pieces if abs(b - a) >= MIN_LEN]
    if not pieces:
        return []
    centres = _cluster([p for p, _, _ in pieces], SNAP)
    by_pos: dict[float, list[tuple[float, float]]] = {}
    for p, a, b in pieces:
        c = min(centres, key=lambda x: abs(x - p))
        by_pos.setdefault(c, []).append((a, b))
    lines = []
    for pos, spans in sorted(by_pos.items()):
        spans.sort()
        cur_a, cur_b = spans[0]
        for a, b in spans[1:]:
            if a <= cur_b + JOIN:
                cur_b = max(cur_b, b)
            else:
                lines.append(Line(pos, cur_a, cur_b))
                cur_a, cur_b = a, b
        lines.append(Line(pos, cur_a, cur_b))
    return lines


@dataclass
class Grid:
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries (top to bottom)
    h: list[Line]
    v: list[Line]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _touches(h: Line, v: Line, tol: float = SNAP + 1) -> bool:
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def find_grids(h_lines: list[Line], v_lines: list[Line]) -> list[Grid]:
    """Connected components of crossing rules, each with ≥ 2 horizontal and ≥ 2 vertical lines."""
    n_h = len(h_lines)
    parent = list(range(n_h + len(v_lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(h_lines):
        for j, v in enumerate(v_lines):
            if _touches(h, v):
                parent[find(i)] = find(n_h + j)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for i, h in enumerate(h_lines):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(v_lines):
        groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        xs = _cluster([v.pos for v in vs], SNAP)
        ys = _cluster([h.pos for h in hs], SNAP)
        if len(xs) >= 2 and len(ys) >= 2 and xs[-1] - xs[0] > 20 and ys[-1] - ys[0] > 8:
            grids.append(Grid(xs, ys, hs, vs))
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _covered(lines: list[Line], pos: float, a: float, b: float) -> bool:
    """Do rules at `pos` cover most of the interval [a, b]?"""
    need = (b - a) * COVER
    got = 0.0
    for ln in lines:
        if abs(ln.pos - pos) <= SNAP + 0.5:
            got += max(0.0, min(b, ln.end) - max(a, ln.start))
    return got >= need


def merge_slots(n_r: int, n_c: int, open_right, open_down) -> list[tuple[int, int, int, int]]:
    """Grid slots joined wherever no rule separates them → (row, col, rowspan, colspan) cells.
    `open_right(r, c)` / `open_down(r, c)`: no rule between slot (r, c) and its right / lower neighbour."""
    parent = {(r, c): (r, c) for r in range(n_r) for c in range(n_c)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and open_right(r, c):
                parent[find((r, c))] = find((r, c + 1))
            if r + 1 < n_r and open_down(r, c):
                parent[find((r, c))] = find((r + 1, c))
    comps: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        comps.setdefault(find(k), []).append(k)
    cells = []
    for slots in comps.values():
        r0, c0 = min(r for r, _ in slots), min(c for _, c in slots)
        r1, c1 = max(r for r, _ in slots), max(c for _, c in slots)
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return sorted(cells)


def grid_cells(grid: Grid) -> list[tuple[int, int, int, int]]:
    """Slots of the grid merged across missing rules → (row, col, rowspan, colspan) cells."""
    xs, ys = grid.xs, grid.ys
    return merge_slots(
        len(ys) - 1, len(xs) - 1,
        lambda r, c: not _covered(grid.v, xs[c + 1], ys[r], ys[r + 1]),
        lambda r, c: not _covered(grid.h, ys[r + 1], xs[c], xs[c + 1]),
    )
