"""Who may show this site's pages inside a frame.

Nothing, by default: every response says ``X-Frame-Options: DENY`` (Django's clickjacking middleware) and
``frame-ancestors 'none'`` in its Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` in
skating/settings.py), the public leaderboard included, so no page with buttons or forms can be overlaid on another
site. The broadcasters' pages (the embed, the overlays, the scoreboard) are views marked ``@embeddable``: any site
may frame them, or only the origins listed in ``EMBED_ALLOWED_ORIGINS`` (docs/broadcasters.md). They show results
and nothing to click. Everything else in the policy (scripts and styles from this site only) stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, cast

from csp.decorators import csp_replace
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

ANYWHERE = ["*"]
ERROR_BAD_ORIGIN = (
    'EMBED_ALLOWED_ORIGINS: "{origin}" is not an origin; write scheme and host, and a port if needed, '
    "separated by commas: https://tv.example,https://www.federation.example:8443"
)
# A scheme, a host (whose first label may be "*": any subdomain, as CSP reads it) and an optional port. Anything
# else (a path, a space, a ";") would change the meaning of the header, so it is refused at start-up.
ORIGIN = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")

View = Callable[..., HttpResponse]


def frame_ancestors(origins: Sequence[str]) -> list[str]:
    """Who may frame the broadcasters' pages: anywhere, or only ``origins`` (each checked to be an origin)."""
    for origin in origins:
        if not ORIGIN.match(origin.lower()):
            raise ImproperlyConfigured(ERROR_BAD_ORIGIN.format(origin=origin))
    return list(origins) or ANYWHERE


def check_allowed_origins() -> None:
    """A bad EMBED_ALLOWED_ORIGINS stops every process at start (results/apps.py), not a broadcast on air."""
    frame_ancestors(settings.EMBED_ALLOWED_ORIGINS)


def embeddable(view: View) -> View:
    """Lets the view's pages be framed by the sites ``EMBED_ALLOWED_ORIGINS`` lists (any site when it is empty)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        framed_by = {"frame-ancestors": frame_ancestors(settings.EMBED_ALLOWED_ORIGINS)}
        response = cast(HttpResponse, csp_replace(framed_by)(view)(request, *args, **kwargs))
        response.xframe_options_exempt = True  # read by XFrameOptionsMiddleware
        return response

    return wrapped
