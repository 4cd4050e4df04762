"""Public pages, rendered from the published snapshot so they read the same with JavaScript off as the live board
does with it on. The JSON API is in results/web/api.py."""

from __future__ import annotations

import json
from datetime import date, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from results import selectors
from results.web.intelligence import on_ice_laid_out


def moment(text: str | None) -> datetime | None:
    """A feed timestamp (``2025-12-07T12:05:00.000Z``) as the datetime templates format, or ``None``."""
    return datetime.fromisoformat(text) if text else None


@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    return render(request, "results/competition_list.html", {"competitions": selectors.competitions_with_races()})


@require_GET
def competition_detail(request: HttpRequest, competition_id: int) -> HttpResponse:
    competition = get_object_or_404(selectors.competitions_with_races(), pk=competition_id)
    return render(request, "results/competition_detail.html", {"competition": competition})


@require_GET
def followed_skaters(request: HttpRequest, competition_id: int) -> HttpResponse:
    """The skaters this browser follows in the competition: the page is the same for everyone, its script asks the
    API for the skaters kept in the browser (static/results/my-skaters.js)."""
    competition = get_object_or_404(selectors.competitions_with_races(), pk=competition_id)
    return render(
        request,
        "results/my_skaters.html",
        {"competition": competition, "heartbeat_seconds": settings.HEARTBEAT_SECONDS},
    )


@require_GET
def race_leaderboard(request: HttpRequest, race_id: int) -> HttpResponse:
    snapshot = selectors.race_snapshot_current(race_id)
    if snapshot is None:
        # The page's words; the feed says selectors.ERROR_RACE_NOT_FOUND, in English.
        raise Http404(gettext("No race with id %(race_id)s.") % {"race_id": race_id})
    document = json.loads(snapshot.payload)
    # A pair on the ice is shown in "On the ice", not among the pairs to come (snapshots before passages: none).
    on_ice = {heat["heat"] for heat in document.get("on_ice", [])}
    return render(
        request,
        "results/race_leaderboard.html",
        {
            "snapshot": document,
            "on_ice": on_ice_laid_out(document),
            "next_heats": [
                {**heat, "eta_at": moment(heat.get("eta"))}
                for heat in document["next_heats"]
                if heat["heat"] not in on_ice
            ],
            "race_id": race_id,
            "race_day": date.fromisoformat(document["race"]["day"]),
            "heartbeat_seconds": settings.HEARTBEAT_SECONDS,
        },
    )
