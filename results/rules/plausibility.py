"""Is a time plausible for its distance? A warning for the official, never a refusal: a fall gives 1:01.99 on a
500 m, and a world record beats any table. Pure: no Django, no I/O.

The ranges (men and women together, elite to national level) live here and nowhere else: the entry screen gets
them from ``plausible_range_ms`` (through data-* attributes, for the warning as the official types) and the
save gets its warning from ``time_warning``.
"""

from __future__ import annotations

# Seconds, lowest and highest usual time, per distance in metres.
PLAUSIBLE_SECONDS: dict[int, tuple[int, int]] = {
    500: (33, 45),
    1000: (64, 90),
    1500: (100, 135),
    3000: (225, 300),
    5000: (370, 480),
    10000: (760, 960),
}

# ``{time}`` is left for the screen to fill as the official types; the rest is filled here.
WARNING_IMPLAUSIBLE = "{time} is outside the usual {low}–{high} for a {distance} m. Check it (a fall? a typo?)."


def plausible_range_ms(distance: int) -> tuple[int, int] | None:
    """The usual range in thousandths, or ``None`` for a distance without one (no warning then)."""
    seconds = PLAUSIBLE_SECONDS.get(distance)
    return (seconds[0] * 1000, seconds[1] * 1000) if seconds else None


def _clock(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def warning_template(distance: int) -> str | None:
    """The warning for ``distance`` with only ``{time}`` still to fill, or ``None`` if it has no range."""
    seconds = PLAUSIBLE_SECONDS.get(distance)
    if seconds is None:
        return None
    low, high = seconds
    # Under a minute in seconds (33–45 s), longer as a clock (1:04–1:30), as officials read them off the board.
    low_text, high_text = (str(low), f"{high} s") if high < 60 else (_clock(low), _clock(high))
    return (
        WARNING_IMPLAUSIBLE.replace("{low}", low_text).replace("{high}", high_text).replace("{distance}", str(distance))
    )


def time_warning(*, distance: int, time_ms: int, time_text: str) -> str | None:
    """The warning for ``time_ms`` (shown as ``time_text``) on ``distance``, or ``None`` when it is plausible."""
    range_ms = plausible_range_ms(distance)
    template = warning_template(distance)
    if range_ms is None or template is None or range_ms[0] <= time_ms <= range_ms[1]:
        return None
    return template.replace("{time}", time_text)
