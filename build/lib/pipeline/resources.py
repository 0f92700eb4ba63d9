"""Where the data the package ships lives (the catalog, the reason model): the top-level `models/`
of a checkout, installed as `pipeline/models` from a wheel. Every default path is found from here,
never from the working directory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def models_dir() -> Path:
    """The folder holding `catalog/` and `reasons/`: inside the installed package, or the checkout's."""
    packaged = Path(str(resources.files("pipeline"))) / "models"
    return packaged if packaged.is_dir() else CHECKOUT / "models"
