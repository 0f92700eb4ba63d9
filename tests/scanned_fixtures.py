"""Scanned pages made from real PDFs whose gold we have: rendered at a scanner's resolution, turned
by a small angle (±1–2°), blurred, given noise and JPEG artefacts, and saved as an image-only PDF
(no text layer), so that the born-digital gold stays their gold."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

NUMBER_FIELDS = ("weight", "score", "target")


def scanned_image(page, dpi: int, rng: random.Random) -> Image.Image:
    import numpy as np

    img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.0)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(radius=0.6))
    a = np.asarray(img, dtype=np.int16)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 8, a.shape)
    img = Image.fromarray(np.clip(a + noise, 0, 255).astype("uint8"))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue()))


def scanned_pdf(pdf: Path, pages: list[int], out: Path, dpi: int = 200, seed: int = 0) -> Path:
    """The given pages of `pdf` (1-based) as a scanned, image-only PDF at `out`."""
    rng = random.Random(seed)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        images = [scanned_image(doc[p - 1], dpi, rng) for p in pages]
    finally:
        doc.close()
    out = out.with_suffix(".pdf")
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


# Characters the gold prints that PP-OCRv4's alphabet (6,623 characters, read from the model's
# metadata) does not hold: a scan of them can only come back as their look-alike, which the value
# parser reads with the same meaning. Scoring a scanned rendering folds the gold onto them.
OUTSIDE_ALPHABET = str.maketrans({"≧": "≥", "≦": "≤"})


def as_readable(gold: list[dict]) -> list[dict]:
    """The gold as OCR can write it: characters outside the recogniser's alphabet folded."""
    return [{k: v.translate(OUTSIDE_ALPHABET) if isinstance(v, str) else v for k, v in g.items()} for g in gold]


def numbers_exact(gold: list[dict], pred: list[dict]) -> float:
    """Share of the gold's printed numbers (weights, scores, targets) found exactly on the matched row."""
    from pipeline.evaluate import _agree, match_rows

    pairs = match_rows(gold, pred)
    cells = [(g, p, f) for g, p in pairs for f in NUMBER_FIELDS if g.get(f) not in (None, "")]
    missed = sum(1 for g in gold for f in NUMBER_FIELDS if g.get(f) not in (None, "")) - len(cells)
    hits = sum(_agree(g, p, f) for g, p, f in cells)
    return hits / (len(cells) + missed) if cells or missed else 1.0
