"""The wheel works outside the checkout: built from the repository and installed into a fresh
virtualenv in a temporary folder, it extracts, checks and tags reasons on a sample, with the catalog
and the reason model found as package data (not beside the checkout, not in the working folder)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT


def _run(*cmd, cwd=None, stdin=None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, input=stdin, capture_output=True, text=True)
    assert done.returncode == 0, (cmd, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    # built from a copy of what the wheel is made of: setuptools leaves a build/ folder in the source
    # tree, whose stale files would go into the next wheel
    source = tmp / "source"
    for part in ("pipeline", "models"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "-w", tmp / "wheel")
    wheel = next((tmp / "wheel").glob("perfaudit-*.whl"))
    _run(sys.executable, "-m", "venv", tmp / "venv")
    py = tmp / "venv" / "bin" / "python"
    _run(py, "-m", "pip", "install", "--no-deps", "-q", wheel)
    # the dependencies come from this environment's site-packages, added as a plain path: its .pth
    # files (the checkout's editable install among them) are not run
    site = _run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(site) / "perfaudit-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "work"
    work.mkdir()
    for sample in ("sample_project_self_eval.pdf", "sample_project_self_eval.docx"):
        shutil.copy(ROOT / "corpus" / "samples" / sample, work)
    return tmp / "venv" / "bin", work


def test_the_installed_package_is_the_wheel_and_carries_its_models(installed):
    bin_dir, work = installed
    where = _run(bin_dir / "python", "-c",
                 "import pipeline; from pipeline.resources import models_dir; from pipeline.catalog import default_catalog;"
                 "print(pipeline.__file__); print(models_dir()); print(len(default_catalog().entries))",
                 cwd=work).split()
    assert all(str(bin_dir.parent) in w for w in where[:2]), where
    models = Path(where[1])
    assert (models / "catalog" / "catalog.json").is_file() and (models / "reasons" / "reasons.skops").is_file()
    assert int(where[2]) > 200  # the shipped catalog's entries


def test_extract_check_and_reasons_run_outside_the_checkout(installed):
    bin_dir, work = installed
    perfaudit = bin_dir / "perfaudit"
    _run(perfaudit, "extract", "sample_project_self_eval.pdf", "-o", "rows.jsonl", cwd=work)
    rows = [json.loads(line) for line in (work / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 10
    assert all(r["link_status"] for r in rows)  # linking ran: it needs the catalog
    _run(perfaudit, "check", "sample_project_self_eval.docx", "-o", "findings.jsonl", cwd=work)
    findings = [json.loads(line) for line in (work / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["severity"] for f in findings} >= {"info", "warning"}
    tagged = _run(perfaudit, "reasons", cwd=work, stdin="受疫情影响，项目延期实施\n")
    assert json.loads(tagged.splitlines()[0])["labels"]  # the reason model was found and classified it
