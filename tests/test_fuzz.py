"""Damaged and hostile input (a small seeded subset of bench/bench_fuzz.py): every file gets a status
or one clear line, nothing crashes, mild damage keeps its rows and says what it lost."""

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from pipeline import extract_file
from pipeline.errors import InputError
from pipeline.devtools.samples import write_samples

from .conftest import ROOT
from .fuzz import generate

# damage that leaves the file mostly whole, and must be reported (never status ok with rows lost)
LOSSY_MILD = {"cut_tail", "pdf_no_trailer", "pdf_content_flip", "bad_byte", "zip_no_central_directory"}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    base = tmp_path_factory.mktemp("bases")
    samples = write_samples(base)
    out = tmp_path_factory.mktemp("fuzz")
    cases = generate(samples, out, seed=7, copies=1)
    clean = {p.name: len(extract_file(p).rows) for p in samples}
    got = {}
    for c in cases:
        try:
            res = extract_file(out / c.file)
            got[c.file] = (res.status, len(res.rows), [e.message for e in res.errors], res)
        except InputError as exc:
            got[c.file] = ("failed", 0, [str(exc)], None)
    return cases, clean, got, out


def test_every_file_has_a_status_or_one_clear_line(fuzzed):
    cases, _, got, _ = fuzzed
    assert len(cases) >= 100
    statuses = Counter(got[c.file][0] for c in cases)
    assert statuses["ok"] and statuses["partial"] and statuses["failed"], statuses
    for c in cases:
        for message in got[c.file][2]:
            assert "\n" not in message and "internal error" not in message, (c.file, message)
            assert " at 0x" not in message, (c.file, message)


def test_mild_damage_keeps_rows_and_says_so(fuzzed):
    cases, clean, got, _ = fuzzed
    kept = total = 0
    for c in cases:
        status, rows, messages, _ = got[c.file]
        if not c.mild:
            continue
        kept += min(rows, clean[c.base])
        total += clean[c.base]
        if c.mutation in LOSSY_MILD and status == "ok":
            assert rows == clean[c.base], (c.file, rows, clean[c.base])
        if status == "ok" and rows < clean[c.base]:
            pytest.fail(f"{c.file}: {rows} of {clean[c.base]} rows, reported ok with {messages}")
    assert kept >= 0.8 * total, (kept, total)


@pytest.mark.parametrize("mutation, words", [
    ("zip_corrupt_member", "the rows of that sheet are lost"),
    ("zip_no_central_directory", "read from their local headers"),
    ("bad_byte", "not valid UTF-8 replaced"),
    ("pdf_no_trailer", "cross-reference rebuilt"),
])
def test_recovered_files_name_what_they_lost(fuzzed, mutation, words):
    cases, clean, got, _ = fuzzed
    hits = [c for c in cases if c.mutation == mutation and got[c.file][0] == "partial"]
    assert hits, mutation
    for c in hits:
        assert any(words in m for m in got[c.file][2]), (c.file, got[c.file][2])


def test_encodings_are_recognised(fuzzed):
    cases, clean, got, _ = fuzzed
    for c in cases:
        if c.format == "text" and c.mutation in ("as_utf16", "as_utf16le", "as_utf16be", "as_utf32", "as_gb18030"):
            assert got[c.file][:2] == ("ok", clean[c.base]), (c.file, got[c.file][:3])


def test_absurd_extents_are_bounded(fuzzed):
    cases, clean, got, _ = fuzzed
    for c in cases:
        if c.mutation in ("xlsx_huge_range", "xlsx_huge_merge", "docx_huge_span"):
            assert got[c.file][1] == clean[c.base], (c.file, got[c.file][:3])


def test_huge_numbers_stay_text_and_json_stays_strict(fuzzed):
    cases, _, got, _ = fuzzed
    from pipeline.outputs import dumps

    def refuse(name):
        raise ValueError(name)
    seen = 0
    for c in cases:
        res = got[c.file][3]
        if c.mutation != "big_number" or res is None:
            continue
        for r in res.rows:
            json.loads(dumps(r.to_dict()), parse_constant=refuse)
            seen += any(f.endswith("number_too_large") for f in r.flags)
    assert seen, "no row kept a too-long number as text"


def test_check_cli_over_the_fuzz_set_writes_its_reports(fuzzed, tmp_path):
    """As a user runs it: exit 0, reports written, one line per message, names shown literally."""
    _, _, _, folder = fuzzed
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "check", str(folder), "-o", str(tmp_path / "f.jsonl"),
                           "--xlsx", str(tmp_path / "r.xlsx"), "--html", str(tmp_path / "r.html"), "--workers", "2"],
                          capture_output=True, text=True, env=env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "r.xlsx").stat().st_size and (tmp_path / "r.html").stat().st_size
    assert proc.stdout == ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and "━" not in ln]
    assert all(ln.startswith(("error ", "warning ", "note ", "empty ", "files ok:")) for ln in lines), \
        [ln for ln in lines if not ln.startswith(("error ", "warning ", "note ", "empty ", "files ok:"))][:5]
    assert "Traceback" not in proc.stderr


def test_hostile_file_names_are_shown_literally(tmp_path):
    """Rich markup, an emoji code and an escape sequence in a name reach the terminal as printed text."""
    name = "[red]报告[bold] :warning:\x1b[31m.pdf"
    (tmp_path / name).write_bytes(b"%PDF-1.7\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(tmp_path), "-o", str(tmp_path / "rows.jsonl")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("error "))
    assert "[red]报告[bold] :warning:\\x1b[31m.pdf: " in line, line
    assert "\x1b" not in proc.stderr and "⚠" not in proc.stderr
