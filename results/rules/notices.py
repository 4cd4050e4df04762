"""What a race's board has to tell the followers of a skater as the race goes on (docs/rules.md, "Telling the
followers"): *on deck* when their pair is next or next but one, *finished* with their result, *correction* when that
result changes after they were told, *final* once the race is official. The same four kinds the open board shows
(static/results/notices.js) and the pushes carry (docs/feed.md).

Pure: a board's document, the skaters followed and what was told before in; the news out. What was told is kept per
skater and subject (``on_deck``: the pair; ``result``: the time or status; ``final``: rank, medal and result), so the
same board read twice tells nothing twice, and a provisional rank that moves because others skated is no news.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

ON_DECK, FINISHED, CORRECTION, FINAL = "on_deck", "finished", "correction", "final"
KINDS = (ON_DECK, FINISHED, CORRECTION, FINAL)
# The subjects what was told is kept by.
ABOUT_PAIR, ABOUT_RESULT, ABOUT_FINAL = "on_deck", "result", "final"
# Pairs ahead that count as "on deck": the next pair and the one after it.
PAIRS_ON_DECK = 2
OFFICIAL = "OFFICIAL"


@dataclass(frozen=True)
class Notice:
    kind: str
    skater: int
    about: str
    said: str
    facts: dict[str, Any]


def result_said(row: Mapping[str, Any]) -> str:
    """A row's result as a fan reads it: the time, or the status with its infraction (``DQ T03``)."""
    if row.get("time"):
        return str(row["time"])
    return " ".join(str(part) for part in (row.get("status"), row.get("infraction")) if part)


def _race_facts(race: Mapping[str, Any]) -> dict[str, Any]:
    return {"race": race["id"], "race_title": race["title"]}


def _on_deck(snapshot: Mapping[str, Any], followed: Collection[int]) -> list[Notice]:
    on_ice = {heat["heat"] for heat in snapshot.get("on_ice") or []}
    coming = [heat for heat in snapshot.get("next_heats") or [] if heat["heat"] not in on_ice][:PAIRS_ON_DECK]
    return [
        Notice(
            ON_DECK,
            skater["skater"],
            ABOUT_PAIR,
            str(heat["heat"]),
            {**_race_facts(snapshot["race"]), "name": skater["name"], "heat": heat["heat"], "eta": heat.get("eta")},
        )
        for heat in coming
        for skater in heat["skaters"]
        if skater.get("skater") in followed
    ]


def _results(
    snapshot: Mapping[str, Any], followed: Collection[int], told: Mapping[tuple[int, str], str]
) -> list[Notice]:
    race = snapshot["race"]
    notices = []
    for row in snapshot.get("standings") or []:
        skater = row.get("skater")
        if skater not in followed or not row.get("status"):
            continue
        said = result_said(row)
        facts = {
            **_race_facts(race),
            "name": row["name"],
            "result": said,
            "rank": row.get("rank"),
            "records": list(row.get("records") or []),
            "medal": row.get("medal"),
        }
        before = told.get((skater, ABOUT_RESULT))
        if before is None:
            notices.append(Notice(FINISHED, skater, ABOUT_RESULT, said, facts))
        elif before != said:
            notices.append(Notice(CORRECTION, skater, ABOUT_RESULT, said, facts))
        if race.get("status") == OFFICIAL and row.get("rank"):
            notices.append(Notice(FINAL, skater, ABOUT_FINAL, f"{row['rank']} {row.get('medal') or ''} {said}", facts))
    return notices


def race_notices(
    snapshot: Mapping[str, Any], followed: Collection[int], told: Mapping[tuple[int, str], str]
) -> list[Notice]:
    """The news in a race's ``snapshot`` for the ``followed`` skater ids, given what was ``told`` before (keyed by
    skater and subject); nothing that was already said."""
    candidates = _on_deck(snapshot, followed) + _results(snapshot, followed, told)
    return [notice for notice in candidates if told.get((notice.skater, notice.about)) != notice.said]


def skaters_in(snapshot: Mapping[str, Any]) -> set[int]:
    """Every skater id a race's snapshot names: its standings and the pairs to come."""
    ids = {row["skater"] for row in snapshot.get("standings") or [] if row.get("skater")}
    for heat in snapshot.get("next_heats") or []:
        ids.update(skater["skater"] for skater in heat["skaters"] if skater.get("skater"))
    return ids


def told_forgotten(
    snapshot: Mapping[str, Any], followed: Collection[int], told: Mapping[tuple[int, str], str]
) -> list[tuple[int, str]]:
    """What was told that the board no longer shows (a pair no longer on deck, a result cleared): forgotten, so that
    the same news told again (the pair on deck after a re-draw, a race skated again) is news again."""
    shown = {(notice.skater, notice.about) for notice in _on_deck(snapshot, followed)}
    shown |= {(notice.skater, notice.about) for notice in _results(snapshot, followed, {})}
    return [key for key in told if key not in shown]
