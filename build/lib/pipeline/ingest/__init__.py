"""Format detection and the reader registry: every format lands in the same Document model."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import DocError, Document
from . import docx, html, image, pdf, sheets, text  # noqa: F401  (registers the readers)
from .base import READERS, sha256_of
from .encoding import looks_like_text

# extension -> format expected from the content
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".tsv": "text",
    ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
    ".html": "html", ".htm": "html",
    ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}
MAX_FILE_BYTES = 512 * 1024 * 1024
# Formats recognised from the content alone well enough to read a misnamed file as what it is. Plain
# text is not among them: a ".pdf" that holds text is a broken download, not a text dump.
READABLE_AS_FOUND = ("html", "pdf", "docx", "xlsx")

_NAMES = {"text": "plain text", "docx": "a Word document", "xlsx": "an Excel workbook", "xls": "a legacy Excel workbook",
          "html": "HTML", "pdf": "a PDF", "ole": "an OLE2 (legacy Office) file", "image": "an image", "zip": "a zip archive", "binary": "binary data"}


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called."""
    head = data[:4096]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:200000]:
            return "docx"
        if b"xl/" in data[:200000]:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if b"\x00" in head:
        return "binary"
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low:
        return "html"
    return "text"


def _is_encrypted_ooxml(data: bytes) -> bool:
    return "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data


def supported(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def read_document(path: str | Path, options: dict | None = None) -> Document:
    """Read one file into the Document model, or raise InputError with a one-line reason.

    `options` are reader settings, e.g. {"pdf_engine": "auto" | "camelot-lattice"}."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in EXTENSIONS:
        raise InputError(f"unsupported file type {ext or '(no extension)'}")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file too large ({size // (1024 * 1024)} MiB > {MAX_FILE_BYTES // (1024 * 1024)} MiB)")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError("empty file")
    expected = EXTENSIONS[ext]
    found = sniff(data)
    if found == "ole" and expected in ("docx", "xlsx") and _is_encrypted_ooxml(data):
        raise InputError("password-protected document")
    if found == "ole" and expected == "xls":
        found = "xls"
    if expected in ("text", "html") and found == "binary" and looks_like_text(data):
        found = "html" if expected == "html" else "text"  # UTF-16/32, or a text with a zeroed block
    if expected == "text" and found == "html":
        found = "text"  # a text dump may quote HTML remnants
    notice = None
    if found != expected and found in READABLE_AS_FOUND and found in READERS:
        # a download saved under the wrong name (an HTML page called .pdf): read it as what it is
        notice = DocError(f"named {ext} but the content is {_NAMES[found]}; read as {_NAMES[found]}", partial=False)
        expected = found
    if found != expected:
        raise InputError(f"mislabelled file: named {ext} but the content is {_NAMES.get(found, found)}")
    if expected not in READERS:
        raise InputError(f"{ext} support is not available in this version")
    doc = READERS[expected](str(path), data, sha256_of(data), options)
    if notice is not None:
        doc.errors.insert(0, notice)
    return doc
