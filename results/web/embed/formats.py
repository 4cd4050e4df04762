"""The broadcasters' pages for races of other formats (results/rules/formats.py, docs/broadcasters.md). Pure: it reads
the snapshot document only. ``static/embed/live.js`` and ``static/results/formats-view.js`` make the same choices
for each newer snapshot: keep them in step.

- A mass start has no pairs, lanes or gaps: its total of sprint points stands before the time, and the
  "last pair" graphics show the sprint saved last instead (who scored in it, most points first). "On the ice" shows
  nothing: the whole field is on the ice, and a pair's graphic has no room for 24 skaters.
- A team pursuit is shown like pairs, with each team's skaters under its name.
"""

from __future__ import annotations

from typing import Any

from results.web.embed import labels as embed_labels

Row = dict[str, Any]
MASS_START = "mass_start"
# A mass start's fields: its total before the time (which only breaks ties); no pair, lane or gap.
MASS_START_FIELDS: dict[str, tuple[str, ...]] = {"time": ("race_points", "time"), "behind": (), "heat": (), "lane": ()}


def is_mass_start(document: dict[str, Any]) -> bool:
    return bool(document["race"].get("format") == MASS_START)


def fields_for(fields: list[str], document: dict[str, Any]) -> list[str]:
    """The embed's columns for the race's format."""
    if not is_mass_start(document):
        return fields
    return [shown for name in fields for shown in MASS_START_FIELDS.get(name, (name,))]


def latest_sprint_rows(document: dict[str, Any]) -> list[Row]:
    """A mass start's skaters who scored in the sprint saved last, most points first, each row with what it
    scored there (``sprint_gain``, which the plates show)."""
    sprint = document["race"].get("last_sprint")
    if not sprint:
        return []
    scored = [{**row, "sprint_gain": row["sprints"][sprint - 1]} for row in document["standings"]]
    return sorted((row for row in scored if row["sprint_gain"]), key=lambda row: -row["sprint_gain"])


def last_label(labels: dict[str, str], document: dict[str, Any]) -> str:
    """What the "last pair" graphics call what they show: ``Pair 8``, or a mass start's ``Sprint 2``."""
    if is_mass_start(document):
        sprint = document["race"].get("last_sprint")
        return sprint_label(labels, sprint, len(document["race"]["sprint_points"])) if sprint else ""
    heat = document["last_heat"]
    return labels["pair"].format(heat=heat) if heat else ""


def sprint_label(labels: dict[str, str], sprint: int, count: int) -> str:
    """``Sprint 2``, ``Final sprint`` (``ranking_mass_start.sprint_name``) in the page's language."""
    return labels["final_sprint"] if sprint == count else labels["sprint"].format(sprint=sprint)


def progress_text(labels: dict[str, str], race: dict[str, Any]) -> str:
    """``Pair 8 of 10``; for a mass start ``Sprint 2 of 4``, then ``Finished``."""
    if race.get("format") == MASS_START:
        if race["heats_done"]:
            return labels["finished"]
        if race.get("sprints_done"):
            return labels["sprint_progress"].format(done=race["sprints_done"], total=len(race["sprint_points"]))
        return ""
    return embed_labels.progress_text(labels, done=race["heats_done"], total=race["heats"])
