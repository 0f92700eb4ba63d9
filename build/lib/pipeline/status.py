"""A document's status, from what the stages before made of it: ok, partial, empty (failed is the
batch's word for a file that could not be read at all).

* ok: indicator rows, and nothing lost on the way;
* partial: indicator rows, but some pages or tables could not be read (their warnings say which);
* empty: read, but no indicator rows — with the reason, so that a scanned report or a layout the
  readers do not recognise never passes for a document without indicators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .model import DocError, Document, DocumentResult, IndicatorRow, Table
from .tables import INDICATOR_KINDS
from .values import strip_ws

# Words of an indicator-table header line. A page on which two or more of them are printed as separate
# cells or text pieces carries an indicator table (the independent check of MANIFEST.tsv works the same way).
HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "指标名称", "指标值", "指标性质", "实际完成值", "分值", "得分",
                "绩效指标", "度量单位", "指标权重")


def heading_pages(doc: Document) -> list[int]:
    """Pages whose cells or text lines print two or more indicator-header words on their own."""
    found: dict[int, set[str]] = defaultdict(set)
    pieces = [(c.text, c.page or raw.page) for raw in doc.tables for c in raw.cells]
    pieces += [(b.text, b.page) for b in doc.text]
    for text, page in pieces:
        if page is None or not text:
            continue
        for piece in text.replace("\t", "  ").split("  "):
            word = strip_ws(piece)
            if word in HEADER_WORDS or (word.startswith(HEADER_WORDS) and len(word) <= 8):
                found[page].add(next(w for w in HEADER_WORDS if word.startswith(w)))
    return sorted(p for p, words in found.items() if len(words) >= 2)


def read_pages(tables: list[Table], rows: list[IndicatorRow]) -> set[int]:
    """Pages on which an indicator table was recognised (its rows, or the table itself)."""
    pages = {r.page for r in rows if r.page is not None}
    for t in tables:
        if t.kind in INDICATOR_KINDS:
            pages.update(c.page or t.raw.page for c in t.raw.cells if (c.page or t.raw.page) is not None)
            pages.update(r.page for r in t.rows if r.page is not None)
    return pages


def _counted(warnings: list[DocError], noun: str, what: str, shown: int = 3) -> str:
    """'2 parts not read: page 3: …; page 9: …' (the first `shown` messages)."""
    return f"{len(warnings)} {noun}{'s' if len(warnings) > 1 else ''} {what}: " + "; ".join(w.message for w in warnings[:shown])


def _pages(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:8]))
    return shown + (f" and {len(pages) - 8} more" if len(pages) > 8 else "")


def unread_heading_warning(doc: Document, tables: list[Table], rows: list[IndicatorRow]) -> DocError | None:
    """A warning for pages that print an indicator-table header but gave no indicator table."""
    if not rows:
        return None  # an empty document says so in its status reason
    read = read_pages(tables, rows)
    missed = [p for p in heading_pages(doc) if p not in read]
    if not missed:
        return None
    return DocError(f"indicator headings on page{'s' if len(missed) > 1 else ''} {_pages(missed)} but no indicator "
                    f"table recognised there", missed[0])


def assess(doc: Document, tables: list[Table], rows: list[IndicatorRow], warnings: list[DocError]) -> tuple[str, str | None]:
    """(status, reason) of one read document."""
    lost = [w for w in warnings if w.partial]
    if rows:
        if not lost:
            return "ok", None
        return "partial", _counted(lost, "part", "not read")
    return "empty", empty_reason(doc, tables, lost)


def empty_reason(doc: Document, tables: list[Table], lost: list[DocError]) -> str:
    pages = doc.pages or 0
    textless = doc.textless_pages
    if pages and len(textless) >= pages:
        return f"no text layer on {len(textless)} of {pages} pages (scanned?)"
    ocr = f"; {len(doc.ocr_pages)} of {pages} pages read by OCR" if doc.ocr_pages else ""
    headings = heading_pages(doc)
    if headings:
        lost_note = f"; {_counted(lost, 'part', 'not read', shown=1)}" if lost else ""
        return (f"indicator headings on page{'s' if len(headings) > 1 else ''} {_pages(headings)} but no table "
                f"recognised{lost_note}")
    if lost:
        return f"no indicator rows; {_counted(lost, 'part', 'not read', shown=1)}{ocr}"
    note = (f"; no text layer on {len(textless)} of {pages} pages" if textless else "") + ocr
    if not doc.tables:
        return f"no tables found{note}"
    kinds = sorted({t.kind for t in tables})
    return f"no indicator table among {len(doc.tables)} tables ({', '.join(kinds) or 'none interpreted'}){note}"


def with_warnings(res: DocumentResult, warnings: list[DocError]) -> DocumentResult:
    """The result with warnings met after extraction (a rule that failed): an ok document whose checks
    did not all complete becomes partial."""
    if not warnings:
        return res
    status, reason = res.status, res.status_reason
    if status == "ok" and any(w.partial for w in warnings):
        status, reason = "partial", _counted(warnings, "check", "not completed")
    return replace(res, errors=[*res.errors, *warnings], status=status, status_reason=reason)
