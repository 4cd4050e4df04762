"""The public push API (docs/feed.md, "Push notifications"): the server's VAPID key, and browsers subscribing to
the skaters they follow. Same-origin pages call it (the service worker's page); no cookies, no account.

Every refusal is JSON ``{"error": "<code>", "message": "<sentence>"}`` with the status in ``STATUS_BY_CODE``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language_from_request
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]

from results.api.json_bodies import BodyNotJson, BodyTooLarge, json_body
from results.live.vapid import vapid_public_key
from results.services import push_subscriptions as subscriptions
from results.services.push_subscriptions import PushRefused

logger = logging.getLogger(__name__)

# A PushSubscription's JSON and 50 skater ids are well under a kilobyte.
MAX_BODY_BYTES = 8 * 1024
RATE_GROUP = "push-subscriptions"

METHOD_NOT_ALLOWED = "method_not_allowed"
BODY_TOO_LARGE = "body_too_large"
INVALID_JSON = "invalid_json"
INVALID_BODY = "invalid_body"
TOO_MANY = "too_many_requests"
NOT_SAVED = "not_saved"
ERRORS = {
    BODY_TOO_LARGE: f"The body is too large: a subscription is under {MAX_BODY_BYTES} bytes of JSON.",
    INVALID_JSON: "The body is not JSON ({error}).",
    INVALID_BODY: 'The body must be a JSON object: {{"subscription": {{…}}, "skaters": [41, 57]}}.',
    TOO_MANY: "Too many subscription changes from this address; try again in a minute.",
    NOT_SAVED: "The subscription was not saved ({error}); try again.",
}
STATUS_BY_CODE = {
    INVALID_JSON: 400,
    INVALID_BODY: 400,
    subscriptions.INVALID_SUBSCRIPTION: 400,
    subscriptions.INVALID_SKATERS: 400,
    subscriptions.INVALID_ENDPOINT: 400,
    subscriptions.NOT_A_PUSH_SERVICE: 403,
    METHOD_NOT_ALLOWED: 405,
    BODY_TOO_LARGE: 413,
    subscriptions.UNKNOWN_SKATERS: 422,
    TOO_MANY: 429,
    NOT_SAVED: 503,
}


def _refusal(code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=STATUS_BY_CODE[code])
    if code == TOO_MANY:
        response["Retry-After"] = "60"
    return response


def push_key(request: HttpRequest) -> HttpResponse:
    """``{"public_key": "<base64url>"}``: what a browser's ``pushManager.subscribe`` takes as applicationServerKey."""
    if request.method not in ("GET", "HEAD"):
        response = _refusal(METHOD_NOT_ALLOWED, "Only GET is allowed here.")
        response["Allow"] = "GET, HEAD"
        return response
    response = JsonResponse({"public_key": vapid_public_key()})
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _language(request: HttpRequest, body: dict[str, Any]) -> str:
    """The language the fan asked in: the body's ``language`` if the site speaks it, else the page's."""
    spoken = {code for code, _ in settings.LANGUAGES}
    asked = body.get("language")
    return asked if isinstance(asked, str) and asked in spoken else get_language_from_request(request)


@csrf_exempt  # no cookies and no account: the subscription's endpoint is all a client names
def push_subscriptions(request: HttpRequest) -> HttpResponse:
    """POST: subscribe (201, the list replaces the endpoint's); DELETE: unsubscribe (204)."""
    if request.method not in ("POST", "DELETE"):
        response = _refusal(METHOD_NOT_ALLOWED, "Use POST to subscribe and DELETE to unsubscribe.")
        response["Allow"] = "POST, DELETE"
        return response
    if is_ratelimited(request, group=RATE_GROUP, key="ip", rate=settings.PUSH_SUBSCRIBE_RATE, increment=True):
        return _refusal(TOO_MANY, ERRORS[TOO_MANY])
    try:
        body = json_body(request, max_bytes=MAX_BODY_BYTES)
        if not isinstance(body, dict):
            return _refusal(INVALID_BODY, ERRORS[INVALID_BODY])
        if request.method == "DELETE":
            subscriptions.push_unsubscribe(endpoint=body.get("endpoint"))
            return HttpResponse(status=204)
        subscribed = subscriptions.push_subscribe(
            subscription=body.get("subscription"), skaters=body.get("skaters"), language=_language(request, body)
        )
    except BodyTooLarge:
        return _refusal(BODY_TOO_LARGE, ERRORS[BODY_TOO_LARGE])
    except BodyNotJson as error:
        return _refusal(INVALID_JSON, ERRORS[INVALID_JSON].format(error=error))
    except PushRefused as refusal:
        return _refusal(refusal.code, refusal.message)
    except DatabaseError as error:
        logger.warning("push subscription not saved: %s", type(error).__name__)
        return _refusal(NOT_SAVED, ERRORS[NOT_SAVED].format(error=type(error).__name__))
    answer = {"endpoint": subscribed.endpoint, "skaters": subscribed.skaters, "language": subscribed.language}
    return JsonResponse(answer, status=201)
