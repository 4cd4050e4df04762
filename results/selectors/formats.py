"""Reads that differ by race format (results/rules/formats.py), for the snapshot ``results.selectors.races``
builds: a mass start's standings on sprint points, and a team pursuit's members under each team (docs/feed.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from results.models import Race, SprintPlacing, Start
from results.rules import ranking_mass_start


def mass_start_standings(race: Race, starts: list[Start]) -> list[dict[str, Any]]:
    """The rows of a mass start (``ranking_mass_start``): on points, with each sprint's points."""
    places: defaultdict[int, dict[int, int]] = defaultdict(dict)
    for start_id, sprint, place in SprintPlacing.objects.filter(race=race).values_list("start_id", "sprint", "place"):
        places[start_id][sprint] = place
    results = [
        ranking_mass_start.MassStartResult(result=start.as_result(), places=places.get(start.pk, {}))
        for start in starts
    ]
    standings = ranking_mass_start.rank_mass_start(
        results, sprint_table=race.sprint_points, points_table=race.points_table
    )
    final = race.status == Race.State.OFFICIAL
    return [standing.as_row(final=final) for standing in standings]


def mass_start_fields(race: Race) -> dict[str, Any]:
    """What a mass start's ``race`` adds: its sprint table, how many sprints are in, which was saved last."""
    placings = SprintPlacing.objects.filter(race=race)
    last = placings.order_by("-recorded_at", "-sprint").values_list("sprint", flat=True).first()
    return {
        "sprint_points": race.sprint_points,
        "sprints_done": placings.values("sprint").distinct().count(),
        "last_sprint": last,
    }


def team_members(starts: Iterable[Start]) -> dict[int, list[str]]:
    """Each team's skaters by the team's bib, in the order the start list gave them (a fourth is the reserve)."""
    bibs = {start.pk: start.bib for start in starts if start.skater.is_team}
    rows = Start.members.through.objects.filter(start__in=bibs).order_by("pk").values_list("start_id", "skater__name")
    members: dict[int, list[str]] = {bib: [] for bib in bibs.values()}
    for start_id, name in rows:
        members[bibs[start_id]].append(name)
    return members


def document_extend(race: Race, starts: list[Start], document: dict[str, Any]) -> None:
    """Add what the race's format carries to its snapshot ``document``: ``race.format`` always; a mass start's
    sprints; a team pursuit's ``members``, on its standings rows and on the teams still to skate."""
    document["race"]["format"] = race.format
    if race.format == Race.Format.MASS_START:
        document["race"].update(mass_start_fields(race))
    elif race.format == Race.Format.TEAM_PURSUIT:
        members = team_members(starts)
        for row in document["standings"]:
            row["members"] = members.get(row["bib"], [])
        for heat in document["next_heats"]:
            for team in heat["skaters"]:
                team["members"] = members.get(team["bib"], [])
