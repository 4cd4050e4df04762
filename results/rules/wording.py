"""How results read in officials' messages and in a race's history: ``1:12.31``, ``DQ T07``, ``no result``,
``sprint 2: 3rd``."""

from __future__ import annotations

import unicodedata

from results.rules.ranking import OK
from results.rules.times import format_time

NO_RESULT = "no result"
NOT_PLACED = "not placed"


def result_text(status: str, time_ms: int | None, infraction: str) -> str:
    """``1:12.31`` (``1:12.315`` with a thousandth), ``DQ T07``, ``DNS``, or ``no result``."""
    if not status:
        return NO_RESULT
    text = format_time(time_ms, with_thousandth=time_ms % 10 != 0) if status == OK and time_ms else status
    return f"{text} {infraction}" if infraction else text


def sprint_place_text(sprint: int, place: int | None) -> str:
    """``sprint 2: 3rd``, ``sprint 2: not placed``: a sprint place as the history reads it."""
    return f"sprint {sprint}: {ordinal(place) if place else NOT_PLACED}"


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


ERROR_UNPRINTABLE = "the line has a character that is never printed ({character}): retype it, or save the file again."


def unprintable(*texts: str) -> str | None:
    """Why these texts cannot be a name, a code or an id a person typed: one has a character that is never printed
    (NUL, a control character), named in ``ERROR_UNPRINTABLE``; ``None`` when they are all printable."""
    found = next((c for text in texts for c in text if unicodedata.category(c) in ("Cc", "Cs")), None)
    return ERROR_UNPRINTABLE.format(character=f"U+{ord(found):04X}") if found is not None else None
