"""The auditor's reports: the workbook read back with openpyxl, the HTML report parsed and opened in a
real headless Chromium, on seed 004 and on a real self-evaluation PDF (so page crops are exercised)."""

import base64
import io
import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import replace

import pytest
from lxml import html as lhtml
from openpyxl import load_workbook
from PIL import Image
from typer.testing import CliRunner

from pipeline import extract_file
from pipeline.checks import RULES, check_document
from pipeline.cli import app
from pipeline.outputs.page_crops import MAX_CROP_PX
from pipeline.outputs.report_html import DISPLAY_FIELDS, write_html_report
from pipeline.outputs.report_xlsx import FILLS, write_xlsx_report

from .conftest import SHARED, seed

REAL = SHARED / "corpus" / "real"
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
CSS_BACKGROUNDS = {"error": (0xF8, 0xD7, 0xDA), "warning": (0xFF, 0xF3, 0xCD)}  # .sev-* backgrounds in the CSS


def _self_eval_pdf():
    """A real final-accounts PDF with scored project tables, chosen from the corpus manifest."""
    manifest = REAL / "MANIFEST.tsv"
    if not manifest.exists():
        pytest.skip(f"no manifest at {manifest}")
    lines = [ln.split("\t") for ln in manifest.read_text(encoding="utf-8").splitlines()[1:] if ln.strip()]
    files = [REAL / cols[0] for cols in lines if "self-evaluation" in cols[1] and (REAL / cols[0]).exists()]
    if not files:
        pytest.skip(f"no self-evaluation PDF listed in {manifest}")
    return files[0]


@pytest.fixture(scope="module")
def docs(seed_results):
    """(results, findings) for seed 004 and a real PDF; both give findings, the PDF's with page regions."""
    results = [seed_results["004"], extract_file(_self_eval_pdf())]
    findings = [f for res in results for f in check_document(res)]
    assert sum(f.source == results[0].source for f in findings) >= 20
    assert any(f.source == results[1].source and f.bbox and f.page for f in findings)
    return results, findings


@pytest.fixture(scope="module")
def workbook(docs, tmp_path_factory):
    results, findings = docs
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    write_xlsx_report(results, findings, path)
    return path, load_workbook(path)


@pytest.fixture(scope="module")
def html_report(docs, tmp_path_factory):
    results, findings = docs
    path = tmp_path_factory.mktemp("html") / "report.html"
    write_html_report(results, findings, path)
    return path


def _expected_cells(findings):
    """(source, table, row, field) -> severities: the row cells each finding names (the name cell when
    its rule names none)."""
    out = {}
    for f in findings:
        if f.row_index is None:
            continue
        for field in f.cells or ["name"]:
            out.setdefault((f.source, f.table_index, f.row_index, field), []).append(f)
    return out


def _worst(fs):
    return min((f.severity for f in fs), key=SEVERITY_RANK.get)


# ---------------------------------------------------------------- workbook


def _records(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_workbook_sheets_filters_and_frozen_headers(workbook):
    _, wb = workbook
    assert wb.sheetnames[:3] == ["summary", "findings", "rows"]
    for name in ("summary", "findings", "rows"):
        ws = wb[name]
        assert ws.auto_filter.ref == ws.dimensions and ws.freeze_panes == "A2"


def test_summary_counts_each_document(workbook, docs):
    results, findings = docs
    _, recs = _records(workbook[1]["summary"])
    assert [r["source"] for r in recs] == [res.source for res in results]
    for rec, res in zip(recs, results):
        mine = [f for f in findings if f.source == res.source]
        assert (rec["rows"], rec["tables"], rec["findings"]) == (len(res.rows), len(res.tables), len(mine))
        assert {s: rec[s] for s in SEVERITY_RANK} == {s: sum(f.severity == s for f in mine) for s in SEVERITY_RANK}
        assert {rid: rec[rid] for rid in RULES} == {rid: sum(f.rule == rid for f in mine) for rid in RULES}


def test_findings_sheet_holds_every_finding(workbook, docs):
    _, findings = docs
    ws = workbook[1]["findings"]
    header, recs = _records(ws)
    assert len(recs) == len(findings)
    sev_col = header.index("severity") + 1
    for i, (rec, f) in enumerate(zip(recs, findings)):
        assert (rec["finding"], rec["rule"], rec["severity"], rec["message"], rec["message_en"], rec["page"]) == \
            (i + 1, f.rule, f.severity, f.message, f.message_en, f.page)
        assert json.loads(rec["evidence"]) == json.loads(json.dumps(f.evidence))
        assert rec["title"] == RULES[f.rule].title
        assert ws.cell(row=i + 2, column=sev_col).fill.fgColor.rgb[-6:] == FILLS[f.severity]


def test_rows_sheet_highlights_exactly_the_cells_at_fault(workbook, docs, tmp_path):
    results, findings = docs
    _check_rows_sheet(workbook[1]["rows"], results, findings)
    # a cell named by several findings takes the worst colour, whatever their order
    assert any(len({f.severity for f in fs}) > 1 for fs in _expected_cells(findings).values())
    backwards = tmp_path / "backwards.xlsx"
    write_xlsx_report(results, findings[::-1], backwards)
    _check_rows_sheet(load_workbook(backwards)["rows"], results, findings)


def _check_rows_sheet(ws, results, findings):
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    assert ws.max_row - 1 == sum(len(res.rows) for res in results)
    highlighted = {}
    for row in ws.iter_rows(min_row=2):
        key = tuple(row[col[k]].value for k in ("source", "table_index", "row_index"))
        for cell in row:
            if cell.fill.fill_type == "solid":
                highlighted[(*key, header[cell.column - 1])] = cell
    expected = _expected_cells(findings)
    assert expected and set(highlighted) == set(expected)
    for key, fs in expected.items():
        cell = highlighted[key]
        assert cell.fill.fgColor.rgb[-6:] == FILLS[_worst(fs)]
        assert all(f.rule in cell.comment.text for f in fs)


def test_workbook_is_deterministic(docs, workbook, tmp_path):
    results, findings = docs
    again = tmp_path / "again.xlsx"
    write_xlsx_report(results, findings, again)
    assert again.read_bytes() == workbook[0].read_bytes()


# ---------------------------------------------------------------- HTML, parsed


def _check_dom(root, results, findings):
    """What the report must show, on a DOM from lxml or from Chromium."""
    arts = root.xpath('//article[contains(@class, "finding")]')
    assert [a.get("id") for a in arts if a.get("id")] and len(arts) == len(findings)
    assert Counter(a.get("data-rule") for a in arts) == Counter(f.rule for f in findings)
    by_id = {a.get("id"): a for a in arts}
    pdf = results[1]
    data = root.xpath('//script[@id="crops"]')  # each picture once; Chromium has set every src from it
    images = json.loads(data[0].text_content()) if data else {}
    for n, f in enumerate(findings, 1):
        art = by_id[f"finding-{n}"]
        assert art.get("data-rule") == f.rule and f"sev-{f.severity}" in art.get("class")
        text = art.text_content()
        assert f.message in text and f.message_en in text
        imgs = art.xpath(".//img")
        if f.source == pdf.source and f.bbox and f.page:
            src = imgs[0].get("src") or images.get(imgs[0].get("data-crop"), "") if len(imgs) == 1 else ""
            assert src.startswith("data:image/png;base64,")
            png = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
            assert 0 < png.width <= MAX_CROP_PX[0] and 0 < png.height <= MAX_CROP_PX[1]
            assert len(png.convert("RGB").getcolors(1 << 16) or range(1 << 16)) > 4  # a picture, not a blank
        else:
            assert imgs == []
    for d, res in enumerate(results):
        for (source, t, r, field), fs in _expected_cells(findings).items():
            if source != res.source:
                continue
            shown = field if field in DISPLAY_FIELDS else "name"
            td = root.xpath(f'//tr[@id="row-{d}-{t}-{r}"]/td[@data-field="{shown}"]')
            assert len(td) == 1, (source, t, r, field)
            assert f"sev-{_worst(fs)}" in td[0].get("class") and all(f.rule in td[0].get("data-rules") for f in fs)
    flagged = root.xpath('//td[contains(@class, "flag")]')
    assert len(flagged) == len({(s, t, r, f if f in DISPLAY_FIELDS else "name") for s, t, r, f in _expected_cells(findings)})


def test_html_report_shows_every_finding_cell_and_crop(html_report, docs, tmp_path):
    results, findings = docs
    root = lhtml.fromstring(html_report.read_bytes())
    _check_dom(root, results, findings)
    assert not root.xpath("//script[@src] | //link | //*[@src and not(starts-with(@src, 'data:'))]")  # self-contained
    backwards = tmp_path / "backwards.html"  # the worst severity colours a cell, whatever the order
    write_html_report(results, findings[::-1], backwards)
    _check_dom(lhtml.fromstring(backwards.read_bytes()), results, findings[::-1])


def test_html_escapes_document_text(docs, tmp_path):
    results, findings = docs
    hostile = replace(findings[0], message="<script>alert(1)</script>", name='"><b>x</b>')
    out = tmp_path / "r.html"
    write_html_report(results[:1], [hostile], out)
    root = lhtml.fromstring(out.read_bytes())
    assert not root.xpath("//article//script | //article//b[text()='x']")
    assert len(root.xpath("//script")) == 2  # the report's pictures and its filter, nothing from the document
    assert "<script>alert(1)</script>" in root.xpath('//article[@id="finding-1"]')[0].text_content()


def test_html_report_is_deterministic(docs, html_report, tmp_path):
    results, findings = docs
    again = tmp_path / "again.html"
    write_html_report(results, findings, again)
    assert again.read_bytes() == html_report.read_bytes()


# ---------------------------------------------------------------- HTML, in a real browser


def _chromium(*args, tmp_path):
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("chromium not installed (apt-get install chromium; .ci/run installs it): the browser test needs it")
    cmd = [exe, "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    if os.geteuid() == 0:
        cmd.insert(2, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return subprocess.run(cmd, capture_output=True, timeout=180, check=True)


def test_html_report_in_headless_chromium(html_report, docs, tmp_path):
    results, findings = docs
    shot = tmp_path / "report.png"
    _chromium(f"--screenshot={shot}", "--window-size=1280,1600", html_report.as_uri(), tmp_path=tmp_path)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    colours = image.getcolors(1 << 20)
    assert len(colours) > 50  # text, tables and badges, not a blank page
    for sev, rgb in CSS_BACKGROUNDS.items():  # the severity badges at the top are painted
        assert any(all(abs(a - b) <= 3 for a, b in zip(c, rgb)) for _, c in colours), sev
    dom = _chromium("--dump-dom", html_report.as_uri(), tmp_path=tmp_path).stdout
    _check_dom(lhtml.fromstring(dom), results, findings)


# ---------------------------------------------------------------- command line


def test_check_command_writes_both_reports(tmp_path):
    out, xlsx, html = tmp_path / "f.jsonl", tmp_path / "r.xlsx", tmp_path / "r.html"
    res = CliRunner().invoke(app, ["check", str(seed("000")), "-o", str(out), "--xlsx", str(xlsx), "--html", str(html)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert lines
    _, recs = _records(load_workbook(xlsx)["findings"])
    assert [(r["rule"], r["row_index"]) for r in recs] == [(d["rule"], d["row_index"]) for d in lines]
    root = lhtml.fromstring(html.read_bytes())
    shown = {a.get("id"): a.get("data-rule") for a in root.xpath("//article")}
    assert shown == {f"finding-{n}": d["rule"] for n, d in enumerate(lines, 1)}


def test_html_filter_works_in_headless_chromium(html_report, docs, tmp_path):
    """The filter bar narrows the findings without a server; its choice lives in the address, so a
    filtered view of a report can be sent to a colleague."""
    _, findings = docs
    sev = Counter(f.severity for f in findings)
    rule = Counter(f.rule for f in findings).most_common(1)[0][0]
    for query, keep in ((f"severity={min(sev, key=sev.get)}", lambda a: a.get("data-severity") == min(sev, key=sev.get)),
                        (f"rule={rule}&doc=0", lambda a: a.get("data-rule") == rule and a.get("data-doc") == "0")):
        dom = lhtml.fromstring(_chromium("--dump-dom", html_report.as_uri() + "#" + query, tmp_path=tmp_path).stdout)
        articles = dom.xpath("//article[contains(@class, 'finding')]")
        assert len(articles) == len(findings)
        shown = [a for a in articles if a.get("hidden") is None]
        assert shown and all(keep(a) for a in shown) and all(not keep(a) for a in articles if a.get("hidden") is not None)
        assert dom.xpath("//nav[@id='filter']/output")[0].text == f"{len(shown)} shown"


def _offset_workbook(path, top: int, left: int, sheet: str):
    """A self-evaluation sheet whose table starts at (top, left), under a note, with one row that
    scores full marks on 0 delivered (C13) and one that scores above its weight (C01)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.cell(1, 1, "附件：项目支出绩效自评表")
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    body = [["产出指标", "数量指标", "培训人次", "≥500人次", "0人次", 20, 20, ""],
            ["产出指标", "质量指标", "培训合格率", "≥95%", "96%", 20, 25, ""],
            ["效益指标", "社会效益指标", "带动就业人数", "≥50人", "52人", 30, 30, ""],
            ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "93%", 30, 30, ""]]
    for i, line in enumerate([header, *body]):
        for j, v in enumerate(line):
            ws.cell(top + i, left + j, v)
    wb.save(path)
    return {(top + i, left + j): v for i, line in enumerate([header, *body]) for j, v in enumerate(line)}


@pytest.mark.parametrize("top,left,sheet", [(4, 2, "指标信息"), (3, 1, "Sheet 1"), (30, 28, "自评")])
def test_xlsx_findings_give_the_sheet_and_cell_address(tmp_path, top, left, sheet):
    from openpyxl.utils.cell import range_boundaries

    path = tmp_path / "offset.xlsx"
    printed = _offset_workbook(path, top, left, sheet)
    found = check_document(extract_file(path))
    by_rule = {f.rule: f for f in found if f.row_index is not None}
    assert {"C01", "C13"} <= set(by_rule)
    for rule, expected in (("C13", {"0人次", 20}), ("C01", {20, 25})):
        f = by_rule[rule]
        where, _, cells = f.address.rpartition("!")
        assert where.strip("'") == sheet
        c0, r0, c1, r1 = range_boundaries(cells if ":" in cells else f"{cells}:{cells}")
        shown = {printed.get((r, c)) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        assert expected <= shown, (rule, f.address, shown)
        assert r0 == r1  # one row's cells


def test_html_report_splits_per_document_beyond_its_size(docs, tmp_path):
    """Beyond the size, the report is an index with every finding and no picture, plus one page per
    document with its rows and crops; every link resolves, and a smaller rerun goes back to one file."""
    results, findings = docs
    path = tmp_path / "report.html"
    written = write_html_report(results, findings, path, split_bytes=1)
    assert len(written) == len(results) + 1 and written[-1] == path
    index = lhtml.fromstring(path.read_bytes())
    arts = index.xpath('//article[contains(@class, "finding")]')
    assert [a.get("data-id") for a in arts] == [f.id for f in findings] and not index.xpath("//img")
    pages = {}
    for a in index.xpath("//a[@href]"):
        target, _, anchor = a.get("href").partition("#")
        if target:
            pages.setdefault(target, lhtml.fromstring((tmp_path / target).read_bytes()))
            assert not anchor or pages[target].xpath(f'//*[@id="{anchor}"]'), a.get("href")
    assert len(pages) == len(results)
    for d, res in enumerate(results):
        page = pages[f"report_files/doc-{d:04d}.html"]
        mine = [f"finding-{n}" for n, f in enumerate(findings, 1) if f.source == res.source]
        shown = [a.get("id") for a in page.xpath('//article[contains(@class, "finding")]')]
        assert sorted(shown) == sorted(mine) and len(shown) == len(mine)
        images = json.loads(page.xpath('//script[@id="crops"]')[0].text_content())
        cropped = [f for f in findings if f.source == res.source and res.format == "pdf" and f.bbox and f.page]
        assert len(page.xpath("//img[@data-crop]")) == len(cropped)
        assert all(img.get("data-crop") in images for img in page.xpath("//img[@data-crop]"))
    single = write_html_report(results, findings, path)
    assert single == [path] and not (tmp_path / "report_files").exists()
