"""Errors as data: document status, caught failures as warnings with page and table, on real inputs."""

from pathlib import Path

import pytest

from pipeline import extract_file
from pipeline.checks import check_document
from pipeline.errors import caught
from pipeline.model import DocumentResult

WIDE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wide"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
needs_wide = pytest.mark.skipif(not WIDE.exists(), reason="../shared/corpus/wide not available")


@needs_wide
def test_image_only_pdf_is_empty_with_its_reason():
    res = extract_file(WIDE / "015_长沙__市场监督管理局_2026年部门预算.pdf", {"ocr": "never"})
    assert res.status == "empty" and not res.rows
    assert res.status_reason == "no text layer on 6 of 6 pages (scanned?)"  # with OCR: tests/test_ocr.py


@needs_wide
def test_html_saved_as_pdf_is_read_as_html_with_a_note():
    res = extract_file(WIDE / "004_重庆__2026年重庆市交通运输局部门预算.pdf")
    assert res.format == "html" and res.status == "empty" and not res.rows
    assert res.errors[0].partial is False and "read as HTML" in res.errors[0].message


@needs_wide
def test_negative_budget_report_is_empty_not_ok():
    res = extract_file(WIDE / "001_上海__2026年上海市民政局_部门预算.pdf")
    assert res.status == "empty" and not res.rows and res.status_reason.startswith("no indicator table among")


def test_a_table_that_trips_the_reader_is_a_warning_and_the_rest_stays(monkeypatch):
    import pipeline.tables.document as stage

    clean = extract_file(SAMPLES / "sample_multipage_target.docx", {"link": False})
    real = stage.normalise_part
    calls = {"n": 0}

    def failing_first(raw, prov, cont):
        calls["n"] += 1
        if prov.table_index == 0:
            raise StopIteration()
        return real(raw, prov, cont)

    monkeypatch.setattr(stage, "normalise_part", failing_first)
    res = extract_file(SAMPLES / "sample_multipage_target.docx", {"link": False})
    assert calls["n"] > 0
    warning = res.errors[0]
    assert warning.table == 0 and warning.partial and "table 1: table not read (StopIteration" in warning.message
    assert "Traceback" in warning.detail
    lost = {r.table_index for r in clean.rows} - {r.table_index for r in res.rows}
    assert lost <= {0}
    assert res.status in ("partial", "empty")


def test_a_failing_rule_is_a_warning_and_the_other_rules_run(monkeypatch):
    from pipeline.checks import RULES
    from dataclasses import replace

    res = extract_file(SAMPLES / "sample_dump.txt", {"link": False})
    before = check_document(res)
    victim = sorted(RULES)[0]

    def boom(*args):
        raise ValueError("cannot convert float infinity to integer")
        yield  # pragma: no cover

    monkeypatch.setitem(RULES, victim, replace(RULES[victim], fn=boom))
    warnings = []
    after = check_document(res, warnings)
    assert warnings and all(f"rule {victim}" in w.message for w in warnings)
    assert [f for f in before if f.rule != victim] == after
    with pytest.raises(ValueError):
        check_document(res)


def test_caught_names_page_and_table_on_one_line():
    try:
        {}["x"]
    except KeyError as exc:
        e = caught(exc, "rows not read", 12, 2)
    assert e.message.startswith("page 12, table 3: rows not read (KeyError") and "\n" not in e.message
