"""Race day for officials: history of every change, corrections, concurrent edits, status and who may change
what, re-skates, records that stand once a race is official."""

import pytest
from django.core.exceptions import ValidationError

from results import policy, services
from results.models import Race, RaceStatusChange, Record, ResultChange
from results.roles import REFEREE, TIMING_OFFICIAL
from tests.support.factories import enter, enter_heat, heat_of, make_race, make_record, make_user, start_of
from tests.support.published import snapshot, version

pytestmark = pytest.mark.django_db

State = Race.State


def history(race):
    return [
        (c.kind, c.bib, c.old_status, c.old_time_ms, c.new_status, c.new_time_ms, c.reason, c.by and c.by.username)
        for c in ResultChange.objects.filter(race=race).order_by("at", "id")
    ]


def finish(race, by=None):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=by)
    enter_heat(race, 2, {21: "37.99", 22: "DQ T07"}, by=by)
    enter_heat(race, 3, {31: "38.22", 32: "DNS"}, by=by)


@pytest.fixture
def race():
    return make_race()


@pytest.fixture
def timing():
    return make_user("tina", TIMING_OFFICIAL)


@pytest.fixture
def referee():
    return make_user("rafa", REFEREE)


# --- history -----------------------------------------------------------------------------------------------------


def test_every_kind_of_change_leaves_a_history_row_with_who_when_old_new_and_why(race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)
    enter_heat(race, 1, {11: "38.05", 12: "38.12"}, by=timing, reason="photo finish checked")
    services.heat_results_clear(heat=heat_of(race, 1), by=timing, reason="wrong pair")
    enter_heat(race, 1, {11: "38.50", 12: "DNF"}, by=timing)
    services.start_remove(start=start_of(race, 12), by=timing, reason="skater withdrawn by her team")

    assert history(race) == [
        ("entered", 11, "", None, "OK", 38500, "", "tina"),
        ("entered", 12, "", None, "OK", 38120, "", "tina"),
        ("corrected", 11, "OK", 38500, "OK", 38050, "photo finish checked", "tina"),
        ("cleared", 11, "OK", 38050, "", None, "wrong pair", "tina"),
        ("cleared", 12, "OK", 38120, "", None, "wrong pair", "tina"),
        ("entered", 11, "", None, "OK", 38500, "", "tina"),
        ("entered", 12, "", None, "DNF", None, "", "tina"),
        ("removed", 12, "DNF", None, "", None, "skater withdrawn by her team", "tina"),
    ]
    rows = ResultChange.objects.filter(race=race)
    assert all(row.version for row in rows)  # each names the snapshot version that published it
    assert rows.get(kind="removed").start is None and rows.get(kind="removed").skater == "Bea BRAVO (USA)"


def test_a_correction_re_ranks_and_pushes_and_says_so_in_the_snapshot(race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)
    enter_heat(race, 2, {21: "37.99", 22: "38.70"}, by=timing)
    assert snapshot(race)["change"] == {"kind": "results", "heat": 2, "bibs": [21, 22]}
    before = version(race)

    enter_heat(race, 1, {11: "37.80", 12: "38.12"}, by=timing)  # pair 1's inner time was mistyped

    document = snapshot(race)
    assert version(race) == before + 1
    assert document["change"] == {"kind": "correction", "heat": 1, "bibs": [11]}
    assert [row["bib"] for row in document["standings"]] == [11, 21, 12, 22]


def test_saving_the_same_results_again_changes_and_pushes_nothing(race):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    before = (version(race), ResultChange.objects.count(), heat_of(race, 1).revision)
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    assert (version(race), ResultChange.objects.count(), heat_of(race, 1).revision) == before


def test_clearing_every_result_takes_the_race_back_to_its_start_list_with_history(race):
    finish(race)
    services.race_results_clear(race=race)
    assert Race.objects.get(pk=race.pk).status == State.START_LIST
    assert snapshot(race)["standings"] == []
    assert ResultChange.objects.filter(race=race, kind="cleared").count() == 6


# --- two officials at once ---------------------------------------------------------------------------------------


def test_the_second_of_two_officials_saving_the_same_pair_is_refused_with_what_the_first_saved(race, timing):
    other = make_user("otto", TIMING_OFFICIAL)
    opened_at = heat_of(race, 1).revision  # both opened the entry screen with this revision
    services.heat_results_record(
        heat=heat_of(race, 1),
        results=enter(race, 1, {11: "38.50", 12: "38.12"}),
        by=timing,
        expected_revision=opened_at,
    )
    saved = (version(race), list(ResultChange.objects.values_list("id", flat=True)))

    with pytest.raises(services.HeatChangedMeanwhile) as refused:
        services.heat_results_record(
            heat=heat_of(race, 1),
            results=enter(race, 1, {11: "38.55", 12: "DNF"}),
            by=other,
            expected_revision=opened_at,
        )

    message = refused.value.heat_errors[0]
    assert message.startswith("Pair 1 was saved by tina at ")
    assert "Anna ALPHA 38.50; Bea BRAVO 38.12. Nothing of yours was saved" in message
    assert refused.value.revision == heat_of(race, 1).revision
    assert (version(race), list(ResultChange.objects.values_list("id", flat=True))) == saved
    assert start_of(race, 11).time_ms == 38500
    # Having seen theirs, the second official saves on top of it knowingly.
    services.heat_results_record(
        heat=heat_of(race, 1),
        results=enter(race, 1, {11: "38.55", 12: "38.12"}),
        by=other,
        expected_revision=refused.value.revision,
    )
    assert start_of(race, 11).time_ms == 38550


# --- status and who may do what ----------------------------------------------------------------------------------


def test_status_follows_the_results_until_a_referee_confirms(race, timing, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)
    assert Race.objects.get(pk=race.pk).status == State.LIVE
    enter_heat(race, 2, {21: "37.99", 22: "DQ T07"}, by=timing)
    enter_heat(race, 3, {31: "38.22", 32: "DNS"}, by=timing)
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL
    assert all(row["medal"] is None for row in snapshot(race)["standings"])

    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)

    document = snapshot(race)
    assert document["race"]["status"] == "OFFICIAL" and document["change"]["kind"] == "status"
    assert [row["medal"] for row in document["standings"][:4]] == ["gold", "silver", "bronze", None]
    assert list(
        RaceStatusChange.objects.filter(race=race)
        .order_by("at", "id")
        .values_list("old_status", "new_status", "by__username")
    ) == [
        ("START_LIST", "LIVE", "tina"),
        ("LIVE", "UNOFFICIAL", "tina"),
        ("UNOFFICIAL", "OFFICIAL", "rafa"),
    ]


def test_only_a_referee_confirms_protests_or_reopens(race, timing):
    finish(race)
    for status in (State.OFFICIAL, State.PROTESTED):
        with pytest.raises(ValidationError) as refused:
            services.race_status_set(race=race, status=status, by=timing, reason="because")
        assert refused.value.messages == [policy.ERROR_NOT_REFEREE]
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL


def test_a_race_with_a_pair_still_to_skate_cannot_be_made_official(race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    with pytest.raises(ValidationError) as refused:
        services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    # While a pair is to come the race is live, and LIVE -> OFFICIAL is not a referee's transition.
    assert refused.value.messages == ["A race that is live cannot become official."]


def test_protest_and_reopen_need_a_reason(race, referee):
    finish(race)
    with pytest.raises(ValidationError, match="Give a reason to put under review"):
        services.race_status_set(race=race, status=State.PROTESTED, by=referee)
    services.race_status_set(race=race, status=State.PROTESTED, by=referee, reason="Protest by NED: pair 2")
    assert snapshot(race)["race"]["status"] == "PROTESTED"
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    with pytest.raises(ValidationError, match="Give a reason to reopen"):
        services.race_status_set(race=race, status=State.UNOFFICIAL, by=referee)
    services.race_status_set(race=race, status=State.UNOFFICIAL, by=referee, reason="timing fault found")
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL


def test_an_official_race_is_the_referees_and_every_change_to_it_carries_a_reason(race, timing, referee):
    finish(race)
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    correction = enter(race, 1, {11: "38.40", 12: "38.12"})

    with pytest.raises(services.HeatResultsInvalid) as refused:
        services.heat_results_record(heat=heat_of(race, 1), results=correction, by=timing, reason="typo")
    assert refused.value.heat_errors == [policy.ERROR_REFEREE_ONLY.format(race=race, status="official")]
    with pytest.raises(services.HeatResultsInvalid) as refused:
        services.heat_results_record(heat=heat_of(race, 1), results=correction, by=referee)
    assert refused.value.heat_errors == [policy.ERROR_REASON_REQUIRED.format(race=race, status="official")]
    with pytest.raises(services.HeatResultsInvalid):
        services.heat_results_record(heat=heat_of(race, 1), results=correction)  # a timing system

    services.heat_results_record(heat=heat_of(race, 1), results=correction, by=referee, reason="video review")
    assert Race.objects.get(pk=race.pk).status == State.OFFICIAL
    assert ResultChange.objects.filter(race=race, kind="corrected").get().reason == "video review"


def test_nobody_outside_the_officials_groups_can_enter_results(race):
    spectator = make_user("sam")
    with pytest.raises(services.HeatResultsInvalid) as refused:
        enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=spectator)
    assert refused.value.heat_errors == [policy.ERROR_NOT_AN_OFFICIAL]


# --- re-skates -----------------------------------------------------------------------------------------------------


def test_a_re_skate_adds_a_late_pair_and_the_better_valid_time_counts(race, timing, referee):
    finish(race)
    before = snapshot(race)
    impeded = start_of(race, 12)  # Bea BRAVO, 38.12 in pair 1
    reskate = services.reskate_add(start=impeded, lane="I", by=referee)

    assert (reskate.heat.number, reskate.heat.is_reskate, reskate.bib) == (4, True, 12)
    assert Race.objects.get(pk=race.pk).status == State.LIVE
    [late] = snapshot(race)["next_heats"]
    assert (late["heat"], late["skaters"]) == (
        4,
        [{"bib": 12, "skater": impeded.skater_id, "name": "Bea BRAVO", "nation": "USA", "lane": "I"}],
    )
    assert snapshot(race)["standings"] == before["standings"]  # her first time stands until she skates again

    services.heat_results_record(heat=reskate.heat, results=[services.StartResult(reskate.pk, "OK", 37950)], by=timing)
    rows = snapshot(race)["standings"]
    assert [(r["bib"], r["heat"], r["time"]) for r in rows[:2]] == [(12, 4, "37.95"), (21, 2, "37.99")]
    assert len(rows) == len(before["standings"])
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL
    with pytest.raises(ValidationError, match="already has a re-skate in pair 4"):
        services.reskate_add(start=impeded, lane="O", by=referee)


# --- records -------------------------------------------------------------------------------------------------------


def test_records_set_in_a_race_stand_once_it_is_official_and_not_after_it_is_reopened(race, referee):
    make_record("WR", "38.00", holder="Old HOLDER", nation="NED")
    later = make_race(race.competition, title="Women 500m Division A, race 2", draw=[(1, "I", 1, "X X", "NED")])
    finish(race)  # Cleo CHARLIE 37.99 beats 38.00
    assert snapshot(race)["standings"][0]["records"] == ["WR"]

    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    record = Record.objects.get(set_in_race=race)
    assert (record.kind, record.time_ms, record.holder) == ("WR", 37990, "Cleo CHARLIE")
    assert snapshot(later)["standing_records"][0]["holder"] == "Cleo CHARLIE"
    assert snapshot(race)["standings"][0]["records"] == ["WR"]  # its own record does not count against it

    services.race_status_set(race=race, status=State.UNOFFICIAL, by=referee, reason="timing fault")
    assert not Record.objects.filter(set_in_race=race).exists()
    assert snapshot(later)["standing_records"][0]["holder"] == "Old HOLDER"


def test_a_re_skate_granted_under_review_must_be_skated_before_the_race_is_confirmed(race, referee):
    finish(race)
    services.race_status_set(race=race, status=State.PROTESTED, by=referee, reason="Protest: pair 1 obstruction")
    services.reskate_add(start=start_of(race, 11), lane="I", by=referee, reason="impeded at the crossing")
    assert Race.objects.get(pk=race.pk).status == State.PROTESTED  # under review until the referee decides
    with pytest.raises(ValidationError) as refused:
        services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    assert refused.value.messages == [f"{race} cannot be made official: pair 4 still has no result."]


# --- taking a pair out ---------------------------------------------------------------------------------------------


def test_a_pair_with_results_is_kept_until_it_is_cleared(race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)
    with pytest.raises(ValidationError) as refused:
        services.heat_remove(heat=heat_of(race, 1), by=timing)
    assert refused.value.messages == [services.ERROR_HEAT_HAS_RESULTS.format(heat=1, race=race)]

    services.heat_results_clear(heat=heat_of(race, 1), by=timing, reason="entered on the wrong race")
    before = version(race)
    services.heat_remove(heat=heat_of(race, 1), by=timing)
    assert not race.heats.filter(number=1).exists()
    assert version(race) == before + 1
    assert ResultChange.objects.filter(race=race, kind="cleared").count() == 2  # the history stays


def test_taking_out_the_last_pair_still_to_skate_makes_the_race_unofficial(race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)
    enter_heat(race, 2, {21: "37.99", 22: "DQ T07"}, by=timing)
    services.heat_remove(heat=heat_of(race, 3), by=timing)
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL
    assert snapshot(race)["change"] == {"kind": "start_list", "heat": 3, "bibs": [31, 32]}
