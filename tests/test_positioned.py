"""Positioned-box HTML (a PDF converted to HTML, no <table>): read through the same layout core as
the PDF. Renderings of real gold PDFs in two exporter styles score like the PDFs; generated
variants cover what other exporters do (bottom placement, transforms, em and px units, bordered
cell boxes, stylesheet classes, clipping boxes, empty pages, a table continued over a page break)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import extract_file
from pipeline.devtools.evaluate import SCORED_FIELDS, in_scope, gold_documents, score_document
from pipeline.ingest import read_document
from pipeline.ingest.positioned import declarations, length, stylesheet

from . import pdf_fixtures as fx
from .conftest import ROOT, SHARED
from .positioned_fixtures import STYLES, write_positioned_html

GOLD = {"real": ROOT / "corpus/gold/pdf", "wide": ROOT / "corpus/gold/wide/dev"}


def _gold_pdf(folder: str, prefix: str) -> tuple[Path, list[dict]]:
    docs = gold_documents(GOLD[folder])
    name = next((n for n in sorted(docs) if n.startswith(prefix)), None)
    pdf = SHARED / "corpus" / folder / (name or "")
    if name is None or not pdf.exists():
        pytest.skip(f"no gold PDF {prefix}* in {SHARED / 'corpus' / folder}")
    return pdf, docs[name]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("folder,prefix", [("real", "武汉"), ("wide", "020_西安__交通运输局")])
def test_renderings_of_gold_pdfs_score_like_the_pdf(tmp_path, style, folder, prefix):
    pdf, gold = _gold_pdf(folder, prefix)
    html = write_positioned_html(pdf, tmp_path / f"{pdf.stem}.html", style)
    res = extract_file(html)
    assert res.format == "html" and res.pages == extract_file(pdf).pages
    assert {t.provenance.page for t in res.tables} and all(t.raw.source_engine == "html-positioned" for t in res.tables)
    pred = in_scope(gold, [dict(r.to_dict(), source=pdf.name) for r in res.rows])
    s = score_document(pdf.name, gold, pred)
    assert s.precision >= 0.98 and s.recall >= 0.98, (s.precision, s.recall)
    assert all(s.accuracy(f) >= 0.98 for f in SCORED_FIELDS), s.mismatches[:5]


@pytest.mark.parametrize("style", STYLES)
def test_table_continued_over_a_page_break_is_stitched(tmp_path, style):
    pdf = fx.continued_pdf(tmp_path / "continued.pdf", repeat_header=False)
    want = [(r.level1, r.level2, r.name, r.target, r.weight, r.score) for r in extract_file(pdf).rows]
    html = write_positioned_html(pdf, tmp_path / "continued.html", style)
    got = extract_file(html)
    assert [(r.level1, r.level2, r.name, r.target, r.weight, r.score) for r in got.rows] == want and len(want) >= 8
    assert {r.page for r in got.rows} == {1, 2}


@pytest.mark.parametrize("style", STYLES)
def test_merged_labels_and_multiline_cells(tmp_path, style):
    pdf, _ = fx.self_eval_pdf(tmp_path / "self_eval.pdf")
    html = write_positioned_html(pdf, tmp_path / "self_eval.html", style)
    raw = read_document(html).tables[0]
    l1 = next(c for c in raw.cells if c.text == "产出指标(50分)")
    assert (l1.row, l1.col, l1.rowspan) == (3, 0, 5)
    assert any("\n" in c.text for c in raw.cells)  # a multi-line cell keeps its line break
    assert [r.name for r in extract_file(html).rows] == [e[3] for e in fx.EXPECTED]


# ---------------------------------------------------------------- other exporters, written by hand

HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因")
BODY = [("产出指标", "数量指标", "培训人次", "≥500人次", "520人次", "20", "20", ""),
        ("产出指标", "质量指标", "培训合格率", "≥95%", "96%", "30", "30", ""),
        ("效益指标", "社会效益指标", "带动就业人数", "≥50人", "40人", "30", "24", "招聘会推迟"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "93%", "20", "20", "")]
WIDTHS = (60, 80, 110, 70, 70, 40, 40, 90)


def _cells_page(unit: str, place: str, page_height: float = 842.0, pad_pages: int = 0) -> str:
    """Each cell a bordered box (some exporters draw a table this way), text placed by `place`:
    `top` (top/left), `bottom` (bottom/left, as on a baseline) or `matrix` (transform matrix in a
    class rule, a quarter scale with a 4x font, as pdf2htmlEX writes)."""
    k = {"pt": 1.0, "px": 4 / 3, "mm": 25.4 / 72}[unit]
    css = [".pg{position:relative;width:%.1f%s;height:%.1f%s}" % (595 * k, unit, page_height * k, unit),
           ".cell{position:absolute;border:%.2f%s solid #000}" % (0.5 * k, unit),
           ".m{transform:matrix(0.25,0,0,0.25,0,0);transform-origin:0 0}"]
    out = []
    y = 100.0
    for r, line in enumerate([HEADER, *BODY]):
        x = 30.0
        for text, w in zip(line, WIDTHS):
            h = 24.0
            out.append(f'<div class="cell" style="left:{x * k:.2f}{unit};top:{y * k:.2f}{unit};width:{w * k:.2f}{unit};'
                       f'height:{h * k:.2f}{unit}"></div>')
            if text:
                tx, ty, size = x + 3, y + 6, 9.0
                if place == "top":
                    out.append(f'<div style="position:absolute;left:{tx * k:.2f}{unit};top:{ty * k:.2f}{unit};'
                               f'font-size:{size * k:.2f}{unit}">{text}</div>')
                elif place == "bottom":
                    out.append(f'<div style="position:absolute;left:{tx * k:.2f}{unit};bottom:{(page_height - ty - size) * k:.2f}{unit};'
                               f'font-size:{size * k:.2f}{unit};line-height:{size * k:.2f}{unit}">{text}</div>')
                else:
                    out.append(f'<div class="m" style="position:absolute;left:{tx * k:.2f}{unit};top:{ty * k:.2f}{unit};'
                               f'font-size:{4 * size * k:.2f}{unit};line-height:{4 * size * k:.2f}{unit}">{text}</div>')
            x += w
        y += 24.0
    title = f'<div style="position:absolute;left:{150 * k:.1f}{unit};top:{60 * k:.1f}{unit};font-size:{14 * k:.1f}{unit}">2024年度项目支出绩效自评表</div>'
    empty = '<div class="pg"></div>' * pad_pages
    return (f'<html><head><style>{"".join(css)}</style></head><body>{empty}<div class="pg">{title}{"".join(out)}</div>'
            '</body></html>')


@pytest.mark.parametrize("unit", ["pt", "px", "mm"])
@pytest.mark.parametrize("place", ["top", "bottom", "matrix"])
def test_bordered_cell_boxes_in_any_unit_and_placement(tmp_path, unit, place):
    path = tmp_path / "cells.html"
    path.write_text(_cells_page(unit, place, pad_pages=1), encoding="utf-8")
    res = extract_file(path)
    assert res.pages == 2 and [t.provenance.page for t in res.tables] == [2]  # the empty first page counts
    got = [(r.level1, r.level2, r.name, r.target, r.actual, r.weight, r.score, r.reason) for r in res.rows]
    want = [(a, b, c, d, e, float(f), float(g), h or None) for a, b, c, d, e, f, g, h in BODY]
    assert got == want


def test_a_page_of_placed_text_without_enough_boxes_is_plain_html(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text('<html><body><div style="position:absolute;left:10px;top:10px">标题</div><p>正文一段。</p></body></html>',
                    encoding="utf-8")
    doc = read_document(path)
    assert doc.tables == [] and [b.text for b in doc.text] == ["标题", "正文一段。"]


def test_css_pieces():
    assert declarations("left: 12pt; TOP:3px !important;;bad") == {"left": "12pt", "top": "3px"}
    assert length("12pt") == 12 and length("16px") == 12 and length("2em", 9) == 18 and length("auto") is None
    assert length("25.4mm") == pytest.approx(72) and length("50%") is None
    rules = stylesheet("/* c */ @media print{.x{left:1px}} .a,div.b{top:2pt} #i{width:3pt} .c:hover{left:0} p .d{left:0}")
    assert [sel for sel, _ in rules] == [(None, "a", None), ("div", "b", None), (None, None, "i")]


def test_a_box_of_several_lines_with_a_width_is_kept_inside_its_cell():
    """Its width does not set the advances of several lines, so they are estimates, and estimates that
    run over a cell's rule are narrowed like those of a box without a width."""
    import lxml.html

    from pipeline.ingest.positioned import positioned_pages

    boxes = "".join(f'<div style="position:absolute;left:{20 + 40 * i}pt;top:{300 + 30 * (i % 5)}pt;font-size:9pt">字{i}</div>'
                    for i in range(25))
    page = ('<html><body><div style="position:relative;width:595pt;height:842pt">' + boxes
            + '<div style="position:absolute;left:100pt;top:10pt;width:0;height:200pt;border-left:1pt solid #000"></div>'
            '<div style="position:absolute;left:20pt;top:40pt;width:60pt;font-size:20pt;line-height:24pt">一二三四五<br>六七</div>'
            '</div></body></html>')
    layout = positioned_pages(lxml.html.document_fromstring(page))[0]
    cell = [c for c in layout.chars if c.text in "一二三四五六七"]
    assert len(cell) == 7 and max(c.x1 for c in cell) < 100
