"""Browsers that follow skaters with the page closed (docs/feed.md, "Push notifications"): subscribe with the
skaters to follow (the list replaces what the browser followed before), or unsubscribe. Stored: the push service's
endpoint, the browser's keys, the language and the skater ids; nothing about the person."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from results.live.web_push import push_service_allowed
from results.models import PushFollow, PushSubscription, Skater
from results.selectors import MOST_FOLLOWED

ENDPOINT_LENGTH = PushSubscription._meta.get_field("endpoint").max_length or 1000
PUBLIC_KEY_BYTES = 65  # an uncompressed P-256 point (RFC 8291 section 3.1)
AUTH_BYTES = 16

INVALID_SUBSCRIPTION = "invalid_subscription"
ERROR_SUBSCRIPTION = (
    "“subscription” must be the browser's PushSubscription as JSON: "
    '{"endpoint": "https://…", "keys": {"p256dh": "…", "auth": "…"}}.'
)
ERROR_ENDPOINT = f"“subscription.endpoint” must be a push service's https URL of at most {ENDPOINT_LENGTH} characters."
ERROR_P256DH = "“subscription.keys.p256dh” must be the browser's P-256 public key (65 bytes, base64url)."
ERROR_AUTH = f"“subscription.keys.auth” must be the browser's authentication secret ({AUTH_BYTES} bytes, base64url)."
NOT_A_PUSH_SERVICE = "not_a_push_service"
ERROR_NOT_A_PUSH_SERVICE = (
    "This server sends notifications only to the browsers' push services; {origin} is not one of them."
)
INVALID_SKATERS = "invalid_skaters"
ERROR_SKATERS = f"“skaters” must be a list of at most {MOST_FOLLOWED} skater ids, such as [41, 57]."
UNKNOWN_SKATERS = "unknown_skaters"
ERROR_UNKNOWN_SKATERS = "No skater with id {ids}."
INVALID_ENDPOINT = "invalid_endpoint"
ERROR_UNSUBSCRIBE = '“endpoint” must be the subscription\'s endpoint, as in {"endpoint": "https://…"}.'


class PushRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Subscribed:
    endpoint: str
    skaters: list[int]
    language: str


def _unbase64url(text: object, length: int, message: str) -> bytes:
    if not isinstance(text, str) or not text.isascii() or len(text) > 2 * length:
        raise PushRefused(INVALID_SUBSCRIPTION, message)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PushRefused(INVALID_SUBSCRIPTION, message) from None
    if len(raw) != length:
        raise PushRefused(INVALID_SUBSCRIPTION, message)
    return raw


def _browser_keys(keys: object) -> tuple[str, str]:
    if not isinstance(keys, Mapping):
        raise PushRefused(INVALID_SUBSCRIPTION, ERROR_SUBSCRIPTION)
    point = _unbase64url(keys.get("p256dh"), PUBLIC_KEY_BYTES, ERROR_P256DH)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise PushRefused(INVALID_SUBSCRIPTION, ERROR_P256DH) from None
    _unbase64url(keys.get("auth"), AUTH_BYTES, ERROR_AUTH)
    return str(keys["p256dh"]), str(keys["auth"])


def endpoint_checked(endpoint: object) -> str:
    """``endpoint`` if it is a URL on a push service this server sends to; else ``PushRefused``."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_LENGTH or not endpoint.isprintable():
        raise PushRefused(INVALID_SUBSCRIPTION, ERROR_ENDPOINT)
    if not push_service_allowed(endpoint):
        origin = endpoint.split("/", 3)[2] if endpoint.count("/") >= 2 else endpoint
        raise PushRefused(NOT_A_PUSH_SERVICE, ERROR_NOT_A_PUSH_SERVICE.format(origin=origin[:100]))
    return endpoint


def _skater_ids(skaters: object) -> list[int]:
    if not isinstance(skaters, list) or len(skaters) > MOST_FOLLOWED:
        raise PushRefused(INVALID_SKATERS, ERROR_SKATERS)
    if any(isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**31 for pk in skaters):
        raise PushRefused(INVALID_SKATERS, ERROR_SKATERS)
    ids = list(dict.fromkeys(skaters))
    unknown = set(ids) - set(Skater.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if unknown:
        raise PushRefused(UNKNOWN_SKATERS, ERROR_UNKNOWN_SKATERS.format(ids=", ".join(map(str, sorted(unknown)))))
    return ids


def push_subscribe(*, subscription: Any, skaters: Any, language: str) -> Subscribed:
    """Keep ``subscription`` (a browser's PushSubscription as JSON) following ``skaters`` in place of what it
    followed; a skater it already followed stays followed since then."""
    if not isinstance(subscription, Mapping):
        raise PushRefused(INVALID_SUBSCRIPTION, ERROR_SUBSCRIPTION)
    endpoint = endpoint_checked(subscription.get("endpoint"))
    p256dh, auth = _browser_keys(subscription.get("keys"))
    ids = _skater_ids(skaters)
    with transaction.atomic():
        kept, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth, "language": language}
        )
        kept.follows.exclude(skater_id__in=ids).delete()
        already = set(kept.follows.values_list("skater_id", flat=True))
        now = timezone.now()
        PushFollow.objects.bulk_create(
            PushFollow(subscription=kept, skater_id=pk, since=now) for pk in ids if pk not in already
        )
    return Subscribed(endpoint=endpoint, skaters=ids, language=language)


def push_unsubscribe(*, endpoint: Any) -> None:
    """Forget the subscription at ``endpoint`` and what it followed (nothing happens for one that is not kept)."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_LENGTH:
        raise PushRefused(INVALID_ENDPOINT, ERROR_UNSUBSCRIBE)
    PushSubscription.objects.filter(endpoint=endpoint).delete()


def push_subscriptions_gone(*, ids: list[int]) -> None:
    """The push services answered 404 or 410 for these: the browsers unsubscribed, or the subscriptions expired."""
    PushSubscription.objects.filter(pk__in=ids).delete()
