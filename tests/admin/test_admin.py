"""The officials' side: the results entry screen and the plain admin, as an official would notice them."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from results import policy
from results.live.broadcast import SNAPSHOT_EVENT
from results.models import (
    ERROR_BIB_TWICE,
    ERROR_HEAT_FULL,
    ERROR_LANE_FULL,
    ERROR_SKATER_TWICE,
    Heat,
    Race,
    Record,
    Skater,
    StandingsEdit,
    Status,
)
from results.rules.points_tables import WORLD_CUP_B
from results.rules.times import TIME_FORMAT_ERROR
from results.services import (
    ERROR_INFRACTION_NOT_ALLOWED,
    ERROR_STATUS_REQUIRED,
    ERROR_TIME_NOT_ALLOWED,
    ERROR_TIME_REQUIRED,
)
from results.topics import race_topic
from tests.support.admin_pages import change_form_data, enter_url, heat_form_html, input_value, page_text, standings
from tests.support.factories import (
    enter_heat,
    heat_of,
    make_competition,
    make_official,
    make_race,
    make_record,
    start_of,
)
from tests.support.published import version

pytestmark = pytest.mark.django_db


# --- helpers -----------------------------------------------------------------------------------------------------


def pair(race: Race, number: int, entries: dict[int, tuple[str, str, str]], reason: str = "") -> dict[str, str]:
    """The POST of one pair's form, by bib: ``{11: ("38.12", "OK", "")}``, made from the heat as it is now."""
    data = {"heat": str(number), "revision": str(heat_of(race, number).revision), "reason": reason}
    for bib, (typed, status, infraction) in entries.items():
        start_id = start_of(race, bib).pk
        data |= {f"time_{start_id}": typed, f"status_{start_id}": status, f"infraction_{start_id}": infraction}
    return data


def rows_by_bib(client, race: Race) -> dict[int, dict[str, Any]]:
    return {row["bib"]: row for row in standings(client, race)["standings"]}


def tag_with_id(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no field {element_id}"
    return match.group(0)


@pytest.fixture
def race() -> Race:
    """Women 500 m, three pairs: (11 I, 12 O), (21 I, 22 O), (31 I, 32 O)."""
    return make_race()


# --- the entry screen --------------------------------------------------------------------------------------------


def test_the_screen_lists_every_pair_in_order_with_its_skaters(admin_client, race):
    response = admin_client.get(enter_url(race))

    assert response.status_code == 200
    html = page_text(response)
    positions = [html.index(f'<form id="heat-{n}"') for n in (1, 2, 3)]
    assert positions == sorted(positions)
    first = heat_form_html(response, 1)
    assert "Anna ALPHA" in first and "Bea BRAVO" in first and "Cleo CHARLIE" not in first
    assert first.index("Anna ALPHA") < first.index("Bea BRAVO")  # inner lane first
    assert ">Save pair 1</button>" in first
    assert f'href="/races/{race.pk}/"' in html and f'href="/api/races/{race.pk}/standings"' in html
    assert "Start list" in html  # the race's status


def test_saving_pairs_stores_the_times_and_reranks_the_standings(admin_client, race):
    response = admin_client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", ""), 12: ("38.12", "OK", "")}))
    assert response.status_code == 302
    response = admin_client.post(enter_url(race), pair(race, 2, {21: ("37,98", "OK", ""), 22: ("", "DNF", "")}))
    assert response.status_code == 302

    assert start_of(race, 21).time_ms == 37980
    rows = rows_by_bib(admin_client, race)
    assert [(rows[b]["rank"], rows[b]["time"], rows[b]["behind"]) for b in (21, 12, 11)] == [
        (1, "37.98", ""),
        (2, "38.12", "+0.14"),
        (3, "38.50", "+0.52"),
    ]
    assert (rows[22]["rank"], rows[22]["status"]) == (None, "DNF")
    assert standings(admin_client, race)["race"]["status"] == Race.State.LIVE


def test_after_a_save_the_official_lands_on_the_next_pair_with_a_confirmation(admin_client, race):
    response = admin_client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", ""), 12: ("38.12", "OK", "")}))

    assert response["Location"] == enter_url(race) + "#heat-2"
    page = admin_client.get(response["Location"])
    html = page_text(page)
    assert "Pair 1 saved: Bea BRAVO 38.12 (rank 1); Anna ALPHA 38.50 (rank 2)." in html
    saved = heat_form_html(page, 1)
    assert 'class="heat is-saved"' in saved and "✓ saved" in re.sub(r"<[^>]+>", "", saved)
    assert "is-next" in heat_form_html(page, 2)
    # The cursor waits in the first time field of the next pair, and nowhere else.
    assert html.count("autofocus") == 1
    assert " autofocus" in tag_with_id(html, f"id_time_{start_of(race, 21).pk}")


def test_the_last_pair_sends_the_official_back_without_a_pair_to_enter(admin_client, race):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 2, {21: "38.00", 22: "38.30"})

    response = admin_client.post(enter_url(race), pair(race, 3, {31: ("39.00", "OK", ""), 32: ("", "DNS", "")}))

    assert response["Location"] == enter_url(race)
    assert standings(admin_client, race)["race"]["status"] == Race.State.UNOFFICIAL


@pytest.mark.parametrize("typed", ["1:12.31", "1.12,31", "1.12.31", "72.31"])
def test_every_way_officials_type_a_time_is_understood(admin_client, race, typed):
    admin_client.post(enter_url(race), pair(race, 1, {11: (typed, "OK", ""), 12: ("1:12.315", "OK", "")}))

    assert start_of(race, 11).time_ms == 72310
    assert start_of(race, 12).time_ms == 72315


def test_a_saved_pair_shows_its_values_and_resaving_it_loses_no_thousandth(admin_client, race):
    enter_heat(race, 1, {11: "38.125", 12: "DQ T04"})

    form = heat_form_html(admin_client.get(enter_url(race)), 1)
    time_11, status_12 = f"time_{start_of(race, 11).pk}", f"status_{start_of(race, 12).pk}"
    assert input_value(form, time_11) == "38.125"
    assert re.search(rf'name="{status_12}".*?<option value="DQ" selected>', form, re.S)
    assert re.search(r'<option value="T04" selected>', form)

    # The official re-submits the pair as shown: nothing changes.
    admin_client.post(enter_url(race), pair(race, 1, {11: ("38.125", "OK", ""), 12: ("", "DQ", "T04")}))
    assert start_of(race, 11).time_ms == 38125
    assert (start_of(race, 12).status, start_of(race, 12).infraction) == ("DQ", "T04")


def test_a_saved_pair_can_be_corrected(admin_client, race):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})

    admin_client.post(enter_url(race), pair(race, 1, {11: ("38.05", "OK", ""), 12: ("38.12", "OK", "")}))

    rows = rows_by_bib(admin_client, race)
    assert (rows[11]["rank"], rows[12]["rank"], rows[12]["behind"]) == (1, 2, "+0.07")


def test_saving_a_pair_pushes_exactly_one_snapshot(admin_client, race, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(race_topic(race.pk), channel)
    before = version(race)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", ""), 12: ("38.12", "OK", "")}))

    async def drain() -> list[dict[str, Any]]:
        received = []
        while True:
            try:
                received.append(await asyncio.wait_for(layer.receive(channel), timeout=0.2))
            except TimeoutError:
                return received

    messages = async_to_sync(drain)()
    assert version(race) == before + 1
    assert [(m["type"], m["version"]) for m in messages] == [(SNAPSHOT_EVENT, before + 1)]
    assert json.loads(messages[0]["text"])["last_heat"] == 1


# --- bad input: a clear message where the official looks, and nothing saved --------------------------------------


def assert_pair_untouched(race: Race, number: int) -> None:
    heat = heat_of(race, number)
    assert heat.recorded_at is None
    assert all(start.status == Status.PENDING and start.time_ms is None for start in heat.starts.all())


@pytest.mark.parametrize(
    ("entries", "field_of", "message"),
    [
        (
            {21: ("1:1x.31", "OK", ""), 22: ("38.40", "OK", "")},
            (21, "time"),
            TIME_FORMAT_ERROR.format(text="1:1x.31"),
        ),
        (
            {21: ("38.20", "OK", ""), 22: ("38.40", "DNS", "")},
            (22, "time"),
            ERROR_TIME_NOT_ALLOWED.format(status="DNS"),
        ),
        ({21: ("38.20", "", ""), 22: ("38.40", "OK", "")}, (21, "status"), ERROR_STATUS_REQUIRED),
        ({21: ("38.20", "OK", ""), 22: ("", "OK", "")}, (22, "time"), ERROR_TIME_REQUIRED),
        (
            {21: ("38.20", "OK", ""), 22: ("", "DNS", "T04")},
            (22, "infraction"),
            ERROR_INFRACTION_NOT_ALLOWED.format(status="DNS"),
        ),
    ],
    ids=["malformed-time", "time-on-dns", "missing-status", "finisher-without-time", "infraction-on-dns"],
)
def test_a_refused_pair_shows_the_message_next_to_the_field_and_saves_nothing(
    admin_client, race, entries, field_of, message
):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    saved = rows_by_bib(admin_client, race)
    before = version(race)

    response = admin_client.post(enter_url(race), pair(race, 2, entries))

    assert response.status_code == 200
    form = heat_form_html(response, 2)
    bib, field = field_of
    field_id = f"id_{field}_{start_of(race, bib).pk}"
    # The message sits in the error list the field points to (aria-describedby), right under the skater's row.
    field_tag = tag_with_id(form, field_id)
    assert 'aria-invalid="true"' in field_tag and f'aria-describedby="{field_id}_error"' in field_tag
    errors = re.search(rf'<ul class="errorlist" id="{field_id}_error"[^>]*>(.*?)</ul>', form, re.S)
    assert errors and message in errors.group(1)
    assert "Not saved" in form
    # What the official typed is still there to correct.
    for typed_bib, (typed, _status, _infraction) in entries.items():
        assert input_value(form, f"time_{start_of(race, typed_bib).pk}") == typed
    # Nothing of the pair was saved, the pair saved before is intact, nothing was pushed.
    assert_pair_untouched(race, 2)
    assert rows_by_bib(admin_client, race) == saved
    assert version(race) == before
    # The cursor goes to the field to fix.
    assert " autofocus" in field_tag


def test_an_official_race_refuses_a_correction_without_a_reason_next_to_the_reason_field(admin_client, race):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    Race.objects.filter(pk=race.pk).update(status=Race.State.OFFICIAL)

    response = admin_client.post(enter_url(race), pair(race, 1, {11: ("37.00", "OK", ""), 12: ("38.12", "OK", "")}))

    assert response.status_code == 200
    form = heat_form_html(response, 1)
    refusal = policy.ERROR_REASON_REQUIRED.format(race=race, status="official")
    assert re.search(r'<ul class="errorlist" id="id_reason_error">\s*<li>' + re.escape(refusal), form)
    assert " autofocus" in tag_with_id(form, "id_reason_heat1")
    assert start_of(race, 11).time_ms == 38500
    assert input_value(form, f"time_{start_of(race, 11).pk}") == "37.00"  # what was typed stays


def test_a_pair_that_is_not_in_the_race_is_not_found(admin_client, race):
    assert admin_client.post(enter_url(race), {"heat": "9"}).status_code == 404
    assert admin_client.post(enter_url(race), {}).status_code == 404
    assert admin_client.get(reverse("admin:results_race_enter_results", args=[race.pk + 1000])).status_code == 404


# --- who may enter results ---------------------------------------------------------------------------------------


def test_staff_without_the_permission_get_403_and_change_nothing(client, race):
    client.force_login(make_official(can_enter_results=False))

    assert client.get(enter_url(race)).status_code == 403
    response = client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", ""), 12: ("38.12", "OK", "")}))
    assert response.status_code == 403
    assert_pair_untouched(race, 1)


def test_staff_with_the_permission_enter_results(client, race):
    client.force_login(make_official())

    assert client.get(enter_url(race)).status_code == 200
    response = client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", ""), 12: ("38.12", "OK", "")}))
    assert response.status_code == 302
    assert start_of(race, 12).time_ms == 38120


def test_anonymous_visitors_are_sent_to_the_admin_login(client, race):
    response = client.get(enter_url(race))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.post(enter_url(race), pair(race, 1, {11: ("38.50", "OK", "")})).status_code == 302
    assert_pair_untouched(race, 1)


# --- the plain admin republishes what spectators see -------------------------------------------------------------


def test_changing_a_start_in_the_admin_republishes_the_race(admin_client, race):
    start = start_of(race, 11)
    url = reverse("admin:results_start_change", args=[start.pk])
    data = change_form_data(admin_client.get(url))
    before = version(race)

    response = admin_client.post(url, data | {"bib": "111"})

    assert response.status_code == 302
    snapshot = standings(admin_client, race)
    assert snapshot["version"] == before + 1
    assert 111 in [s["bib"] for heat in snapshot["next_heats"] for s in heat["skaters"]]


def test_moving_a_start_to_another_race_republishes_both(admin_client, race):
    other = make_race(race.competition, title="Men 500m Division A", gender="men", draw=[(1, "I", 51, "Ed ONE", "NED")])
    start = start_of(race, 12)
    url = reverse("admin:results_start_change", args=[start.pk])
    data = change_form_data(admin_client.get(url))
    before, other_before = version(race), version(other)

    admin_client.post(url, data | {"heat": str(heat_of(other, 1).pk), "lane": "O"})

    assert (version(race), version(other)) == (before + 1, other_before + 1)


def test_deleting_a_start_in_the_admin_republishes_the_race(admin_client, race):
    start = start_of(race, 32)
    before = version(race)

    response = admin_client.post(reverse("admin:results_start_delete", args=[start.pk]), {"post": "yes"})

    assert response.status_code == 302
    snapshot = standings(admin_client, race)
    assert snapshot["version"] == before + 1
    assert 32 not in [s["bib"] for heat in snapshot["next_heats"] for s in heat["skaters"]]


def test_deleting_pairs_from_the_list_republishes_the_race(admin_client, race):
    before = version(race)

    admin_client.post(
        reverse("admin:results_heat_changelist"),
        {"action": "delete_selected", "_selected_action": [heat_of(race, 3).pk], "post": "yes"},
    )

    assert not Heat.objects.filter(race=race, number=3).exists()
    assert standings(admin_client, race)["version"] == before + 1


def test_renaming_a_skater_republishes_the_races_she_skates(admin_client, race):
    skater = start_of(race, 11).skater
    url = reverse("admin:results_skater_change", args=[skater.pk])
    before = version(race)

    admin_client.post(url, {"name": "Anna ALPHA-OMEGA", "nation": "NED"})

    assert Skater.objects.get(pk=skater.pk).name == "Anna ALPHA-OMEGA"
    snapshot = standings(admin_client, race)
    assert snapshot["version"] == before + 1
    assert "Anna ALPHA-OMEGA" in [s["name"] for heat in snapshot["next_heats"] for s in heat["skaters"]]


@pytest.mark.parametrize(
    ("model", "field", "shown_as"),
    [("competition", "name", ("competition", "name")), ("venue", "city", ("competition", "city"))],
)
def test_renaming_a_competition_or_venue_republishes_its_races(admin_client, race, model, field, shown_as):
    obj = race.competition if model == "competition" else race.competition.venue
    url = reverse(f"admin:results_{model}_change", args=[obj.pk])
    data = change_form_data(admin_client.get(url))
    before = version(race)

    response = admin_client.post(url, data | {field: "Hamar"})

    assert response.status_code == 302
    snapshot = standings(admin_client, race)
    assert snapshot["version"] == before + 1
    assert snapshot["race"][shown_as[0]][shown_as[1]] == "Hamar"


def test_a_new_record_republishes_the_races_of_its_distance_and_an_official_one_only_with_a_reason(admin_client, race):
    official = make_race(race.competition, title="Women 500m Division B", draw=[(1, "I", 61, "Gia GOLF", "ITA")])
    Race.objects.filter(pk=official.pk).update(status=Race.State.OFFICIAL)
    longer = make_race(race.competition, title="Women 1000m Division A", distance=1000, draw=())
    before = {r.pk: version(r) for r in (race, official, longer)}
    record = {
        "kind": "WR",
        "gender": "women",
        "distance": "500",
        "time": "36.09",
        "holder": "Femke KOK",
        "nation": "NED",
        "set_on": "2024-01-27",
    }

    refused = admin_client.post(reverse("admin:results_record_add"), record)
    assert refused.status_code == 200
    assert "Women 500m Division B is official: give a reason for this change" in page_text(refused)
    assert not Record.objects.exists()
    assert {r.pk: version(r) for r in (race, official, longer)} == before

    response = admin_client.post(reverse("admin:results_record_add"), {**record, "reason": "WR ratified late"})
    assert response.status_code == 302
    assert Record.objects.get().time_ms == 36090
    assert {r.pk: version(r) for r in (race, official, longer)} == {
        race.pk: before[race.pk] + 1,
        official.pk: before[official.pk] + 1,
        longer.pk: before[longer.pk],
    }
    assert standings(admin_client, race)["standing_records"][0]["time"] == "36.09"
    edit = StandingsEdit.objects.get(race=official)
    assert (edit.new, edit.reason) == ("36.09 Femke KOK (NED), 2024-01-27", "WR ratified late")
    assert not StandingsEdit.objects.filter(race=race).exists()  # a start list has no standings to correct yet


def test_changing_a_race_republishes_it_and_a_preset_fills_the_points_table(admin_client, race):
    url = reverse("admin:results_race_change", args=[race.pk])
    data = change_form_data(admin_client.get(url))
    before = version(race)

    response = admin_client.post(url, data | {"points_preset": "world-cup-b"})

    assert response.status_code == 302
    race.refresh_from_db()
    assert race.points_table == list(WORLD_CUP_B)
    assert standings(admin_client, race)["version"] == before + 1


def test_the_race_form_does_not_set_the_status(admin_client, race):
    url = reverse("admin:results_race_change", args=[race.pk])
    response = admin_client.get(url)
    assert "status" not in response.context["adminform"].form.fields

    admin_client.post(url, change_form_data(response) | {"status": Race.State.OFFICIAL})

    assert Race.objects.get(pk=race.pk).status == Race.State.START_LIST


def test_a_hand_typed_points_table_is_kept_when_the_preset_is_untouched(admin_client, race):
    url = reverse("admin:results_race_change", args=[race.pk])
    data = change_form_data(admin_client.get(url))
    assert data["points_preset"] == "world-cup-a"

    admin_client.post(url, data | {"points_table": "[10, 5, 1]"})

    race.refresh_from_db()
    assert race.points_table == [10, 5, 1]


# --- the plain admin refuses impossible start lists --------------------------------------------------------------


def heat_inline_data(heat_race: Race, number: int, rows: list[tuple[str, int, Skater]]) -> dict[str, Any]:
    """The add form of a pair with new starts (lane, bib, skater) in its inline."""
    data: dict[str, Any] = {
        "race": str(heat_race.pk),
        "number": str(number),
        "starts-TOTAL_FORMS": str(len(rows)),
        "starts-INITIAL_FORMS": "0",
        "starts-MIN_NUM_FORMS": "0",
        "starts-MAX_NUM_FORMS": "4",
    }
    for index, (lane, bib, skater) in enumerate(rows):
        data |= {f"starts-{index}-lane": lane, f"starts-{index}-bib": str(bib), f"starts-{index}-skater": skater.pk}
    return data


def new_skater(name: str, nation: str = "NED") -> Skater:
    return Skater.objects.create(name=name, nation=nation)


def test_the_same_skater_twice_in_one_new_pair_is_refused(admin_client, race):
    ida = new_skater("Ida INDIA")

    response = admin_client.post(
        reverse("admin:results_heat_add"), heat_inline_data(race, 4, [("I", 41, ida), ("O", 42, ida)])
    )

    assert response.status_code == 200
    assert ERROR_SKATER_TWICE.format(skater=ida, heat=4) in page_text(response)
    assert not Heat.objects.filter(race=race, number=4).exists()


def test_a_skater_already_in_another_pair_is_refused(admin_client, race):
    anna = start_of(race, 11).skater

    response = admin_client.post(
        reverse("admin:results_heat_add"),
        heat_inline_data(race, 4, [("I", 41, anna), ("O", 42, new_skater("Jo JULIET"))]),
    )

    assert ERROR_SKATER_TWICE.format(skater=anna, heat=1) in page_text(response)
    assert not Heat.objects.filter(race=race, number=4).exists()


def test_a_bib_used_twice_in_the_race_is_refused(admin_client, race):
    response = admin_client.post(
        reverse("admin:results_heat_add"),
        heat_inline_data(race, 4, [("I", 41, new_skater("Ida INDIA")), ("O", 41, new_skater("Jo JULIET"))]),
    )

    assert ERROR_BIB_TWICE.format(bib=41, skater=Skater.objects.get(name="Ida INDIA")) in page_text(response)
    assert not Heat.objects.filter(race=race, number=4).exists()


def test_a_third_skater_in_one_lane_is_refused_when_added_together(admin_client, race):
    heat = heat_of(race, 1)  # 11 inner, 12 outer
    url = reverse("admin:results_heat_change", args=[heat.pk])
    data = change_form_data(admin_client.get(url))
    data |= {
        "starts-TOTAL_FORMS": "4",
        "starts-2-lane": "I",
        "starts-2-bib": "13",
        "starts-2-skater": new_skater("Ida INDIA").pk,
        "starts-3-lane": "I",
        "starts-3-bib": "14",
        "starts-3-skater": new_skater("Jo JULIET").pk,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert ERROR_LANE_FULL.format(lane="I", heat=1) in page_text(response)
    assert heat.starts.count() == 2


def test_a_fifth_skater_in_a_pair_is_refused(admin_client, race):
    rows = [(lane, 40 + i, new_skater(f"Skater {i}")) for i, lane in enumerate(["I", "O", "I", "O", ""], start=1)]

    response = admin_client.post(reverse("admin:results_heat_add"), heat_inline_data(race, 4, rows))

    assert response.status_code == 200
    assert ERROR_HEAT_FULL in page_text(response)
    assert not Heat.objects.filter(race=race, number=4).exists()


def test_a_quartet_start_of_four_is_accepted_and_published(admin_client, race):
    rows = [(lane, 40 + i, new_skater(f"Skater {i}")) for i, lane in enumerate(["I", "O", "I", "O"], start=1)]
    before = version(race)

    response = admin_client.post(reverse("admin:results_heat_add"), heat_inline_data(race, 4, rows))

    assert response.status_code == 302
    assert heat_of(race, 4).starts.count() == 4
    assert version(race) == before + 1
    assert standings(admin_client, race)["race"]["heats"] == 4


def test_the_start_page_refuses_a_bib_already_worn_in_the_race(admin_client, race):
    response = admin_client.post(
        reverse("admin:results_start_add"),
        {"heat": heat_of(race, 3).pk, "lane": "", "bib": "11", "skater": new_skater("Ida INDIA").pk},
    )

    assert response.status_code == 200
    assert ERROR_BIB_TWICE.format(bib=11, skater=start_of(race, 11).skater) in page_text(response)


# --- the admin pages an official moves through -------------------------------------------------------------------


def test_the_race_list_links_each_race_to_its_entry_screen(admin_client, race):
    response = admin_client.get(reverse("admin:results_race_changelist"))

    html = page_text(response)
    assert f'href="{enter_url(race)}"' in html and "Enter results" in html
    assert reverse("admin:results_race_change", args=[race.pk]) in html


def test_results_are_read_only_outside_the_entry_screen(admin_client, race):
    enter_heat(race, 1, {11: "38.50", 12: "DQ T04"})

    response = admin_client.get(reverse("admin:results_start_change", args=[start_of(race, 12).pk]))

    assert "time_ms" not in response.context["adminform"].form.fields
    assert "DQ T04" in page_text(response)


@pytest.mark.parametrize("model", ["venue", "competition", "race", "skater", "heat", "start", "record"])
def test_every_admin_list_and_form_opens(admin_client, race, model):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    make_record("WR", "36.09", holder="Femke KOK", nation="NED", set_on=date(2024, 1, 27))

    assert admin_client.get(reverse(f"admin:results_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:results_{model}_add")).status_code == 200
    obj = {
        "venue": race.competition.venue,
        "competition": race.competition,
        "race": race,
        "skater": start_of(race, 11).skater,
        "heat": heat_of(race, 1),
        "start": start_of(race, 11),
        "record": Record.objects.first(),
    }[model]
    assert admin_client.get(reverse(f"admin:results_{model}_change", args=[obj.pk])).status_code == 200


def test_the_competition_page_lists_its_races_with_links(admin_client):
    competition = make_competition()
    first = make_race(competition, title="Women 500m Division A")
    make_race(competition, title="Men 500m Division A", gender="men", draw=())

    html = page_text(admin_client.get(reverse("admin:results_competition_change", args=[competition.pk])))

    assert html.index("Women 500m Division A") < html.index("Men 500m Division A")
    assert f'href="{enter_url(first)}"' in html
