"""The commentator's screen (docs/commentators.md) and the JSON it re-reads: for accredited users only (the
``results.commentate`` permission, the Commentator role; superusers too). Read-only, like the rest of the web; the
officials' notes it shows are never on a public page, in the feed or in a cache."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from results import policy, selectors
from results.models import Competition, Race
from results.rules.numbers import whole_number

COMMENTATE = "results.commentate"
PRIVATE = "private, no-store"
ERROR_NOT_A_COMMENTATOR = (
    "The commentator's screen is for accredited commentators: ask the chief of timing to put your account in the "
    "Commentator group."
)
ERROR_NOT_LOGGED_IN = "Log in as an accredited commentator to read the commentary."
ERROR_COMPETITION_NOT_FOUND = "No competition with id {competition_id}."
ERROR_RACE_PARAMETER = "race must be a race id, such as ?race=12, not “{value}”."
ERROR_RACE_NOT_IN_COMPETITION = "{competition} has no race with id {race_id}."
ERROR_NO_RACES = "{competition} has no races yet."
# What the screen re-reads its commentary after (docs/feed.md, the snapshot's change.kind); not after a passage.
REFETCH_KINDS = ["results", "correction", "start_list", "edit"]


class RaceNotChosen(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def race_chosen(competition: Competition, races: list[Race], text: str | None) -> Race:
    """The race ``?race=`` names, or the one being skated; ``RaceNotChosen`` (400, 404) for anything else."""
    if text is None:
        race = selectors.race_on_now(races)
        if race is None:
            raise RaceNotChosen(404, ERROR_NO_RACES.format(competition=competition))
        return race
    race_id = whole_number(text)
    if race_id is None:
        raise RaceNotChosen(400, ERROR_RACE_PARAMETER.format(value=text[:40]))
    race = next((race for race in races if race.pk == race_id), None)
    if race is None:
        raise RaceNotChosen(404, ERROR_RACE_NOT_IN_COMPETITION.format(competition=competition, race_id=race_id))
    return race


def commentary_of(race: Race) -> dict[str, Any]:
    """The race's commentary document, with each skater's World Cup rank and points before this race (none for a
    race outside a series: the screen shows "—")."""
    return selectors.commentary_document(race, world_cup=selectors.standing_before(race))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    return response


@require_GET
def commentator_screen(request: HttpRequest, competition_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not policy.may(request.user, COMMENTATE):
        raise PermissionDenied(ERROR_NOT_A_COMMENTATOR)
    competition = get_object_or_404(Competition.objects.select_related("venue"), pk=competition_id)
    races = selectors.competition_programme(competition)
    try:
        race = race_chosen(competition, races, request.GET.get("race"))
    except RaceNotChosen as refused:
        if refused.status == 404:
            raise Http404(refused.message) from None
        return render(request, "400.html", {"exception": refused.message}, status=400)
    snapshot = selectors.race_snapshot_current(race.pk)
    assert snapshot is not None  # the race exists: it has a snapshot, published or built now
    index = races.index(race)
    context = {
        "competition": competition,
        "races": races,
        "race": race,
        "previous_race": races[index - 1] if index > 0 else None,
        "next_race": races[index + 1] if index + 1 < len(races) else None,
        "snapshot": json.loads(snapshot.payload),
        "commentary": commentary_of(race),
        "commentary_url": f"{reverse('results:api_commentary', args=[competition.pk])}?race={race.pk}",
        "refetch_kinds": REFETCH_KINDS,
        "heartbeat_seconds": settings.HEARTBEAT_SECONDS,
    }
    return _private(render(request, "results/commentator.html", context))


@require_GET
def commentary(request: HttpRequest, competition_id: int) -> HttpResponse:
    """The chosen race's commentary document as JSON (``?race=<id>``, else the race being skated)."""
    if not request.user.is_authenticated:
        return _private(JsonResponse({"error": ERROR_NOT_LOGGED_IN}, status=403))
    if not policy.may(request.user, COMMENTATE):
        return _private(JsonResponse({"error": ERROR_NOT_A_COMMENTATOR}, status=403))
    competition = Competition.objects.filter(pk=competition_id).first()
    if competition is None:
        error = ERROR_COMPETITION_NOT_FOUND.format(competition_id=competition_id)
        return _private(JsonResponse({"error": error}, status=404))
    try:
        race = race_chosen(competition, selectors.competition_programme(competition), request.GET.get("race"))
    except RaceNotChosen as refused:
        return _private(JsonResponse({"error": refused.message}, status=refused.status))
    text = json.dumps(commentary_of(race), ensure_ascii=False)
    return _private(HttpResponse(text, content_type="application/json"))
