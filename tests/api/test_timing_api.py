"""The timing systems' API (results/api/timing.py, docs/timing-api.md): every rule with real figures.

Finish times are from the Salt Lake City World Cup men's 1000 m (14 Nov 2025): Damian ŻUREK 1:06.02 and Marek
KANIA 1:07.30 (pair 4 there), Jordan STOLZ 1:05.66 and Joep WENNEMARS 1:07.012 (pair 8). The sheets print no
passages: the 200 m and 600 m times are constructed, plausible for those finishes.
"""

import json
import re

import pytest

from results import selectors, services
from results.api import timing as timing_api
from results.api.timing import STATUS_BY_CODE
from results.models import Passage, Race, ResultChange, Start, TimingToken
from results.roles import REFEREE, TIMING_OFFICIAL
from results.services import timing
from results.services.timing_tokens import timing_token_revoke, token_digest
from tests.support.factories import enter_heat, heat_of, make_competition, make_race, make_user, start_of
from tests.support.paths import DOCS as DOCS_FOLDER
from tests.support.timing import make_timing_token, timing_post

pytestmark = pytest.mark.django_db

DOCS = DOCS_FOLDER / "timing-api.md"
DRAW_1000 = [
    (1, "I", 157, "Damian ŻUREK", "POL"),
    (1, "O", 151, "Marek KANIA", "POL"),
    (2, "I", 181, "Jordan STOLZ", "USA"),
    (2, "O", 131, "Joep WENNEMARS", "NED"),
]


@pytest.fixture
def race():
    return make_race(title="Men 1000m Division A", gender="men", distance=1000, draw=DRAW_1000)


@pytest.fixture
def secret(race):
    return make_timing_token(race.competition)


def post(client, race, secret, **body):
    return timing_post(client, race.pk, secret, body)


def version(race):
    return selectors.race_version(race.pk)


def snapshot(race):
    return json.loads(selectors.race_snapshot_current(race.pk).payload)


def refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == code and body["message"], body
    return body["message"]


# --- passages ----------------------------------------------------------------------------------------------------


def test_a_passage_is_recorded_once_and_published_once(client, race, secret):
    before = version(race)
    first = post(client, race, secret, heat=2, lane="I", distance=200, time="16.38")
    assert first.status_code == 201
    assert first.json() == {
        "status": "recorded",
        "kind": "passage",
        "race": race.pk,
        "heat": 2,
        "bib": 181,
        "lane": "I",
        "skater": "Jordan STOLZ",
        "distance": 200,
        "time": "16.38",
        "time_ms": 16380,
        "version": before + 1,
    }
    assert version(race) == before + 1
    document = snapshot(race)
    assert document["change"] == {"kind": "passage", "heat": 2, "bibs": [181]}
    assert document["race"]["status"] == "LIVE"  # the first passage: the race is on

    again = post(client, race, secret, heat=2, lane="I", distance=200, time_ms=16380)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert version(race) == before + 1  # nothing published the second time
    assert Passage.objects.filter(start__bib=181).count() == 1


def test_time_in_any_form_parse_time_accepts(client, race, secret):
    assert post(client, race, secret, heat=2, lane="O", distance=200, time="16,215").status_code == 201
    assert post(client, race, secret, heat=2, lane="O", distance=600, time="41 s").status_code == 400
    assert post(client, race, secret, heat=2, lane="O", distance=600, time="41.229").status_code == 201
    assert list(Passage.objects.filter(start__bib=131).values_list("time_ms", flat=True)) == [16215, 41229]


def test_the_snapshot_shows_who_is_on_the_ice_with_rank_and_gap_to_the_leader(client, race, secret):
    for lane, distance, time in [("I", 200, "16.30"), ("O", 200, "16.52"), ("I", 600, "41.05"), ("O", 600, "41.60")]:
        assert post(client, race, secret, heat=1, lane=lane, distance=distance, time=time).status_code == 201
    assert post(client, race, secret, heat=1, lane="I", distance=1000, time="1:06.02").status_code == 201
    assert post(client, race, secret, heat=1, lane="O", distance=1000, time="1:07.30").status_code == 201
    post(client, race, secret, heat=2, lane="O", distance=200, time="16.21")
    post(client, race, secret, heat=2, lane="I", distance=200, time="16.38")
    post(client, race, secret, heat=2, lane="I", distance=600, time="40.98")

    document = snapshot(race)
    assert document["race"]["passages"] == [200, 600]
    leader = {"kind": "leader", "bib": 157, "skater": start_of(race, 157).skater_id, "name": "Damian ŻUREK"}
    duel = document["on_ice"][0].pop("head_to_head")
    assert [(p["distance"], p["gap"], p["ahead"]) for p in duel["points"]] == [(200, "0.17", 131), (600, "", None)]
    assert document["on_ice"] == [
        {
            "heat": 2,
            "skaters": [
                {
                    "bib": 181,
                    "skater": start_of(race, 181).skater_id,
                    "name": "Jordan STOLZ",
                    "nation": "USA",
                    "lane": "I",
                    "passage": {
                        "distance": 600, "time": "40.98", "time_ms": 40980, "rank": 1, "behind": "-0.07",
                        # 40.98 + (1:06.02 - 41.05) as the leader skated it: 1:05.95, 1st.
                        "projected": {"time": "1:05.95", "time_ms": 65950, "rank": 1, "reference": leader},
                        "to_podium": None, "to_pb": None, "to_sb": None,
                    },
                },
                {
                    "bib": 131,
                    "skater": start_of(race, 131).skater_id,
                    "name": "Joep WENNEMARS",
                    "nation": "NED",
                    "lane": "O",
                    "passage": {
                        "distance": 200, "time": "16.21", "time_ms": 16210, "rank": 1, "behind": "-0.09",
                        "projected": {"time": "1:05.93", "time_ms": 65930, "rank": 1, "reference": leader},
                        "to_podium": None, "to_pb": None, "to_sb": None,
                    },
                },
            ],
        }
    ]  # fmt: skip
    zurek = next(row for row in document["standings"] if row["bib"] == 157)
    assert zurek["splits"] == [
        {"distance": 200, "time": "16.30", "time_ms": 16300, "lap": None},
        {"distance": 600, "time": "41.05", "time_ms": 41050, "lap": "24.75"},
        {"distance": 1000, "time": "1:06.02", "time_ms": 66020, "lap": "24.97"},
    ]

    # Stolz finishes: he leads, is off the ice, and Wennemars' gap is now to him.
    assert post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66").status_code == 201
    document = snapshot(race)
    assert [s["bib"] for heat in document["on_ice"] for s in heat["skaters"]] == [131]
    assert document["on_ice"][0]["skaters"][0]["passage"]["behind"] == "-0.17"
    assert document["standings"][0]["bib"] == 181 and document["standings"][0]["splits"][-1]["lap"] == "24.68"


def test_passage_refusals(client, race, secret):
    assert post(client, race, secret, heat=2, lane="I", distance=600, time="40.98").status_code == 201
    message = refused(
        post(client, race, secret, heat=2, lane="I", distance=400, time="30.00"), 422, "not_a_passage_point"
    )
    assert message == "400 m is not a passage point of a 1000 m: passages are at 200, 600 m, the finish at 1000 m."
    message = refused(
        post(client, race, secret, heat=2, lane="I", distance=200, time="41.00"), 422, "time_not_increasing"
    )
    assert message == "41.00 at 200 m is not before Jordan STOLZ's 40.98 at 600 m."
    # A late 200 m passage that fits is taken.
    assert post(client, race, secret, heat=2, lane="I", distance=200, time="16.38").status_code == 201
    message = refused(post(client, race, secret, heat=2, lane="I", distance=600, time="40.99"), 409, "time_conflict")
    assert message == (
        "Jordan STOLZ's 600 m passage is already recorded as 40.98, not 40.99. Corrections are made by an official."
    )
    message = refused(post(client, race, secret, heat=2, lane="I", distance=1000, time="40.50"), 422, "impossible_time")
    assert message == "40.50 for 1000 m is faster than anyone can skate (at least 1:02): check the time."
    assert post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66").status_code == 201
    assert post(client, race, secret, heat=2, lane="I", distance=600, time="40.98").json()["status"] == "unchanged"
    refused(post(client, race, secret, heat=2, lane="O", distance=1200, time="1:20.00"), 422, "not_a_passage_point")


def test_a_passage_after_the_result_is_in(client, race, secret):
    post(client, race, secret, heat=2, lane="I", distance=200, time="16.38")
    post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66")
    message = refused(post(client, race, secret, heat=2, lane="I", distance=600, time="40.98"), 409, "after_finish")
    assert message == "Jordan STOLZ already has a result (1:05.66): no passage can come after it."
    enter_heat(race, 1, {157: "DNF", 151: "1:07.30"})
    message = refused(post(client, race, secret, heat=1, lane="I", distance=200, time="16.30"), 409, "after_finish")
    assert message == "Damian ŻUREK already has a result (DNF): no passage can come after it."


def test_unknown_heat_lane_and_bib(client, race, secret):
    message = refused(post(client, race, secret, heat=9, lane="I", distance=200, time="16.38"), 404, "heat_not_found")
    assert message == "Men 1000m Division A has no pair 9."
    services.start_remove(start=start_of(race, 131))
    message = refused(post(client, race, secret, heat=2, lane="O", distance=200, time="16.21"), 404, "lane_not_found")
    assert message == "Nobody skates in lane O of pair 2."
    message = refused(post(client, race, secret, heat=2, bib=157, distance=200, time="16.30"), 404, "bib_not_found")
    assert message == "Bib 157 does not skate in pair 2."
    message = refused(
        post(client, race, secret, heat=2, lane="O", bib=181, distance=200, time="16.30"), 422, "bib_lane_mismatch"
    )
    assert message == "Bib 181 skates in lane I of pair 2, not in lane O."


def test_a_quartet_start_needs_the_bib(client):
    quartet = make_race(
        title="Men 5000m Division B",
        gender="men",
        distance=5000,
        draw=[
            (1, "I", 11, "Anna ALPHA", "NED"),
            (1, "O", 12, "Bea BRAVO", "USA"),
            (1, "I", 13, "Cleo CHARLIE", "JPN"),
            (1, "O", 14, "Dana DELTA", "CAN"),
        ],
    )
    secret = make_timing_token(quartet.competition)
    message = refused(
        post(client, quartet, secret, heat=1, lane="I", distance=200, time="19.80"), 422, "lane_ambiguous"
    )
    assert message == "Two skaters share lane I of pair 1 (a quartet start): say which one with “bib” (11 or 13)."
    response = post(client, quartet, secret, heat=1, lane="I", bib=13, distance=200, time="19.80")
    assert response.status_code == 201 and response.json()["skater"] == "Cleo CHARLIE"
    assert post(client, quartet, secret, heat=1, bib=12, distance=600, time="49.10").status_code == 201  # bib alone
    assert snapshot(quartet)["race"]["passages"][:3] == [200, 600, 1000]


# --- finishes ------------------------------------------------------------------------------------------------------


def test_a_finish_is_the_skaters_result_with_its_history(client, race, secret):
    before = version(race)
    response = post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66")
    assert response.status_code == 201
    assert response.json()["kind"] == "finish" and response.json()["version"] == before + 1
    stolz = start_of(race, 181)
    assert (stolz.status, stolz.time_ms, stolz.result_source) == ("OK", 65660, "timing")
    assert start_of(race, 131).status == ""  # the heat is partial until Wennemars finishes
    change = ResultChange.objects.get(start=stolz)
    assert (change.kind, change.new_time_ms, change.by, change.version) == ("entered", 65660, None, before + 1)
    assert heat_of(race, 2).revision == 1
    document = snapshot(race)
    assert document["race"]["status"] == "LIVE" and document["last_heat"] == 2
    assert document["change"] == {"kind": "results", "heat": 2, "bibs": [181]}
    assert [row["bib"] for row in document["standings"]] == [181]

    again = post(client, race, secret, heat=2, lane="I", distance=1000, time_ms=65660)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert version(race) == before + 1 and heat_of(race, 2).revision == 1

    message = refused(post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.67"), 409, "time_conflict")
    assert message == (
        "Jordan STOLZ's finish is already recorded from the timing system as 1:05.66, not 1:05.67. An official "
        "corrects it on the entry screen."
    )


def test_the_last_finish_of_the_race_makes_it_unofficial(client, race, secret):
    enter_heat(race, 1, {157: "1:06.02", 151: "1:07.30"})
    post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66")
    post(client, race, secret, heat=2, lane="O", distance=1000, time="1:07.012")
    document = snapshot(race)
    assert document["race"]["status"] == "UNOFFICIAL"
    assert [(row["bib"], row["time"]) for row in document["standings"]] == [
        (181, "1:05.66"),
        (157, "1:06.02"),
        (131, "1:07.01"),
        (151, "1:07.30"),
    ]


def test_an_implausible_finish_is_saved_with_a_warning(client, race, secret):
    response = post(client, race, secret, heat=2, lane="O", distance=1000, time="1:35.10")  # a fall
    assert response.status_code == 201
    assert (
        response.json()["warning"] == "1:35.10 is outside the usual 1:04–1:30 for a 1000 m. Check it (a fall? a typo?)."
    )


def test_an_officials_result_stands(client, race, secret):
    official = make_user("tina", TIMING_OFFICIAL)
    enter_heat(race, 2, {181: "1:05.66", 131: "1:07.012"}, by=official)
    assert start_of(race, 181).result_source == "manual"
    before = version(race)
    response = post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.70")
    assert response.status_code == 200
    assert response.json()["status"] == "ignored" and response.json()["message"] == "An official's result stands."
    assert start_of(race, 181).time_ms == 65660 and version(race) == before


def test_an_official_corrects_a_timing_finish_and_the_timing_system_cannot_undo_it(client, race, secret):
    post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66")
    post(client, race, secret, heat=2, lane="O", distance=1000, time="1:07.012")
    official = make_user("tina", TIMING_OFFICIAL)
    enter_heat(race, 2, {181: "1:05.66", 131: "1:07.02"}, by=official, reason="photo finish")
    assert start_of(race, 181).result_source == "timing"  # unchanged by the official's save: still the timing's
    assert start_of(race, 131).result_source == "manual"
    assert post(client, race, secret, heat=2, lane="O", distance=1000, time="1:07.012").json()["status"] == "ignored"
    assert start_of(race, 131).time_ms == 67020


def test_clearing_a_heat_lets_the_timing_system_fill_it_again(client, race, secret):
    official = make_user("tina", TIMING_OFFICIAL)
    enter_heat(race, 2, {181: "1:05.66", 131: "1:07.012"}, by=official)
    services.heat_results_clear(heat=heat_of(race, 2), by=official)
    assert start_of(race, 181).result_source == ""
    assert post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66").status_code == 201


def test_a_replay_counts_as_the_system(race):
    enter_heat(race, 1, {157: "1:06.02", 151: "1:07.30"})  # by nobody: the system
    assert set(Start.objects.filter(heat__race=race, bib__in=[157, 151]).values_list("result_source", flat=True)) == {
        "timing"
    }


def test_an_official_or_protested_race_is_closed_to_the_timing_system(client, race, secret):
    enter_heat(race, 1, {157: "1:06.02", 151: "1:07.30"})
    enter_heat(race, 2, {181: "1:05.66", 131: "1:07.012"})
    referee = make_user("rafa", REFEREE)
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=referee)
    message = refused(post(client, race, secret, heat=2, lane="I", distance=200, time="16.38"), 409, "race_closed")
    assert message == "Men 1000m Division A is official: the timing system can no longer post to it."
    services.race_status_set(race=race, status=Race.State.PROTESTED, by=referee, reason="protest by NED")
    message = refused(post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66"), 409, "race_closed")
    assert message == "Men 1000m Division A is under review: the timing system can no longer post to it."


# --- tokens and requests -------------------------------------------------------------------------------------------


def test_tokens(client, race, secret):
    body = {"heat": 2, "lane": "I", "distance": 200, "time": "16.38"}
    response = timing_post(client, race.pk, None, body)
    assert refused(response, 401, "token_missing") == (
        "Send the competition's timing token in the header “Authorization: Bearer <token>”."
    )
    assert response["WWW-Authenticate"] == 'Bearer realm="timing"'
    refused(timing_post(client, race.pk, "skt_not-a-token", body), 401, "token_invalid")
    basic = client.post(
        f"/api/timing/races/{race.pk}/passages",
        data=body,
        content_type="application/json",
        headers={"Authorization": "Basic eA=="},
    )
    refused(basic, 401, "token_missing")

    other = make_competition("Another World Cup")
    message = refused(timing_post(client, race.pk, make_timing_token(other), body), 403, "wrong_competition")
    assert message == f"This token is for Another World Cup; race {race.pk} is part of Test World Cup."

    token = TimingToken.objects.get(token_hash=token_digest(secret))
    assert token.prefix == secret[:8] and secret.startswith("skt_") and secret not in str(token.__dict__)
    assert timing_post(client, race.pk, secret, body).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    timing_token_revoke(token=token)
    message = refused(timing_post(client, race.pk, secret, body), 401, "token_revoked")
    assert re.fullmatch(r"This token was revoked on \d{4}-\d\d-\d\d \d\d:\d\d\. Ask .+ for a new one\.", message)
    # Another token of the same competition (a second timing computer) still works.
    assert timing_post(client, race.pk, make_timing_token(race.competition, "Lane I"), body).status_code == 200


def test_unknown_race_and_wrong_method(client, race, secret):
    message = refused(timing_post(client, 999999, secret, {"heat": 1}), 404, "race_not_found")
    assert message == "No race with id 999999."
    response = client.get(f"/api/timing/races/{race.pk}/passages", headers={"Authorization": f"Bearer {secret}"})
    refused(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("{heat: 2}", "invalid_json", None),
        ("", "invalid_json", None),
        ("[1, 2]", "invalid_body", None),
        ({"lane": "I", "distance": 200, "time": "16.38"}, "missing_field", None),
        (
            {"heat": 2, "distance": 200, "time": "16.38"},
            "missing_field",
            "Say whose time it is: “lane” (I or O), or “bib” in a quartet start.",
        ),
        ({"heat": 2, "lane": "I", "distance": 200}, "missing_field", None),
        (
            {"heat": "2", "lane": "I", "distance": 200, "time": "16.38"},
            "invalid_field",
            '“heat” must be the pair\'s number (a whole number from 1 to 999), not "2".',
        ),
        (
            {"heat": 2, "lane": "inner", "distance": 200, "time": "16.38"},
            "invalid_field",
            '“lane” must be “I” (inner) or “O” (outer), not "inner".',
        ),
        ({"heat": 2, "lane": "I", "distance": 200.5, "time": "16.38"}, "invalid_field", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time": 16.38}, "invalid_field", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time_ms": 0}, "invalid_field", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time_ms": True}, "invalid_field", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time": "16.38", "time_ms": 16380}, "time_twice", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time": "16.3"}, "invalid_time", None),
        ({"heat": 2, "lane": "I", "distance": 200, "time": "0.00"}, "invalid_time", "A time must be more than zero."),
    ],
)
def test_malformed_posts(client, race, secret, body, code, message):
    shown = refused(timing_post(client, race.pk, secret, body), 400, code)
    if message:
        assert shown == message
    assert not Passage.objects.exists()


def test_every_error_is_documented_with_its_status():
    docs = DOCS.read_text(encoding="utf-8")
    for code, status in STATUS_BY_CODE.items():
        assert re.search(rf"^\| {status} \| `{code}` \|", docs, re.MULTILINE), (
            f"{code} ({status}) missing from the table"
        )
    # Every refusal code of the service has a status (and so a row in the table).
    constants = [value for name, value in vars(timing).items() if name.isupper() and isinstance(value, str)]
    refusal_codes = {value for value in constants if re.fullmatch(r"[a-z]+(_[a-z]+)+", value)}
    assert len(refusal_codes) == 12 and refusal_codes <= set(STATUS_BY_CODE)


# --- locks ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_official_saves_a_pair_while_a_passage_holds_its_own_pairs_lock(postgres_db, monkeypatch):
    """PostgreSQL: a passage locks its heat's row only, so an official's save of another pair goes through while
    the passage is still in its transaction; the passage then publishes after it."""
    import threading

    from django.db import connections

    race = make_race(title="Men 1000m Division A", gender="men", distance=1000, draw=DRAW_1000)
    inside, release = threading.Event(), threading.Event()
    real_check = timing._check_order

    def slow_check(*args, **kwargs):
        inside.set()  # the heat row is locked now
        assert release.wait(10)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(timing, "_check_order", slow_check)
    outcome = {}

    def timing_system():
        try:
            post = timing.TimingPost(heat=2, lane="I", distance=200, time_ms=16380)
            outcome["passage"] = timing.timing_post_record(race=Race.objects.get(pk=race.pk), post=post)
        finally:
            connections.close_all()

    enter_heat(race, 1, {157: "1:06.02", 151: "1:07.30"})  # the race is live: a passage leaves the race row alone
    thread = threading.Thread(target=timing_system)
    thread.start()
    assert inside.wait(10)
    official = make_user("tina", TIMING_OFFICIAL)
    enter_heat(race, 1, {157: "1:06.02", 151: "1:07.31"}, by=official, reason="photo finish")  # does not wait
    saved_version = version(race)
    release.set()
    thread.join(10)
    assert outcome["passage"].status == "recorded" and outcome["passage"].version == saved_version + 1
    assert start_of(race, 151).time_ms == 67310


def test_the_documented_messages_are_the_ones_sent():
    from results.api import timing as timing_api

    docs = DOCS.read_text(encoding="utf-8")
    for module in (timing_api, timing):
        for name, value in vars(module).items():
            if name.startswith(("ERROR_", "MESSAGE_")) and "{" not in value:
                assert value in docs, name


# --- hardening: nothing false goes on air, nothing malformed costs a 500 ------------------------------------------


def test_a_physically_impossible_finish_is_refused_and_nothing_goes_on_air(client, race, secret):
    before = snapshot(race)
    message = refused(post(client, race, secret, heat=2, lane="I", distance=1000, time_ms=1), 422, "impossible_time")
    assert message == "0.001 for 1000 m is faster than anyone can skate (at least 1:02): check the time."
    assert snapshot(race) == before


def test_a_passage_of_a_billion_years_is_refused_and_the_real_finish_still_goes_in(client, race, secret):
    refused(post(client, race, secret, heat=2, lane="I", distance=600, time_ms=2**62), 400, "invalid_field")
    refused(post(client, race, secret, heat=2, lane="I", distance=600, time_ms=2**31 - 1), 422, "impossible_time")
    assert not Passage.objects.exists()
    assert post(client, race, secret, heat=2, lane="I", distance=1000, time="1:05.66").status_code == 201


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "invalid_json"),
        ('{"heat": 2, "lane": "I", "distance": 1000, "time_ms": 9223372036854775808}', "invalid_field"),
        ('{"heat": 99999999999999999999, "lane": "I", "distance": 1000, "time": "1:05.66"}', "invalid_field"),
        ('{"heat": 2, "bib": 99999999999999999999, "distance": 1000, "time": "1:05.66"}', "invalid_field"),
        ('{"heat": 2, "lane": "I", "distance": 1000, "time": "' + "9" * 5000 + '"}', "invalid_time"),
    ],
)
def test_malformed_bodies_get_a_json_400_never_a_500(client, race, secret, body, code):
    response = timing_post(client, race.pk, secret, body)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"] == code and len(response.json()["message"]) < 300


def test_a_locked_database_answers_the_documented_json_503(client, race, secret, monkeypatch):
    from django.db.utils import OperationalError

    def locked(**_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(timing_api, "timing_token_used", locked)
    response = post(client, race, secret, heat=2, lane="I", distance=600, time="40.98")
    assert response.status_code == 503 and response.json()["error"] == "not_saved"
