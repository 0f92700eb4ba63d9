"""Errors raised for a user's input, and failures caught inside one part of a document.

An InputError means the file cannot be read at all: the CLI turns it into one line naming the file.
A failure inside one page, table, stage or rule is caught where it happens and becomes a DocError (a
warning naming the page and table); the rest of the document and the run go on.
"""

from __future__ import annotations

import traceback
from contextlib import contextmanager

from .model import DocError


class InputError(Exception):
    """The file cannot be read: empty, truncated, encrypted, unsupported or mislabelled."""


def where(page: int | None = None, table: int | None = None) -> str:
    """'page 12, table 3: ' (1-based table number as a reader would count them), or ''."""
    parts = [f"page {page}" if page is not None else "", f"table {table + 1}" if table is not None else ""]
    text = ", ".join(p for p in parts if p)
    return f"{text}: " if text else ""


def caught(exc: BaseException, what: str, page: int | None = None, table: int | None = None) -> DocError:
    """A warning for a failure caught while doing `what` ('table not read', 'rows not linked' …)."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" in {frame.name}" if frame else ""
    message = f"{where(page, table)}{what} ({type(exc).__name__}{at}: {str(exc)[:120]})".replace("\n", " ")
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
