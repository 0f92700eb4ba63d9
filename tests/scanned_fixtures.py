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


# Two prints of one comparison sign: the shape reader (ingest/shapes.py) writes ≥ ≤ for a sign the
# recogniser dropped, whichever was printed, and the value parser reads both the same. Scoring a
# scanned rendering folds the gold and the reading onto one print.
SAME_SIGN = str.maketrans({"≧": "≥", "≦": "≤"})


def as_readable(rows: list[dict]) -> list[dict]:
    """Gold or read rows with the two prints of ≥ and ≤ folded onto one."""
    return [{k: v.translate(SAME_SIGN) if isinstance(v, str) else v for k, v in g.items()} for g in rows]


def number_misses(gold: list[dict], pred: list[dict]) -> list[tuple]:
    """Each gold number cell not read exactly: (page, field, gold value, value read or None)."""
    from pipeline.devtools.evaluate import fields_agree, match_rows

    pairs = match_rows(gold, pred)
    matched = {id(g) for g, _ in pairs}
    out = [(g.get("page"), f, g.get(f), p.get(f)) for g, p in pairs for f in NUMBER_FIELDS
           if g.get(f) not in (None, "") and not fields_agree(g, p, f)]
    return out + [(g.get("page"), f, g.get(f), None) for g in gold if id(g) not in matched
                  for f in NUMBER_FIELDS if g.get(f) not in (None, "")]


def numbers_exact(gold: list[dict], pred: list[dict]) -> float:
    """Share of the gold's printed numbers (weights, scores, targets) found exactly on the matched row."""
    printed = sum(1 for g in gold for f in NUMBER_FIELDS if g.get(f) not in (None, ""))
    return 1 - len(number_misses(gold, pred)) / printed if printed else 1.0
