"""Arithmetic at printed precision (DOMAIN §3.1): what "adds up" and "agrees" mean for printed figures."""

from __future__ import annotations

from ..model import Percent

MONEY_TOL = 0.01  # ±0.01 万元 per addend
PCT_TOL = 0.02  # percentages ±0.02 pp


def sums_agree(total: float, parts: list[float]) -> bool:
    """Σ parts = total within ±0.01 per addend."""
    return abs(sum(parts) - total) <= MONEY_TOL * max(len(parts), 1) + 1e-9


def percent_tolerance(printed: Percent) -> float:
    """How far a recomputed ratio may lie from a printed one: half a unit of its last printed decimal,
    ±0.02 pp."""
    return PCT_TOL + 0.5 * 10 ** -printed.decimals


def percent_agrees(printed: Percent, computed: float) -> bool:
    """The printed ratio equals the recomputed one at its printed precision, ±0.02 pp (a truncated
    80.39 for 80.40 passes, DOMAIN §2.7). A bare 0.9414 is read as a fraction too."""
    tol = percent_tolerance(printed) + 1e-9
    if abs(printed.value - computed) <= tol:
        return True
    if not printed.sign and printed.value <= 1.5:
        return abs(printed.value * 100 - computed) <= PCT_TOL + 0.5 * 10 ** (2 - printed.decimals) + 1e-9
    return False
