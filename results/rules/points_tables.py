"""World Cup points tables seen on 2025-26 result sheets (docs/rules.md, "Points and medals"). A race stores its
own copy; these are the presets officials pick from, by name, when they create a race or replay one."""

from __future__ import annotations

from collections.abc import Sequence

WORLD_CUP_A = (60, 54, 48, 43, 40, 38, 36, 34, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21)
WORLD_CUP_B = (28, 24, 21, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
# Division B long distances paid deeper tables on some sheets (observed: 3000/5000 m at WC1, 5000/10000 m at WC3).
WORLD_CUP_B_32 = (32, 28, 25, 21, *range(20, 0, -1))
WORLD_CUP_B_36 = (36, 32, 29, 25, *range(24, 0, -1))

PRESETS: dict[str, tuple[int, ...]] = {
    "world-cup-a": WORLD_CUP_A,
    "world-cup-b": WORLD_CUP_B,
    "world-cup-b-32": WORLD_CUP_B_32,
    "world-cup-b-36": WORLD_CUP_B_36,
    "none": (),
}

ERROR_POINTS = "Points are a preset ({presets}) or whole numbers separated by commas, e.g. 60,54,48."


def parse_points_table(text: str) -> tuple[int, ...]:
    """``world-cup-a`` or ``60,54,48``; raises ``ValueError`` with a message that lists the presets."""
    cleaned = text.strip().lower()
    if cleaned in PRESETS:
        return PRESETS[cleaned]
    try:
        table = tuple(int(part) for part in cleaned.split(","))
    except ValueError:
        raise ValueError(ERROR_POINTS.format(presets=", ".join(PRESETS))) from None
    if any(points < 0 for points in table):
        raise ValueError(ERROR_POINTS.format(presets=", ".join(PRESETS)))
    return table


def preset_name(table: Sequence[int]) -> str | None:
    return next((name for name, preset in PRESETS.items() if tuple(table) == preset), None)


# What an official sheet's winner scored says which of the tables the race carried (docs/world-cup.md).
BY_WINNER_POINTS = {table[0]: table for table in (WORLD_CUP_A, WORLD_CUP_B, WORLD_CUP_B_32, WORLD_CUP_B_36)}
ERROR_DIVISION = "division must be A or B, not “{value}”."


def table_of_sheet(division: str, printed_points: Sequence[int | None]) -> tuple[int, ...]:
    """The points table of a World Cup race from its official sheet: Division A's always; Division B's by what the
    sheet's best-paid skater scored (28: the usual table, 32 and 36: the long distances' deeper tables), the usual
    one when the sheet prints none. Raises ``ValueError`` for another division."""
    if division.upper() == "A":
        return WORLD_CUP_A
    if division.upper() != "B":
        raise ValueError(ERROR_DIVISION.format(value=division))
    best = max((points for points in printed_points if points is not None), default=None)
    return BY_WINNER_POINTS.get(best, WORLD_CUP_B) if best is not None else WORLD_CUP_B
