"""What differs between a race's formats (docs/rules.md): who lines up how, and what a finish needs. Pure: no Django,
no I/O; the model (``Start.clean``), the start list import and the results entry all read it from here.

- Individual distances: pairs, or quartet starts of up to four skaters, at most two per lane.
- Mass start: one heat of up to 24 skaters (the ISU maximum), no lanes. The finish time only breaks ties on
  points, so a finisher may have none.
- Team pursuit: two teams per heat, one on each straight (lane I and lane O); the entrant is a team, its skaters
  are its members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

INDIVIDUAL, MASS_START, TEAM_PURSUIT = "individual", "mass_start", "team_pursuit"

# The ISU's maximum field for a mass start.
MASS_START_MAX_SKATERS: Final = 24
# Three skaters race; a fourth may be named as reserve.
TEAM_MEMBERS_MIN, TEAM_MEMBERS_MAX = 3, 4


@dataclass(frozen=True)
class LineupRules:
    """How a race of one format lines up. Messages are for officials; ``{heat}``, ``{lane}``, ``{skater}`` filled."""

    per_heat: int
    per_lane: int  # 0: the format has no lanes, a lane given is refused
    only_heat: int | None  # the one heat number a format skated in a single heat allows
    teams: bool  # the entrants are teams (with members), and only teams
    finish_time_required: bool
    error_heat_full: str
    error_lane_full: str
    error_lane_given: str = ""
    error_other_heat: str = ""


RULES: Final = {
    INDIVIDUAL: LineupRules(
        per_heat=4,
        per_lane=2,
        only_heat=None,
        teams=False,
        finish_time_required=True,
        error_heat_full="A heat holds at most four skaters.",
        error_lane_full="Lane {lane} of heat {heat} already has two skaters (a quartet start has two per lane).",
    ),
    MASS_START: LineupRules(
        per_heat=MASS_START_MAX_SKATERS,
        per_lane=0,
        only_heat=1,
        teams=False,
        finish_time_required=False,
        error_heat_full=f"A mass start holds at most {MASS_START_MAX_SKATERS} skaters (the ISU maximum).",
        error_lane_full="",
        error_lane_given="A mass start has no lanes: leave the lane empty.",
        error_other_heat="A mass start is skated in one heat: put every skater in heat 1.",
    ),
    TEAM_PURSUIT: LineupRules(
        per_heat=2,
        per_lane=1,
        only_heat=None,
        teams=True,
        finish_time_required=True,
        error_heat_full="A team pursuit heat holds two teams.",
        error_lane_full="Lane {lane} of heat {heat} already has a team: the two teams start on opposite straights "
        "(one in lane I, one in lane O).",
    ),
}

ERROR_NOT_A_TEAM = "{skater} is not a team: a team pursuit is skated by teams (a team with its members)."
ERROR_A_TEAM = "{skater} is a team: teams skate only team pursuits."


def rules_for(race_format: str) -> LineupRules:
    """The rules of ``race_format``; an unknown format lines up like an individual distance."""
    return RULES.get(race_format, RULES[INDIVIDUAL])


def entrant_error(rules: LineupRules, *, is_team: bool, skater: str) -> str:
    """Why this entrant cannot skate a race of these rules, or ``""``."""
    if rules.teams and not is_team:
        return ERROR_NOT_A_TEAM.format(skater=skater)
    if not rules.teams and is_team:
        return ERROR_A_TEAM.format(skater=skater)
    return ""
