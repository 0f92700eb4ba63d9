"""The batch runner: isolation of crashing, hanging and memory-hungry documents; input order and
byte-identical output whatever the worker count."""

import shutil
import time

import pytest
from typer.testing import CliRunner

from pipeline.batch import FAULTS_ENV, BatchSettings, run_batch, warm_extraction
from pipeline.batch_common import parse_faults
from pipeline.cli import app, collect_inputs
from pipeline.extract import extract_file

from .conftest import ROOT, SEEDS

SAMPLES = ROOT / "corpus" / "samples"
runner = CliRunner()


def _inputs(tmp_path):
    """Four real documents with a faulty one between each: faults are injected by base name."""
    d = tmp_path / "in"
    d.mkdir()
    names = []
    for i, (src, fault) in enumerate([("sample_dump.txt", None), ("sample_dump.txt", "crash"),
                                      ("sample_key_indicators.html", None), ("sample_dump.txt", "hang"),
                                      ("sample_legacy.xls", None), ("sample_dump.txt", "oom"),
                                      ("sample_project_self_eval.pdf", None), ("sample_dump.txt", "exit")]):
        name = f"{i}_{fault or 'good'}{(SAMPLES / src).suffix}"
        shutil.copy(SAMPLES / src, d / name)
        names.append(name)
    return [d / n for n in names]


def test_crash_hang_and_oom_in_one_batch_fail_alone(tmp_path, monkeypatch):
    files = _inputs(tmp_path)
    monkeypatch.setenv(FAULTS_ENV, ",".join(f"{f.stem.split('_')[1]}:{f.name}" for f in files if "good" not in f.name))
    warm_extraction()  # outside the clock: the parent loads the models once
    t = time.monotonic()
    outcomes = list(run_batch(files, extract_file, None, BatchSettings(workers=2, timeout=4, memory_gib=0.5)))
    elapsed = time.monotonic() - t
    assert [o.path for o in outcomes] == files and [o.index for o in outcomes] == list(range(len(files)))
    reasons = {o.path.name: o.error for o in outcomes}
    assert reasons["1_crash.txt"] == "worker crashed (signal 11, SIGSEGV)"
    assert reasons["3_hang.txt"] == "timed out after 4 s"
    assert reasons["5_oom.txt"] == "out of memory (limit 0.5 GiB)"
    assert reasons["7_exit.txt"] == "worker exited with code 3"
    for o in outcomes:
        if "good" in o.path.name:  # the good documents come back whole from the replaced workers
            assert o.ok, o.error
            assert [r.to_dict() for r in o.value.rows] == [r.to_dict() for r in extract_file(o.path).rows]
    assert elapsed < 4 + 10, elapsed  # the hang cost its time limit, not more


def test_fault_spec_is_checked():
    assert parse_faults("crash:a.txt, hang:b.pdf") == {"a.txt": "crash", "b.pdf": "hang"}
    with pytest.raises(ValueError, match="KIND:BASENAME"):
        parse_faults("explode:a.txt")


def test_settings_are_validated():
    for bad in ({"workers": 0}, {"timeout": 0}, {"memory_gib": -1}):
        with pytest.raises(ValueError):
            BatchSettings(**bad)


def test_extract_output_is_identical_with_one_and_two_workers(tmp_path):
    paths = [str(SAMPLES), str(SEEDS)]
    outputs = {}
    for n in (1, 2):
        out, tables = tmp_path / f"rows{n}.jsonl", tmp_path / f"tables{n}.jsonl"
        res = runner.invoke(app, ["extract", *paths, "-o", str(out), "--tables", str(tables), "--workers", str(n)])
        assert res.exit_code == 0, res.output
        outputs[n] = (out.read_bytes(), tables.read_bytes())
    assert outputs[1] == outputs[2]
    rows = outputs[1][0].decode("utf-8").splitlines()
    expected = sum(len(extract_file(f).rows) for f in collect_inputs([SAMPLES, SEEDS]))
    assert len(rows) == expected > 400


def test_check_findings_are_identical_with_one_and_two_workers(tmp_path):
    found = {}
    for n in (1, 2):
        out = tmp_path / f"findings{n}.jsonl"
        res = runner.invoke(app, ["check", str(SEEDS), "-o", str(out), "--workers", str(n)])
        assert res.exit_code == 0, res.output
        found[n] = out.read_bytes()
    assert found[1] == found[2] and found[1].count(b"\n") > 0


def test_a_failing_document_is_reported_in_input_order(tmp_path, monkeypatch):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SAMPLES / "sample_dump.txt", d / name)
    monkeypatch.setenv(FAULTS_ENV, "crash:a.txt")
    res = runner.invoke(app, ["extract", str(d), "-o", str(tmp_path / "rows.jsonl"), "--workers", "2"])
    assert res.exit_code == 0, res.output
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error")]
    assert errors == [f"error {d / 'a.txt'}: worker crashed (signal 11, SIGSEGV)"]
    assert "files ok: 2, partial: 0, empty: 0, failed: 1" in res.output


def test_long_pdf_keeps_the_pages_read_before_its_time_ran_out(tmp_path):
    """A report of hundreds of pages that cannot finish in --timeout: the pages read before the
    reading share of the time ran out give their rows, and the document is partial, not failed."""
    import pypdfium2 as pdfium

    from pipeline.devtools.samples import project_self_eval_pdf

    sample = tmp_path / "one.pdf"
    project_self_eval_pdf(sample)
    src, long_pdf = pdfium.PdfDocument(sample), pdfium.PdfDocument.new()
    for _ in range(300):
        long_pdf.import_pages(src)
    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf.save(folder / "long.pdf")
    out = tmp_path / "rows.jsonl"
    res = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out), "--timeout", "3", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "files ok: 0, partial: 1, empty: 0, failed: 0" in res.output, res.output
    assert "time limit reached: pages 1-" in res.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(rows) < 300 * 14  # the sample has 14 rows on its 2 pages
