"""Skaters who withdrew before the draw, kept by officials in the admin: listed on the race's page, added, changed
and taken out on their own page through the service, with the results policy of the race (a referee and a reason
once it is official) and the history; shown on the board after everyone who had a pair."""

from __future__ import annotations

import pytest
from django.urls import reverse

from results import services
from results.models import ERROR_BIB_TWICE, ERROR_DRAWN, Race, Skater, Withdrawal
from results.roles import REFEREE, TIMING_OFFICIAL
from tests.support.admin_pages import GIVE_A_REASON, ONLY_A_REFEREE, change_form_data, page_text, standings
from tests.support.factories import enter_heat, make_race, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:results_withdrawal_add")


@pytest.fixture
def race() -> Race:
    """Women 500 m, pair 1 skated (11 I, 12 O), pairs 2 and 3 to skate."""
    race = make_race()
    enter_heat(race, 1, {11: "38.12", 12: "DQ T07"})
    return race


@pytest.fixture
def skater() -> Skater:
    return Skater.objects.create(name="Olga OMEGA", nation="NOR")


def login(client, role: str):
    client.force_login(make_user(role.split()[0].lower(), role))
    return client


def add(client, race: Race, skater: Skater, bib: int, reason: str = ""):
    return client.post(ADD, {"race": race.pk, "skater": skater.pk, "bib": bib, "reason": reason})


def test_a_timing_official_adds_a_withdrawal_shown_after_every_skater_with_a_pair(client, race, skater):
    login(client, TIMING_OFFICIAL)
    before = standings(client, race)["version"]

    response = add(client, race, skater, 99)

    assert response.status_code == 302
    board = standings(client, race)
    assert board["version"] == before + 1
    assert [(row["bib"], row["status"], row["heat"], row["points"]) for row in board["standings"]] == [
        (11, "OK", 1, 60),
        (12, "DQ", 1, None),
        (99, "WDR", None, None),
    ]
    assert board["change"]["kind"] == "correction" and board["change"]["bibs"] == [99]
    page = page_text(client.get(reverse("admin:results_race_change", args=[race.pk])))
    assert "Withdrawals before the draw" in page and "Olga OMEGA (NOR)" in page


def test_a_withdrawal_needs_a_bib_of_its_own_and_a_skater_not_in_a_pair(client, race, skater):
    login(client, TIMING_OFFICIAL)
    anna = race.heats.get(number=1).starts.get(bib=11).skater

    worn = add(client, race, skater, 21)
    drawn = add(client, race, anna, 98)

    assert ERROR_BIB_TWICE.format(bib=21, skater="Cleo CHARLIE (JPN)") in page_text(worn)
    assert ERROR_DRAWN.format(skater="Anna ALPHA (NED)", heat=1) in page_text(drawn)
    assert not Withdrawal.objects.exists()


def test_on_an_official_race_only_a_referee_with_a_reason_adds_or_takes_one_out(client, race, skater):
    enter_heat(race, 2, {21: "37.90", 22: "38.01"})
    enter_heat(race, 3, {31: "39.00", 32: "DNF"})
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("chief", REFEREE))
    login(client, TIMING_OFFICIAL)
    assert ONLY_A_REFEREE in page_text(add(client, race, skater, 99))

    login(client, REFEREE)
    assert GIVE_A_REASON in page_text(add(client, race, skater, 99))
    assert not Withdrawal.objects.exists()
    assert add(client, race, skater, 99, reason="withdrawal sheet found").status_code == 302

    withdrawal = Withdrawal.objects.get()
    delete_url = reverse("admin:results_withdrawal_delete", args=[withdrawal.pk])
    assert client.post(delete_url, {"post": "yes", "reason": "entered in the wrong race"}).status_code == 302
    assert not Withdrawal.objects.exists()
    history = [(e.subject, e.old, e.new, e.reason) for e in race.edits.order_by("id")]
    assert history == [
        ("withdrew before the draw", "—", "99 Olga OMEGA (NOR)", "withdrawal sheet found"),
        ("withdrew before the draw", "99 Olga OMEGA (NOR)", "—", "entered in the wrong race"),
    ]


def test_a_changed_bib_is_kept_in_the_history(client, race, skater):
    login(client, TIMING_OFFICIAL)
    add(client, race, skater, 99)
    url = reverse("admin:results_withdrawal_change", args=[Withdrawal.objects.get().pk])

    response = client.post(url, change_form_data(client.get(url)) | {"bib": "97"})

    assert response.status_code == 302
    assert [(e.old, e.new) for e in race.edits.order_by("id")][-1] == ("99 Olga OMEGA (NOR)", "97 Olga OMEGA (NOR)")
    assert [row["bib"] for row in standings(client, race)["standings"]][-1] == 97
