"""Image files (PNG, JPEG, TIFF, a multi-page TIFF page by page): every page read by OCR (`ocr.py`)."""

from __future__ import annotations

import io
import warnings

from ..errors import InputError, recorded
from ..model import DocError, Document
from .base import register
from .layout import read_layout

DEFAULT_DPI = 200  # when the file does not say its resolution
MAX_PIXELS = 60_000_000  # a page beyond this (an A0 poster at 300 dpi) is not read


@register("image")
def read_image(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .ocr import image_layout

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            img.size  # noqa: B018  (the header is read here)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"unreadable image ({type(exc).__name__}: {str(exc)[:120]})") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError("image too large to read (decompression bomb guard)") from None
    doc = Document(source=source, sha256=sha256, format="image", pages=getattr(img, "n_frames", 1))
    for n, frame in enumerate(ImageSequence.Iterator(img), 1):
        with recorded(doc.errors, "page not read", n):
            w, h = frame.size
            if w * h > MAX_PIXELS:
                doc.errors.append(DocError(f"page {n}: {w}x{h} pixels, too large to read", n))
                continue
            dpi = frame.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
            dpi = DEFAULT_DPI if not 50 <= float(dpi) <= 1200 else float(dpi)
            note = DocError(f"page {n}: read by OCR ({w}x{h} pixels at {dpi:.0f} dpi)", n, partial=False)
            read_layout(image_layout(frame.convert("L"), n, 72 / dpi, [note])).into(doc)
            doc.ocr_pages.append(n)
    return doc
