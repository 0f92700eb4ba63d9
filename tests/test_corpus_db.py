"""The DuckDB research corpus: lossless storage, idempotent and resumable builds, duplicates stored
once, failures recorded, deterministic Parquet export."""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.batch import FAULTS_ENV
from pipeline.checks import check_document
from pipeline import corpus_db
from pipeline.cli import app
from pipeline.corpus_db import EXPORT_ORDER, SCHEMA
from pipeline.devtools.samples import BUILDERS
from pipeline.extract import extract_file

from .conftest import ROOT

SAMPLES = ROOT / "corpus" / "samples"
N = len(BUILDERS)  # the sample documents (one of them also copied in as a duplicate)
runner = CliRunner()


def _samples(d):
    """The seven samples and an exact copy of one of them under another name."""
    d.mkdir()
    for f in sorted(SAMPLES.glob("sample_*")):
        shutil.copy(f, d / f.name)
    shutil.copy(SAMPLES / "sample_dump.txt", d / "copy_of_dump.txt")
    return d


def _build(src, db, *extra):
    res = runner.invoke(app, ["corpus", "build", str(src), "--db", str(db), *extra])
    assert res.exit_code == 0, res.output
    return res.output


def _table(db, name):
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(f"SELECT * FROM {name} ORDER BY {EXPORT_ORDER[name]}")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


def _contents(db):
    return {name: _table(db, name) for name in SCHEMA}


def _stored_rows(db, source):
    rows = [r for r in _table(db, "rows") if r["source"] == source]
    for r in rows:
        r.pop("ordinal")
        r["bbox"] = {k: list(v) for k, v in (r["bbox"] or {}).items()}
    return rows


def test_corpus_stores_every_row_and_finding_losslessly_and_once(tmp_path):
    src, db = _samples(tmp_path / "in"), tmp_path / "c.duckdb"
    out = _build(src, db, "--workers", "2")
    assert f"files ok: {N}, partial: 0, empty: 0, failed: 0, skipped (duplicates): 1, already stored: 0" in out
    docs = {d["path"]: d for d in _table(db, "documents")}
    dup = docs[str(src / "sample_dump.txt")]  # copy_of_dump.txt sorts first and owns the content
    assert dup["status"] == "skipped" and dup["duplicate_of"] == str(src / "copy_of_dump.txt") and dup["n_rows"] == 0
    for path, doc in docs.items():
        if doc["status"] == "skipped":
            continue
        res = extract_file(path)
        assert doc["status"] == "ok" and doc["sha256"] == res.sha256 and doc["pages"] == res.pages
        assert _stored_rows(db, path) == [r.to_dict() for r in res.rows]
        stored = [f for f in _table(db, "findings") if f["source"] == path]
        expected = [f.to_dict() for f in check_document(res)]
        for f in stored:
            f.pop("ordinal")
            f["evidence"] = json.loads(f["evidence"])
        assert stored == expected and doc["n_findings"] == len(expected)
        assert doc["n_tables"] == len(res.tables) == sum(t["source"] == path for t in _table(db, "tables"))
        assert (doc["report_year"], doc["department"], doc["region"]) == \
            (res.facts.report_year, res.facts.department, res.facts.region)
        cells = [(c["table_index"], c["grid_row"], c["col"], c["text"], c["col_role"]) for c in _table(db, "money_cells")
                 if c["source"] == path]
        assert cells == [(mt.table_index, row.grid_row, col.index, row.cells[col.index], col.role) for mt in res.money
                         for row in mt.rows for col in mt.columns if col.index < len(row.cells) and row.cells[col.index].strip()]
    assert sum(d["n_rows"] for d in docs.values()) == len(_table(db, "rows"))


def test_rebuild_adds_nothing_and_a_changed_file_replaces_its_rows(tmp_path):
    src, db = _samples(tmp_path / "in"), tmp_path / "c.duckdb"
    _build(src, db)
    first = _contents(db)
    out = _build(src, db)
    assert f"files ok: 0, partial: 0, empty: 0, failed: 0, skipped (duplicates): 0, already stored: {N + 1}" in out
    assert _contents(db) == first
    # the owner of the duplicated content changes: its copy inherits the old rows, the new text gets its own
    owner, copy = src / "copy_of_dump.txt", src / "sample_dump.txt"
    old_sha = next(d["sha256"] for d in first["documents"] if d["path"] == str(owner))
    owner.write_text(owner.read_text(encoding="utf-8").replace("\t24000\t", "\t26000\t"), encoding="utf-8")
    out = _build(src, db)
    assert f"files ok: 1, partial: 0, empty: 0, failed: 0, skipped (duplicates): 0, already stored: {N}" in out
    docs = {d["path"]: d for d in _table(db, "documents")}
    assert len(docs) == N + 1 and docs[str(owner)]["sha256"] != old_sha and docs[str(owner)]["seq"] == N + 2
    assert docs[str(copy)]["status"] == "ok" and docs[str(copy)]["duplicate_of"] is None and docs[str(copy)]["sha256"] == old_sha
    assert _stored_rows(db, str(copy)) == [r.to_dict() for r in extract_file(copy).rows]
    assert _stored_rows(db, str(owner)) == [r.to_dict() for r in extract_file(owner).rows]
    assert 26000 in [r["target_value"] for r in _stored_rows(db, str(owner))]
    assert 26000 not in [r["target_value"] for r in _stored_rows(db, str(copy))]
    rows = _table(db, "rows")
    assert len(rows) == sum(d["n_rows"] for d in docs.values())
    assert len({(r["doc_sha256"], r["ordinal"]) for r in rows}) == len(rows)  # no row twice


def test_failures_are_recorded_and_retried_on_request(tmp_path, monkeypatch):
    src, db = _samples(tmp_path / "in"), tmp_path / "c.duckdb"
    (src / "empty.txt").write_bytes(b"")
    monkeypatch.setenv(FAULTS_ENV, "crash:sample_legacy.xls")
    out = _build(src, db)
    assert f"error {src / 'sample_legacy.xls'}: worker crashed (signal 11, SIGSEGV)" in out
    assert f"error {src / 'empty.txt'}: empty file" in out
    docs = {d["path"]: d for d in _table(db, "documents")}
    assert docs[str(src / "sample_legacy.xls")]["status"] == "failed" and docs[str(src / "empty.txt")]["error"] == "empty file"
    monkeypatch.delenv(FAULTS_ENV)
    assert f"already stored: {N + 2}" in _build(src, db)  # a failure is an outcome: not read again by default
    out = _build(src, db, "--retry-failed")
    assert f"files ok: 1, partial: 0, empty: 0, failed: 1, skipped (duplicates): 0, already stored: {N}" in out
    assert {d["path"]: d["status"] for d in _table(db, "documents")}[str(src / "sample_legacy.xls")] == "ok"


def test_parquet_export_reads_back_and_is_byte_identical_for_1_and_2_workers(tmp_path):
    src = _samples(tmp_path / "in")
    exports = {}
    for n in (1, 2):
        db, out = tmp_path / f"c{n}.duckdb", tmp_path / f"pq{n}"
        _build(src, db, "--workers", str(n))
        res = runner.invoke(app, ["corpus", "export", "--db", str(db), "--parquet", str(out)])
        assert res.exit_code == 0, res.output
        exports[n] = {f.name: f.read_bytes() for f in sorted(out.iterdir())}
    assert sorted(exports[1]) == sorted(f"{t}.parquet" for t in SCHEMA)
    assert exports[1] == exports[2]
    for name in SCHEMA:
        table = pq.read_table(tmp_path / "pq1" / f"{name}.parquet")
        stored = _table(tmp_path / "c1.duckdb", name)
        assert table.num_rows == len(stored) > 0 and table.column_names == [c for c, _ in SCHEMA[name]]
        assert table.to_pylist()[0]["path" if name == "documents" else "source"] == stored[0]["path" if name == "documents" else "source"]
    rows = pq.read_table(tmp_path / "pq1" / "rows.parquet").to_pylist()
    assert all(isinstance(r["flags"], list) for r in rows) and any(r["reason_labels"] for r in rows)


def test_export_of_a_missing_corpus_is_one_line(tmp_path):
    res = runner.invoke(app, ["corpus", "export", "--db", str(tmp_path / "none.duckdb"), "--parquet", str(tmp_path / "pq")])
    assert res.exit_code == 2 and "no such corpus" in res.output


# ---------------------------------------------------------------- kill -9 and Ctrl-C, then resume


def _many(d, n=36):
    """n distinct small documents made from the samples (text, HTML, PDF with a trailing comment),
    plus exact copies and two bad files."""
    d.mkdir()
    kinds = [SAMPLES / "sample_dump.txt", SAMPLES / "sample_key_indicators.html", SAMPLES / "sample_project_self_eval.pdf"]
    for i in range(n):
        src = kinds[i % len(kinds)]
        data = src.read_bytes()
        tail = {".txt": b"\n" * (i + 1), ".html": f"<!-- {i} -->\n".encode(), ".pdf": f"% copy {i}\n".encode()}[src.suffix]
        (d / f"doc_{i:03d}{src.suffix}").write_bytes(data + tail)
    shutil.copy(d / "doc_001.html", d / "doc_020_copy.html")
    shutil.copy(d / "doc_030.txt", d / "doc_002_copy.txt")  # a copy met before its original
    (d / "doc_010_empty.txt").write_bytes(b"")  # its error line tells the test that documents are being committed
    (d / "doc_027_bad.pdf").write_text("不是PDF。\n", encoding="utf-8")
    return sorted(d.iterdir())


@pytest.fixture
def started():
    """Every build the test starts; one still running at the end (a failed test) is killed."""
    procs = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


def _start(started, src, db, faults=""):
    env = {**os.environ, FAULTS_ENV: faults}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "corpus", "build", str(src), "--db", str(db), "--workers", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stderr], daemon=True).start()
    started.append(proc)
    return proc, lines




def _wait_for(lines, text, timeout=180):
    """Block until the run prints a line containing `text` (a document's error line is printed once
    the document is committed)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if text in lines.get(timeout=1):
                return
        except queue.Empty:
            pass
    pytest.fail(f"the build never printed {text!r}")


def _statuses(db):
    return {d["path"]: d["status"] for d in _table(db, "documents")}


def _workers_left(db):
    """Processes still running this build (forked workers share the parent's command line)."""
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
        except OSError:
            continue
        if str(db) in cmd and "corpus" in cmd:
            left.append(pid)
    return left


def test_kill_9_and_ctrl_c_then_the_same_command_resumes(tmp_path, started, monkeypatch):
    files = _many(tmp_path / "in")
    src, db = tmp_path / "in", tmp_path / "c.duckdb"
    inputs = [str(f) for f in files]
    blocker = files[30].name  # the run can read the documents after it, but not commit them: it cannot end first

    proc, lines = _start(started, src, db, f"hang:{blocker}")  # a real run, killed while it commits documents
    _wait_for(lines, "doc_010_empty.txt: empty file")
    proc.kill()
    proc.wait()
    first = _statuses(db)
    assert 11 <= len(first) <= 30 and sorted(first) == inputs[:len(first)]  # whole documents, in input order
    for _ in range(40):
        if not _workers_left(db):
            break
        time.sleep(0.05)
    assert not _workers_left(db)  # the workers died with their parent

    stored = []  # Ctrl-C (a real SIGINT) right after the run has stored three more documents
    store = corpus_db.store

    def store_then_interrupt(*args):
        stored.append(store(*args))
        if len(stored) == 3:
            os.kill(os.getpid(), signal.SIGINT)
        return stored[-1]

    monkeypatch.setattr(corpus_db, "store", store_then_interrupt)
    res = runner.invoke(app, ["corpus", "build", str(src), "--db", str(db)])
    assert res.exit_code == 130 and "run the same command to resume" in res.output
    second = _statuses(db)
    assert sorted(second) == inputs[:len(first) + 3] and {p: second[p] for p in first} == first
    monkeypatch.setattr(corpus_db, "store", store)

    out = _build(src, db)  # the same command again
    assert f"already stored: {len(second)} → {db}" in out
    resumed = _contents(db)
    whole = tmp_path / "whole.duckdb"
    _build(src, whole)
    assert resumed == _contents(whole)  # the same as an uninterrupted build, seq (processing order) included
    docs = resumed["documents"]
    assert [d["path"] for d in docs] == inputs  # every input exactly once
    assert sorted(d["seq"] for d in docs) == list(range(1, len(inputs) + 1))
    assert sum(d["status"] == "skipped" for d in docs) == 2 and sum(d["status"] == "failed" for d in docs) == 2
