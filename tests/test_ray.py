"""The Ray engine: the same corpus, byte for byte, as the local engine; failures, time limits and the
resume of an interrupted build as in the local engine. One local Ray instance (2 CPUs) serves the
module's tests: the CLI joins it instead of starting its own."""

import logging
import shutil

import duckdb
import pytest
import ray
from typer.testing import CliRunner

from pipeline import corpus_db
from pipeline.batch import FAULTS_ENV
from pipeline.cli import app
from pipeline.corpus_db import EXPORT_ORDER, SCHEMA

from .conftest import ROOT, SHARED

SAMPLES = ROOT / "corpus" / "samples"
REAL = SHARED / "corpus" / "real"
runner = CliRunner()


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield
    ray.shutdown()


def _contents(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY {EXPORT_ORDER[t]}").fetchall() for t in SCHEMA}


def _build(src, db, *extra, code=0):
    res = runner.invoke(app, ["corpus", "build", str(src), "--db", str(db), *extra])
    assert res.exit_code == code, res.output
    return res.output


def _export(db, out):
    res = runner.invoke(app, ["corpus", "export", "--db", str(db), "--parquet", str(out)])
    assert res.exit_code == 0, res.output
    return {f.name: f.read_bytes() for f in sorted(out.iterdir())}


def test_the_ray_engine_says_plainly_when_its_cluster_is_out_of_reach(tmp_path):
    assert not ray.is_initialized()  # runs before the module's cluster starts: the CLI must try to connect
    res = runner.invoke(app, ["extract", str(SAMPLES / "sample_dump.txt"), "-o", str(tmp_path / "r.jsonl"),
                              "--engine", "ray", "--address", "127.0.0.1:1"])
    assert res.exit_code == 2 and "cannot reach the Ray cluster at 127.0.0.1:1" in res.output
    res = runner.invoke(app, ["extract", str(SAMPLES / "sample_dump.txt"), "-o", str(tmp_path / "r.jsonl"), "--engine", "dask"])
    assert res.exit_code == 2 and "unknown --engine 'dask'" in res.output


def test_ray_builds_the_same_corpus_as_the_local_engine_on_10_documents(tmp_path, cluster):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(SAMPLES.glob("sample_*")):
        shutil.copy(f, src / f.name)
    for name in ("武汉__信访局_国家信访局2024年度部门决算公开.pdf", "长沙__2026年长沙市公安局2025年部门预算.pdf"):
        shutil.copy(REAL / name, src / name)
    assert len(list(src.iterdir())) == 10
    exports = {}
    for engine in ("local", "ray"):
        db = tmp_path / f"{engine}.duckdb"
        out = _build(src, db, "--engine", engine, "--workers", "2")
        assert "failed: 0, skipped (duplicates): 0, already stored: 0" in out and "(10 documents," in out
        exports[engine] = _export(db, tmp_path / f"pq-{engine}")
    assert _contents(tmp_path / "local.duckdb") == _contents(tmp_path / "ray.duckdb")
    assert sorted(exports["ray"]) == sorted(f"{t}.parquet" for t in SCHEMA)
    assert exports["local"] == exports["ray"]


def test_failures_time_limits_and_resume_on_ray_behave_as_locally(tmp_path, cluster, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("sample_dump.txt", "sample_key_indicators.html", "sample_legacy.xls", "sample_project_self_eval.docx"):
        shutil.copy(SAMPLES / name, src / name)
    (src / "empty.txt").write_bytes(b"")
    db = tmp_path / "c.duckdb"
    monkeypatch.setenv(FAULTS_ENV, "crash:sample_legacy.xls,hang:sample_dump.txt")
    out = _build(src, db, "--engine", "ray", "--timeout", "8")
    assert f"error {src / 'sample_legacy.xls'}: worker crashed" in out
    assert f"error {src / 'sample_dump.txt'}: timed out after 8 s" in out
    assert f"error {src / 'empty.txt'}: empty file" in out
    assert "files ok: 2, partial: 0, empty: 0, failed: 3" in out
    monkeypatch.delenv(FAULTS_ENV)
    out = _build(src, db, "--engine", "ray", "--retry-failed")
    assert "files ok: 2, partial: 0, empty: 0, failed: 1, skipped (duplicates): 0, already stored: 2" in out

    # an interrupted build keeps what it stored, and the same command resumes it
    again = tmp_path / "again.duckdb"
    store = corpus_db.store
    stored = []

    def store_then_interrupt(*args):
        stored.append(store(*args))
        if len(stored) == 2:
            raise KeyboardInterrupt
        return stored[-1]

    monkeypatch.setattr(corpus_db, "store", store_then_interrupt)
    assert "run the same command to resume" in _build(src, again, "--engine", "ray", code=130)
    monkeypatch.setattr(corpus_db, "store", store)
    assert "already stored: 2" in _build(src, again, "--engine", "ray")
    whole = tmp_path / "whole.duckdb"
    _build(src, whole, "--engine", "ray")
    assert _contents(again) == _contents(whole)
