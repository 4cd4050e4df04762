"""What a socket can follow. A topic names one published board (a race's standings, a classification's, a series'
standings on one distance) and is also the name of its channel group, so one string says what is published, pushed
and followed."""

from __future__ import annotations

import re

RACE, CLASSIFICATION, SERIES = "race", "classification", "series"
KINDS = (RACE, CLASSIFICATION, SERIES)
GENDERS = ("women", "men")
# ``series.3.women.500``: a series' World Cup standings for one gender and distance.
_SERIES_TOPIC = re.compile(r"series\.([0-9]{1,18})\.(women|men)\.([0-9]{1,5})")


def topic(kind: str, object_id: int) -> str:
    """``race.12``: channel group names must match ``^[a-zA-Z0-9-_.]+$`` and stay under 100 characters."""
    return f"{kind}.{object_id}"


def race_topic(race_id: int) -> str:
    return topic(RACE, race_id)


def classification_topic(classification_id: int) -> str:
    return topic(CLASSIFICATION, classification_id)


def series_topic(series_id: int, gender: str, distance: int) -> str:
    """``series.3.women.500``; ``ValueError`` for what names no standings (a gender "kids", a distance of a
    million metres)."""
    name = f"{topic(SERIES, series_id)}.{gender}.{distance}"
    series_parse(name)
    return name


def series_parse(name: str) -> tuple[int, str, int]:
    """``series.3.women.500`` -> ``(3, "women", 500)``."""
    match = _SERIES_TOPIC.fullmatch(name)
    if match is None:
        raise ValueError(f"not a series topic: {name!r}")
    return int(match[1]), match[2], int(match[3])


def parse(name: str) -> tuple[str, int]:
    """The kind and the id of what a topic names (a series topic: the series' id)."""
    if name.startswith(f"{SERIES}."):
        return SERIES, series_parse(name)[0]
    kind, _, object_id = name.partition(".")
    if kind not in KINDS or not (object_id.isascii() and object_id.isdigit()):
        raise ValueError(f"not a topic: {name!r}")
    return kind, int(object_id)


def described(name: str) -> dict[str, int | str]:
    """What a heartbeat names: ``{"race": 12}``, or ``{"series": 3, "gender": "women", "distance": 500}``."""
    kind, object_id = parse(name)
    if kind == SERIES:
        _series_id, gender, distance = series_parse(name)
        return {SERIES: object_id, "gender": gender, "distance": distance}
    return {kind: object_id}
