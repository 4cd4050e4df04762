"""Seasons: the ISU's season runs from July 1 to June 30, so 2025-11-16 is in 2025-2026. Season bests (SB) and
the World Cup standings count within one."""

from __future__ import annotations

from datetime import date

SEASON_START_MONTH = 7


def season_of(day: date) -> str:
    """The season ``day`` belongs to, as ``2025-2026``: seasons turn on July 1."""
    first = day.year if day.month >= SEASON_START_MONTH else day.year - 1
    return f"{first}-{first + 1}"
