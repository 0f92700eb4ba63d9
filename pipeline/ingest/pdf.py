"""Born-digital PDFs with pypdfium2: the source of a page's chars and ruling paths, in C speed.

Per page: characters (fake-bold doubles removed, clip regions kept) and straight path segments in
display coordinates → a `PageLayout`, which the layout core (`layout.py`) turns into ruled grids,
cells and narrative lines. Pages whose text is garbled (no ToUnicode map: U+FFFD, private-use, controls) are reported as
unreadable instead of yielding rows. Tables without rules fall back to camelot's stream parser.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from ..errors import InputError, caught, recorded
from ..model import DocError, Document, RawTable
from .base import register
from .layout import PageLayout, PageRead, attach_context, garbled_share, read_layout
from .pdf_objects import PageTooComplex, page_chars, page_graphics
from .pdf_repair import damaged_streams, rebuild_xref

PAGE_TIME_LIMIT = 10.0  # seconds of geometry work per page before the page is given up
ENGINES = ("auto", "camelot-lattice")
OCR_MODES = ("auto", "always", "never")
OCR_DPI = 200  # rendering resolution for OCR: small print stays legible, detection stays fast
OCR_MIN_MEDIAN = 0.75  # a scan's glyphs are read at a median confidence above 0.9; junk is far below
OCR_MIN_RECOVERED = 0.5  # of a garbled page's glyphs, the share OCR must read for its reading to stand


# Every text object of a sound page gives at least a character or two (the sparsest page of the wide
# corpus gives 0.43 per object); one whose font was lost or damaged gives none, so its page keeps
# only the text of the fonts that survived.
COLLAPSED_TEXT_OBJECTS = 50
COLLAPSED_CHARS_PER_OBJECT = 0.2


def _text_collapsed(text_objects: int, chars: int) -> bool:
    return text_objects >= COLLAPSED_TEXT_OBJECTS and chars < COLLAPSED_CHARS_PER_OBJECT * text_objects


# ---------------------------------------------------------------- the document


def page_layout(page, page_no: int, deadline: float) -> PageLayout:
    """One pdfium page as the layout core reads it; a page it cannot read is a layout without text
    that carries the reason."""
    w, h = page.get_size()
    rot = page.get_rotation() % 360
    disp_w, disp_h = (h, w) if rot in (90, 270) else (w, h)
    textpage = page.get_textpage()
    try:
        chars = page_chars(textpage, w, h, rot)
    except PageTooComplex as exc:
        return PageLayout(page_no, disp_w, disp_h, [], [], [], "pdfium-ruled",
                          [DocError(f"page {page_no}: too complex to read ({exc}); skipped", page_no)])
    finally:
        textpage.close()
    if chars and garbled_share(chars) > 0.2:
        msg = f"page {page_no}: text is garbled (no usable ToUnicode map); page skipped"
        return PageLayout(page_no, disp_w, disp_h, [], [], [], "pdfium-ruled", [DocError(msg, page_no)],
                          dropped=len(chars))
    errors: list[DocError] = []
    try:
        graphics = page_graphics(page, w, h, rot, deadline)
        hs, vs = graphics.hs, graphics.vs
        if _text_collapsed(graphics.texts, len(chars)):
            errors.append(DocError(f"page {page_no}: text layer collapsed ({len(chars)} characters from "
                                   f"{graphics.texts} text objects; a font is damaged or missing)", page_no))
    except PageTooComplex as exc:
        errors.append(DocError(f"page {page_no}: too complex to read tables ({exc}); text only", page_no))
        hs, vs = [], []
    return PageLayout(page_no, disp_w, disp_h, chars, hs, vs, "pdfium-ruled", errors)


def read_page(page, page_no: int, deadline: float, ocr: str = "never", dpi: int = OCR_DPI) -> tuple[PageRead, bool]:
    """The page read from its text layer, or from its picture by OCR when `ocr` asks for it; and
    whether OCR read it. `ocr`: never; auto (a page whose text layer is garbage, or one without text
    that shows an image: a blank or vector-only page has nothing to read); always."""
    layout = page_layout(page, page_no, deadline)
    if ocr == "always" or ocr == "auto" and (not layout.text_usable or not layout.chars and _shows_image(page)):
        from .ocr import image_layout, median_confidence

        why = "OCR chosen by the user" if ocr == "always" else (
            "garbled text layer" if not layout.text_usable else "no text layer")
        image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        note = DocError(f"page {page_no}: read by OCR at {dpi} dpi ({why})", page_no, partial=False)
        scanned = image_layout(image, page_no, 72 / dpi, [note])
        median = median_confidence(scanned.chars, empty=1.0)
        # OCR must read text it is sure of, and on a garbled page at least half the glyphs the text
        # layer holds: else what it saw is no text (glyphs without shapes, a photograph)
        if median >= OCR_MIN_MEDIAN and len(scanned.chars) >= OCR_MIN_RECOVERED * layout.dropped:
            return read_layout(scanned), True
        doubt = DocError(f"page {page_no}: OCR read {len(scanned.chars)} glyphs at median confidence {median:.2f} "
                         f"(the text layer holds {layout.dropped}); its reading is not used", page_no)
        return read_layout(replace(layout, errors=[*layout.errors, doubt])), False
    return read_layout(layout), False


def _shows_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def _open_failure(data: bytes, pdfium_message: str) -> str:
    """Why pdfium refused a file, judged from the bytes: its error code can be stale or "Success"."""
    if b"/Encrypt" in data:
        return "password-protected PDF"
    if re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b", data) or re.search(rb"/Count\s+0\b[^>]*?/Type\s*/Pages\b", data):
        return "PDF has no pages"
    if b"%%EOF" not in data[-4096:]:
        return "corrupt or truncated PDF (no end-of-file marker)"
    cause = re.search(r"PDFium: ([^)]*)", pdfium_message)
    return f"corrupt PDF ({(cause.group(1) if cause else pdfium_message).strip(' .').lower()})"


def _has_trailer(data: bytes) -> bool:
    tail = data[-4096:]
    return b"%%EOF" in tail and b"startxref" in tail


def _open_repaired(pdfium, data: bytes, why: str):
    """Open a PDF that pdfium refused, from a cross-reference rebuilt out of its objects (a file cut
    short, a lost trailer). Returns (document, warning); raises InputError with `why` if it cannot."""
    rebuilt = None if why == "password-protected PDF" else rebuild_xref(data)
    if rebuilt is None:
        raise InputError(why) from None
    fixed, objects = rebuilt
    try:
        pdf = pdfium.PdfDocument(fixed)
    except pdfium.PdfiumError:
        raise InputError(why) from None
    return pdf, (f"{why}: cross-reference rebuilt from {objects} objects; pages whose objects were lost "
                 f"are not read")


@register("pdf")
def read_pdf(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    import pypdfium2 as pdfium

    engine = (options or {}).get("pdf_engine", "auto")
    if engine not in ENGINES:
        raise ValueError(f"unknown pdf_engine {engine!r}; choose one of {', '.join(ENGINES)}")
    ocr = (options or {}).get("ocr", "auto")
    if ocr not in OCR_MODES:
        raise ValueError(f"unknown ocr mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    # pdfium quietly rebuilds some damaged files itself; a file that ends without its trailer is
    # still read as damaged, so that its pages lost to the cut are not reported as a whole read.
    repaired = None if _has_trailer(data) else (
        "corrupt or truncated PDF (no trailer at its end): cross-reference rebuilt by pdfium from its "
        "objects; pages whose objects were lost are not read")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        why = _open_failure(data, str(exc))
        pdf, repaired = _open_repaired(pdfium, data, why)
    try:
        n = len(pdf)
        if n == 0:
            raise InputError("PDF has no pages")
        doc = Document(source=source, sha256=sha256, format="pdf", pages=n)
        if repaired:
            doc.errors.append(DocError(repaired, None))
        damaged = damaged_streams(data)
        if damaged:
            shown = ", ".join(map(str, damaged[:5])) + (f" and {len(damaged) - 5} more" if len(damaged) > 5 else "")
            doc.errors.append(DocError(f"{len(damaged)} compressed stream{'s' if len(damaged) > 1 else ''} damaged "
                                       f"(object {shown}): text or rules drawn by {'them' if len(damaged) > 1 else 'it'} may be lost"))
        reads: dict[int, PageRead] = {}
        stop_at = (options or {}).get("deadline")
        for i in range(n):
            if stop_at is not None and time.monotonic() > stop_at:
                # the document's time is nearly spent: keep the pages read so far, say where it stopped
                doc.errors.append(DocError(f"time limit reached: pages 1-{i} of {n} read, pages {i + 1}-{n} not read", i + 1))
                break
            page = None
            try:
                page = pdf[i]
                r, by_ocr = read_page(page, i + 1, time.perf_counter() + PAGE_TIME_LIMIT, ocr,
                                      int((options or {}).get("ocr_dpi", OCR_DPI)))
                if by_ocr:
                    doc.ocr_pages.append(i + 1)
                elif not r.chars and not r.errors:
                    doc.textless_pages.append(i + 1)
                if engine == "auto" and not (r.wants_fallback and not r.tables):
                    r.chars = []  # only camelot's tables need the page text later; keep memory flat
                reads[i + 1] = r
            except pdfium.PdfiumError as exc:
                doc.errors.append(DocError(f"page {i + 1}: unreadable ({exc})", i + 1))
            except Exception as exc:  # one page that trips the reader must not lose the document
                doc.errors.append(caught(exc, "page not read", i + 1))
            finally:
                if page is not None:
                    page.close()  # free pdfium's page memory now, not at garbage collection
    finally:
        pdf.close()
    if engine == "camelot-lattice":
        pages, flavor, why = sorted(reads), "lattice", "engine chosen by the user"
    else:
        pages = [p for p, r in sorted(reads.items()) if r.wants_fallback and not r.tables]
        flavor, why = "stream", "fallback: indicator header line on a page without ruled grids"
    alt: dict[int, list[RawTable]] = {}
    # the pages keep their pdfium text when camelot fails; only its grids are lost
    with recorded(doc.errors, f"camelot {flavor} could not read page{'s' if len(pages) > 1 else ''} "
                              f"{', '.join(map(str, pages[:8]))}", pages[0] if pages else None):
        alt = camelot_pages(source, pages, flavor, reads, why)
    for p, r in sorted(reads.items()):
        doc.tables.extend(alt.get(p, []) if engine == "camelot-lattice" else r.tables + alt.get(p, []))
        doc.text.extend(r.blocks)
        doc.errors.extend(r.errors)
    return doc


def camelot_pages(source: str, pages: list[int], flavor: str, reads: dict[int, PageRead], why: str) -> dict[int, list[RawTable]]:
    """camelot's tables for the given pages, each with the pdfium text above it as context."""
    if not pages:
        return {}
    from .camelot_grids import camelot_tables

    out: dict[int, list[RawTable]] = {}
    for raw in camelot_tables(source, pages, flavor, {p: reads[p].height for p in pages}):
        raw = replace(attach_context(raw, reads[raw.page].chars), notes=(why,))
        out.setdefault(raw.page, []).append(raw)
    return out
