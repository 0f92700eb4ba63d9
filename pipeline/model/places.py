"""Where a record points: a box on a page (points) or on a sheet (cells), and a sheet address.
"""

from __future__ import annotations

# x0, top, x1, bottom in PDF points on a page; on a spreadsheet, the cells' place on the sheet in cell
# units (column, row, column end, row end; 0-based), from which sheet_address() gives 指标信息!D17
BBox = tuple[float, float, float, float]


def sheet_address(sheet: str, box) -> str:
    """The spreadsheet address of a sheet region (a bbox in cell units): 指标信息!D17 or 指标信息!B5:F5."""
    def a1(col: int, row: int) -> str:
        letters = ""
        col += 1
        while col:
            col, rem = divmod(col - 1, 26)
            letters = chr(65 + rem) + letters
        return f"{letters}{row + 1}"

    c0, r0, c1, r1 = (int(round(v)) for v in box)
    first, last = a1(c0, r0), a1(c1 - 1, r1 - 1)
    quoted = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{first}" if first == last else f"{quoted}!{first}:{last}"


def union_bbox(boxes) -> BBox | None:
    """The smallest box holding every given box (missing ones skipped); None when there is none."""
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
