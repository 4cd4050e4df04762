"""The local push service of tests/support/push_service.py is faithful: pywebpush, the library that sends the app's
pushes, delivers to it over HTTP as to a browser's push service, and what a real one refuses, it refuses too."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from py_vapid import Vapid, Vapid01  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from tests.support.push_service import PushClient, PushService, b64url, public_key_b64url, unb64url

SUBJECT = "mailto:results@example.org"
MESSAGE = {"type": "result", "race": 12, "skater": "Jutta Leerdam", "time": "1:13.85", "rank": 1}
DAY = 24 * 60 * 60


@pytest.fixture
def service() -> Iterator[PushService]:
    with PushService() as running:
        yield running


def new_vapid(kind: type[Vapid01] = Vapid) -> Any:
    key = kind()
    key.generate_keys()
    return key


@pytest.fixture(scope="module")
def vapid() -> Any:
    return new_vapid()


@pytest.fixture(scope="module")
def stranger() -> Any:
    return new_vapid()


def raw_private_key(key: Any) -> str:
    """A VAPID private key as a settings file holds it: its 32 bytes, base64url."""
    return b64url(key.private_key.private_numbers().private_value.to_bytes(32))


def push(client: PushClient, key: Any, **options: Any) -> requests.Response:
    """Send ``MESSAGE`` to ``client`` with pywebpush, as the app does; ``options`` change webpush's arguments."""
    arguments: dict[str, Any] = {
        "data": json.dumps(MESSAGE),
        "vapid_private_key": key,
        "vapid_claims": {"sub": SUBJECT},
        "content_encoding": "aes128gcm",
        "ttl": 60,
        "timeout": 2,
        **options,
    }
    if arguments["vapid_claims"]:
        arguments["vapid_claims"] = dict(arguments["vapid_claims"])  # webpush adds aud and exp to the dict it gets
    return webpush(client.subscription_json(), **arguments)


def refused_status(client: PushClient, key: Any, **options: Any) -> int:
    with pytest.raises(WebPushException) as refused:
        push(client, key, **options)
    return int(refused.value.response.status_code)


class Changing(requests.Session):
    """A requests session that changes what pywebpush prepared before it goes out."""

    def __init__(self, change: Callable[[requests.PreparedRequest], None]) -> None:
        super().__init__()
        self.change = change

    def send(self, request: requests.PreparedRequest, **options: Any) -> requests.Response:
        self.change(request)
        return super().send(request, **options)


def flip_last_byte(request: requests.PreparedRequest) -> None:
    body = request.body
    assert isinstance(body, bytes)
    request.body = body[:-1] + bytes([body[-1] ^ 1])


def drop_ttl(request: requests.PreparedRequest) -> None:
    del request.headers["TTL"]


def claim_key(public_key: str) -> Callable[[requests.PreparedRequest], None]:
    """Put another public key in the ``k`` of the Authorization header than the one the JWT is signed with."""

    def change(request: requests.PreparedRequest) -> None:
        authorization = request.headers["Authorization"]
        assert isinstance(authorization, str)
        request.headers["Authorization"] = re.sub(r"k=[^,\s]+", f"k={public_key}", authorization)

    return change


def test_a_subscription_is_what_a_browser_gives(service):
    subscription = service.subscribe().subscription_json()

    assert set(subscription) == {"endpoint", "expirationTime", "keys"}
    assert re.fullmatch(rf"{service.origin}/push/[A-Za-z0-9_-]{{32}}", subscription["endpoint"])
    p256dh, auth = subscription["keys"]["p256dh"], subscription["keys"]["auth"]
    assert "=" not in p256dh + auth
    assert len(unb64url(p256dh)) == 65 and unb64url(p256dh)[0] == 4
    assert len(unb64url(auth)) == 16
    assert service.subscribe().subscription_json()["endpoint"] != subscription["endpoint"]


def test_a_pywebpush_message_arrives_decrypted_and_identical(service, vapid):
    client = service.subscribe()

    response = push(client, raw_private_key(vapid), headers={"Urgency": "high", "Topic": "race-12"})

    assert response.status_code == 201
    [delivery] = service.deliveries(client.token)
    assert delivery.payload == json.dumps(MESSAGE).encode()
    assert delivery.payload_json == MESSAGE
    assert (delivery.ttl, delivery.urgency, delivery.topic) == (60, "high", "race-12")
    assert delivery.vapid_key == public_key_b64url(vapid.public_key)
    assert delivery.claims["aud"] == service.origin and delivery.claims["sub"] == SUBJECT
    assert service.failures() == []


def test_pywebpush_sends_the_headers_of_rfc_8030_8291_and_8292(service, vapid):
    client = service.subscribe()

    push(client, vapid)

    headers = service.deliveries()[0].headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == "60"
    assert re.fullmatch(r"vapid t=[\w-]+\.[\w-]+\.[\w-]+,k=[\w-]{87}", headers["authorization"])
    assert "crypto-key" not in headers and "encryption" not in headers


def test_the_drafts_webpush_authorization_is_accepted_too(service):
    client = service.subscribe()

    push(client, new_vapid(Vapid01))

    [delivery] = service.deliveries(client.token)
    assert delivery.headers["authorization"].startswith("WebPush ")
    assert delivery.headers["crypto-key"].startswith("p256ecdsa=")
    assert delivery.payload_json == MESSAGE


@pytest.mark.parametrize(
    ("options", "status"),
    [
        pytest.param({"vapid_claims": {"sub": SUBJECT, "aud": "https://push.example.net"}}, 403, id="aud-other-origin"),
        pytest.param({"vapid_claims": {"sub": SUBJECT, "aud": "http://127.0.0.1:1"}}, 403, id="aud-other-port"),
        pytest.param({"vapid_claims": {"sub": SUBJECT, "exp": int(time.time()) + DAY + 3600}}, 403, id="exp-over-24-h"),
        pytest.param({"vapid_claims": None}, 401, id="no-vapid"),
        pytest.param({"content_encoding": "aesgcm"}, 400, id="aesgcm"),
        pytest.param({"data": "x" * 5000}, 413, id="over-4096-bytes"),
        pytest.param({"headers": {"Urgency": "urgent"}}, 400, id="urgency"),
        pytest.param({"headers": {"Topic": "results of race 12"}}, 400, id="topic"),
    ],
)
def test_what_a_push_service_refuses_is_refused(service, vapid, options, status):
    client = service.subscribe()

    assert refused_status(client, vapid, **options) == status

    assert service.deliveries() == []
    assert [failure.status for failure in service.failures()] == [status]


def test_a_jwt_signed_by_another_key_than_k_is_refused(service, vapid, stranger):
    client = service.subscribe()
    session = Changing(claim_key(public_key_b64url(vapid.public_key)))

    assert refused_status(client, stranger, requests_session=session) == 403

    assert service.deliveries() == []
    assert "not signed by the key k" in service.failures()[0].reason


@pytest.mark.parametrize(("change", "status"), [(flip_last_byte, 400), (drop_ttl, 400)], ids=["body", "ttl"])
def test_a_push_changed_on_the_way_is_refused(service, vapid, change, status):
    client = service.subscribe()

    assert refused_status(client, vapid, requests_session=Changing(change)) == status

    assert service.deliveries() == []
    assert [failure.status for failure in service.failures()] == [status]


def test_a_subscription_restricted_to_a_key_refuses_others(service, vapid, stranger):
    client = service.subscribe(application_server_key=public_key_b64url(vapid.public_key))

    assert refused_status(client, stranger) == 403
    push(client, vapid)

    assert len(service.deliveries(client.token)) == 1


def test_a_token_told_to_answer_410_makes_pywebpush_raise_410(service, vapid):
    client = service.subscribe()
    service.answer(client.token, 410)

    assert refused_status(client, vapid) == 410
    assert refused_status(client, vapid) == 410

    assert service.deliveries() == []
    assert [(attempt.status, attempt.scripted) for attempt in service.attempts(client.token)] == [(410, True)] * 2
    assert service.failures() == []


def test_an_answer_for_some_times_then_delivery(service, vapid):
    client = service.subscribe()
    service.answer(client.token, 429, times=1, retry_after=7)
    service.answer(None, 500, times=1)

    with pytest.raises(WebPushException) as refused:
        push(client, vapid)
    assert (refused.value.status_code, refused.value.retry_after) == (429, "7")
    assert refused_status(client, vapid) == 500
    push(client, vapid)

    assert [attempt.status for attempt in service.attempts()] == [429, 500, 201]
    assert len(service.deliveries(client.token)) == 1


def test_a_delay_holds_the_answer(service, vapid):
    client = service.subscribe()
    service.answer(client.token, delay=0.3)

    started = time.monotonic()
    push(client, vapid)

    assert time.monotonic() - started >= 0.3
    assert len(service.deliveries(client.token)) == 1


def test_unknown_and_unsubscribed_endpoints(service, vapid):
    stranger_endpoint = PushClient.create(service.origin)
    client = service.subscribe()
    service.unsubscribe(client.token)

    assert refused_status(stranger_endpoint, vapid) == 404
    assert refused_status(client, vapid) == 410

    assert [failure.status for failure in service.failures()] == [404, 410]


def test_wait_for_waits_for_pushes_from_other_threads(service, vapid):
    clients = [service.subscribe() for _ in range(20)]

    with ThreadPoolExecutor(max_workers=8) as senders:
        senders.map(lambda client: push(client, vapid), clients)
        deliveries = service.wait_for(20)

    assert {delivery.token for delivery in deliveries} == {client.token for client in clients}
    assert service.wait_for(lambda found: found[0].payload_json == MESSAGE, token=clients[3].token)
    assert service.failures() == []


def test_wait_for_says_what_arrived_when_it_times_out(service, vapid):
    client = service.subscribe()
    refused_status(client, vapid, vapid_claims=None)

    with pytest.raises(TimeoutError, match="no VAPID Authorization header"):
        service.wait_for(1, timeout=0.2)
