"""One push to one browser (RFC 8030), encrypted for it (RFC 8291, aes128gcm) and signed with this server's VAPID
key (RFC 8292), with pywebpush. Only to the push services ``PUSH_SERVICES`` names: never to an address a stranger
chose (``push_service_allowed`` is asked when a browser subscribes, and again here)."""

from __future__ import annotations

import fnmatch
import logging
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import getproxies

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from results.live.vapid import vapid_key

logger = logging.getLogger(__name__)

# How long a push service keeps a push for a browser that is offline: news about a race is stale after an hour.
TIME_TO_LIVE_SECONDS = 60 * 60
TIMEOUT_SECONDS = 10
# What the push service answers when the subscription is gone for good: delete it (RFC 8030 section 7.3).
GONE = frozenset({404, 410})
# Not sent at all: no answer, or the push service is not one we send to.
UNSENT = 0

_sessions = threading.local()


@dataclass(frozen=True)
class Browser:
    endpoint: str
    p256dh: str
    auth: str


def push_origin(endpoint: str) -> str:
    """``https://fcm.googleapis.com`` for an endpoint there; ``ValueError`` for one that is not a plain URL."""
    parts = urlsplit(endpoint)
    if parts.username is not None or parts.password is not None or not parts.hostname:
        raise ValueError("not a push service's URL")
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme.lower()}://{parts.hostname.lower()}{port}"


def push_service_allowed(endpoint: str) -> bool:
    """Whether ``endpoint`` is on one of the push services this server sends to: its origin is one that
    ``PUSH_SERVICES`` lists, or matches one written with a wildcard host (``https://*.notify.windows.com``)."""
    try:
        origin = push_origin(endpoint)
    except ValueError:
        return False
    return any(fnmatch.fnmatchcase(origin, allowed) for allowed in settings.PUSH_SERVICES)


def _session() -> requests.Session:
    """One session per sending thread: the connection to a push service is kept for the next push."""
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
        # The environment's proxies (HTTPS_PROXY) read once here, not scanned again at every push (a fifth of the
        # sender's time).
        session.trust_env = False
        session.proxies.update({scheme: url for scheme, url in getproxies().items() if scheme in ("http", "https")})
    return session


def push_send(browser: Browser, payload: bytes) -> int:
    """Send ``payload`` to ``browser``; the push service's status (201 when taken), or ``UNSENT``."""
    if not push_service_allowed(browser.endpoint):
        return UNSENT
    subscription = {"endpoint": browser.endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    try:
        response = webpush(
            subscription,
            payload,
            vapid_private_key=vapid_key(),
            vapid_claims={"sub": settings.PUSH_CONTACT},
            ttl=TIME_TO_LIVE_SECONDS,
            timeout=TIMEOUT_SECONDS,
            requests_session=_session(),
        )
    except WebPushException as error:
        if error.response is None:
            logger.warning("push to %s not sent: %s", push_origin(browser.endpoint), error.message)
            return UNSENT
        return int(error.response.status_code)
    except (requests.RequestException, ValueError) as error:
        logger.warning("push to %s not sent: %s: %s", push_origin(browser.endpoint), type(error).__name__, error)
        return UNSENT
    return int(response.status_code)
