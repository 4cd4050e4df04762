"""Shared test builders. Everything goes through results.services, as in production."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User

from results import services
from results.models import Competition, Heat, Race, Record, Start, Venue
from results.roles import role_group
from results.rules.points_tables import WORLD_CUP_A
from results.rules.times import parse_time

PASSWORD = "not-a-real-password"

# (heat, lane, bib, name, nation)
PAIRS_500 = [
    (1, "I", 11, "Anna ALPHA", "NED"),
    (1, "O", 12, "Bea BRAVO", "USA"),
    (2, "I", 21, "Cleo CHARLIE", "JPN"),
    (2, "O", 22, "Dana DELTA", "CAN"),
    (3, "I", 31, "Eva ECHO", "NOR"),
    (3, "O", 32, "Fay FOXTROT", "AIN"),
]


def pairs_draw(count: int) -> list[tuple[int | None, str, int, str, str]]:
    """``count`` pairs of skaters named after their pair and lane ("Skater 6O"), bibs 10 and 11, 20 and 21, ..."""
    return [
        (heat, lane, heat * 10 + (lane == "O"), f"Skater {heat}{lane}", "NED")
        for heat in range(1, count + 1)
        for lane in "IO"
    ]


# PAIRS_500 and a fourth pair, which make_live_race leaves to skate.
FOUR_PAIRS = [*PAIRS_500, (4, "I", 41, "Gina GOLF", "KOR"), (4, "O", 42, "Hana HOTEL", "CHN")]


def make_competition(name: str = "Test World Cup", *, olympic: bool = False, venue: str = "Thialf") -> Competition:
    venue_obj, _ = Venue.objects.get_or_create(name=venue, defaults={"city": "Heerenveen", "country": "NED"})
    return Competition.objects.create(
        name=name, venue=venue_obj, starts_on=date(2025, 12, 5), ends_on=date(2025, 12, 7), is_olympic_games=olympic
    )


def make_race(
    competition: Competition | None = None,
    *,
    title: str = "Women 500m Division A",
    gender: str = "women",
    distance: int = 500,
    points_table: Sequence[int] = WORLD_CUP_A,
    draw: Sequence[tuple[int | None, str, int, str, str]] = PAIRS_500,
) -> Race:
    """A race with its start list (``draw``: heat, lane, bib, name, nation)."""
    race = services.race_create(
        competition=competition or make_competition(),
        title=title,
        gender=gender,
        distance=distance,
        points_table=points_table,
    )
    make_start_list(race, draw)
    return race


def make_live_race() -> Race:
    """Three pairs of four skated: equal hundredths, a world record (of the standing 36.36), a disqualification."""
    make_record("WR", "36.36")
    race = make_race(draw=FOUR_PAIRS)
    enter_heat(race, 1, {11: "37.112", 12: "37.116"})
    enter_heat(race, 2, {21: "36.09", 22: "36.57"})
    enter_heat(race, 3, {31: "DQ T07", 32: "38.50"})
    return race


def heat_of(race: Race, number: int) -> Heat:
    return race.heats.get(number=number)


def start_of(race: Race, bib: int) -> Start:
    return Start.objects.get(heat__race=race, bib=bib)


def enter_heat(race: Race, number: int, results: dict[int, str], **kwargs) -> services.Published | None:
    """Enter a heat by bib: ``{11: "38.12", 12: "DNF", 13: "DQ T07"}`` (a time means OK)."""
    return services.heat_results_record(heat=heat_of(race, number), results=enter(race, number, results), **kwargs)


def make_start_list(race: Race, draw: Sequence[tuple[int | None, str, int, str, str]]) -> list[Start]:
    """Add a draw (heat, lane, bib, name, nation) to a race made with ``draw=()``; a heat ``None`` is a skater who
    withdrew before the draw."""
    return services.start_list_create(
        race=race,
        entries=[
            services.StartListEntry(heat=heat, lane=lane, bib=bib, name=name, nation=nation)
            for heat, lane, bib, name, nation in draw
        ],
    )


def make_official(username: str = "official", *, can_enter_results: bool = True, **fields):
    """A staff user for the admin, with the ``results.enter_results`` permission unless told otherwise."""
    from django.contrib.auth.models import Permission

    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True, **fields)
    if can_enter_results:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="results", codename="enter_results"))
    return user


def make_record(
    kind: str = "WR",
    time: str = "36.36",
    *,
    holder: str = "Sang-Hwa LEE",
    nation: str = "KOR",
    set_on: date = date(2013, 11, 16),
    gender: str = "women",
    distance: int = 500,
    venue: Venue | None = None,
) -> Record:
    """A standing record; ``time`` is typed like an official would."""
    return Record.objects.create(
        kind=kind,
        gender=gender,
        distance=distance,
        venue=venue,
        time_ms=parse_time(time),
        holder=holder,
        nation=nation,
        set_on=set_on,
    )


def make_user(username: str, role: str | None = None) -> User:
    """A staff user in one of the officials' groups (``roles.TIMING_OFFICIAL``, ``roles.REFEREE``), or in none."""
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    if role:
        user.groups.add(role_group(role))
    return User.objects.get(pk=user.pk)  # fresh, so the group's permissions are not cached empty


def enter(race: Race, number: int, results: dict[int, str]) -> list[services.StartResult]:
    """The entries ``enter_heat`` would save, for calling a service with other arguments."""
    entries = []
    for bib, typed in results.items():
        status, _, infraction = typed.partition(" ")
        start_id = start_of(race, bib).pk
        if status in ("DNF", "DQ", "DNS", "WDR"):
            entries.append(services.StartResult(start_id=start_id, status=status, infraction=infraction))
        else:
            entries.append(services.StartResult(start_id=start_id, status="OK", time_ms=parse_time(typed)))
    return entries


# --- other formats: the mass start and the team pursuit ----------------------------------------------------------

# A women's mass start field (bib, name, nation): one heat, no lanes.
MASS_START_FIELD = [
    (101, "Marijke GROENEWOUD", "NED"),
    (102, "Ivanie BLONDIN", "CAN"),
    (103, "Mia MANGANELLO", "USA"),
    (104, "Valerie MALTAIS", "CAN"),
    (105, "Francesca LOLLOBRIGIDA", "ITA"),
    (106, "Ayano SATO", "JPN"),
    (107, "Momoka HORIKAWA", "JPN"),
    (108, "Bente KERKHOFF", "NED"),
    (109, "Sandrine TAS", "BEL"),
    (110, "Karolina BOSIEK", "POL"),
    (111, "Michelle UHRIG", "GER"),
    (112, "Elizabeth GOLUBEVA", "KAZ"),
]
# Women's team pursuit (heat, lane, bib, team, nation, members): two teams a heat, one on each straight.
TEAM_PURSUIT_DRAW = [
    (1, "I", 1, "UNITED STATES", "USA", ("Mia MANGANELLO", "Greta MYERS", "Giorgia BIRKELAND")),
    (1, "O", 2, "CANADA", "CAN", ("Ivanie BLONDIN", "Valerie MALTAIS", "Isabelle WEIDEMANN")),
    (2, "I", 3, "JAPAN", "JPN", ("Miho TAKAGI", "Ayano SATO", "Momoka HORIKAWA")),
    (
        2,
        "O",
        4,
        "NETHERLANDS",
        "NED",
        ("Joy BEUNE", "Marijke GROENEWOUD", "Antoinette RIJPMA-DE JONG", "Jutta LEERDAM"),
    ),
]


def make_mass_start(
    competition: Competition | None = None,
    *,
    title: str = "Women Mass Start Division A",
    field: Sequence[tuple[int, str, str]] = MASS_START_FIELD,
    sprint_points: Sequence[Sequence[int]] | None = None,
    points_table: Sequence[int] = WORLD_CUP_A,
) -> Race:
    """A mass start (16 laps, 6400 m) with its field in one heat; the 2025-26 sprint table unless told."""
    race = services.race_create(
        competition=competition or make_competition(),
        title=title,
        gender="women",
        distance=6400,
        points_table=points_table,
        race_format=Race.Format.MASS_START,
        sprint_points=sprint_points or (),
    )
    make_start_list(race, [(1, "", bib, name, nation) for bib, name, nation in field])
    return race


def enter_sprint(race: Race, sprint: int, bibs: str, **kwargs):
    """A sprint's order of crossing as an official types it: ``"103 101 106"``."""
    from results.services.mass_start import sprint_placings_record

    return sprint_placings_record(race=race, sprint=sprint, bibs=[int(bib) for bib in bibs.split()], **kwargs)


def enter_finish(race: Race, results: dict[int, str] | None = None, **kwargs) -> services.Published | None:
    """A mass start's finish: ``results`` by bib as for ``enter_heat`` (a time, or ``DNF``, ``DQ T25``); everyone
    else finished without a time typed."""
    given = results or {}
    entries = []
    for start in heat_of(race, 1).starts.all():
        typed = given.get(start.bib, "OK")
        if typed == "OK":
            entries.append(services.StartResult(start_id=start.pk, status="OK"))
        else:
            entries.extend(enter(race, 1, {start.bib: typed}))
    return services.heat_results_record(heat=heat_of(race, 1), results=entries, **kwargs)


def make_team_pursuit(
    competition: Competition | None = None,
    *,
    title: str = "Women Team Pursuit",
    draw: Sequence[tuple[int, str, int, str, str, tuple[str, ...]]] = TEAM_PURSUIT_DRAW,
    points_table: Sequence[int] = WORLD_CUP_A,
) -> Race:
    """A women's team pursuit (6 laps, 2400 m): teams as entrants, their skaters as members."""
    race = services.race_create(
        competition=competition or make_competition(),
        title=title,
        gender="women",
        distance=2400,
        points_table=points_table,
        race_format=Race.Format.TEAM_PURSUIT,
    )
    services.start_list_create(
        race=race,
        entries=[
            services.StartListEntry(heat=heat, lane=lane, bib=bib, name=name, nation=nation, members=members)
            for heat, lane, bib, name, nation, members in draw
        ],
    )
    return race
