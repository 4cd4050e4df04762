"""The officials' entry screen (results/admin/race_day/) under any post a clumsy official, a stale page or a forged
form could send: a pair's times, results and infraction codes, its revision and reason, clearing it; a sprint's bibs;
a referee's status change and its ``next``; a re-skate; each field right, mistyped, missing, repeated or any text,
other pairs' fields and fields of no form at all; by a timing official and by a referee, on an individual distance
under way, one that is official, and a mass start.

For every post: never a server error and nothing logged as an error; a save sends the official on (a redirect); a
refusal comes back with its message next to the field or on top of the form, or is "not found"; a refusal changes
nothing saved.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from results import policy, services
from results.admin.forms import reason_field
from results.admin.race_day.forms import ERROR_REVISION
from results.admin.race_day.mass_start import ERROR_EXPECTED
from results.models import Race, Start
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules import ranking
from results.services.lineup import ERROR_RESKATE_STATUS
from tests.fuzz.properties import (
    ERROR_LIST,
    assert_no_server_error,
    checked_example,
    fingerprint,
    shows_an_error,
    tally,
)
from tests.fuzz.strategies import NUMBERISH, SHORT_TEXT, TEXT, TIME_TEXT, mostly, texts_or
from tests.support.admin_pages import enter_url, pair
from tests.support.factories import (
    enter_heat,
    enter_sprint,
    make_live_race,
    make_mass_start,
    make_race,
    make_user,
    start_of,
)

STATUSES = [status for status, _label in Race.State.choices]
INFRACTIONS = ["", *(code for code, _label in ranking.INFRACTION_CHOICES)]
REASON_MAX = reason_field("").max_length


@dataclass(frozen=True)
class Screen:
    """What an entry screen's forms hold, read once: each pair's revision and starts, the sprints, the bibs."""

    race: Race
    heats: dict[int, tuple[int, list[int]]]  # number -> (revision, start ids)
    sprints: int
    bibs: list[int]
    without_reason: set[int]  # the pairs whose form shows no reason (nothing saved, and none needed)

    @classmethod
    def of(cls, race: Race) -> Screen:
        heats = {heat.number: (heat.revision, [start.pk for start in heat.starts.all()]) for heat in race.heats.all()}
        bibs = sorted(bib for heat in race.heats.all() for bib in heat.starts.values_list("bib", flat=True))
        saved = {start.heat.number for start in Start.objects.filter(heat__race=race) if start.has_result}
        without_reason = set() if policy.reason_required(race) else set(heats) - saved
        return cls(race, heats, len(race.sprint_points), bibs, without_reason)

    def starts(self) -> list[int]:
        return [start for _revision, starts in self.heats.values() for start in starts]


def right_or_wrong(*right: str) -> st.SearchStrategy[Any]:
    """A field's value: right, any text, or the field sent twice."""
    value = texts_or(*right)
    return mostly(st.sampled_from(right) if right else value, value, st.lists(value, min_size=2, max_size=2))


@st.composite
def pair_fields(draw: st.DrawFn, screen: Screen) -> dict[str, Any]:
    number = draw(st.sampled_from(sorted(screen.heats)))
    revision, starts = screen.heats[number]
    fields: dict[str, Any] = {
        "heat": draw(right_or_wrong(str(number), *map(str, screen.heats))),
        "revision": draw(right_or_wrong(str(revision), "", str(revision + 1))),
        "reason": draw(right_or_wrong("", "photo finish checked")),
    }
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        fields["action"] = draw(right_or_wrong("clear"))
    for start in starts:
        fields[f"time_{start}"] = draw(mostly(TIME_TEXT, TEXT, st.just("")))
        fields[f"status_{start}"] = draw(right_or_wrong(*ranking.STATUSES))
        fields[f"infraction_{start}"] = draw(mostly(st.just(""), right_or_wrong(*INFRACTIONS)))
    return fields


@st.composite
def status_fields(draw: st.DrawFn, screen: Screen) -> dict[str, Any]:
    return {
        "form": "status",
        "status": draw(right_or_wrong(*STATUSES)),
        "reason": draw(right_or_wrong("", "protest by NED about pair 4")),
        "next": draw(right_or_wrong("", "/admin/", "https://elsewhere.example/", "//elsewhere.example", "/\\x")),
    }


@st.composite
def reskate_fields(draw: st.DrawFn, screen: Screen) -> dict[str, Any]:
    return {
        "form": "reskate",
        "start": draw(mostly(st.sampled_from(screen.starts()).map(str), NUMBERISH)),
        "lane": draw(right_or_wrong("", "I", "O")),
        "reason": draw(right_or_wrong("impeded at the crossing", "")),
    }


@st.composite
def sprint_fields(draw: st.DrawFn, screen: Screen) -> dict[str, Any]:
    number = draw(st.integers(min_value=1, max_value=max(screen.sprints, 1)))
    order = st.lists(st.sampled_from(screen.bibs), max_size=4, unique=True).map(lambda bibs: " ".join(map(str, bibs)))
    prefix = f"sprint{draw(mostly(st.just(number), st.integers(min_value=0, max_value=20)))}-"
    fields = {
        "form": "sprint",
        "sprint": draw(mostly(st.just(str(number)), NUMBERISH)),
        prefix + "order": draw(mostly(order, TEXT)),
        prefix + "expected": draw(mostly(st.just(""), order, TEXT)),
        prefix + "reason": draw(right_or_wrong("", "photo finish checked")),
    }
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        fields["action"] = "clear"
    return fields


@st.composite
def posts(draw: st.DrawFn, screen: Screen) -> dict[str, Any]:
    """One form of the screen, sometimes with another form's name, and fields of no form at all."""
    forms = [pair_fields, status_fields, reskate_fields] + ([sprint_fields] if screen.sprints else [])
    fields = draw(draw(st.sampled_from(forms))(screen))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        fields["form"] = draw(right_or_wrong("heat", "status", "reskate", "sprint"))
    extra = st.dictionaries(
        st.one_of(SHORT_TEXT, st.sampled_from(screen.starts()).map(lambda start: f"time_{start}")), TEXT, max_size=3
    )
    return draw(mostly(st.just({}), extra)) | fields


def make_official_race(referee: User, **race: Any) -> Race:
    """A 500 m of three pairs, all entered (a DQ and a DNS among them), confirmed by the referee."""
    official = make_race(**race)
    for number, results in {
        1: {11: "38.50", 12: "DQ T07"},
        2: {21: "37.99", 22: "38.12"},
        3: {31: "DNS", 32: "38.22"},
    }.items():
        enter_heat(official, number, results)
    return services.race_status_set(race=official, status=Race.State.OFFICIAL, by=referee)


def last(data: dict[str, Any], name: str, default: str = "") -> str:
    """A field as the view reads it: the last value of a field sent twice."""
    value = data.get(name, default)
    return str(value[-1] if isinstance(value, list) else value)


@pytest.mark.django_db
def test_any_post_to_the_entry_screen_is_saved_or_refused_next_to_its_field():
    live = make_live_race()
    referee = make_user("rafa", REFEREE)
    official = make_official_race(referee, title="Men 500m Division A", gender="men")
    mass_start = make_mass_start()
    enter_sprint(mass_start, 1, "103 101 106")
    screens = [Screen.of(Race.objects.get(pk=race.pk)) for race in (live, official, mass_start)]
    clients = []
    for user in (make_user("tina", TIMING_OFFICIAL), referee):
        client = Client()
        client.force_login(user)
        clients.append(client)
    before = fingerprint()

    @st.composite
    def sent(draw: st.DrawFn) -> tuple[Client, Screen, dict[str, Any]]:
        screen = draw(st.sampled_from(screens))
        return draw(st.sampled_from(clients)), screen, draw(posts(screen))

    @given(post=sent())
    def example_post(post: tuple[Client, Screen, dict[str, Any]]) -> None:
        client, screen, data = post
        with checked_example(before) as refused:
            response = client.post(enter_url(screen.race), data)
            assert_no_server_error(response)
            if response.status_code == 302:
                tally("saved")
                return
            refused.append(True)
            tally(f"{response.status_code} refused")
            if response.status_code == 200:
                assert shows_an_error(response), "a refused post says why, next to its field or on top of its form"

    example_post()


def refused_page(client: Client, user: User, race: Race, data: dict[str, Any]) -> str:
    """The entry screen as it comes back to ``user`` from a refused post (saved posts redirect)."""
    client.force_login(user)
    response = client.post(enter_url(race), data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_reskate_refused_where_none_is_offered_says_why(client):
    """A re-skate posted from a page opened while the race ran, once the referee has confirmed it."""
    referee = make_user("rafa", REFEREE)
    race = make_official_race(referee)
    data = {"form": "reskate", "start": start_of(race, 12).pk, "lane": "", "reason": "impeded at the crossing"}
    message = ERROR_RESKATE_STATUS.format(race=race, status="official")

    assert html.escape(message) in refused_page(client, referee, race, data)


@pytest.mark.parametrize("garbled", ["pair", "sprint"])
@pytest.mark.django_db
def test_a_garbled_hidden_field_says_why(client, garbled):
    """The hidden field that says what the form was made from came back garbled (a page saved half, a proxy, a
    forgery): the page says so on top of the form, since a hidden field has no place for its own error."""
    if garbled == "pair":
        race = make_race()
        data = pair(race, 1, {11: "38.50", 12: "38.12"}) | {"revision": "\x00"}
        message = ERROR_REVISION.format(heat=1)
    else:
        race = make_mass_start()
        data = {"form": "sprint", "sprint": "1", "sprint1-order": "103 101", "sprint1-expected": ":"}
        message = ERROR_EXPECTED.format(sprint=1)

    assert html.escape(message) in refused_page(client, make_user("tina", TIMING_OFFICIAL), race, data)


@pytest.mark.django_db
def test_a_reason_refused_on_a_pair_without_results_says_why(client):
    """A reason the form refuses (a NUL, more than 300 characters) sent with a pair still to enter."""
    race = make_live_race()
    data = pair(race, 4, {41: "38.10", 42: "38.20"}, reason="\x00")

    assert ERROR_LIST.search(refused_page(client, make_user("tina", TIMING_OFFICIAL), race, data))
