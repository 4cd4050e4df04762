"""The official record through the plain admin forms, as an attacker with a timing official's account and a
referee in a hurry would try it: every form that can touch a race's standings (a start, a pair with its skaters,
the race, a skater, a record, a classification) refuses a timing official on an official race and leaves the
published board alone; a referee's change needs a reason, is kept in the race's history and shows on the board as
a correction; and a start that has a result keeps its skater and its race, whoever asks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from results import services
from results.models import Classification, Race, Skater, StandingsEdit, Start
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules.classification import SPRINT
from results.services.classifications import classification_create
from results.services.lineup import ERROR_RESULT_KEEPS_SKATER, ERROR_RESULT_STAYS_IN_RACE
from results.services.races import ERROR_DELETE_WITH_RESULTS
from tests.support.admin_pages import GIVE_A_REASON, ONLY_A_REFEREE, change_form_data, page_text, standings
from tests.support.factories import enter_heat, heat_of, make_race, make_record, make_user, start_of
from tests.support.published import version

pytestmark = pytest.mark.django_db


@pytest.fixture
def official() -> Race:
    """Women 500 m, three pairs skated and confirmed by a referee: (11 I, 12 O), (21 I, 22 O), (31 I, 32 O)."""
    race = make_race()
    enter_heat(race, 1, {11: "38.12", 12: "38.50"})
    enter_heat(race, 2, {21: "37.90", 22: "38.01"})
    enter_heat(race, 3, {31: "39.00", 32: "DNF"})
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("chief", REFEREE))
    return race


@pytest.fixture
def timing(client):
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    return client


@pytest.fixture
def referee(client):
    client.force_login(make_user("rafa", REFEREE))
    return client


def change(client, url: str, **changes: str):
    """POST the change page back as a browser would, with ``changes`` typed over what it showed."""
    return client.post(url, change_form_data(client.get(url)) | changes)


def start_url(start: Start) -> str:
    return reverse("admin:results_start_change", args=[start.pk])


def heat_url(race: Race, number: int) -> str:
    return reverse("admin:results_heat_change", args=[heat_of(race, number).pk])


def inline_field(client, url: str, bib: int, field: str) -> str:
    """The name of ``field`` in the pair page's row of ``bib`` (``starts-0-lane``)."""
    data = change_form_data(client.get(url))
    prefix = next(name.removesuffix("-bib") for name, value in data.items() if name.endswith("-bib") and value == bib)
    return f"{prefix}-{field}"


class Board:
    """What spectators are shown of a race, before and after an attempt."""

    def __init__(self, client, race: Race) -> None:
        self.client, self.race = client, race
        self.before = standings(client, race)

    @property
    def now(self) -> dict:
        return standings(self.client, self.race)

    def unchanged(self) -> bool:
        return self.now == self.before

    def corrected(self, *bibs: int) -> bool:
        now = self.now
        return (
            now["version"] == self.before["version"] + 1
            and now["change"]["kind"] == "correction"
            and set(bibs) <= set(now["change"]["bibs"])
        )


def edits(race: Race) -> list[tuple[str, str, str, str, str]]:
    return [(e.subject, e.old, e.new, e.reason, e.by.username if e.by else "") for e in race.edits.order_by("id")]


# --- a start -----------------------------------------------------------------------------------------------------


def test_a_timing_official_cannot_change_a_start_of_an_official_race(timing, official):
    board = Board(timing, official)
    response = change(timing, start_url(start_of(official, 11)), bib="111")

    assert response.status_code == 200
    assert ONLY_A_REFEREE in page_text(response)
    assert start_of(official, 11).bib == 11 and board.unchanged() and not official.edits.exists()


def test_a_referee_changes_a_bib_with_a_reason_kept_in_the_history_and_shown_as_a_correction(referee, official):
    board = Board(referee, official)
    url = start_url(start_of(official, 11))

    refused = change(referee, url, bib="111")
    assert refused.status_code == 200
    assert GIVE_A_REASON in page_text(refused) and board.unchanged()

    response = change(referee, url, bib="111", reason="bib misread by the starter")
    assert response.status_code == 302
    assert board.corrected(111)
    assert edits(official) == [
        ("pair 1, bib 111 Anna ALPHA: bib", "11", "111", "bib misread by the starter", "rafa"),
    ]
    assert official.edits.get().version == board.now["version"]
    history = page_text(referee.get(reverse("admin:results_race_results_history", args=[official.pk])))
    assert "pair 1, bib 111 Anna ALPHA: bib" in history and "bib misread by the starter" in history


def test_a_start_with_a_time_keeps_its_skater_whoever_asks(admin_client, official):
    board = Board(admin_client, official)
    other = Skater.objects.create(name="Zoe ZULU", nation="NZL")

    response = change(admin_client, start_url(start_of(official, 11)), skater=str(other.pk), reason="swap")

    assert response.status_code == 200
    text = page_text(response)
    assert ERROR_RESULT_KEEPS_SKATER.format(skater="Anna ALPHA (NED)", heat=1, race=official) in text
    assert start_of(official, 11).skater.name == "Anna ALPHA" and board.unchanged()


def test_a_start_with_a_time_does_not_move_to_another_race(admin_client, official):
    other = make_race(official.competition, title="Women 500m Division B", draw=[(1, "I", 61, "Gia GOLF", "ITA")])
    boards = Board(admin_client, official), Board(admin_client, other)

    response = change(
        admin_client, start_url(start_of(official, 11)), heat=str(heat_of(other, 1).pk), lane="O", reason="moved"
    )

    assert response.status_code == 200
    text = page_text(response)
    assert ERROR_RESULT_STAYS_IN_RACE.format(skater="Anna ALPHA (NED)", heat=1, race=official) in text
    assert start_of(official, 11).heat.race_id == official.pk and all(board.unchanged() for board in boards)


def test_a_timing_official_cannot_add_a_skater_to_an_official_race(timing, official):
    board = Board(timing, official)
    new = Skater.objects.create(name="Zoe ZULU", nation="NZL")

    response = timing.post(
        reverse("admin:results_start_add"),
        {"heat": str(heat_of(official, 3).pk), "lane": "I", "bib": "99", "skater": str(new.pk)},
    )

    assert response.status_code == 200
    assert not Start.objects.filter(bib=99).exists() and board.unchanged()


# --- a pair with its skaters -------------------------------------------------------------------------------------


def test_a_timing_official_cannot_change_a_pair_of_an_official_race(timing, official):
    board = Board(timing, official)
    url = heat_url(official, 1)

    response = change(
        timing, url, **{inline_field(timing, url, 11, "lane"): "O", inline_field(timing, url, 12, "lane"): "I"}
    )

    assert response.status_code == 200
    assert ONLY_A_REFEREE in page_text(response)
    assert (start_of(official, 11).lane, start_of(official, 12).lane) == ("I", "O") and board.unchanged()


def test_a_referee_swaps_lanes_in_a_pair_with_a_reason(referee, official):
    board = Board(referee, official)
    url = heat_url(official, 1)
    lanes = {inline_field(referee, url, 11, "lane"): "O", inline_field(referee, url, 12, "lane"): "I"}

    refused = change(referee, url, **lanes)
    assert refused.status_code == 200 and GIVE_A_REASON in page_text(refused) and board.unchanged()

    response = change(referee, url, **lanes, reason="lanes swapped on the draw sheet")
    assert response.status_code == 302
    assert (start_of(official, 11).lane, start_of(official, 12).lane) == ("O", "I")
    assert board.corrected(11, 12)
    assert [(subject, old, new) for subject, old, new, *_ in edits(official)] == [
        ("pair 1, bib 11 Anna ALPHA: lane", "I", "O"),
        ("pair 1, bib 12 Bea BRAVO: lane", "O", "I"),
    ]


def test_a_pair_with_times_does_not_move_to_another_race(admin_client, official):
    other = make_race(official.competition, title="Women 500m Division B", draw=[(1, "I", 61, "Gia GOLF", "ITA")])

    response = change(admin_client, heat_url(official, 3), race=str(other.pk), number="2", reason="moved")

    assert response.status_code == 200
    assert "it cannot move to another race" in page_text(response)
    assert heat_of(official, 3).race_id == official.pk


# --- the race ----------------------------------------------------------------------------------------------------


def test_a_timing_official_cannot_change_an_official_race_at_all(timing, official):
    board = Board(timing, official)
    url = reverse("admin:results_race_change", args=[official.pk])

    response = timing.post(url, {"distance": "1000"})

    assert response.status_code == 403
    assert Race.objects.get(pk=official.pk).distance == 500 and board.unchanged()


def test_a_referee_changes_an_official_races_points_with_a_reason_for_every_skater(referee, official):
    board = Board(referee, official)
    url = reverse("admin:results_race_change", args=[official.pk])

    refused = change(referee, url, points_table="[5, 4, 3, 2, 1]")
    assert refused.status_code == 200 and GIVE_A_REASON in page_text(refused) and board.unchanged()

    response = change(referee, url, points_table="[5, 4, 3, 2, 1]", reason="Division B table applies")
    assert response.status_code == 302
    assert board.corrected(11, 12, 21, 22, 31, 32)
    assert board.now["standings"][0]["points"] == 5
    [(subject, _old, new, reason, by)] = edits(official)
    assert (subject, new, reason, by) == ("points table", "[5, 4, 3, 2, 1]", "Division B table applies", "rafa")


def test_a_race_with_results_is_not_deleted(admin_client, official):
    url = reverse("admin:results_race_delete", args=[official.pk])
    # Its history would go with it, and nobody may delete history: the admin says so, and refuses.
    assert "result change" in page_text(admin_client.get(url))
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    # The service refuses too, whoever calls it.
    with pytest.raises(services.EditRefused) as refused:
        services.race_delete(race=official, by=None)
    assert refused.value.messages == [ERROR_DELETE_WITH_RESULTS.format(race=official)]
    assert Race.objects.filter(pk=official.pk).exists()


# --- a skater ----------------------------------------------------------------------------------------------------


def test_a_skaters_name_in_an_official_race_is_the_referees_to_correct(client, official):
    skater = start_of(official, 21).skater
    url = reverse("admin:results_skater_change", args=[skater.pk])
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    board = Board(client, official)

    refused = change(client, url, name="Cleo CHARLY")
    assert refused.status_code == 200 and ONLY_A_REFEREE in page_text(refused) and board.unchanged()

    client.force_login(make_user("rafa", REFEREE))
    response = change(client, url, name="Cleo CHARLY", reason="spelling from the accreditation")
    assert response.status_code == 302
    assert board.corrected(21)
    assert board.now["standings"][0]["name"] == "Cleo CHARLY"
    assert edits(official)[0][:3] == ("pair 2, bib 21 Cleo CHARLIE: skater's name", "Cleo CHARLIE", "Cleo CHARLY")


# --- a record ----------------------------------------------------------------------------------------------------


def test_records_are_not_a_timing_officials(timing, official):
    response = timing.post(reverse("admin:results_record_add"), {"kind": "WR", "gender": "women", "distance": "500"})
    assert response.status_code == 403


def test_a_record_that_stood_for_an_official_race_changes_only_with_a_reason(admin_client, official):
    standing = make_record("WR", "36.36")  # set long before the race: it stood for it
    board = Board(admin_client, official)
    url = reverse("admin:results_record_change", args=[standing.pk])

    refused = change(admin_client, url, time="36.26")
    assert refused.status_code == 200 and GIVE_A_REASON in page_text(refused) and board.unchanged()

    response = change(admin_client, url, time="36.26", reason="ratified time")
    assert response.status_code == 302
    assert board.corrected(11, 12, 21, 22, 31)
    [(subject, old, new, _reason, _by)] = edits(official)
    assert subject == "World record, women 500 m (measured against)" and (old[:5], new[:5]) == ("36.36", "36.26")


# --- a classification --------------------------------------------------------------------------------------------


def test_a_classification_over_an_official_race_changes_only_with_a_reason(admin_client, official):
    later = make_race(
        official.competition, title="Women 1000m", distance=1000, draw=[(1, "I", 11, "Anna ALPHA", "NED")]
    )
    sprint = classification_create(
        competition=official.competition, name="Sprint", gender="women", kind=SPRINT, races=[official]
    )
    url = reverse("admin:results_classification_change", args=[sprint.pk])
    data = change_form_data(admin_client.get(url))
    legs = {"legs-1-position": "2", "legs-1-race": str(later.pk)}
    versions = version(official)

    refused = admin_client.post(url, data | legs)
    assert refused.status_code == 200 and GIVE_A_REASON in page_text(refused)
    assert list(sprint.legs.values_list("race", flat=True)) == [official.pk]

    response = admin_client.post(url, data | legs | {"reason": "second distance drawn"})
    assert response.status_code == 302
    assert list(Classification.objects.get(pk=sprint.pk).legs.values_list("race", flat=True)) == [official.pk, later.pk]
    edit = StandingsEdit.objects.get(classification=sprint)
    assert (edit.subject, edit.reason) == ("distances", "second distance drawn")
    assert version(official) == versions  # the race itself did not change


def test_every_model_admin_of_the_app_writes_through_a_service_or_only_reads():
    from django.contrib import admin

    from results.admin.base import ServiceAdmin
    from results.admin.history import HistoryAdmin

    of_the_app = {
        model.__name__: type(model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "results"
    }
    assert len(of_the_app) == 16  # the rest (snapshots, passages, sprint placings, legs) only services write
    assert {name for name, kind in of_the_app.items() if not issubclass(kind, ServiceAdmin | HistoryAdmin)} == set()


# --- points by decision ------------------------------------------------------------------------------------------


def test_points_by_decision_are_a_referees_with_a_reason(client, official):
    """A fall ranked after the finishers and paid, as a jury may decide (docs/rules.md, "Points and medals")."""
    fallen = start_of(official, 32)
    url = start_url(fallen)
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    board = Board(client, official)
    refused = change(client, url, points_awarded="21")
    assert refused.status_code == 200 and ONLY_A_REFEREE in page_text(refused)
    assert start_of(official, 32).points_awarded is None and board.unchanged()

    client.force_login(make_user("rafa", REFEREE))
    refused = change(client, url, points_awarded="21")
    assert GIVE_A_REASON in page_text(refused) and board.unchanged()

    response = change(client, url, points_awarded="21", reason="jury: fall caused by the other lane")
    assert response.status_code == 302 and board.corrected(32)
    row = next(row for row in board.now["standings"] if row["bib"] == 32)
    assert (row["status"], row["rank"], row["points"]) == ("DNF", None, 21)
    assert edits(official) == [
        ("pair 3, bib 32 Fay FOXTROT: points by decision", "— (the table's)", "21",
         "jury: fall caused by the other lane", "rafa"),
    ]  # fmt: skip


def test_in_a_live_race_too_points_by_decision_need_a_referee_and_a_reason(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.12", 12: "DNF"})
    url = start_url(start_of(race, 12))
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    board = Board(client, race)
    refused = change(client, url, points_awarded="20", reason="fell")
    assert "Only a referee can award points by decision." in page_text(refused)
    client.force_login(make_user("rafa", REFEREE))
    refused = change(client, url, points_awarded="20")
    assert "Points by decision need a reason" in page_text(refused)
    assert start_of(race, 12).points_awarded is None and board.unchanged()
