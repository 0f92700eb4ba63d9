"""Scanned pages read by OCR through the layout core: a real scanned page of wide/ against text typed
from its image, the image-only PDFs of wide/ with their status, scanned renderings of a gold PDF
(turned, blurred, noisy, JPEG; 150 and 200 dpi) against the born-digital gold, and image files."""

from __future__ import annotations

import unicodedata

import pypdfium2 as pdfium
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from pipeline import extract_file
from pipeline.devtools.evaluate import SCORED_FIELDS, in_scope, gold_documents, score_document

from .conftest import ROOT, SHARED
from .scanned_fixtures import SAME_SIGN, as_readable, numbers_exact, scanned_image, scanned_pdf

WIDE = SHARED / "corpus" / "wide"
REAL = SHARED / "corpus" / "real"

# typed from the image of page 2 of 021_泉州__商务局_2026年部门预算.pdf (a scanned work report)
TYPED_PAGE_2 = """泉州市商务局2024年工作总结和
2025年工作思路
2024年，全市商务系统深入贯彻落实习近平总书记重要讲
话重要指示批示精神，牢牢把握商务工作“三个重要”定位，
深化拓展“三争”行动，市县首次召开内外贸高质量发展大会，
出台“1+N”政策措施，大拼经济、大抓发展，商务运行总体稳
中有进、稳中提质，商务高质量发展扎实推进，为全市经济发
展大局作出积极贡献。全市实现社会消费品零售总额6598.5
亿元，增长5.2%；网络零售额2697.9亿元，增长4.6%；外贸"""


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("“", '"').replace("”", '"')


def _pages_of(pdf, pages, out):
    src = pdfium.PdfDocument(str(pdf))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, [p - 1 for p in pages])
    dst.save(str(out))
    return out


def _need(path):
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def test_a_real_scanned_page_reads_as_typed_from_its_image(tmp_path):
    page = _pages_of(_need(WIDE / "021_泉州__商务局_2026年部门预算.pdf"), [2], tmp_path / "page2.pdf")
    res = extract_file(page)
    typed = _plain(TYPED_PAGE_2)
    read = _plain("".join(res.narrative))[: len(typed) + 10]
    assert Levenshtein.normalized_similarity(typed, read[: len(typed)]) >= 0.95, read
    assert "6598.5" in read and "2697.9" in read  # numbers exact


def test_image_only_pdfs_of_wide_give_their_text_and_say_they_were_ocrd():
    res = extract_file(_need(WIDE / "015_长沙__文化广电旅游体育局_2026年部门预算.pdf"))
    assert "2 of 2 pages read by OCR" in res.status_reason
    assert [e.message for e in res.errors] == [f"page {p}: read by OCR at 200 dpi (no text layer)" for p in (1, 2)] + [
        "page 2: printed sideways, read turned a quarter (coordinates of the turned page)"]
    assert not any(e.partial for e in res.errors)
    assert any("文化和旅游项目资金" in t or "文化和旅游项" in t for t in res.narrative)
    # page 2 is a landscape table scanned on a portrait page: read turned, its grid and cells come out
    (table,) = res.tables
    cells = [c.text for c in table.raw.cells]
    assert table.raw.page == 2 and table.raw.n_rows >= 10 and "35.678" in cells, cells[:20]


@pytest.mark.parametrize("way", ["ROTATE_90_CLOCKWISE", "ROTATE_90_COUNTERCLOCKWISE"])
def test_a_scan_printed_sideways_reads_as_the_upright_one(tmp_path, way):
    import random

    import cv2
    import numpy as np

    from pipeline.ingest.ocr import image_layout

    docs = gold_documents(ROOT / "corpus/gold/pdf")
    name = next(n for n in sorted(docs) if n.startswith("泉州"))
    page = sorted({g["page"] for g in docs[name]})[0]
    src = pdfium.PdfDocument(str(_need(REAL / name)))
    upright = np.asarray(scanned_image(src[page - 1], 150, random.Random(2)))
    texts = []
    for image in (upright, cv2.rotate(upright, getattr(cv2, way))):
        layout = image_layout(image, 1, 72 / 150)
        texts.append("".join(c.text for c in sorted(layout.chars, key=lambda c: (round(c.cy / 4), c.x0))))
    assert len(texts[0]) > 200 and texts[1] == texts[0]


@pytest.mark.parametrize("dpi", [150, 200])
def test_scanned_renderings_of_a_gold_pdf_score_against_its_gold(tmp_path, dpi):
    docs = gold_documents(ROOT / "corpus/gold/pdf")
    name = next(n for n in sorted(docs) if n.startswith("泉州"))
    gold = as_readable(docs[name])
    pages = sorted({g["page"] for g in gold})
    pdf = scanned_pdf(_need(REAL / name), pages, tmp_path / "scan", dpi=dpi, seed=dpi)
    res = extract_file(pdf, {"ocr_dpi": dpi})
    assert res.tables and all(t.raw.source_engine == "ocr" for t in res.tables)
    back = {i + 1: p for i, p in enumerate(pages)}
    pred = as_readable([dict(r.to_dict(), source=name, page=back[r.page]) for r in res.rows])
    s = score_document(name, gold, in_scope(gold, pred))
    assert s.precision >= 0.95 and s.recall >= 0.95, (s.precision, s.recall, s.mismatches[:5])
    assert all(s.accuracy(f) >= 0.95 for f in SCORED_FIELDS), s.mismatches[:5]
    assert numbers_exact(gold, pred) >= 0.98
    assert all(r.ocr_confidence is not None and 0 < r.ocr_confidence <= 1 for r in res.rows)


def test_image_files_are_read_like_scanned_pages(tmp_path):
    docs = gold_documents(ROOT / "corpus/gold/pdf")
    name = next(n for n in sorted(docs) if n.startswith("泉州"))
    page = sorted({g["page"] for g in docs[name]})[0]
    src = pdfium.PdfDocument(str(_need(REAL / name)))
    import random

    img = scanned_image(src[page - 1], 200, random.Random(1))
    img.save(tmp_path / "page.png", dpi=(200, 200))
    img.save(tmp_path / "page.tif", dpi=(200, 200), save_all=True, append_images=[Image.new("L", img.size, 255)])
    png, tif = extract_file(tmp_path / "page.png"), extract_file(tmp_path / "page.tif")
    assert png.format == "image" and png.rows and tif.pages == 2
    key = [(r.name, r.target, r.weight) for r in png.rows]
    assert [(r.name, r.target, r.weight) for r in tif.rows] == key


def test_a_broken_image_is_one_clear_error(tmp_path):
    from pipeline import InputError
    from pipeline.ingest import read_document

    bad = tmp_path / "cut.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(InputError, match="unreadable image"):
        read_document(bad)


def _ruled_page(tmp_path, marks: dict[tuple[int, int], str], shift: tuple[float, float] = (0, 0)):
    """A page with a 3x3 ruled grid, each cell (row, col) in marks printed with its text, rendered at
    150 dpi as a grey array; shift (points) moves the whole drawing to another place on the page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / f"ruled-{shift[0]}-{shift[1]}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    x0, top = 100 + shift[0], A4[1] - 150 - shift[1]
    xs, ys = [x0 + 86 * i for i in range(4)], [top - 29 * i for i in range(4)]
    c.setLineWidth(0.8)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.setFont("STSong-Light", 10)
    for (r, col), text in marks.items():
        c.drawString(xs[col] + 8, ys[r] - 19, text)
    c.save()
    return pdfium.PdfDocument(str(path))[0].render(scale=150 / 72, grayscale=True).to_numpy()


def test_a_lone_digit_in_a_ruled_cell_is_read_and_rule_residue_is_not_text(tmp_path):
    from pipeline.ingest.ocr import image_layout

    page = _ruled_page(tmp_path, {(0, 0): "出具报告", (0, 1): "1", (1, 0): "召开会议", (1, 1): "0"}).copy()
    # a thin dark stroke along the top of an empty cell (row 2, column 3), as erasing a slightly bent
    # rule leaves; in points the cell starts at x 272, y 150 + 58
    k = 150 / 72
    y, x = round((150 + 58) * k) + 4, round(272 * k)
    page[y, x + 20: x + 42] = 0
    layout = image_layout(page, 1, 1 / k)
    second = "".join(c.text for c in sorted(layout.chars, key=lambda c: c.cy) if 186 < c.cx < 272)
    assert second == "10", [(c.text, round(c.cx)) for c in layout.chars]
    assert not [c for c in layout.chars if c.cx > 272], [(c.text, round(c.cx)) for c in layout.chars]


def test_glyph_positions_do_not_depend_on_where_the_print_sits_on_the_page(tmp_path):
    from pipeline.ingest.ocr import image_layout

    marks = {(0, 0): "项目成本控制", (0, 1): "≤120万元", (1, 0): "满意度", (1, 1): "≥90%"}
    here = image_layout(_ruled_page(tmp_path, marks), 1, 72 / 150)
    there = image_layout(_ruled_page(tmp_path, marks, shift=(60, 200)), 1, 72 / 150)
    assert [c.text for c in here.chars] == [c.text for c in there.chars]
    # a glyph's box comes from the recogniser's output columns (4 px at 150 dpi): it may move by one;
    # a wrong crop or blank offset moves every glyph by tens of points
    for a, b in zip(here.chars, there.chars):
        assert abs(a.x0 + 60 - b.x0) < 2.5 and abs(a.cy + 200 - b.cy) < 1.5, (a, b)


def test_the_signs_scoring_folds_are_read_alike():
    # as_readable folds ≧ ≦ onto ≥ ≤ on both sides when scoring scans: the shape reader writes ≥ ≤
    # whichever was printed, which is fair only because the value parser gives them one meaning
    from pipeline.values import parse_value

    for printed, folded in (("≧95%", "≥95%"), ("≦核定人数", "≤核定人数"), ("≧3次", "≥3次")):
        assert as_readable([{"target": printed}]) == [{"target": folded}]
        a, b = parse_value(printed), parse_value(folded)
        assert (a.op, a.value, a.unit) == (b.op, b.value, b.unit)


def test_the_recogniser_is_the_one_the_rapidocr_wheel_ships():
    import onnxruntime

    from pipeline.ingest.ocr_engine import _recogniser_path, engine

    meta = onnxruntime.InferenceSession(str(_recogniser_path())).get_modelmeta().custom_metadata_map
    alphabet = set(meta["character"].splitlines())
    assert {"缮", "竣", "≧", "≦", "；", "："} <= alphabet  # what PP-OCRv4 mobile misread or could not write
    assert len(engine().text_rec.postprocess_op.character) == len(alphabet) + 2  # blank and space added


@pytest.mark.parametrize("height", [12, 18, 26])
def test_a_cells_lone_stroke_is_read_by_its_slant(height):
    import cv2
    import numpy as np

    from pipeline.ingest.shapes import lone_stroke

    def drawn(points):
        img = np.full((height + 8, height + 8), 255, np.uint8)
        cv2.line(img, *points, 0, max(1, height // 12))
        img = cv2.GaussianBlur(img, (3, 3), 0.6)
        ys, xs = np.nonzero(img < 160)
        return img[ys.min():ys.max() + 1, xs.min():xs.max() + 1]

    h = height + 3
    assert lone_stroke(drawn(((4, h // 2 + 4), (h, h // 2 + 4))) < 160) == "—"
    assert lone_stroke(drawn(((h // 2 + 4, 4), (h // 2 + 4, h))) < 160) is None  # upright: the 1 it was read as
    assert lone_stroke(drawn(((h // 2 + 8, 4), (h // 2, h))) < 160) == "/"
    assert lone_stroke(drawn(((h // 2, 4), (h // 2 + 8, h))) < 160) == "\\"


def test_dashes_and_slashes_alone_in_cells_of_a_real_scan_give_no_rows(tmp_path):
    # 西安 人社 pp. 51-52 print — and / in the cells of unused indicator rows; PP-OCRv6 reads a lone
    # — as 一 and a lone / as 1, which made rows named 一 and 1
    name = "020_西安__人力资源和社会保障局_2026年部门预算.pdf"
    gold = [g for g in gold_documents(ROOT / "corpus/gold/wide/dev")[name] if g["page"] in (51, 52)]
    pdf = scanned_pdf(_need(WIDE / name), [50, 51, 52], tmp_path / "scan", dpi=200, seed=11)  # 50: the header
    rows = [r for r in extract_file(pdf, {"ocr_dpi": 200}).rows if r.page > 1]
    assert [r.page for r in rows] == [g["page"] - 49 for g in gold], [(r.page, r.name) for r in rows]
    assert not {r.name for r in rows} & {"一", "1", "—", "/"}


def _drawn_sign(sign: str, height: int):
    """A comparison sign drawn as print is shaped, `height` pixels tall, blurred as a scan is: a
    chevron (> or <) over 0, 1 or 2 bars, or bars alone."""
    import cv2
    import numpy as np

    w = max(round(height * 0.8), 6)
    img = np.full((height + 8, w + 8), 255, np.uint8)
    bars = {"≧": 2, "≦": 2, "≥": 1, "≤": 1, "⩾": 1, "⩽": 1, "=": 2}.get(sign, 0)
    chevron_bottom = 4 + (height if bars == 0 else round(height * 0.55))
    mid = (4 + chevron_bottom) // 2
    tip, back = (4 + w, 4) if sign in "≧≥⩾>" else (4, 4 + w)
    if sign != "=":
        cv2.line(img, (back, 4), (tip, mid), 0, 1, cv2.LINE_AA)
        cv2.line(img, (tip, mid), (back, chevron_bottom), 0, 1, cv2.LINE_AA)
    if sign in "⩾⩽":  # the bar slanted, parallel to the lower arm
        drop = 4 + height - chevron_bottom
        cv2.line(img, (tip, mid + drop), (back, 4 + height - 1), 0, 1, cv2.LINE_AA)
        bars = 0
    for i in range(bars):
        y = 4 + height - 1 - i * max(round(height * (0.4 if sign == "=" else 0.18)), 3)
        img[y, 4: 4 + w + 1] = 0
    return cv2.GaussianBlur(img, (3, 3), 0.6)


@pytest.mark.parametrize("height", [11, 15, 20, 28])
def test_a_comparison_sign_is_read_by_its_shape(height):
    from pipeline.ingest.shapes import operator_shape

    read = {s: operator_shape(_drawn_sign(s, height) < 160) for s in "≧≦≥≤⩾⩽><="}
    assert read == {"≧": "≥", "≦": "≤", "≥": "≥", "≤": "≤", "⩾": "≥", "⩽": "≤", ">": ">", "<": "<", "=": "="}


def test_print_that_is_no_comparison_sign_is_not_read_as_one():
    import cv2
    import numpy as np

    from pipeline.ingest.shapes import operator_shape

    def blank():
        return np.full((24, 20), 255, np.uint8)

    bracket, dash, one, cross = blank(), blank(), blank(), blank()
    cv2.ellipse(bracket, (16, 12), (8, 10), 0, 100, 260, 0, 1)  # （
    dash[12, 3:17] = 0  # -
    one[2:22, 10] = 0  # 1
    cross[12, 2:18], cross[2:22, 10] = 0, 0  # 十
    # a bracket is a chevron in outline, but never a barred one: only ≥ and ≤ change what was read
    assert operator_shape(bracket < 160) in (None, "<")
    assert [operator_shape(s < 160) for s in (dash, one, cross)] == [None] * 3


def test_signs_the_recogniser_cannot_write_are_read_on_a_real_scanned_table(tmp_path):
    # 西安 人社 prints targets as ≧95%; PP-OCR has no ≧ and drops it or reads = (page 57 at 150 dpi
    # dropped two of three before signs were read by shape)
    name = "020_西安__人力资源和社会保障局_2026年部门预算.pdf"
    gold = [g for g in as_readable(gold_documents(ROOT / "corpus/gold/wide/dev")[name]) if g["page"] == 57]
    pdf = scanned_pdf(_need(WIDE / name), [56, 57], tmp_path / "scan", dpi=150, seed=7)  # 56: the header
    targets = {_plain(r.name or ""): (r.target or "").translate(SAME_SIGN)
               for r in extract_file(pdf, {"ocr_dpi": 150}).rows if r.page == 2}
    signed = [g for g in gold if (g["target"] or "")[:1] in "≥≤"]
    assert len(signed) >= 3
    assert [targets.get(_plain(g["name"])) for g in signed] == [g["target"] for g in signed], targets


@pytest.mark.parametrize("dpi", [150, 200])
def test_semicolons_and_colons_are_told_apart_on_a_real_scanned_table(tmp_path, dpi):
    # page 52 of 西安 人社 lists two indicators per cell, split by ；; the recogniser reads most of
    # them as ： (the comma's tail is a few grey pixels)
    name = "020_西安__人力资源和社会保障局_2026年部门预算.pdf"
    gold = [g for g in gold_documents(ROOT / "corpus/gold/wide/dev")[name] if g["page"] == 52]
    pdf = scanned_pdf(_need(WIDE / name), [52], tmp_path / "scan", dpi=dpi, seed=3)
    names = {_plain(r.name or "") for r in extract_file(pdf, {"ocr_dpi": dpi}).rows}
    listed = [_plain(g["name"]) for g in gold if "；" in g["name"]]
    assert len(listed) == 3
    # at 150 dpi one comma's tail is too faint to tell (its pieces binarise as tall as the dot)
    assert len([n for n in listed if n not in names]) <= (1 if dpi == 150 else 0), names


def test_a_straight_quote_in_chinese_is_the_curly_one_it_pairs_with():
    from pipeline.ingest.ocr import _glyphs

    def read(text):
        return "".join(c.text for c in _glyphs([[[0, 0], [len(text) * 10, 0], [len(text) * 10, 12], [0, 12]], text, 0.9], 1.0))

    assert read('完成“十五五"规划编制') == "完成“十五五”规划编制"
    assert read('完成"十五五"规划') == "完成“十五五”规划"
    assert read('"A" and "B"') == '"A"and"B"'  # no Chinese: left as printed (spaces are not glyphs)


def test_a_lone_mark_is_never_read_as_a_latin_letter(tmp_path):
    # 长沙 公安 pp. 23-24 print targets 1 and 0 alone in their cells; at 200 dpi PP-OCRv6 read them
    # as I and U. A ruled cell holding one mark holds a figure, a sign or a character, never a letter
    docs = gold_documents(ROOT / "corpus/gold/pdf")
    name = next(n for n in sorted(docs) if n.startswith("长沙"))
    gold = [g for g in docs[name] if g["page"] in (23, 24)]
    pdf = scanned_pdf(_need(REAL / name), [23, 24], tmp_path / "scan", dpi=200, seed=len(name) + 200)
    read = {(r.page + 22, _plain(r.name or "")): r.target for r in extract_file(pdf, {"ocr_dpi": 200}).rows}
    lone = [g for g in gold if g["target"] in ("0", "1")]
    assert len(lone) >= 2
    assert [read.get((g["page"], _plain(g["name"]))) for g in lone] == [g["target"] for g in lone], read
