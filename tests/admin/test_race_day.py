"""Race day in the admin, as officials would notice it: two officials on one pair, corrections with reasons,
clearing a pair, the race status per role, re-skates, the history, and who sees what."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from results import policy, services
from results.admin.race_day import views as admin_race_day
from results.admin.race_day.forms import RaceStatusForm
from results.models import Heat, Race, RaceStatusChange, ResultChange, Start
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules import plausibility
from results.rules.plausibility import time_warning
from results.services.lineup import ERROR_REMOVE_WITH_RESULT
from results.services.race_status import ERROR_REASON
from tests.support.admin_pages import enter_url, heat_form_html, input_value, page_text, pair
from tests.support.factories import enter_heat, heat_of, make_race, make_user, start_of

pytestmark = pytest.mark.django_db

State = Race.State


# --- helpers -----------------------------------------------------------------------------------------------------


def history_url(race: Race) -> str:
    return reverse("admin:results_race_results_history", args=[race.pk])


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error"[^>]*>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def finish(race: Race) -> None:
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 2, {21: "37.99", 22: "DQ T07"})
    enter_heat(race, 3, {31: "38.22", 32: "DNS"})


def status_post(status: str, reason: str = "", **extra: str) -> dict[str, str]:
    return {"form": "status", "status": status, "reason": reason, **extra}


@pytest.fixture
def race() -> Race:
    """Women 500 m, three pairs: (11 I, 12 O), (21 I, 22 O), (31 I, 32 O)."""
    return make_race()


@pytest.fixture
def timing(client):
    user = make_user("tina", TIMING_OFFICIAL)
    client.force_login(user)
    return user


@pytest.fixture
def referee(client):
    user = make_user("rafa", REFEREE)
    client.force_login(user)
    return user


# --- two officials on one pair -----------------------------------------------------------------------------------


def test_a_pair_saved_meanwhile_is_shown_with_the_others_values_and_a_second_save_goes_through(client, race, timing):
    other = make_user("otto", TIMING_OFFICIAL)
    opened = client.get(enter_url(race))
    assert input_value(heat_form_html(opened, 1), "revision") == "0"
    # Otto saves pair 1 from another screen while Tina types it.
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=other, expected_revision=0)

    response = client.post(enter_url(race), pair(race, 1, {11: "38.55", 12: "DNF"}, revision=0))

    assert response.status_code == 200
    form = heat_form_html(response, 1)
    assert re.search(
        r'<ul class="errorlist heat__errors"[^>]*><li>Pair 1 was saved by otto at \d\d:\d\d:\d\d while you were '
        r"entering it: Anna ALPHA 38.50; Bea BRAVO 38.12. Nothing of yours was saved",
        form,
    )
    assert "Not saved: compare below" in form and form.count("Saved meanwhile:") == 2
    assert input_value(form, f"time_{start_of(race, 11).pk}") == "38.55"  # what Tina typed stays
    assert re.search(rf'name="status_{start_of(race, 12).pk}".*?<option value="DNF" selected>', form, re.S)
    assert input_value(form, "revision") == "1"  # the revision she has now seen
    assert start_of(race, 11).time_ms == 38500

    # Having compared, she saves hers on purpose: it goes through, as a correction of Otto's.
    response = client.post(enter_url(race), pair(race, 1, {11: "38.55", 12: "DNF"}, revision=1))

    assert response.status_code == 302
    assert (start_of(race, 11).time_ms, start_of(race, 12).status) == (38550, "DNF")
    assert ResultChange.objects.filter(kind="corrected", by=timing).count() == 2


def test_clearing_also_checks_the_revision(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 1, {11: "38.40", 12: "38.12"})  # revision 2 now

    response = client.post(enter_url(race), pair(race, 1, {}, revision=1) | {"action": "clear"})

    assert "Pair 1 was saved by the timing system" in heat_form_html(response, 1)
    assert start_of(race, 11).time_ms == 38400


# --- corrections and reasons -------------------------------------------------------------------------------------


def test_a_correction_keeps_its_reason_in_the_history(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=timing)

    client.post(enter_url(race), pair(race, 1, {11: "38.05", 12: "38.12"}, reason="photo finish checked"))

    change = ResultChange.objects.get(kind="corrected")
    assert (change.bib, change.old_time_ms, change.new_time_ms, change.reason, change.by) == (
        11,
        38500,
        38050,
        "photo finish checked",
        timing,
    )


def test_an_official_race_needs_a_referees_reason_and_refuses_a_timing_official(client, race):
    finish(race)
    services.race_status_set(race=race, status=State.OFFICIAL, by=make_user("rafa", REFEREE))

    # The timing official sees why, with the fields locked; a save anyway is refused.
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    page = client.get(enter_url(race))
    refusal = policy.ERROR_REFEREE_ONLY.format(race=race, status="official")
    assert f'<p class="entry-locked" id="results-lock" role="status">{refusal}</p>' in page_text(page)
    assert "<fieldset disabled>" in heat_form_html(page, 1)
    response = client.post(enter_url(race), pair(race, 1, {11: "38.40", 12: "38.12"}, reason="typo"))
    assert refusal in heat_form_html(response, 1)
    assert start_of(race, 11).time_ms == 38500

    # The referee is told a reason is needed, next to the reason field marked required.
    client.force_login(make_user("rafa2", REFEREE))
    page = client.get(enter_url(race))
    form = heat_form_html(page, 1)
    assert "<fieldset>" in form and "Reason (required)" in form and 'aria-required="true"' in form
    assert admin_race_day.MESSAGE_REASON_NEEDED.format(race=race, status="official") in page_text(page)
    response = client.post(enter_url(race), pair(race, 1, {11: "38.40", 12: "38.12"}))
    assert field_errors(heat_form_html(response, 1), "id_reason") == [
        policy.ERROR_REASON_REQUIRED.format(race=race, status="official")
    ]
    assert start_of(race, 11).time_ms == 38500

    response = client.post(enter_url(race), pair(race, 1, {11: "38.40", 12: "38.12"}, reason="video review"))
    assert response.status_code == 302
    assert start_of(race, 11).time_ms == 38400
    assert ResultChange.objects.get(kind="corrected").reason == "video review"


def test_clearing_a_pair_takes_its_results_back_and_keeps_them_in_the_history(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 2, {21: "37.99", 22: "38.40"})
    assert 'value="clear"' in heat_form_html(client.get(enter_url(race)), 1)
    assert 'value="clear"' not in heat_form_html(client.get(enter_url(race)), 3)  # nothing to clear yet

    # Whatever the time fields hold when the button is pressed does not matter.
    data = pair(race, 1, {11: "3x.50", 12: "38.12"}, reason="wrong pair entered") | {"action": "clear"}
    response = client.post(enter_url(race), data, follow=True)

    assert ("success", admin_race_day.MESSAGE_HEAT_CLEARED.format(heat=1)) in messages_of(response)
    assert response.redirect_chain[-1][0] == enter_url(race) + "#heat-1"  # first pair to enter again
    assert not start_of(race, 11).has_result and not start_of(race, 12).has_result
    cleared = ResultChange.objects.filter(kind="cleared").order_by("bib")
    assert [(c.bib, c.old_time_ms, c.reason, c.by) for c in cleared] == [
        (11, 38500, "wrong pair entered", timing),
        (12, 38120, "wrong pair entered", timing),
    ]


# --- the entry screen's keyboard path and warnings ---------------------------------------------------------------


def test_an_implausible_time_is_saved_with_a_warning(client, race, timing):
    response = client.post(enter_url(race), pair(race, 1, {11: "1:01.99", 12: "38.12"}), follow=True)

    assert start_of(race, 11).time_ms == 61990  # a fall: saved as typed
    warning = time_warning(distance=500, time_ms=61990, time_text="1:01.99")
    assert ("warning", admin_race_day.MESSAGE_CHECK.format(heat=1, skater="Anna ALPHA", warning=warning)) in (
        messages_of(response)
    )
    assert [level for level, _ in messages_of(response)] == ["success", "warning"]


def test_a_disqualification_without_its_infraction_code_is_saved_with_a_warning(client, race, timing):
    response = client.post(enter_url(race), pair(race, 1, {11: "DQ", 12: "38.12"}), follow=True)

    anna = start_of(race, 11)
    assert (anna.status, anna.infraction) == ("DQ", "")  # saved: the code may come from the referee later
    warning = plausibility.WARNING_DQ_WITHOUT_INFRACTION
    assert messages_of(response)[1:] == [
        ("warning", admin_race_day.MESSAGE_CHECK.format(heat=1, skater="Anna ALPHA", warning=warning))
    ]
    assert f'data-dq-warning="{warning}"' in page_text(response)

    with_code = client.post(enter_url(race), pair(race, 1, {11: "DQ T07", 12: "38.12"}), follow=True)
    assert [level for level, _ in messages_of(with_code)] == ["success"]


def test_the_plausible_range_and_its_warning_reach_the_page(client, race, timing):
    html = page_text(client.get(enter_url(race)))

    assert 'data-plausible-min-ms="33000" data-plausible-max-ms="45000"' in html
    assert 'data-plausible-warning="{time} is outside the usual 33–45 s for a 500 m.' in html
    assert f'<output class="time-preview" for="id_time_{start_of(race, 11).pk}"' in html


def test_each_saved_skater_links_to_the_history_of_their_result(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 1, {11: "38.05", 12: "38.12"})

    form = heat_form_html(client.get(enter_url(race)), 1)

    anna, bea = start_of(race, 11).pk, start_of(race, 12).pk
    assert f'href="{history_url(race)}?start={anna}" tabindex="-1"' in form
    assert re.search(rf'\?start={anna}"[^>]*>history \(2\)</a>', form)
    assert re.search(rf'\?start={bea}"[^>]*>history \(1\)</a>', form)
    assert "history (" not in heat_form_html(client.get(enter_url(race)), 2)


# --- the history -------------------------------------------------------------------------------------------------


def history_rows(response) -> list[list[str]]:
    table = re.search(r'<table id="history".*?<tbody>(.*?)</tbody>', page_text(response), re.S)
    assert table, "no history table"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_history_lists_every_kind_of_change_newest_first_with_who_what_and_why(client, race):
    tina, rafa = make_user("tina", TIMING_OFFICIAL), make_user("rafa", REFEREE)
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=tina)
    enter_heat(race, 1, {11: "38.05", 12: "38.12"}, by=tina, reason="photo finish checked")
    services.heat_results_clear(heat=heat_of(race, 1), by=tina, reason="wrong pair")
    enter_heat(race, 1, {11: "38.50", 12: "DQ T07"}, by=tina)
    services.start_remove(start=start_of(race, 12), by=tina, reason="withdrawn by her team")
    enter_heat(race, 2, {21: "37.99", 22: "38.40"}, by=tina)
    enter_heat(race, 3, {31: "38.22", 32: "DNS"}, by=tina)
    services.race_status_set(race=race, status=State.PROTESTED, by=rafa, reason="protest by CAN")
    client.force_login(rafa)

    rows = history_rows(client.get(history_url(race)))

    # When, who, change, pair, skater, old → new, reason, version (the time of day varies).
    summary = [row[1:] for row in rows]
    assert summary[0] == ["rafa", "Status", "", "", "Unofficial → Under review", "protest by CAN", ""]
    assert summary[1] == ["tina", "Status", "", "", "Live → Unofficial", "", ""]
    removed = next(row for row in summary if row[1] == "Removed with the start")
    assert removed[:6] == [
        "tina",
        "Removed with the start",
        "1",
        "12 Bea BRAVO (USA)",
        "DQ T07 → no result",
        "withdrawn by her team",
    ]
    kinds = [row[1] for row in summary if row[2] == "1"]
    assert kinds == [
        "Removed with the start",
        "Entered",
        "Entered",
        "Cleared",
        "Cleared",
        "Corrected",
        "Entered",
        "Entered",
    ]
    corrected = next(row for row in summary if row[1] == "Corrected")
    assert corrected[3:6] == ["11 Anna ALPHA (NED)", "38.50 → 38.05", "photo finish checked"]
    assert re.fullmatch(r"v\d+", corrected[6])
    assert ["tina", "Status", "", "", "Start list → Live", "", ""] in summary


def test_the_history_of_one_result(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 1, {11: "38.05", 12: "38.12"}, reason="photo finish")

    response = client.get(history_url(race) + f"?start={start_of(race, 11).pk}")

    assert "Anna ALPHA (NED), bib 11, pair 1" in page_text(response)
    assert [row[2:6] for row in history_rows(response)] == [
        ["Corrected", "1", "11 Anna ALPHA (NED)", "38.50 → 38.05"],
        ["Entered", "1", "11 Anna ALPHA (NED)", "no result → 38.50"],
    ]
    assert client.get(history_url(race) + "?start=999999").status_code == 404


def test_the_history_is_linked_from_the_entry_screen_and_the_race_page(client, race, referee):
    link = f'<a id="history-link" href="{history_url(race)}">Results history</a>'
    assert link in page_text(client.get(enter_url(race)))
    assert link in page_text(client.get(reverse("admin:results_race_change", args=[race.pk])))


def test_the_history_lists_in_the_admin_are_read_only(client, race, referee):
    men = make_race(race.competition, title="Men 500m Division A", gender="men", draw=[(1, "I", 51, "Ed ONE", "NED")])
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=referee)
    enter_heat(men, 1, {51: "35.10"})
    change = ResultChange.objects.first()

    listing = client.get(reverse("admin:results_resultchange_changelist") + f"?race__id__exact={race.pk}")
    assert (
        listing.status_code == 200 and "Anna ALPHA (NED)" in page_text(listing) and "Ed ONE" not in page_text(listing)
    )
    assert {spec.title for spec in listing.context["cl"].filter_specs} == {"race", "kind", "by"}
    assert client.get(reverse("admin:results_racestatuschange_changelist")).status_code == 200
    assert client.get(reverse("admin:results_resultchange_add")).status_code == 403
    detail = client.get(reverse("admin:results_resultchange_change", args=[change.pk]))
    assert detail.status_code == 200 and not detail.context["has_change_permission"]
    assert (
        client.post(reverse("admin:results_resultchange_delete", args=[change.pk]), {"post": "yes"}).status_code == 403
    )
    assert ResultChange.objects.filter(pk=change.pk).exists()


def test_a_race_with_history_cannot_be_deleted_in_the_admin(admin_client, race):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})

    response = admin_client.post(reverse("admin:results_race_delete", args=[race.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Race.objects.filter(pk=race.pk).exists()


def test_the_start_page_shows_the_history_of_its_result(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"}, by=referee)
    enter_heat(race, 1, {11: "38.05", 12: "38.12"}, by=referee, reason="photo finish")

    html = page_text(client.get(reverse("admin:results_start_change", args=[start_of(race, 11).pk])))

    assert "History of this result" in html
    assert "38.50" in html and "38.05" in html and "photo finish" in html


# --- taking skaters and pairs out --------------------------------------------------------------------------------


def test_deleting_a_start_with_a_result_is_recorded_with_its_reason(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    url = reverse("admin:results_start_delete", args=[start_of(race, 12).pk])
    page = page_text(client.get(url))
    assert 'name="reason"' in page and "38.12" in page

    response = client.post(url, {"post": "yes", "reason": "withdrawn by her team"})

    assert response.status_code == 302
    removed = ResultChange.objects.get(kind="removed")
    assert (removed.bib, removed.old_time_ms, removed.reason, removed.by) == (
        12,
        38120,
        "withdrawn by her team",
        referee,
    )


def test_deleting_a_start_of_an_official_race_needs_a_reason(client, race, referee):
    finish(race)
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    start = start_of(race, 12)
    url = reverse("admin:results_start_delete", args=[start.pk])
    assert "Reason (required)" in page_text(client.get(url))

    response = client.post(url, {"post": "yes"}, follow=True)

    assert Start.objects.filter(pk=start.pk).exists()
    assert ("error", policy.ERROR_REASON_REQUIRED.format(race=race, status="official")) in messages_of(response)
    assert not ResultChange.objects.filter(kind="removed").exists()

    client.post(url, {"post": "yes", "reason": "doping case"})
    assert ResultChange.objects.get(kind="removed").reason == "doping case"


def test_deleting_starts_from_the_list_goes_through_the_service(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    starts = [start_of(race, 11).pk, start_of(race, 12).pk]

    client.post(
        reverse("admin:results_start_changelist"),
        {"action": "delete_selected", "_selected_action": starts, "post": "yes", "reason": "pair skated in error"},
    )

    assert not Start.objects.filter(pk__in=starts).exists()
    assert (
        list(ResultChange.objects.filter(kind="removed").values_list("reason", flat=True))
        == ["pair skated in error"] * 2
    )


def test_a_pair_with_results_is_not_deleted_until_it_is_cleared(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    heat = heat_of(race, 1)

    response = client.post(reverse("admin:results_heat_delete", args=[heat.pk]), {"post": "yes"}, follow=True)

    assert Heat.objects.filter(pk=heat.pk).exists()
    assert ("error", services.ERROR_HEAT_HAS_RESULTS.format(heat=1, race=race)) in messages_of(response)
    response = client.post(
        reverse("admin:results_heat_changelist"),
        {"action": "delete_selected", "_selected_action": [heat.pk, heat_of(race, 3).pk], "post": "yes"},
        follow=True,
    )
    assert Heat.objects.filter(race=race).count() == 3  # all or nothing
    assert ("error", services.ERROR_HEAT_HAS_RESULTS.format(heat=1, race=race)) in messages_of(response)

    services.heat_results_clear(heat=heat, by=referee, reason="entered on the wrong race")
    client.post(reverse("admin:results_heat_delete", args=[heat.pk]), {"post": "yes"})
    assert not Heat.objects.filter(pk=heat.pk).exists()


def test_removing_the_last_pending_pair_makes_the_race_unofficial(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 2, {21: "37.99", 22: "38.40"})

    client.post(reverse("admin:results_heat_delete", args=[heat_of(race, 3).pk]), {"post": "yes"})

    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL


def test_the_pair_page_refuses_to_drop_a_skater_with_a_result(client, race, referee):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    heat = heat_of(race, 1)
    url = reverse("admin:results_heat_change", args=[heat.pk])
    response = client.get(url)
    data = {"race": race.pk, "number": 1, "starts-TOTAL_FORMS": "2", "starts-INITIAL_FORMS": "2"}
    data |= {"starts-MIN_NUM_FORMS": "0", "starts-MAX_NUM_FORMS": "4"}
    for index, form in enumerate(response.context["inline_admin_formsets"][0].formset.forms):
        start = form.instance
        data |= {f"starts-{index}-id": start.pk, f"starts-{index}-heat": heat.pk, f"starts-{index}-lane": start.lane}
        data |= {f"starts-{index}-bib": start.bib, f"starts-{index}-skater": start.skater_id}
    data["starts-1-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 200
    assert ERROR_REMOVE_WITH_RESULT.format(skater=start_of(race, 12).skater) in page_text(response)
    assert start_of(race, 12).time_ms == 38120


# --- the race status ---------------------------------------------------------------------------------------------


def test_a_timing_official_sees_the_status_but_no_buttons_and_cannot_post_one(client, race, timing):
    finish(race)

    page = page_text(client.get(enter_url(race)))
    assert '<span id="race-status" class="race-status race-status--unofficial">Unofficial</span>' in page
    assert "status-button" not in page

    response = client.post(enter_url(race), status_post(State.OFFICIAL))
    assert policy.ERROR_NOT_REFEREE in page_text(response)
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL


def test_a_referee_confirms_protests_and_reopens_with_reasons_where_needed(client, race, referee):
    finish(race)
    buttons = re.findall(
        r'<button type="submit" name="status" value="(\w+)"[^>]*>(.*?)</button>', page_text(client.get(enter_url(race)))
    )
    assert [(value, re.sub(r"<[^>]+>", "", label)) for value, label in buttons] == [
        ("OFFICIAL", "Confirm results (official)"),
        ("PROTESTED", "Put under review (reason)"),
    ]

    response = client.post(enter_url(race), status_post(State.PROTESTED))
    assert field_errors(page_text(response), "id_race_status_reason") == [
        ERROR_REASON.format(action="put under review", race=race)
    ]
    assert Race.objects.get(pk=race.pk).status == State.UNOFFICIAL

    response = client.post(enter_url(race), status_post(State.PROTESTED, "protest by CAN"), follow=True)
    assert ("success", "Women 500m Division A is now under review.") in messages_of(response)
    assert "End review" in page_text(response)

    response = client.post(enter_url(race), status_post(State.OFFICIAL), follow=True)
    assert Race.objects.get(pk=race.pk).status == State.OFFICIAL
    assert re.findall(r'name="status" value="(\w+)"', page_text(response)) == ["PROTESTED", "UNOFFICIAL"]

    response = client.post(enter_url(race), status_post(State.UNOFFICIAL))
    assert field_errors(page_text(response), "id_race_status_reason") == [
        ERROR_REASON.format(action="reopen", race=race)
    ]
    client.post(enter_url(race), status_post(State.UNOFFICIAL, "timing fault"))
    assert list(
        RaceStatusChange.objects.filter(by=referee).order_by("at", "id").values_list("new_status", "reason")
    ) == [
        (State.PROTESTED, "protest by CAN"),
        (State.OFFICIAL, ""),
        (State.UNOFFICIAL, "timing fault"),
    ]


def test_a_button_from_a_page_opened_before_the_race_changed_says_why_it_is_refused(client, race, referee):
    finish(race)
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)

    response = client.post(enter_url(race), status_post(State.OFFICIAL))

    assert "A race that is official cannot become official." in page_text(response)


def test_the_race_page_offers_the_referee_the_status_buttons_and_comes_back_to_it(client, race, referee):
    finish(race)
    change_url = reverse("admin:results_race_change", args=[race.pk])
    page = client.get(change_url)
    html = page_text(page)
    assert 'id="status-to-official"' in html and f'value="{change_url}"' in html
    assert isinstance(page.context["status_form"], RaceStatusForm)

    response = client.post(enter_url(race), status_post(State.OFFICIAL, next=change_url))

    assert response["Location"] == change_url
    assert Race.objects.get(pk=race.pk).status == State.OFFICIAL
    # Somewhere else is not followed.
    response = client.post(enter_url(race), status_post(State.UNOFFICIAL, "x", next="https://example.org/"))
    assert response["Location"] == enter_url(race)


# --- re-skates ---------------------------------------------------------------------------------------------------


def test_a_timing_official_grants_a_reskate_shown_as_a_reskate_pair(client, race, timing):
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    page = page_text(client.get(enter_url(race)))
    assert '<form id="reskate"' in page
    assert f'<option value="{start_of(race, 12).pk}">Pair 1 · 12 Bea BRAVO (USA)</option>' in page

    data = {"form": "reskate", "start": start_of(race, 12).pk, "lane": "I", "reason": "impeded at the crossing"}
    response = client.post(enter_url(race), data, follow=True)

    assert response.redirect_chain[-1][0] == enter_url(race) + "#heat-4"
    message = admin_race_day.MESSAGE_RESKATE_ADDED.format(skater="Bea BRAVO", heat=4, lane=" (inner lane)")
    assert ("success", message) in messages_of(response)
    heat = heat_of(race, 4)
    assert heat.is_reskate and [s.bib for s in heat.starts.all()] == [12]
    form = heat_form_html(response, 4)
    assert '<span class="heat__reskate">Re-skate</span>' in form and "Bea BRAVO" in form

    response = client.post(enter_url(race), data)
    assert "Bea BRAVO (USA) already has a re-skate in pair 4." in page_text(response)


def test_reskates_are_offered_only_while_the_race_runs(client, race, timing):
    assert '<form id="reskate"' not in page_text(client.get(enter_url(race)))  # start list
    finish(race)
    services.race_status_set(race=race, status=State.OFFICIAL, by=make_user("rafa", REFEREE))
    assert '<form id="reskate"' not in page_text(client.get(enter_url(race)))  # official, and not a referee


# --- who sees what -----------------------------------------------------------------------------------------------


def test_staff_in_no_group_see_no_results_in_the_admin_and_no_entry_screen(client, race):
    client.force_login(make_user("visitor"))

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert "Races" not in page_text(index)
    assert client.get(enter_url(race)).status_code == 403
    assert client.get(history_url(race)).status_code == 403
    assert client.get(reverse("admin:results_race_changelist")).status_code == 403


def test_both_roles_see_the_results_app_and_the_history(client, race):
    for role in (TIMING_OFFICIAL, REFEREE):
        client.force_login(make_user(role.replace(" ", "-"), role))
        apps = {app["app_label"]: app for app in client.get(reverse("admin:index")).context["app_list"]}
        models = {model["object_name"] for model in apps["results"]["models"]}
        assert {"Race", "Start", "Heat", "ResultChange", "RaceStatusChange"} <= models
        assert client.get(history_url(race)).status_code == 200


def test_a_pair_sent_without_one_of_its_skaters_is_refused_with_the_services_message(client, race, timing):
    data = pair(race, 1, {11: "38.50", 12: "38.12"})
    del data[f"status_{start_of(race, 12).pk}"], data[f"time_{start_of(race, 12).pk}"]

    response = client.post(enter_url(race), data)

    assert response.status_code == 200
    assert services.ERROR_STATUS_REQUIRED in heat_form_html(response, 1)
    assert not start_of(race, 11).has_result


# --- hardening: every refusal says why ---------------------------------------------------------------------------


def test_a_pair_posted_without_a_sound_revision_says_why_and_saves_nothing(client, race, timing):
    for revision in ("abc", "²", "9" * 5_000):
        data = pair(race, 1, {11: "38.50", 12: "38.12"}) | {"revision": revision}
        response = client.post(enter_url(race), data)
        assert response.status_code == 200
        assert "did not say which saved version of pair 1 it was made from" in page_text(response)
    assert not Start.objects.filter(heat__race=race).exclude(status="").exists()


def test_a_pair_that_does_not_exist_says_so_in_words_even_in_production(client, race, timing, settings):
    settings.DEBUG = False
    response = client.post(enter_url(race), {"heat": "999"})
    assert response.status_code == 404
    assert "This race has no pair 999." in page_text(response)
    response = client.get(history_url(race) + "?start=²")
    assert response.status_code == 404 and "This race has no start ²" in page_text(response)
