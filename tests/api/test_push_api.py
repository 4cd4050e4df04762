"""The public push API (docs/feed.md, "Push notifications"): the VAPID key, subscribing with the skaters followed,
unsubscribing; every mistake a clear 4xx that changes nothing, and only the browsers' push services accepted."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from results.live.vapid import vapid_key_forget
from results.models import PushFollow, PushSubscription, Skater
from tests.support.push_service import PushClient

pytestmark = pytest.mark.django_db

URL = "/api/push/subscriptions"
FCM = "https://fcm.googleapis.com"
SHORT_KEYS = {"p256dh": "AAAA", "auth": "AAAA"}


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    cache.clear()  # the per-address counts
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")
    vapid_key_forget()
    yield
    vapid_key_forget()


@pytest.fixture
def skaters() -> list[Skater]:
    return [Skater.objects.create(name=name, nation="NED") for name in ("Jutta LEERDAM", "Femke KOK", "Jenning DE BOO")]


def browser(origin: str = FCM) -> dict[str, Any]:
    subscription = PushClient.create(origin).subscription_json()
    subscription["endpoint"] = subscription["endpoint"].replace(origin + "/push/", origin + "/fcm/send/")
    return subscription


def post(client, body: Any, **headers: str):
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def test_the_key_is_the_vapid_public_key_browsers_subscribe_with_and_stays_the_same(client, settings):
    first = client.get("/api/push/key")
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=3600"
    point = base64.urlsafe_b64decode(first.json()["public_key"] + "==")
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    vapid_key_forget()  # another process, the same key file
    assert client.get("/api/push/key").json() == first.json()
    assert Path(settings.VAPID_KEY_FILE).read_text().startswith("-----BEGIN PRIVATE KEY")


def test_a_key_given_in_the_environment_is_the_one_used(client, settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert base64.urlsafe_b64decode(client.get("/api/push/key").json()["public_key"] + "==") == point


def test_subscribing_keeps_the_endpoint_keys_language_and_skaters_and_a_second_post_replaces_the_list(client, skaters):
    subscription = browser()
    answer = post(
        client, {"subscription": subscription, "skaters": [skaters[0].pk, skaters[1].pk]}, accept_language="nl"
    )
    assert answer.status_code == 201
    assert answer.json() == {"endpoint": subscription["endpoint"], "skaters": [skaters[0].pk, skaters[1].pk],
                             "language": "nl"}  # fmt: skip
    kept = PushSubscription.objects.get()
    assert (kept.endpoint, kept.p256dh, kept.auth) == (
        subscription["endpoint"],
        subscription["keys"]["p256dh"],
        subscription["keys"]["auth"],
    )
    since = PushFollow.objects.get(skater=skaters[1]).since

    again = post(client, {"subscription": subscription, "skaters": [skaters[1].pk, skaters[2].pk], "language": "de"})
    assert again.status_code == 201 and again.json()["language"] == "de"
    assert sorted(PushFollow.objects.values_list("skater_id", flat=True)) == [skaters[1].pk, skaters[2].pk]
    assert PushFollow.objects.get(skater=skaters[1]).since == since  # followed all along
    assert PushSubscription.objects.count() == 1


def test_unsubscribing_forgets_the_browser_and_its_skaters(client, skaters):
    subscription = browser()
    post(client, {"subscription": subscription, "skaters": [skaters[0].pk]})
    response = client.delete(URL, json.dumps({"endpoint": subscription["endpoint"]}), content_type="application/json")
    assert response.status_code == 204
    assert not PushSubscription.objects.exists() and not PushFollow.objects.exists()
    unknown = client.delete(
        URL, json.dumps({"endpoint": "https://fcm.googleapis.com/x"}), content_type="application/json"
    )
    assert unknown.status_code == 204


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/push/abc",
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://fcm.googleapis.com.evil.example/x",
        "https://user@fcm.googleapis.com/x",
        "https://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "file:///etc/passwd",
    ],
)
def test_a_subscription_to_anything_but_a_browsers_push_service_is_refused(client, skaters, endpoint):
    subscription = {**browser(), "endpoint": endpoint}
    response = post(client, {"subscription": subscription, "skaters": [skaters[0].pk]})
    assert response.status_code == 403
    assert response.json()["error"] == "not_a_push_service"
    assert "push services" in response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_push_services_by_wildcard_host_are_accepted(client, skaters):
    subscription = {**browser(), "endpoint": "https://wns2-by3p.notify.windows.com/w/?token=abc"}
    assert post(client, {"subscription": subscription, "skaters": [skaters[0].pk]}).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ([], 400, "invalid_body"),
        ({"skaters": [1]}, 400, "invalid_subscription"),
        ({"subscription": "x", "skaters": [1]}, 400, "invalid_subscription"),
        ({"subscription": {"endpoint": FCM + "/x", "keys": SHORT_KEYS}}, 400, "invalid_subscription"),
        ({"subscription": "BROWSER", "skaters": "41"}, 400, "invalid_skaters"),
        ({"subscription": "BROWSER", "skaters": [True]}, 400, "invalid_skaters"),
        ({"subscription": "BROWSER", "skaters": list(range(1, 52))}, 400, "invalid_skaters"),
        ({"subscription": "BROWSER", "skaters": [999999]}, 422, "unknown_skaters"),
    ],
)  # fmt: skip
def test_a_bad_body_is_refused_with_what_is_wrong_and_nothing_is_kept(client, skaters, body, status, error):
    if isinstance(body, dict) and body.get("subscription") == "BROWSER":
        body = {**body, "subscription": browser()}
    response = post(client, body)
    assert response.status_code == status, response.content
    assert response.json()["error"] == error and response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_a_public_key_off_the_curve_is_refused(client, skaters):
    subscription = browser()
    subscription["keys"]["p256dh"] = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).rstrip(b"=").decode()
    response = post(client, {"subscription": subscription, "skaters": [skaters[0].pk]})
    assert response.status_code == 400 and "P-256" in response.json()["message"]


def test_not_json_too_large_and_wrong_methods_are_refused_cleanly(client):
    assert client.post(URL, "{", content_type="application/json").status_code == 400
    large = client.post(URL, json.dumps({"x": "y" * 10_000}), content_type="application/json")
    assert large.status_code == 413
    wrong = client.get(URL)
    assert wrong.status_code == 405 and wrong["Allow"] == "POST, DELETE"
    assert client.post("/api/push/key").status_code == 405


def test_an_address_that_changes_subscriptions_too_often_is_told_to_wait(client, skaters, settings):
    settings.PUSH_SUBSCRIBE_RATE = "3/m"
    statuses = [post(client, {"subscription": browser(), "skaters": [skaters[0].pk]}).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    refused = post(client, {"subscription": browser(), "skaters": [skaters[0].pk]})
    assert refused["Retry-After"] == "60" and refused.json()["error"] == "too_many_requests"
    assert PushSubscription.objects.count() == 3
    other = post(client, {"subscription": browser(), "skaters": [skaters[0].pk]}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429  # headers don't change the address: REMOTE_ADDR is the socket's


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "subscription": json_values
        | st.fixed_dictionaries({"endpoint": st.text(max_size=40) | st.just(FCM + "/x"), "keys": json_values}),
        "skaters": json_values,
        "language": json_values,
        "endpoint": json_values,
    },
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies | json_values, method=st.sampled_from(["post", "delete"]))
def test_no_body_a_stranger_sends_gets_a_server_error(client, body, method):
    cache.clear()
    response = getattr(client, method)(URL, json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 204, 400, 403, 413, 422), response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"error", "message"}


def test_sending_threads_that_read_a_new_key_file_at_once_all_get_the_one_key(settings):
    from concurrent.futures import ThreadPoolExecutor

    from results.live.vapid import vapid_public_key

    def first_use(_n: int) -> str:
        vapid_key_forget()
        return vapid_public_key()

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(first_use, range(32)))
    assert len(keys) == 1
    assert [path.name for path in Path(settings.VAPID_KEY_FILE).parent.iterdir()] == ["vapid.pem"]
