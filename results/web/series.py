"""A series' World Cup standings (docs/world-cup.md): the series' page listing its standings, the standings of one
gender and distance and their JSON, all from the published snapshot, as a classification's are
(results/web/classifications.py); ``?after=<competition id>``: the standings after that round. The socket is
results/live/consumers.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import condition, require_GET

from results import selectors
from results.models import Series
from results.rules.numbers import whole_number
from results.topics import GENDERS
from results.web.api import public_api


@dataclass(frozen=True)
class Asked:
    """What an address asks for, once read: the standings, and after which round (``None``: now)."""

    series: Series
    gender: str
    distance: int
    after: int | None


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def asked(request: HttpRequest, series_id: int, gender: str, distance: int) -> Asked:
    """The standings asked for, or ``Refused``: 404 for a series or standings that do not exist, 400 for an
    ``after`` that names no round of them."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Refused(404, selectors.ERROR_SERIES_NOT_FOUND.format(series_id=series_id))
    if gender not in GENDERS or selectors.series_version(series_id, gender, distance) is None:
        message = selectors.ERROR_SERIES_BOARD_NOT_FOUND.format(
            series_id=series_id, gender=gender[:20], distance=distance
        )
        raise Refused(404, message)
    text = request.GET.get("after")
    if text is None:
        return Asked(series, gender, distance, None)
    after = whole_number(text)
    if after is None or after not in selectors.series_rounds(series_id, gender, distance):
        raise Refused(400, selectors.ERROR_AFTER.format(gender=gender, distance=distance, value=text[:40]))
    return Asked(series, gender, distance, after)


def standings_text(standings: Asked) -> str:
    """The standings now as published, or after a round, as the feed sends them."""
    if standings.after is None:
        snapshot = selectors.series_snapshot_current(standings.series.pk, standings.gender, standings.distance)
        if snapshot is None:  # removed since it was asked for
            raise Refused(404, selectors.ERROR_SERIES_NOT_FOUND.format(series_id=standings.series.pk))
        return snapshot.payload
    document = selectors.series_after_document(
        standings.series, standings.gender, standings.distance, after=standings.after
    )
    return selectors.document_text(document)


@require_GET
def series_page(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    competitions = series.competitions.select_related("venue").order_by("starts_on", "pk")
    boards = [{"gender": gender, "distance": distance} for gender, distance in selectors.series_boards(series_id)]
    return render(request, "results/series.html", {"series": series, "competitions": competitions, "boards": boards})


def banner(document: dict[str, Any]) -> str:
    """ "Provisional, with Women 500m Division A" while races count with standings not yet official (the same words
    static/results/series.js writes)."""
    titles = ", ".join(race["title"] for race in document["provisional"])
    return gettext("Provisional, with %(races)s") % {"races": titles} if titles else ""


@require_GET
def series_standings_page(request: HttpRequest, series_id: int, gender: str, distance: int) -> HttpResponse:
    try:
        standings = asked(request, series_id, gender, distance)
        document = json.loads(standings_text(standings))
    except Refused as refused:
        if refused.status == 404:
            raise Http404(refused.message) from None
        return HttpResponse(refused.message, status=refused.status, content_type="text/plain; charset=utf-8")
    return render(
        request,
        "results/series_standings.html",
        {
            "snapshot": document,
            "series": standings.series,
            "live": standings.after is None,
            "heartbeat_seconds": settings.HEARTBEAT_SECONDS,
            "banner": banner(document),
        },
    )


def _etag(request: HttpRequest, series_id: int, gender: str, distance: int) -> str | None:
    if gender not in GENDERS:
        return None
    version = selectors.series_version(series_id, gender, distance)
    if version is None:
        return None
    after = whole_number(request.GET.get("after", ""))
    return f"series-{series_id}-{gender}-{distance}-v{version}" + (f"-after-{after}" if after is not None else "")


@public_api
@condition(etag_func=_etag)
def series_standings_api(request: HttpRequest, series_id: int, gender: str, distance: int) -> HttpResponse:
    """The snapshot, byte for byte what the socket sends (``?after=``: after that round); 304 when ``If-None-Match``
    has this version."""
    try:
        text = standings_text(asked(request, series_id, gender, distance))
    except Refused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    return HttpResponse(text, content_type="application/json")
