"""Is a time plausible for its distance? A warning for the official, never a refusal: a fall gives 1:01.99 on a
500 m, and a world record beats any table. Is a disqualification complete? Every DQ on an official result list
carries its infraction code; one without is saved, with a warning. Pure: no Django, no I/O.

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


WARNING_DQ_WITHOUT_INFRACTION = (
    "DQ without an infraction code: the result list prints one with every DQ (such as T07). Choose it."
)


def disqualification_warning(*, status: str, infraction: str | None) -> str | None:
    """The warning for a DQ entered without its infraction code, or ``None``."""
    return WARNING_DQ_WITHOUT_INFRACTION if status == "DQ" and not infraction else None


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


# --- what is not possible at all -------------------------------------------------------------------------------

# The men's world records (2025-26) the fastest possible time is measured against: nobody beats one by more than
# a few percent. Other distances (a passage, a 100 m, a mass start, a team pursuit) are measured by speed.
WORLD_RECORDS_MS: dict[int, int] = {
    500: 33_610,
    1000: 65_370,
    1500: 100_170,
    3000: 217_280,
    5000: 361_560,
    10000: 745_690,
}
WORLD_RECORD_MARGIN = 0.95  # five percent under the world record
FASTEST_METRES_PER_SECOND = 16  # 57.6 km/h on average, from the start: faster than any world record
SLOWEST_METRES_PER_SECOND = 1  # a fall and a long way back: anything slower is not a race time

ERROR_TOO_FAST = "{time} for {distance} m is faster than anyone can skate (at least {fastest}): check the time."
ERROR_TOO_SLOW = "{time} for {distance} m is not a race time (at most {slowest}): check the time."


def possible_range_ms(distance: int) -> tuple[int, int]:
    """The fastest and slowest times anyone could have at ``distance`` metres from the start, in thousandths: a
    finish or a passage outside them is a mistake (a typo, a timing fault), never a result."""
    by_speed = distance * 1000 // FASTEST_METRES_PER_SECOND
    record = WORLD_RECORDS_MS.get(distance)
    fastest = max(by_speed, int(record * WORLD_RECORD_MARGIN)) if record else by_speed
    return fastest, distance * 1000 // SLOWEST_METRES_PER_SECOND


def impossible_time(*, distance: int, time_ms: int, shown: str) -> str | None:
    """Why ``time_ms`` (shown as ``shown``) cannot be anyone's time at ``distance`` metres, or ``None``."""
    fastest, slowest = possible_range_ms(distance)
    if time_ms < fastest:
        return ERROR_TOO_FAST.format(time=shown, distance=distance, fastest=_seconds(fastest))
    if time_ms > slowest:
        return ERROR_TOO_SLOW.format(time=shown, distance=distance, slowest=_seconds(slowest))
    return None


def _seconds(time_ms: int) -> str:
    seconds = time_ms // 1000
    return _clock(seconds) if seconds >= 60 else f"{seconds} s"
