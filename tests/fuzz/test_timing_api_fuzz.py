"""The timing systems' API (``POST /api/timing/races/<id>/passages``, docs/timing-api.md) under any request a
stranger or a broken timing computer could send: any JSON (nested, wrong types, huge or negative numbers, odd
unicode, fields missing), any bytes, any content type, any method, any token, any race.

For every request: the answer is JSON, never a server error; a refusal has a documented code at its documented
status and a sentence; nothing is logged as an error; a refusal changes nothing saved (only when the token was last
used), and neither does a post answered "unchanged" or "ignored".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from results.api.timing import ERROR_INVALID_BODY, STATUS_BY_CODE, Refusal, timing_post_parse
from results.models import Race, TimingToken
from results.services.timing_tokens import timing_token_revoke
from tests.fuzz.properties import assert_json_refusal, assert_no_server_error, checked_example, fingerprint, tally
from tests.fuzz.strategies import JSON_VALUES, TEXT, TIME_TEXT, json_text, mostly, mutated
from tests.support.factories import enter_heat, make_competition, make_race
from tests.support.timing import make_timing_token, passages_path, timing_post

DRAW = [
    (1, "I", 157, "Damian ŻUREK", "POL"),
    (1, "O", 151, "Marek KANIA", "POL"),
    (2, "I", 181, "Jordan STOLZ", "USA"),
    (2, "O", 131, "Joep WENNEMARS", "NED"),
    (3, "I", 111, "Ning ZHONGYAN", "CHN"),
    (3, "O", 112, "Laurent DUBREUIL", "CAN"),
]
BIBS = [bib for _heat, _lane, bib, _name, _nation in DRAW]
# What a timing system means to send: a pair, a lane or a bib (or both), a passage point or the finish, a time as
# text or in thousandths; mostly right for this race, and now and then for no race at all.
SKATER = st.one_of(
    st.fixed_dictionaries({"lane": st.sampled_from(["I", "O"])}),
    st.fixed_dictionaries({"bib": st.sampled_from(BIBS)}),
    st.fixed_dictionaries({"lane": st.sampled_from(["I", "O"]), "bib": st.sampled_from(BIBS)}),
)
TIME = st.one_of(
    st.fixed_dictionaries({"time": TIME_TEXT}),
    st.fixed_dictionaries({"time_ms": st.integers(min_value=10_000, max_value=90_000)}),
)
RIGHT_POSTS = st.builds(
    lambda pair, skater, time: {**pair, **skater, **time},
    st.fixed_dictionaries(
        {"heat": st.integers(min_value=1, max_value=4), "distance": st.sampled_from([200, 600, 1000, 400])}
    ),
    SKATER,
    TIME,
)
POSTS = mutated(RIGHT_POSTS, JSON_VALUES)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=latin-1",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "",
        ]
    ),
    st.text(st.characters(max_codepoint=255), max_size=30),
)
LATIN_1 = st.text(st.characters(max_codepoint=255, exclude_categories=["Cs"]), max_size=60)


BODIES = st.one_of(
    JSON_VALUES.map(json_text).map(str.encode),
    st.binary(max_size=200),
    TEXT.map(str.encode),
    st.integers(min_value=1, max_value=50_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=1, max_value=50_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
)


@dataclass(frozen=True)
class Timing:
    """A 1000 m: pair 1 finished, pair 2 with Stolz's 200 m passage in, pair 3 to skate; the competition's token,
    a revoked one, and a race of another competition with its own token."""

    race: Race
    secret: str
    revoked: str
    other: Race
    foreign: str

    @classmethod
    def build(cls, client: Any) -> Timing:
        race = make_race(title="Men 1000m Division A", gender="men", distance=1000, draw=DRAW)
        enter_heat(race, 1, {157: "1:06.02", 151: "1:07.30"})
        secret = make_timing_token(race.competition)
        assert timing_post(client, race.pk, secret, {"heat": 2, "lane": "I", "distance": 200, "time": "16.38"})
        revoked = make_timing_token(race.competition, name="Old laptop")
        timing_token_revoke(token=TimingToken.objects.get(name="Old laptop"))
        other = make_race(make_competition("Another Cup"), title="Women 500m")
        return cls(race, secret, revoked, other, make_timing_token(other.competition))

    def post(self, client: Any, body: bytes, **request: Any) -> Any:
        """Send one request (by default a POST of ``body`` as JSON with the token) and check its answer; returns
        whether it was refused (or changed nothing, as documented: "unchanged", "ignored")."""
        method = request.get("method", "POST")
        authorization = request.get("authorization", f"Bearer {self.secret}")
        headers = {"Authorization": authorization} if authorization is not None else {}
        response = client.generic(
            method,
            passages_path(request.get("race_id", self.race.pk)),
            data=body,
            content_type=request.get("content_type", "application/json"),
            headers=headers,
        )
        assert_no_server_error(response)
        if method == "HEAD":  # the same refusal as GET, without its body
            assert response.status_code == STATUS_BY_CODE["method_not_allowed"]
            tally("405 HEAD")
            return True
        assert response["Content-Type"].startswith("application/json")
        if response.status_code >= 400:
            tally(f"{response.status_code} {assert_json_refusal(response, STATUS_BY_CODE)['error']}")
            return True
        answer = response.json()
        assert (response.status_code, answer["status"]) in {(201, "recorded"), (200, "unchanged"), (200, "ignored")}
        tally(f"{response.status_code} {answer['status']}")
        return answer["status"] != "recorded"


@pytest.mark.django_db
def test_any_json_post_with_the_token_is_recorded_or_refused_in_words(client):
    timing = Timing.build(client)
    before = fingerprint()

    @given(body=POSTS)
    def example_post(body: dict[str, object]) -> None:
        with checked_example(before) as refused:
            refused.append(timing.post(client, json_text(body).encode()))

    example_post()


@pytest.mark.django_db
def test_any_request_gets_a_json_answer_and_a_refusal_changes_nothing(client):
    timing = Timing.build(client)
    secret = timing.secret
    before = fingerprint()
    authorizations = st.one_of(
        st.none(),
        st.sampled_from(
            [f"bearer  {secret} ", f"Bearer {timing.revoked}", f"Bearer {timing.foreign}", f"Bearer {secret}x"]
        ),
        st.sampled_from(["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", f"Token {secret}"]),
        LATIN_1,
    )

    @given(
        method=mostly(st.just("POST"), st.sampled_from(["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])),
        race_id=mostly(st.just(timing.race.pk), st.sampled_from([timing.other.pk, 999_999_999, 0])),
        authorization=mostly(st.just(f"Bearer {secret}"), authorizations),
        content_type=mostly(st.just("application/json"), CONTENT_TYPES),
        body=mostly(POSTS.map(json_text).map(str.encode), BODIES),
    )
    @example(
        method="POST",
        race_id=0,  # the race is read from the URL: this one is not found
        authorization=f"Bearer {secret}",
        content_type="application/json",
        body=b" " * (2_621_440 + 1),
    )
    def example_request(method: str, race_id: int, authorization: str | None, content_type: str, body: bytes) -> None:
        with checked_example(before) as refused:
            request = {"method": method, "race_id": race_id, "authorization": authorization}
            refused.append(timing.post(client, body, content_type=content_type, **request))

    example_request()


def test_a_field_of_any_json_value_is_read_or_refused_with_its_name():
    """The body's reading alone (no database): whatever the values, a post or a refusal naming what is wrong."""

    @given(body=mostly(POSTS, JSON_VALUES))
    def example_body(body: object) -> None:
        try:
            post = timing_post_parse(body)
        except Refusal as refusal:
            assert refusal.code in STATUS_BY_CODE and refusal.message.strip()
            tally(refusal.code)
            if isinstance(body, dict):
                assert refusal.message != ERROR_INVALID_BODY
            return
        tally("read")
        assert isinstance(body, dict)
        assert 1 <= post.heat <= 999 and 1 <= post.distance <= 10_000 and 0 < post.time_ms <= 2_147_483_647
        assert post.lane in {"I", "O", None} and (post.lane is not None or post.bib is not None)

    example_body()
