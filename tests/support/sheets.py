"""Official result lists as the tests need them, beyond the files in data/: with skaters who withdrew before the
draw, as some sheets print them (WDR, no pair, no lane, after everyone else)."""

from __future__ import annotations

from tests.support.paths import DATA

# Two skaters who withdrew before the draw (bibs no one else of the field wears).
WITHDRAWN_BEFORE_THE_DRAW = [
    ",901,Pieter OMEGA,NED,,,,WDR,,,",
    ",902,Lars SIGMA,NOR,,,,WDR,,,",
]


def sheet_text(stem: str) -> str:
    return (DATA / f"{stem}.csv").read_text(encoding="utf-8")


def sheet_with_withdrawals(stem: str) -> str:
    """The sheet with ``WITHDRAWN_BEFORE_THE_DRAW`` at its end."""
    return sheet_text(stem).rstrip("\n") + "\n" + "\n".join(WITHDRAWN_BEFORE_THE_DRAW) + "\n"
