"""The command line end to end, including a batch with bad inputs."""

import io
import json
import shutil
import zipfile

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from .conftest import GOLD_SEEDS, seed

runner = CliRunner()


def _bad_inputs(d):
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.html").write_text("   \n")
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>" * 200)
    (d / "truncated.docx").write_bytes(good.getvalue()[:120])
    (d / "fake.pdf").write_text("这不是PDF文件，只是文本。\n")
    (d / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    (d / "locked.xlsx").write_bytes(ole)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (300 * 1024 * 1024))
    (d / "bomb.docx").write_bytes(bomb.getvalue())
    xxe = io.BytesIO()
    with zipfile.ZipFile(xxe, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                                       '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><workbook>&c;</workbook>')
    (d / "laughs.xlsx").write_bytes(xxe.getvalue())
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)


def test_extract_batch_with_bad_files_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(seed("004"), src / "good.txt")
    _bad_inputs(src)
    out = tmp_path / "rows.jsonl"
    res = runner.invoke(app, ["extract", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines() if hasattr(res, "stderr") else res.output.splitlines()
    errors = [ln for ln in lines if ln.startswith("error")]
    names = ["empty.txt", "blank.html", "truncated.docx", "fake.pdf", "locked.xlsx", "bomb.docx", "laughs.xlsx", "binary.txt"]
    for n in names:
        assert sum(n in e for e in errors) == 1, (n, errors)
    assert not any("Traceback" in ln for ln in lines)
    assert "password-protected" in next(e for e in errors if "locked.xlsx" in e)
    assert "mislabelled" in next(e for e in errors if "fake.pdf" in e)
    assert "zip bomb" in next(e for e in errors if "bomb.docx" in e)
    assert f"failed: {len(names)}" in res.output and "files ok: 1" in res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 212 and all(r["source"].endswith("good.txt") for r in rows)


def test_unsupported_file_given_explicitly(tmp_path):
    f = tmp_path / "x.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    res = runner.invoke(app, ["extract", str(f), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 0 and "unsupported file type .doc" in res.output


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "xlsx"])
def test_extract_formats_and_eval(tmp_path, fmt):
    out = tmp_path / f"rows.{fmt}"
    res = runner.invoke(app, ["extract", str(seed("000")), "-o", str(out), "-f", fmt])
    assert res.exit_code == 0, res.output
    assert out.exists() and out.stat().st_size > 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        t = pq.read_table(out)
        assert t.num_rows == 66 and "level1" in t.column_names
    if fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(out).active
        assert ws.max_row == 67 and ws.cell(1, 1).value == "source"
    if fmt == "jsonl":
        res = runner.invoke(app, ["eval", str(out), "--gold", str(GOLD_SEEDS / f"{seed('000').name}.jsonl"),
                                  "--json", str(tmp_path / "s.json")])
        assert res.exit_code == 0, res.output
        s = json.loads((tmp_path / "s.json").read_text())
        assert s["overall"]["precision"] == 1.0 and s["overall"]["recall"] == 1.0


def test_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        assert runner.invoke(app, ["extract", str(seed("004")), str(seed("002")), "-o", str(out)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_existing_output_survives_a_failed_write(tmp_path):
    out = tmp_path / "rows.jsonl"
    assert runner.invoke(app, ["extract", str(seed("000")), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    res = runner.invoke(app, ["extract", str(seed("000")), "-o", str(out), "-f", "nope"])
    assert res.exit_code == 2 and out.read_bytes() == before
    blocked = tmp_path / "file_not_dir"
    blocked.write_text("x")
    res = runner.invoke(app, ["extract", str(seed("000")), "-o", str(blocked / "rows.jsonl")])
    assert res.exit_code == 2 and "cannot write" in res.output


def test_missing_input_is_reported(tmp_path):
    res = runner.invoke(app, ["extract", str(tmp_path / "nothing.txt"), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 0 and "nothing.txt" in res.output and "failed: 1" in res.output


def test_temporary_file_of_a_killed_run_is_cleaned_by_the_next(tmp_path):
    """A run killed while writing leaves its hidden temporary beside the output; the next run that
    writes the same output removes it, and leaves alone one that a live process is still writing."""
    import os
    import subprocess

    from pipeline.outputs import write_jsonl

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".rows.jsonl.{dead.pid}.abc123.tmp"
    live = tmp_path / f".rows.jsonl.{os.getpid()}.def456.tmp"
    stale.write_text("half a row", encoding="utf-8")
    live.write_text("being written", encoding="utf-8")
    write_jsonl([{"a": 1}], tmp_path / "rows.jsonl")
    assert not stale.exists() and live.exists()
    assert (tmp_path / "rows.jsonl").read_text(encoding="utf-8") == '{"a": 1}\n'


def test_check_selects_rules_and_fails_on_a_severity(tmp_path):
    """--select / --ignore / --min-severity choose the findings; --fail-on gates a CI job on what remains."""
    from pipeline.devtools.samples import write_samples

    samples = tmp_path / "in"
    write_samples(samples)
    out = tmp_path / "f.jsonl"
    everything = CliRunner().invoke(app, ["check", str(samples), "-o", str(out)])
    assert everything.exit_code == 0, everything.output
    found = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    rules = {f["rule"] for f in found}
    assert len(rules) >= 2 and all(f["id"].startswith(f["rule"] + "-") for f in found)
    assert len({f["id"] for f in found}) == len(found)
    one = sorted(rules)[0]
    res = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--select", one])
    assert res.exit_code == 0 and {json.loads(x)["rule"] for x in out.read_text(encoding="utf-8").splitlines()} == {one}
    res = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--ignore", one])
    kept = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert one not in {f["rule"] for f in kept} and len(kept) == len(found) - sum(f["rule"] == one for f in found)
    again = {f["id"] for f in kept}
    assert again <= {f["id"] for f in found}  # ids do not change between runs
    worst = max(found, key=lambda f: ("info", "warning", "error").index(f["severity"]))["severity"]
    assert CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--fail-on", worst]).exit_code == 1
    assert CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--fail-on", worst,
                                    "--ignore", ",".join(sorted(rules))]).exit_code == 0
    assert CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--select", "C999"]).exit_code == 2


def test_review_decisions_round_trip_through_the_workbook(tmp_path):
    """An auditor marks findings in the XLSX's review_status column; the next run reads the workbook back:
    the decisions stick to the same findings, rejected ones leave the totals and --fail-on, and a decision
    whose finding is gone is reported as stale."""
    from openpyxl import load_workbook

    from pipeline.devtools.samples import write_samples

    samples = tmp_path / "in"
    write_samples(samples)
    out, report = tmp_path / "f.jsonl", tmp_path / "r.xlsx"
    first = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--xlsx", str(report)])
    assert first.exit_code == 0, first.output
    found = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    wb = load_workbook(report)
    ws = wb["findings"]
    head = [c.value for c in ws[1]]
    col_id, col_status, col_note = (head.index(k) + 1 for k in ("id", "review_status", "review_note"))
    assert any(dv.sqref and "accepted" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    rejected = ws.cell(row=2, column=col_id).value
    ws.cell(row=2, column=col_status).value = "rejected"
    ws.cell(row=2, column=col_note).value = "合计行本身不是指标"
    ws.cell(row=3, column=col_status).value = "accepted"
    wb.save(report)

    second = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--review", str(report)])
    assert second.exit_code == 0, second.output
    again = {f["id"]: f for f in (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())}
    assert set(again) == {f["id"] for f in found}  # the same findings, the same ids
    assert again[rejected]["review_status"] == "rejected" and again[rejected]["review_note"] == "合计行本身不是指标"
    assert sum(f["review_status"] == "accepted" for f in again.values()) == 1
    assert f"findings: {len(found) - 1} (" in second.output and "1 rejected in review" in second.output

    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(json.dumps({"id": "C99-000000000000", "status": "fixed", "reviewer": "w"}) + "\n", encoding="utf-8")
    stale = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--review", str(decisions)])
    assert stale.exit_code == 0 and "match no finding (stale): C99-000000000000" in stale.output
    decisions.write_text(json.dumps({"id": rejected, "status": "maybe"}) + "\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--review", str(decisions)])
    assert bad.exit_code == 2 and "maybe" in bad.output


def test_check_defaults_come_from_perfaudit_toml_next_to_the_inputs(tmp_path):
    from pipeline.devtools.samples import write_samples

    samples = tmp_path / "in"
    write_samples(samples)
    out = tmp_path / "f.jsonl"
    CliRunner().invoke(app, ["check", str(samples), "-o", str(out)])
    rules = sorted({json.loads(x)["rule"] for x in out.read_text(encoding="utf-8").splitlines()})
    (samples / "perfaudit.toml").write_text(f'select = ["{rules[0]}"]\nfail-on = "info"\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(samples), "-o", str(out)])
    assert res.exit_code == 1, res.output  # fail-on from the file
    assert {json.loads(x)["rule"] for x in out.read_text(encoding="utf-8").splitlines()} == {rules[0]}
    res = CliRunner().invoke(app, ["check", str(samples), "-o", str(out), "--select", rules[-1], "--fail-on", "error"])
    assert {json.loads(x)["rule"] for x in out.read_text(encoding="utf-8").splitlines()} == {rules[-1]}  # the command line wins
    (samples / "perfaudit.toml").write_text('colour = "red"\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(samples), "-o", str(out)])
    assert res.exit_code == 2 and "unknown setting colour" in res.output


def test_cli_severity_order_is_the_registry_s():
    from pipeline.checks.registry import SEVERITIES
    from pipeline.cli import SEVERITY_ORDER

    assert SEVERITY_ORDER == tuple(reversed(SEVERITIES))


def test_version_flag_prints_the_version():
    from pipeline import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == __version__


def test_rows_go_to_stdout_with_a_dash(tmp_path):
    on_disk = tmp_path / "rows.jsonl"
    assert runner.invoke(app, ["extract", str(seed("000")), "-o", str(on_disk)]).exit_code == 0
    res = runner.invoke(app, ["extract", str(seed("000")), "-o", "-"])
    assert res.exit_code == 0, res.output
    assert res.stdout_bytes == on_disk.read_bytes() and not (tmp_path / "-").exists()
    as_csv = runner.invoke(app, ["extract", str(seed("000")), "-o", "-", "-f", "csv"])
    assert as_csv.exit_code == 0 and as_csv.stdout.lstrip("\ufeff").startswith("source,")  # BOM: Excel reads it as UTF-8
    binary = runner.invoke(app, ["extract", str(seed("000")), "-o", "-", "-f", "parquet"])
    assert binary.exit_code == 2 and "cannot go to stdout" in binary.output


def test_format_is_read_in_any_case_and_must_agree_with_the_name(tmp_path):
    upper = tmp_path / "rows.CSV"
    assert runner.invoke(app, ["extract", str(seed("000")), "-o", str(upper), "-f", "CSV"]).exit_code == 0
    assert upper.read_text(encoding="utf-8-sig").startswith("source,")
    clash = runner.invoke(app, ["extract", str(seed("000")), "-o", str(tmp_path / "rows.csv"), "-f", "parquet"])
    assert clash.exit_code == 2 and "does not match the .csv name" in clash.output
    assert not (tmp_path / "rows.csv").exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_mode_the_umask_gives_a_new_file(tmp_path, umask, mode):
    import os

    old = os.umask(umask)
    try:
        out = tmp_path / "rows.jsonl"
        assert runner.invoke(app, ["extract", str(seed("000")), "-o", str(out)]).exit_code == 0
        assert out.stat().st_mode & 0o777 == mode
        out.chmod(0o640)  # a file that exists keeps its own mode when it is replaced
        assert runner.invoke(app, ["extract", str(seed("000")), "-o", str(out)]).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_an_unwritable_output_fails_before_the_run(tmp_path):
    blocked = tmp_path / "a_file"
    blocked.write_text("x")
    res = runner.invoke(app, ["check", str(seed("000")), "-o", str(tmp_path / "f.jsonl"),
                              "--xlsx", str(blocked / "report.xlsx")])
    assert res.exit_code == 2 and "cannot write" in res.output and "report.xlsx" in res.output
    assert "files ok" not in res.output and not (tmp_path / "f.jsonl").exists()  # nothing was read or written


def test_a_second_check_of_a_folder_does_not_read_its_own_reports(tmp_path, samples_dir):
    folder = tmp_path / "docs"
    shutil.copytree(samples_dir, folder)
    args = ["check", str(folder), "-o", str(folder / "findings.jsonl"), "--xlsx", str(folder / "report.xlsx"),
            "--html", str(folder / "report.html")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    findings = (folder / "findings.jsonl").read_bytes()
    assert runner.invoke(app, ["extract", str(folder), "-o", str(folder / "rows.xlsx")]).exit_code == 0
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "3 files perfaudit wrote" in second.output  # report.xlsx, report.html, rows.xlsx
    assert (folder / "findings.jsonl").read_bytes() == findings
    files_line = [line for line in second.output.splitlines() if line.startswith("files ok")]
    assert files_line == [line for line in first.output.splitlines() if line.startswith("files ok")]
