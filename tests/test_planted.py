"""Planted anomalies (issue 6, evaluation): every kind is found in ≥ 99 % of ≥ 100 generated documents
(text dump, DOCX, XLSX, PDF, read and checked end to end), and clean documents are read in full and
give no finding above info."""

import random
from collections import Counter

import pytest

from pipeline.checks import check_document
from pipeline.model import Finding

from . import planted
from .planted import KINDS, FORMATS, evaluate, make_document, matching_rules

N = 100
SEED = 0


@pytest.mark.parametrize("kind", KINDS)
def test_planted_kind_recall(kind, tmp_path):
    o = evaluate(kind, N, SEED, tmp_path)
    assert o.n >= 100 and set(o.by_format) == set(FORMATS)
    assert o.rate >= 0.99, "\n".join(o.notes[:10])


def test_clean_documents_are_read_in_full_and_stay_quiet(tmp_path):
    o = evaluate(None, N, SEED, tmp_path)
    assert o.n >= 100 and set(o.by_format) == set(FORMATS)
    assert o.notes == (), "\n".join(o.notes[:10])  # no error or warning, no row misread


def test_generation_is_deterministic(tmp_path):
    for i in range(len(FORMATS)):
        a = make_document("swap_unit", i, 7, tmp_path / "a")
        b = make_document("swap_unit", i, 7, tmp_path / "b")
        assert a.path.read_bytes() == b.path.read_bytes() and a.expected == b.expected


def test_batches_vary_content_and_cover_both_layouts_and_scopes(tmp_path):
    docs = [make_document(None, i, SEED, tmp_path) for i in range(40)]
    assert len({d.table.project or d.table.department for d in docs}) >= 15
    assert {d.table.layout for d in docs} == {"columns", "inline"}
    assert {d.table.scope for d in docs} == {"project", "dept"}
    assert len({len(d.table.rows) for d in docs}) >= 5
    assert Counter(d.fmt for d in docs) == {f: 10 for f in FORMATS}


def _reading(path):
    """Rows and totals of a document as read back."""
    res = planted.read_document(path)
    rows = [(r.name, r.target, r.actual, r.weight, r.score, r.reason) for r in res.rows]
    t = next(x for x in res.tables if x.kind.endswith("self_eval"))
    funds = (t.meta.funds or [{}])[0]
    return rows, (t.meta.total_weight, t.meta.total_score, t.meta.grade, funds.get("rate"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_anomaly_is_in_the_printed_document_and_nothing_else_changes(kind, tmp_path):
    """Each planted document against its clean twin (the same table before planting), in every format:
    the rows read back differ on the planted row only; a table-level anomaly shows in the totals or
    the funds block (or in one row under an unchanged printed total)."""
    for i in range(len(FORMATS)):
        doc = make_document(kind, i, SEED, tmp_path)
        twin = tmp_path / f"twin_{i}.{doc.fmt}"
        planted.WRITERS[doc.fmt](doc.clean, twin, random.Random(i))
        (rows, totals), (rows0, totals0) = _reading(doc.path), _reading(twin)
        assert len(rows) == len(rows0) == len(doc.table.rows)
        changed = {k for k, (a, b) in enumerate(zip(rows, rows0)) if a != b}
        if doc.expected.row is not None:
            assert changed == {doc.expected.row}, doc.expected.change
        else:
            assert len(changed) <= 1 and (changed or totals != totals0), doc.expected.change


def _finding(rule, row_index, name):
    return Finding(source="x", doc_sha256="0", page=None, table_title=None, project=None, row_index=row_index,
                   name=name, rule=rule, severity="error", message="", message_en="")


def test_a_finding_counts_only_on_the_planted_row_or_table(tmp_path):
    doc = make_document("zero_actual", 0, SEED, tmp_path)
    e = doc.expected
    assert matching_rules(e, [_finding("C13", e.row, e.name)]) == {"C13"}
    assert matching_rules(e, [_finding("C13", e.row + 1, e.name)]) == set()  # another row
    assert matching_rules(e, [_finding("C11", e.row, e.name)]) == set()  # another rule
    assert matching_rules(e, [_finding("C13", None, None)]) == set()  # C13 is a row rule
    grade = make_document("grade_mismatch", 0, SEED, tmp_path).expected
    assert matching_rules(grade, [_finding("C24", None, None)]) == {"C24"}


def _first(kind, pred, tmp_path, limit=200):
    """The first document of a batch whose printed table satisfies pred (the batch is deterministic)."""
    for i in range(limit):
        doc = make_document(kind, i, SEED, tmp_path)
        if pred(doc):
            return doc
    pytest.fail(f"no {kind} document satisfies the condition in {limit} draws")


def test_actual_printed_as_not_carried_out_with_points_is_c13(tmp_path):
    """Regression: C13 also reads 实际完成值 "未开展"/"未实施" (DOMAIN §3.2 C13), not only a numeric 0."""
    doc = _first("zero_actual", lambda d: d.table.rows[d.expected.row].printed["actual"] in ("未开展", "未实施"), tmp_path)
    found = check_document(planted.read_document(doc.path))
    assert matching_rules(doc.expected, found) == {"C13"}


def test_total_row_alone_on_the_last_pdf_page_is_read(tmp_path):
    """Regression: a page break just before 总分 left the stitched table without its total and grade."""
    def total_alone(d):
        if d.fmt != "pdf":
            return False
        spans, n_rows = planted.grid_spans(planted.grid_sections(d.table))
        pages = planted._paginate(planted._pdf_heights(spans, n_rows, planted.PDF_WIDTHS[d.table.layout]), 0.0)
        return not d.table.style["repeat_header"] and pages[-1] == (n_rows - 1, n_rows)

    doc = _first(None, total_alone, tmp_path)
    res = planted.read_document(doc.path)
    assert res.pages == 2 and planted.misread(doc.table, res) == []
