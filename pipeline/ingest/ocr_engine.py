"""The OCR engine, loaded once per process: RapidOCR with PP-OCRv4 detection (the
`rapidocr-onnxruntime` wheel) and PP-OCRv6 small recognition (the `rapidocr` wheel, whose package
is never imported). Nothing downloads; a missing model file is a one-line error.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"  # text detection, in the rapidocr-onnxruntime wheel
# Recognition: PP-OCRv6 small, in the rapidocr wheel. PP-OCRv4 mobile (rapidocr-onnxruntime's own)
# dropped or misread rare characters of small print (缮, 竣) and has no ≧ ≦ in its alphabet; on the
# scanned wide/ dev gold at 150 dpi, v6 reads numbers exactly in 0.983 of cells against v4's 0.943
REC_MODEL = "PP-OCRv6_rec_small.onnx"
# Recognition pads every text box to at least this many pixels wide (at 48 high). A table's cells are
# mostly short (a number, a unit, two to seven characters): RapidOCR's 320 spent a third of their
# time on blank pixels. Narrower minimums (96, 160) measured lost a leading ≤ or ≥ on the gold scans
REC_MIN_WIDTH = 192
REC_BATCH = 1  # boxes recognised per call: a batch is padded to its widest box, which costs more than calls


@dataclass
class OcrTimes:
    """Seconds spent per step, summed over pages (for the benchmark)."""

    grid: float = 0.0  # deskew, line masks, rules
    detection: float = 0.0
    recognition: float = 0.0
    pages: int = 0


TIMES = OcrTimes()


@functools.lru_cache(maxsize=1)
def engine():
    """The RapidOCR engine, loaded once per process; a clear error when its models are missing."""
    try:
        import rapidocr_onnxruntime
    except ImportError as exc:
        raise InputError(f"OCR needs rapidocr-onnxruntime ({exc}); pip install rapidocr-onnxruntime") from None
    detector = Path(rapidocr_onnxruntime.__file__).parent / "models" / DET_MODEL
    recogniser = _recogniser_path()
    for path, package in ((detector, "rapidocr-onnxruntime"), (recogniser, "rapidocr")):
        if not path.is_file():
            raise InputError(f"OCR model missing: {path} (reinstall {package})")
    return rapidocr_onnxruntime.RapidOCR(use_cls=False, print_verbose=False, intra_op_num_threads=1,
                                         inter_op_num_threads=1, rec_img_shape=[3, 48, REC_MIN_WIDTH],
                                         rec_batch_num=REC_BATCH, rec_model_path=str(recogniser))


def _recogniser_path() -> Path:
    """The recognition model inside the `rapidocr` wheel, found without importing that package (only
    its model file is used; the engine is rapidocr-onnxruntime's, which reads the alphabet from it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("OCR needs the rapidocr package for its recognition model; pip install 'rapidocr>=3.10'")
    return Path(list(spec.submodule_search_locations)[0]) / "models" / REC_MODEL


def recognise_without_letters(image) -> tuple[str, float]:
    """A lone mark's reading, never a Latin letter: a ruled cell holding one mark holds a figure, a
    sign or a character (1, 0, —, 是), and the recogniser's large alphabet otherwise reads a faint 1
    as I and a 0 as U."""
    import numpy as np

    rec = engine().text_rec
    _, height, width = rec.rec_image_shape
    ratio = max(image.shape[1] / image.shape[0], width / height)
    preds = rec.session(rec.resize_norm_img(image, ratio)[np.newaxis].astype(np.float32))[0]
    preds[:, :, _latin_columns()] = 0.0
    (text, score), = rec.postprocess_op(preds)
    return str(text).strip(), float(score)


def is_latin_letter(text: str) -> bool:
    """Whether a glyph is a Latin letter, half or full width."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    return folded.isascii() and folded.isalpha()


@functools.lru_cache(maxsize=1)
def _latin_columns() -> list[int]:
    """The recogniser's output columns that write a Latin letter."""
    alphabet = engine().text_rec.postprocess_op.character
    return [i for i, c in enumerate(alphabet) if len(c) == 1 and is_latin_letter(c)]
