"""The public pages, the printed documents and the JSON feed (``/races/<id>/``, ``/competitions/<id>/``,
``/classifications/<id>/``, ``/races/<id>/results.pdf`` and the other PDFs, and under ``/api/`` the standings,
competitions and classifications; docs/feed.md) under any address: any text where the
id goes (ids that exist, zero, huge, padded, signed, slashes, percent signs that encode nothing), any query string,
any method, any ``If-None-Match``.

For every request: never a server error and nothing logged as an error; the page, "not modified", or a refusal:
from the feed, "not found" as JSON with the reason, and a method it does not take with the ones it does; nothing
saved changes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.properties import assert_json_refusal, assert_no_server_error, checked_example, fingerprint, tally
from tests.fuzz.strategies import SHORT_TEXT, mostly, path_segments, query_strings
from tests.support.classification_factories import make_sprint, skate_pair

ADDRESSES = [
    "/races/{}/",
    "/competitions/{}/",
    "/races/{}/results.pdf",
    "/races/{}/start-list.pdf",
    "/competitions/{}/results.pdf",
    "/classifications/{}/",
    "/api/races/{}/standings",
    "/api/competitions/{}/",
    "/api/classifications/{}/",
    "/{}",
    "/api/{}",
]
METHODS = st.sampled_from(["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"])


@pytest.mark.django_db
def test_any_address_is_answered_and_a_refusal_says_why(client):
    classification = make_sprint()
    skate_pair(classification, 1, 1)
    races = list(classification.races.values_list("pk", flat=True))
    ids = [*races, classification.pk, classification.competition_id]
    before = fingerprint()

    @given(
        address=st.sampled_from(ADDRESSES),
        segment=path_segments(ids),
        query=mostly(st.just(""), query_strings({"since": ["1", "3"], "format": ["json"]})),
        method=mostly(st.just("GET"), METHODS),
        etag=st.one_of(st.none(), st.sampled_from(['"race-1-v3"', "*", '"classification-1-v2"', ""]), SHORT_TEXT),
    )
    def example_address(address: str, segment: str, query: str, method: str, etag: str | None) -> None:
        headers = {"If-None-Match": etag} if etag is not None else {}
        with checked_example(before) as refused:
            refused.append(True)  # every page is read-only
            response = client.generic(method, address.format(segment) + (f"?{query}" if query else ""), headers=headers)
            assert_no_server_error(response)
            tally(f"{method} {response.status_code}")
            if response.status_code == 405:
                assert response["Allow"], "a method refused says which ones are taken"
            routed = response.wsgi_request.resolver_match is not None
            if routed and address.startswith("/api/") and response.status_code == 404:
                assert_json_refusal(response)

    example_address()
