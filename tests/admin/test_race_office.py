"""The admin's first page is the race office (docs/officials.md, "The race office"): today's competition, every race
in programme order with its status and pairs entered, one button per race to its entry screen, the race being
skated first; Django's model lists below. What each role sees of it."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from results import services
from results.models import Race
from results.roles import COMMENTATOR, REFEREE, TIMING_OFFICIAL
from results.selectors.race_office import office_competition, race_office
from tests.support.admin_pages import page_text
from tests.support.factories import enter_heat, make_competition, make_race, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2025, 12, 6)  # the second day of make_competition's 5-7 December


@pytest.fixture
def day(monkeypatch):
    """A competition on today's date: a 500 m with a pair in (live), a 1000 m still at its start list, a 1500 m
    confirmed official, in programme order 2, 1, 3."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    competition = make_competition("World Cup Heerenveen")
    thousand = make_race(competition, title="Women 1000m Division A", distance=1000)
    five = make_race(competition, title="Women 500m Division A")
    fifteen = make_race(competition, title="Women 1500m Division A", distance=1500)
    for order, race in enumerate((thousand, five, fifteen), start=1):
        Race.objects.filter(pk=race.pk).update(order=order)
    enter_heat(five, 1, {11: "38.12", 12: "38.50"})
    for heat in (1, 2, 3):
        enter_heat(fifteen, heat, {heat * 10 + 1: "1:56.10", heat * 10 + 2: "1:57.20"})
    services.race_status_set(race=fifteen, status=Race.State.OFFICIAL, by=make_user("chief", REFEREE))
    return competition, thousand, five, fifteen


def words(html: str) -> str:
    """What a reader sees of some HTML: its text, one space between words."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def office_rows(response) -> list[str]:
    html = response.content.decode()
    body = html[html.index('<table class="race-office__races">') : html.index("</table>")]
    return [words("<tr" + row) for row in body.split("<tr")[2:]]


def test_a_timing_official_lands_on_todays_races_with_the_live_one_first(client, day):
    _competition, _thousand, five, _fifteen = day
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    response = client.get(reverse("admin:index"))

    text = page_text(response)
    assert "Skating Live · race office" in text and "Today" in text and "World Cup Heerenveen" in text
    now = f'href="{reverse("admin:results_race_enter_results", args=[five.pk])}"'
    assert f'class="race-office__now" {now}' in response.content.decode()  # the live race, one click away
    assert "Live now Women 500m Division A Enter results →" in words(text)
    assert office_rows(response) == [
        "1 Women 1000m Division A Start list 0 of 3 Enter results Board ↗",
        "2 Women 500m Division A Live 1 of 3 Enter results Board ↗",
        "3 Women 1500m Division A Official 3 of 3 Enter results Board ↗",
    ]
    assert "Competitions" in text and "Races" in text  # the model lists below, for the rest


def test_with_nobody_on_the_ice_the_next_race_to_skate_is_the_button(client, day):
    _competition, thousand, five, _fifteen = day
    services.race_results_clear(race=five)
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    html = client.get(reverse("admin:index")).content.decode()
    assert f'class="race-office__now" href="{reverse("admin:results_race_enter_results", args=[thousand.pk])}"' in html
    assert "Up next" in html


def test_a_commentator_finds_their_screen_and_no_entry_buttons(client, day):
    competition = day[0]
    user = make_user("cora", COMMENTATOR)
    user.is_staff = True
    user.save()
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("results:commentator", args=[competition.pk]) in html
    assert "Enter results" not in html


def test_a_staff_account_without_a_role_sees_no_race_office(client, day):
    user = make_user("stan")
    user.is_staff = True
    user.save()
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "race-office__races" not in html and "Enter results" not in html


def test_between_competitions_the_office_shows_the_next_then_the_last():
    assert office_competition(TODAY) == (None, "last")
    assert race_office(TODAY).races == []
    past = make_competition("Past Cup")
    assert office_competition(date(2026, 1, 10)) == (past, "last")
    assert office_competition(date(2025, 11, 1)) == (past, "next")
