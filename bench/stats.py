"""Small numbers for the benchmarks' reports: percentiles that skip NaN, and the machine's load."""

from __future__ import annotations

import math
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` of the way through the sorted values (NaN, the mark of a missing one, left out)."""
    ordered = sorted(value for value in values if not math.isnan(value))
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def spread(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 0.5), "p99": percentile(values, 0.99), "max": percentile(values, 1.0)}


def load_average() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
