"""The document writers the sample documents and the planted-anomaly documents (tests/planted.py)
share: gold rows, reproducible DOCX/XLSX zips, Word and sheet blocks with merged cells, HTML cells,
and the PDF table layout (wrapping, row heights, one page of cells).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path


FIXED_TIME = datetime(2024, 3, 1, 9, 0, 0)

# Printed 二级 variants → canonical names (corpus/gold/README.md).
LEVEL2_CANON = {"产出数量": "数量指标", "产出质量": "质量指标", "生态效益": "生态效益指标",
                "社会公众及服务对象满意度": "服务对象满意度指标"}
INLINE_OPS = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", ">": ">", "<": "<"}


# ---------------------------------------------------------------- helpers


def _ws(v) -> str | None:
    """Gold text: all whitespace removed (U+3000 and line breaks too); blank → None."""
    if v is None:
        return None
    t = re.sub(r"\s+", "", str(v))
    return t or None


def _label(printed: str) -> tuple[str, float | None]:
    """A printed level label → (bare or canonical name, weight from a '(50分)' suffix)."""
    t = _ws(printed)
    m = re.fullmatch(r"(.+?)[（(](\d+)分[)）]", t)
    name, weight = (m.group(1), int(m.group(2))) if m else (t, None)
    return LEVEL2_CANON.get(name, name), weight


def inline_op(target: str) -> str | None:
    """Operator of a target with the operator inline: '≥120个' → '>=', '100%' → '=', '明显提升' → None."""
    t = _ws(target)
    if t[0] in INLINE_OPS:
        return INLINE_OPS[t[0]]
    return "=" if t[0].isdigit() else None


def flatten(tree):
    """((一级, ((二级, (row, ...)), ...)), ...) → (一级, 二级, *row) per row."""
    for l1, groups in tree:
        for l2, rows in groups:
            for row in rows:
                yield (l1, l2, *row)


def runs_of_equal(keys: list) -> list[tuple[int, int]]:
    """Inclusive (start, end) of each run of equal consecutive keys."""
    out: list[tuple[int, int]] = []
    for i, k in enumerate(keys):
        if out and keys[out[-1][0]] == k:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def as_text(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def gold_row(source, kind, title, project, l1, l2, name, op=None, target=None, unit=None, actual=None,
          weight=None, score=None, reason=None) -> dict:
    level1, level1_weight = _label(l1) if l1 else (None, None)
    return {
        "source": source, "table_kind": kind, "table_title": title, "project": project,
        "level1": level1, "level1_weight": level1_weight, "level2": _label(l2)[0] if l2 else None,
        "name": _ws(name), "op": op, "target": _ws(None if target is None else as_text(target)),
        "unit": _ws(unit), "actual": _ws(actual), "weight": weight, "score": score, "reason": _ws(reason),
    }


def write_gold(out_dir: Path, source: str, rows: list[dict]) -> None:
    gold = out_dir / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    with open(gold / f"{source}.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def fix_zip_times(path: Path) -> None:
    """Rewrite an OOXML package with fixed member times and fixed core-property dates."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            zout.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- DOCX helpers


def put_text(cell, text) -> None:
    """Cell text; a line break becomes a second paragraph."""
    first, *rest = as_text(text).split("\n")
    cell.text = first
    for line in rest:
        cell.add_paragraph(line)


def merge_cells(t, r0: int, c0: int, r1: int, c1: int, text) -> None:
    """Merge a rectangle (python-docx writes gridSpan / vMerge) and set its text."""
    cell = t.cell(r0, c0) if (r0, c0) == (r1, c1) else t.cell(r0, c0).merge(t.cell(r1, c1))
    put_text(cell, text)


def docx_block(t, r0: int, rows: list[tuple], cells) -> None:
    """Indicator rows from table row r0: values from cells(row), 一级/二级 merged vertically over their runs."""
    for i, row in enumerate(rows):
        for c, v in enumerate(cells(row), start=2):
            put_text(t.cell(r0 + i, c), v)
    for col, key in ((0, lambda r: r[0]), (1, lambda r: r[:2])):
        for a, b in runs_of_equal([key(r) for r in rows]):
            merge_cells(t, r0 + a, col, r0 + b, col, rows[a][col])


def new_docx():
    import docx

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    d.core_properties.author = d.core_properties.last_modified_by = "perfaudit samples"
    return d


def score_text(v: float) -> str:
    return f"{v:.2f}"


def sheet_block(ws, r0: int, rows: list[tuple]) -> None:
    """Write rows from 1-based sheet row r0, merging 一级/二级 runs vertically."""
    for i, row in enumerate(rows):
        for c, v in enumerate(row, start=1):
            if c > 2 and v is not None:
                ws.cell(r0 + i, c, v)
    for col, key in ((1, lambda r: r[0]), (2, lambda r: r[:2])):
        for a, b in runs_of_equal([key(r) for r in rows]):
            ws.cell(r0 + a, col, rows[a][col - 1])
            if b > a:
                ws.merge_cells(start_row=r0 + a, start_column=col, end_row=r0 + b, end_column=col)


def pct_text(score: float, weight: float) -> str:
    return f"{score / weight * 100:.1f}%"


def td(text, **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items() if v != 1)
    return f"<td{extra}>{html.escape(as_text(text)).replace(chr(10), '<br>')}</td>"


PDF_FONT, PDF_SIZE = "STSong-Light", 10.5
PDF_LINE = PDF_SIZE * 1.5  # line pitch inside a cell
PDF_ROW_H = 36.0  # minimum row height
PDF_PAD = 2.5  # left/right cell padding
PDF_WIDTHS = (48, 70, 100, 64, 62, 42, 42, 112)  # sum 540: A4 width less two 27.6 pt margins
PDF_X0, PDF_TOP, PDF_BOTTOM = 27.6, 112.0, 780.0  # table left edge, table top on page 1, lowest table bottom
PDF_TOP2 = 72.0  # table top on page 2 (all from the page top)


def pdf_wrap(text: str, width: float) -> list[str]:
    """Greedy line breaking at the cell's inner width, as a word processor breaks CJK text;
    a closing punctuation mark never starts a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    cur = ""
    for ch in as_text(text):
        if cur and stringWidth(cur + ch, PDF_FONT, PDF_SIZE) > width - 2 * PDF_PAD and ch not in "，。；、：）%":
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur] if cur else lines


def pdf_row_height(lines: int) -> float:
    return max(PDF_ROW_H, lines * PDF_LINE + 16)


def pdf_page(c, cells: list[tuple], xs: list[float], ys: list[float], footer: int) -> None:
    """One page: cells (row, col, rowspan, colspan, text, align) on the grid xs × ys (top-down
    display coordinates); every cell boxed, merged cells without inner rules, text centred
    vertically in its (merged) cell."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth

    h = A4[1]
    c.setFont(PDF_FONT, PDF_SIZE)
    segs: set[tuple[float, float, float, float]] = set()
    for r, col, rs, cs, text, align in cells:
        x0, x1, t0, t1 = xs[col], xs[col + cs], ys[r], ys[r + rs]
        segs |= {(x0, t0, x1, t0), (x0, t1, x1, t1), (x0, t0, x0, t1), (x1, t0, x1, t1)}
        lines = pdf_wrap(text, x1 - x0) if text else []
        first = (t0 + t1) / 2 - (PDF_LINE * (len(lines) - 1) + PDF_SIZE) / 2 + PDF_SIZE * 0.88
        for k, ln in enumerate(lines):
            w = stringWidth(ln, PDF_FONT, PDF_SIZE)
            x = x0 + PDF_PAD if align == "l" else (x0 + x1 - w) / 2
            c.drawString(x, h - (first + k * PDF_LINE), ln)
    c.setLineWidth(0.6)
    for x0, t0, x1, t1 in sorted(segs):
        c.line(x0, h - t0, x1, h - t1)
    c.setFont(PDF_FONT, 9)
    c.drawCentredString(A4[0] / 2, 30, f"— {footer} —")
