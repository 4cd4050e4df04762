"""What makes the public site an installable app (docs/spectators.md, "On your phone"): the web app manifest and
the service worker, served from the site's root so that its scope is the whole site (static/results/sw.js)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

THEME = "#071a33"
ICONS = (
    ("results/icons/icon-192.png", "192x192", "any"),
    ("results/icons/icon-512.png", "512x512", "any"),
    ("results/icons/icon-maskable-512.png", "512x512", "maskable"),
)


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    document = {
        "name": "Skating Live",
        "short_name": "Skating Live",
        "description": "Live results of long-track speed skating, and news of the skaters you follow.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": THEME,
        "theme_color": THEME,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(document, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker's script, never cached for long: browsers look for a new one at every visit (and every 24 h)."""
    path = finders.find("results/sw.js")
    if not path:
        raise Http404("service worker missing")
    with open(str(path), "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
