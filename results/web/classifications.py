"""A classification's public page and its JSON (docs/classifications.md), both from the published snapshot, as a
race's are (results/web/views.py, results/web/api.py). Its socket is results/live/consumers.py."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import condition, require_GET

from results.selectors import (
    ERROR_CLASSIFICATION_NOT_FOUND,
    classification_snapshot_current,
    classification_version,
)
from results.web.api import public_api

OVER = ("UNOFFICIAL", "OFFICIAL", "PROTESTED")


def board_context(document: dict[str, Any]) -> dict[str, Any]:
    """What the page's head says, read off the snapshot (static/results/classification.js says the same): the
    distance being skated (the last one started, else the first), how many are over, and how Behind is measured."""
    distances = document["classification"]["distances"]
    started = [d for d in distances if d["status"] != "START_LIST"]
    current = started[-1] if started else (distances[0] if distances else None)
    next_distance = document["next_distance"]
    # In the page's language (static/results/classification.js says the same words).
    if next_distance:
        at = {"distance": next_distance["distance"]}
        rule = gettext(
            "Points: seconds per 500 m on each distance · Behind: seconds on the next distance, the %(distance)s m"
        )
        behind_unit = gettext("s, %(distance)s m")
    else:
        at = {}  # no placeholder: the text as it is
        rule = gettext("Points: seconds per 500 m on each distance · Lowest total wins · Behind: in points")
        behind_unit = gettext("points")
    return {
        "current": current,
        "distances_over": sum(d["status"] in OVER for d in distances),
        "final": bool(distances) and all(d["status"] == "OFFICIAL" for d in distances),
        "rule": rule % at,
        "behind_unit": behind_unit % at,
    }


@require_GET
def classification_page(request: HttpRequest, classification_id: int) -> HttpResponse:
    snapshot = classification_snapshot_current(classification_id)
    if snapshot is None:
        # The page's words; the feed says ERROR_CLASSIFICATION_NOT_FOUND, in English.
        raise Http404(gettext("No classification with id %(id)s.") % {"id": classification_id})
    document = json.loads(snapshot.payload)
    return render(
        request,
        "results/classification.html",
        {
            "snapshot": document,
            "classification_id": classification_id,
            "heartbeat_seconds": settings.HEARTBEAT_SECONDS,
            **board_context(document),
        },
    )


def _etag(request: HttpRequest, classification_id: int) -> str | None:
    version = classification_version(classification_id)
    return None if version is None else f"classification-{classification_id}-v{version}"


@public_api
@condition(etag_func=_etag)
def classification_standings(request: HttpRequest, classification_id: int) -> HttpResponse:
    """The snapshot, byte for byte what the socket sends; 304 when ``If-None-Match`` has this version."""
    snapshot = classification_snapshot_current(classification_id)
    if snapshot is None:
        error = ERROR_CLASSIFICATION_NOT_FOUND.format(classification_id=classification_id)
        return JsonResponse({"error": error}, status=404)
    return HttpResponse(snapshot.payload, content_type="application/json")
