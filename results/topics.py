"""What a socket can follow. A topic names one published board (a race's standings, a classification's) and is
also the name of its channel group, so one string says what is published, pushed and followed."""

from __future__ import annotations

RACE, CLASSIFICATION = "race", "classification"
KINDS = (RACE, CLASSIFICATION)


def topic(kind: str, object_id: int) -> str:
    """``race.12``: channel group names must match ``^[a-zA-Z0-9-_.]+$`` and stay under 100 characters."""
    return f"{kind}.{object_id}"


def race_topic(race_id: int) -> str:
    return topic(RACE, race_id)


def classification_topic(classification_id: int) -> str:
    return topic(CLASSIFICATION, classification_id)


def parse(name: str) -> tuple[str, int]:
    kind, _, object_id = name.partition(".")
    if kind not in KINDS or not (object_id.isascii() and object_id.isdigit()):
        raise ValueError(f"not a topic: {name!r}")
    return kind, int(object_id)
