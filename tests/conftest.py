"""Shared fixtures. `../shared` (seeds, real PDFs) sits beside the checkout, in CI too."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD_SEEDS = ROOT / "corpus" / "gold" / "seeds"


def seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def seed_results():
    from pipeline import extract_file

    return {p.name[:3]: extract_file(p) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory) -> Path:
    """Sample documents generated afresh by the project's own generator."""
    from pipeline.devtools.samples import write_samples

    out = tmp_path_factory.mktemp("samples")
    write_samples(out)
    return out
