"""Race times as officials type them and as result lists print them. Pure: no Django, no I/O.

Times are integers in thousandths of a second. Result lists print hundredths, truncated, never rounded
(35.129 is printed 35.12), with the thousandth in brackets only where a tie on hundredths needs it.
"""

from __future__ import annotations

import re

TIME_FORMAT_ERROR = (
    "“{text}” is not a time. Type seconds with hundredths, minutes first if any: "
    "1:12.31, 1.12,31, 1.12.31, 72.31 or 1:12.315."
)
TIME_SECONDS_ERROR = "“{text}” has {seconds} seconds after the minutes; seconds run from 00 to 59."
TIME_ZERO_ERROR = "A time must be more than zero."
# How much of what was typed a message quotes.
SHOWN_MAX = 40

# Minutes (optional) end with ":" or "." (Dutch style 1.12,31); the fraction follows "." or ",". ASCII digits only,
# as static/admin-results/times.js reads them (Python's \d would also take "３８.５０" from a Japanese keyboard).
_TIME_INPUT = re.compile(
    r"^(?:(?P<minutes>\d{1,2})[:.](?=\d{2}[.,]))?(?P<seconds>\d{1,3})[.,](?P<fraction>\d{2,3})$", re.ASCII
)


class TimeFormatError(ValueError):
    """Raised with a message an official can act on."""


def parse_time(text: str) -> int:
    """Parse an official's input into thousandths: ``1:12.31``, ``1.12,31``, ``72.31`` and ``1:12.315`` agree."""
    cleaned = text.strip()
    match = _TIME_INPUT.match(cleaned)
    if not match:
        shown = cleaned if len(cleaned) <= SHOWN_MAX else cleaned[: SHOWN_MAX - 1] + "…"
        raise TimeFormatError(TIME_FORMAT_ERROR.format(text=shown))
    minutes = int(match["minutes"] or 0)
    seconds = int(match["seconds"])
    if match["minutes"] is not None and seconds >= 60:
        raise TimeFormatError(TIME_SECONDS_ERROR.format(text=cleaned, seconds=seconds))
    thousandths = int(match["fraction"].ljust(3, "0"))
    total = (minutes * 60 + seconds) * 1000 + thousandths
    if total == 0:
        raise TimeFormatError(TIME_ZERO_ERROR)
    return total


def hundredths(time_ms: int) -> int:
    """Truncate to hundredths, as result lists do: 34129 -> 3412."""
    return time_ms // 10


def _clock(centiseconds: int) -> str:
    minutes, rest = divmod(centiseconds, 6000)
    seconds, cents = divmod(rest, 100)
    if minutes:
        return f"{minutes}:{seconds:02d}.{cents:02d}"
    return f"{seconds}.{cents:02d}"


def format_time(time_ms: int, *, with_thousandth: bool = False) -> str:
    """``72354`` -> ``1:12.35``; with the thousandth (a tie on hundredths) -> ``1:12.35(4)``."""
    text = _clock(hundredths(time_ms))
    return f"{text}({time_ms % 10})" if with_thousandth else text


def format_behind(centiseconds: int) -> str:
    """A gap in hundredths as printed in the Behind column: ``+0.34``, ``+1:01.11``; blank for no gap."""
    return f"+{_clock(centiseconds)}" if centiseconds > 0 else ""


def format_gap(centiseconds: int) -> str:
    """A signed gap in hundredths, as television shows a skater against a reference at a passage: ``+0.12``
    (slower), ``-0.05`` (faster), ``+1:01.11``; blank for no gap."""
    if centiseconds == 0:
        return ""
    return f"{'+' if centiseconds > 0 else '-'}{_clock(abs(centiseconds))}"


def time_input_text(time_ms: int | None) -> str:
    """A stored time as an official would type it: ``1:12.31``, or ``1:12.315`` when the thousandth is not zero,
    so that re-saving a heat keeps it (result lists print hundredths, truncated: ``format_time`` drops it)."""
    if time_ms is None:
        return ""
    thousandth = time_ms % 10
    return format_time(time_ms) + (str(thousandth) if thousandth else "")
