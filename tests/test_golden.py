"""Behaviour kept: every document the project is developed against reads as the snapshot recorded
(tests/golden.py). A difference is either a regression or an intended change, which is recorded with
`python -m tests.golden --update` in a commit of its own that says why."""

import pytest

from .golden import SETS, SNAPSHOT, differences, read_snapshot, snapshot


def test_every_document_reads_as_the_snapshot_recorded():
    missing = [name for name, folder in SETS.items() if not folder.is_dir()]
    if missing:
        pytest.skip(f"document sets missing: {missing}")
    recorded = read_snapshot()
    assert len(recorded) >= 130 and SNAPSHOT.is_file()
    diff = differences(recorded, snapshot())
    assert not diff, "behaviour changed (python -m tests.golden shows it; --update records an intended change):\n" + \
        "\n".join(diff[:40])


def test_a_difference_names_the_document_and_the_table():
    recorded = [{"set": "wide", "file": "a.pdf", "status": "ok", "tables": [[0, 3, "target", 5, "t0", "r0"]], "findings": 2},
                {"set": "wide", "file": "b.pdf", "status": "ok", "tables": [], "findings": 0}]
    present = [{"set": "wide", "file": "a.pdf", "status": "ok", "tables": [[0, 3, "target", 4, "t0", "r1"]], "findings": 3},
               {"set": "wide", "file": "c.pdf", "status": "empty", "tables": [], "findings": 0}]
    assert differences(recorded, present) == [
        "wide/b.pdf: no longer read", "wide/c.pdf: new document",
        "wide/a.pdf: table 0 (page 3, target): 5 -> 4 rows, changed", "wide/a.pdf: findings: 2 -> 3"]
    assert differences(recorded, recorded) == []
