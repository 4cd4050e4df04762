"""The public, read-only JSON API (docs/feed.md): the same documents the sockets send, cacheable by version,
readable from any origin."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import condition, require_http_methods

from results import selectors
from results.models import Competition, Race
from results.rules.numbers import whole_number

ERROR_COMPETITION_NOT_FOUND = "No competition with id {competition_id}."
ERROR_SKATER_IDS = (
    "ids must be skater ids separated by commas, at most {most}, such as ?ids=41,57 (the skater field of the feed's "
    "rows), not “{value}”."
)
SCHEMA = Path(__file__).resolve().parent / "schema" / "feed-v1.schema.json"

# Anyone may read the feed, from any page: it is public and read-only, and nothing in it depends on who asks.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Max-Age": "86400",
}
View = Callable[..., HttpResponse]


# A second of the public JSON may be served from a cache (nginx's, a CDN's, a browser's), and a second more while it
# is being renewed, then revalidated with the ETag: a crowd polling the standings costs the servers one request a
# second (docs/deploy.md, "The JSON feed behind a cache"), and nobody is answered anything older than two seconds.
# The live feed is the socket.
PUBLIC_JSON_CACHE = "public, max-age=1, stale-while-revalidate=1"


def public_api(view: View) -> View:
    """GET (and the CORS preflight) only; CORS headers on every answer; a second in caches, then revalidated with
    the ETag."""

    @require_http_methods(["GET", "OPTIONS"])
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(status=204, headers=PREFLIGHT_HEADERS)
        response = view(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        response.setdefault("Cache-Control", PUBLIC_JSON_CACHE)
        return response

    return wrapped


def _race_etag(request: HttpRequest, race_id: int) -> str | None:
    version = selectors.race_version(race_id)
    return None if version is None else f"race-{race_id}-v{version}"


@public_api
@condition(etag_func=_race_etag)
def race_standings(request: HttpRequest, race_id: int) -> HttpResponse:
    """The race's snapshot, byte for byte what the socket sends; 304 when ``If-None-Match`` has this version."""
    snapshot = selectors.race_snapshot_current(race_id)
    if snapshot is None:
        return JsonResponse({"error": selectors.ERROR_RACE_NOT_FOUND.format(race_id=race_id)}, status=404)
    return HttpResponse(snapshot.payload, content_type="application/json")


def _start_list_etag(request: HttpRequest, race_id: int) -> str | None:
    version = selectors.race_version(race_id)
    return None if version is None else f"start-list-{race_id}-v{version}"


@public_api
@condition(etag_func=_start_list_etag)
def race_start_list(request: HttpRequest, race_id: int) -> HttpResponse:
    """Every pair still to skate with its expected start; 304 while the race's version has not moved."""
    race = Race.objects.filter(pk=race_id).first()
    if race is None:
        return JsonResponse({"error": selectors.ERROR_RACE_NOT_FOUND.format(race_id=race_id)}, status=404)
    document = selectors.race_start_list_document(race)
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type="application/json")


@public_api
def competition(request: HttpRequest, competition_id: int) -> HttpResponse:
    """The competition and every race's status and version: what the competition socket sends first."""
    document = selectors.competition_document(competition_id)
    if document is None:
        error = ERROR_COMPETITION_NOT_FOUND.format(competition_id=competition_id)
        return JsonResponse({"error": error}, status=404)
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type="application/json")


def skater_ids(text: str) -> list[int] | None:
    """``"41,57"`` -> ``[41, 57]`` (each once, in order); ``None`` when it is not such a list."""
    ids = [whole_number(part.strip()) for part in text.split(",") if part.strip()]
    if not ids or len(ids) > selectors.MOST_FOLLOWED or any(pk is None for pk in ids):
        return None
    return list(dict.fromkeys(pk for pk in ids if pk is not None))


@public_api
def followed_skaters(request: HttpRequest, competition_id: int) -> HttpResponse:
    """The skaters a spectator follows in a competition (``?ids=41,57``): their races, pairs, expected starts and
    results, never who asked."""
    competition = Competition.objects.filter(pk=competition_id).first()
    if competition is None:
        return JsonResponse({"error": ERROR_COMPETITION_NOT_FOUND.format(competition_id=competition_id)}, status=404)
    text = request.GET.get("ids", "")
    ids = skater_ids(text)
    if ids is None:
        error = ERROR_SKATER_IDS.format(most=selectors.MOST_FOLLOWED, value=text[:60])
        return JsonResponse({"error": error}, status=400)
    document = selectors.followed_skaters_document(competition, ids)
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type="application/json")


@public_api
def schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema every message of the feed follows."""
    return HttpResponse(SCHEMA.read_bytes(), content_type="application/schema+json")
