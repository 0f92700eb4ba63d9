"""The corpus notebooks (notebooks/*.py, jupytext percent format) run end to end against a corpus built
from the samples, the seeds and the real PDFs: converted with jupytext, executed in a Jupyter kernel
with nbclient; their plots are written and the figures they print agree with SQL run here."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipeline.batch import BatchSettings
from pipeline.cli import collect_inputs
from pipeline.corpus_db import build_corpus

from .conftest import ROOT, SEEDS, SHARED

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = ROOT / "notebooks"
REAL = SHARED / "corpus" / "real"
KEY_LINE = re.compile(r"^key (\S+) = (.+)$", re.M)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    if not SEEDS.is_dir() or not REAL.is_dir():
        pytest.skip(f"{SHARED} (seeds, real PDFs) not found")
    inputs = collect_inputs([ROOT / "corpus" / "samples", SEEDS]) + sorted(REAL.glob("*.pdf"))
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    summary = build_corpus(inputs, db, BatchSettings(workers=2))
    assert summary.failed == 0, summary.failures
    return db


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _execute(name: str, db: Path, out: Path, monkeypatch) -> dict[str, str]:
    """Run one notebook in a kernel (working directory notebooks/); return its `key NAME = VALUE` lines."""
    monkeypatch.setenv("PERFAUDIT_CORPUS", str(db))
    monkeypatch.setenv("PERFAUDIT_NOTEBOOK_OUT", str(out))
    for var, folder in (("JUPYTER_RUNTIME_DIR", "jupyter-runtime"), ("IPYTHONDIR", "ipython")):  # not the home folder
        monkeypatch.setenv(var, str(out / folder))
    nb = jupytext.read(NOTEBOOKS / name)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # a failing cell raises CellExecutionError with its traceback
    printed = "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                      for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout")
    keys = dict(KEY_LINE.findall(printed))
    assert keys, f"{name} printed no key figures"
    return keys


def _assert_plots(out: Path, names: list[str]) -> None:
    for name in names:
        png = out / name
        assert png.is_file(), f"{png} was not written"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000, f"{png} is not a real plot"


def _close(printed: str, expected: float) -> bool:
    return abs(float(printed) - expected) < 1e-3


def test_corpus_overview_matches_sql(corpus, tmp_path, monkeypatch):
    keys = _execute("01_corpus_overview.py", corpus, tmp_path, monkeypatch)
    _assert_plots(tmp_path, ["01_scores.png", "01_completion.png"])
    total, ok = _query(corpus, "SELECT count(*), count(*) FILTER (WHERE status = 'ok') FROM documents")[0]
    assert int(keys["documents.total"]) == total and int(keys["documents.ok"]) == ok
    for kind, n in _query(corpus, "SELECT table_kind, count(*) FROM tables GROUP BY 1"):
        assert int(keys[f"tables.{kind}"]) == n
    rows = _query(corpus, "SELECT table_kind, score, weight, op, target_value, actual_value, target_unit, actual_unit FROM rows")
    assert int(keys["rows.total"]) == len(rows)
    for kind, n in Counter(r[0] for r in rows).items():
        assert int(keys[f"rows.{kind}"]) == n
    scored = [(s, w) for _, s, w, *_ in rows if s is not None and w and w > 0]
    assert int(keys["scores.rows"]) == len(scored) > 0
    assert _close(keys["scores.full_marks_share"], sum(s == w for s, w in scored) / len(scored))
    comparable = [(op, a / t) for _, _, _, op, t, a, tu, au in rows
                  if t and t > 0 and a is not None and (au is None or tu is None or au == tu)]
    met = sum(c <= 1 if op in ("<=", "<") else c >= 1 for op, c in comparable)
    assert int(keys["completion.rows"]) == len(comparable) > 0
    assert _close(keys["completion.met_share"], met / len(comparable))


def test_anomalies_by_rule_and_department_match_sql(corpus, tmp_path, monkeypatch):
    keys = _execute("02_anomalies.py", corpus, tmp_path, monkeypatch)
    _assert_plots(tmp_path, ["02_findings_by_rule.png", "02_findings_by_department.png", "02_rule_by_department.png"])
    findings = _query(corpus, "SELECT rule, severity FROM findings")
    assert len(findings) > 0 and int(keys["findings.total"]) == len(findings)
    for rule, n in Counter(f[0] for f in findings).items():
        assert int(keys[f"rule.{rule}"]) == n
    for severity, n in Counter(f[1] for f in findings).items():
        assert int(keys[f"findings.{severity}"]) == n
    assert not {k for k in keys if k.startswith("rule.")} - {f"rule.{f[0]}" for f in findings}
    # every finding lands in exactly one department, every read document has one
    assert int(keys["departments.findings"]) == len(findings)
    ok_docs = _query(corpus, "SELECT count(*) FROM documents WHERE status IN ('ok', 'partial', 'empty')")[0][0]
    assert int(keys["departments.documents"]) == ok_docs
    with_findings = _query(corpus, "SELECT count(DISTINCT source) FROM findings")[0][0]
    assert int(keys["departments.with_findings"]) <= with_findings
    assert int(keys["departments.named"]) >= len(list(REAL.glob("*__*.pdf")))


def test_links_and_reasons_match_sql(corpus, tmp_path, monkeypatch):
    keys = _execute("03_links_and_reasons.py", corpus, tmp_path, monkeypatch)
    _assert_plots(tmp_path, ["03_links.png", "03_reasons.png"])
    rows = _query(corpus, "SELECT link_status, name, doc_sha256, reason_labels, flags FROM rows")
    statuses = Counter(r[0] for r in rows)
    for status, n in statuses.items():
        assert int(keys[f"links.{status}"]) == n
    linked = sum(n for s, n in statuses.items() if s not in ("unmatched", "ambiguous"))
    assert _close(keys["links.linked_share"], linked / len(rows))
    unmatched_docs: dict[str, set] = {}
    for status, name, sha, *_ in rows:
        if status == "unmatched" and name is not None:
            unmatched_docs.setdefault(name, set()).add(sha)
    assert int(keys["unmatched.distinct_names"]) == len(unmatched_docs)
    assert int(keys["unmatched.in_several_documents"]) == sum(len(d) > 1 for d in unmatched_docs.values())
    labelled = [(labels, flags) for *_, labels, flags in rows if labels is not None]
    for label, n in Counter(lab for labels, _ in labelled for lab in labels).items():
        assert int(keys[f"reasons.{label}"]) == n
    explained = [(labels, flags) for labels, flags in labelled if "R00" not in labels]
    assert int(keys["reasons.labelled_rows"]) == len(labelled) > 0
    assert int(keys["reasons.explained_rows"]) == len(explained) > 0
    low = sum("reason_low_confidence" in (flags or []) for labels, flags in labelled)
    assert _close(keys["reasons.low_confidence_share"], low / len(explained))
    r16 = sum("R16" in labels for labels, _ in explained)
    r17 = sum("R17" in labels for labels, _ in explained)
    assert int(keys["reasons.r16_in_departments"]) == r16 and int(keys["reasons.r17_in_departments"]) == r17


def _nbsupport():
    spec = importlib.util.spec_from_file_location("nbsupport", NOTEBOOKS / "nbsupport.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_departments_come_from_labelled_titles_then_file_names(corpus):
    nbs = _nbsupport()
    docs = _query(corpus, """
        SELECT d.path, list(t.table_title ORDER BY t.table_index), list(CAST(t.meta AS VARCHAR) ORDER BY t.table_index)
        FROM documents d LEFT JOIN tables t ON t.source = d.path WHERE d.status IN ('ok', 'partial', 'empty') GROUP BY d.path
    """)
    # a header cell made for it wins over titles and file names; 部门名称 over 实施单位
    assert nbs.department_of("x__y.txt", ["部门：乙市公安局"], [{"实施单位": "丙大队"}, {"部门名称": "甲市交通运输局"}]) == \
        ("甲市交通运输局", "header")
    named = {"header": 0, "title": 0, "file name": 0}
    for path, titles, metas in docs:
        headers = [json.loads(m) for m in metas if m]
        department, how = nbs.department_of(path, titles, headers)
        labelled = [t for t in titles if t and re.search(r"(部门|单位)[：:]", t)]
        stem = Path(path).stem
        if how == "header":
            assert any(department in str(h.get(k, "")) for h in headers for k in nbs.HEADER_LABELS), (path, department)
        elif how == "title":
            assert any(department in t for t in labelled), (path, department)
        elif how == "file name":
            assert not labelled and all(part in stem for part in department.split("·")), (path, department)
            assert re.search(r"(局|委员会|厅|办事处|中心|大队|支队|委|院|所|办公室|街道)$", department)
        else:
            assert department == nbs.UNNAMED + Path(path).name
        named[how] = named.get(how, 0) + 1
    assert named["title"] >= 1 and named["file name"] == len(list(REAL.glob("*__*.pdf")))


def test_notebook_without_a_corpus_says_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PERFAUDIT_CORPUS"}
    res = subprocess.run([sys.executable, str(NOTEBOOKS / "01_corpus_overview.py")], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == ["PERFAUDIT_CORPUS is not set: build a corpus with "
                                               "`perfaudit corpus build PATH... --db F` and set PERFAUDIT_CORPUS=F"]
    env["PERFAUDIT_CORPUS"] = str(tmp_path / "missing.duckdb")
    res = subprocess.run([sys.executable, str(NOTEBOOKS / "01_corpus_overview.py")], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert res.returncode != 0 and res.stderr.strip() == f"{tmp_path / 'missing.duckdb'}: no such corpus (PERFAUDIT_CORPUS)"
