"""Pictures of the page regions findings point at: each finding's cells (or its row, or its table)
on a PDF page rendered with pypdfium2, outlined in its severity's colour and cut out with some
context, as a small palette PNG for the HTML report.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Sequence

from ..model import BBox, DocumentResult, Finding, union_bbox


CROP_SCALE = 2.0  # page render scale: 144 dpi, small print stays legible
CROP_MARGIN = 10.0  # points of context around the region
MAX_CROP_PX = (1100, 700)  # larger crops are scaled down to fit
CROP_COLOURS = 8  # PNG palette: print, rules, paper and the outline stay legible at half the bytes of 32


MARK_COLOURS = {"error": (200, 30, 45), "warning": (215, 140, 0), "info": (40, 100, 180)}


@dataclass(frozen=True)
class Crop:
    uri: str  # data:image/png;base64,…
    width: int
    height: int
    region: BBox  # the page region shown, in points
    key: str = ""  # the image's key in the report's one copy of each picture


@dataclass(frozen=True)
class CropRequest:
    number: int  # the finding's number
    page: int
    region: BBox  # what to show (points, top-left origin)
    mark: BBox  # what to outline inside it
    severity: str


def crop_requests(res: DocumentResult, numbered: Sequence[tuple[int, Finding]]) -> list[CropRequest]:
    """One request per finding with a page region; a row finding also shows its whole row, so the
    indicator's name is in the picture next to the numbers at fault."""
    rows = {(r.table_index, r.row_index): r for r in res.rows}
    out = []
    for n, f in numbered:
        if f.page is None or not f.bbox:
            continue
        row = rows.get((f.table_index, f.row_index))
        boxes = [f.bbox] + ([b for b in row.bbox.values()] if row is not None and row.page == f.page else [])
        out.append(CropRequest(n, f.page, union_bbox(boxes), tuple(f.bbox), f.severity))
    return out


def render_crops(source: str, requests: Sequence[CropRequest]) -> tuple[dict[int, Crop], list[str]]:
    """Each page is rendered once (the document's pages are cached while its crops are cut);
    a file that cannot be rendered gives a note instead of images."""
    import pypdfium2 as pdfium

    crops: dict[int, Crop] = {}
    if not requests:
        return crops, []
    by_page: dict[int, list[CropRequest]] = {}
    for req in requests:
        by_page.setdefault(req.page, []).append(req)
    try:
        pdf = pdfium.PdfDocument(source)
    except (pdfium.PdfiumError, OSError) as exc:
        return crops, [f"{source}: page images unavailable ({exc})"]
    notes = []
    try:
        for page_no in sorted(by_page):
            if not 1 <= page_no <= len(pdf):
                notes.append(f"{source}: page {page_no} is not in the file; no image")
                continue
            image = _render_page(pdf, page_no)
            cut: dict[tuple, Crop] = {}  # findings of one table share its region: cut it once
            for req in by_page[page_no]:
                same = (req.region, req.mark, req.severity)
                if same not in cut:
                    cut[same] = _cut(image, req)
                crops[req.number] = cut[same]
    finally:
        pdf.close()
    return crops, notes


def _render_page(pdf, page_no: int):
    page = pdf[page_no - 1]
    try:
        return page.render(scale=CROP_SCALE).to_pil().convert("RGB")  # in display orientation, like the bboxes
    finally:
        page.close()


def _cut(image, req: CropRequest) -> Crop:
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = req.region
    region = (max(0.0, x0 - CROP_MARGIN), max(0.0, y0 - CROP_MARGIN),
              min(image.width / CROP_SCALE, x1 + CROP_MARGIN), min(image.height / CROP_SCALE, y1 + CROP_MARGIN))
    px = tuple(round(v * CROP_SCALE) for v in region)
    crop = image.crop(px)
    m = req.mark
    ImageDraw.Draw(crop).rectangle([round(m[0] * CROP_SCALE) - px[0] - 2, round(m[1] * CROP_SCALE) - px[1] - 2,
                                    round(m[2] * CROP_SCALE) - px[0] + 2, round(m[3] * CROP_SCALE) - px[1] + 2],
                                   outline=MARK_COLOURS[req.severity], width=3)
    crop.thumbnail(MAX_CROP_PX)
    buf = io.BytesIO()
    crop.quantize(CROP_COLOURS, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return Crop(uri, crop.width, crop.height, tuple(round(v, 1) for v in region))
