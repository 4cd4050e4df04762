"""Who may show this site's pages inside a frame.

Nothing, by default: every response says ``X-Frame-Options: DENY`` (Django's clickjacking middleware) and
``Content-Security-Policy: frame-ancestors 'none'`` (``FramingPolicyMiddleware``), the public leaderboard included,
so no page with buttons or forms can be overlaid on another site. The broadcasters' pages (the embed, the overlays,
the scoreboard) are views marked ``@embeddable``: any site may frame them, or only the origins listed in
``EMBED_ALLOWED_ORIGINS`` (docs/broadcasters.md). They show results and nothing to click.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

CSP = "Content-Security-Policy"
FRAME_NOWHERE = "frame-ancestors 'none'"
FRAME_ANYWHERE = "frame-ancestors *"
ERROR_BAD_ORIGIN = (
    'EMBED_ALLOWED_ORIGINS: "{origin}" is not an origin; write scheme and host, and a port if needed, '
    "separated by commas: https://tv.example,https://www.federation.example:8443"
)
# A scheme, a host (whose first label may be "*": any subdomain, as CSP reads it) and an optional port. Anything
# else (a path, a space, a ";") would change the meaning of the header, so it is refused at start-up.
ORIGIN = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")

View = Callable[..., HttpResponse]


def frame_ancestors(origins: Sequence[str]) -> str:
    """The ``frame-ancestors`` directive for the broadcasters' pages: anywhere, or only ``origins``."""
    for origin in origins:
        if not ORIGIN.match(origin.lower()):
            raise ImproperlyConfigured(ERROR_BAD_ORIGIN.format(origin=origin))
    return "frame-ancestors " + " ".join(origins) if origins else FRAME_ANYWHERE


def _directive_add(response: HttpResponse, directive: str) -> None:
    policy = response.get(CSP, "")
    if "frame-ancestors" in policy:
        return
    response[CSP] = f"{policy.rstrip('; ')}; {directive}" if policy else directive


def embeddable(view: View) -> View:
    """Lets the view's pages be framed by the sites ``EMBED_ALLOWED_ORIGINS`` lists (any site when it is empty)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        _directive_add(response, frame_ancestors(settings.EMBED_ALLOWED_ORIGINS))
        response.xframe_options_exempt = True  # read by XFrameOptionsMiddleware
        return response

    return wrapped


class FramingPolicyMiddleware(MiddlewareMixin):
    """``frame-ancestors 'none'`` on every response a view did not mark ``@embeddable``.

    X-Frame-Options is what older browsers read; browsers that know CSP obey ``frame-ancestors`` instead, so both
    say the same thing.
    """

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        frame_ancestors(settings.EMBED_ALLOWED_ORIGINS)  # a bad setting stops the server at start, not on air

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        _directive_add(response, FRAME_NOWHERE)
        return response
