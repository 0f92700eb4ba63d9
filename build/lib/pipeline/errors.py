"""Errors raised for a user's input, and failures caught inside one part of a document.

An InputError means the file cannot be read at all: the CLI turns it into one line naming the file.
A failure inside one page, table, stage or rule is caught where it happens and becomes a DocError (a
warning naming the page and table); the rest of the document and the run go on.
"""

from __future__ import annotations

import re
import traceback
from contextlib import contextmanager

from .model import DocError

_ADDRESS = re.compile(r"<([\w.]+) object at 0x[0-9a-fA-F]+>|\b0x[0-9a-fA-F]{6,}\b")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """`text` with control characters other than tab and line breaks written out (\\x1b): what an
    XLSX cell or an HTML page may hold."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def printable(text: str) -> str:
    """`text` with its control characters written out (\\x1b): safe for a terminal, a log, a cell."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def one_line(text: str, limit: int = 200) -> str:
    """A library's message as one deterministic line: its first line, no memory addresses, bounded."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    first = _ADDRESS.sub(lambda m: f"<{m.group(1)}>" if m.group(1) else "0x…", lines[0] if lines else "")
    first = printable(first)
    return first if len(first) <= limit else first[: limit - 1] + "…"


class InputError(Exception):
    """The file cannot be read: empty, truncated, encrypted, unsupported or mislabelled."""

    def __init__(self, message: str):
        super().__init__(one_line(message, 300))


def where(page: int | None = None, table: int | None = None) -> str:
    """'page 12, table 3: ' (1-based table number as a reader would count them), or ''."""
    parts = [f"page {page}" if page is not None else "", f"table {table + 1}" if table is not None else ""]
    text = ", ".join(p for p in parts if p)
    return f"{text}: " if text else ""


def caught(exc: BaseException, what: str, page: int | None = None, table: int | None = None) -> DocError:
    """A warning for a failure caught while doing `what` ('table not read', 'rows not linked' …)."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" in {frame.name}" if frame else ""
    message = f"{where(page, table)}{what} ({type(exc).__name__}{at}: {one_line(str(exc), 120)})"
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return DocError(message, page, table, True, detail)


@contextmanager
def recorded(warnings: list[DocError] | None, what: str, page: int | None = None, table: int | None = None):
    """Run the block; a failure inside it becomes a warning in `warnings` (the caller goes on with what
    it has). Without a `warnings` list the failure propagates, so that tests and direct callers see it."""
    try:
        yield
    except Exception as exc:
        if warnings is None:
            raise
        warnings.append(caught(exc, what, page, table))
