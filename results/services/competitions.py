"""Venues and competitions. Their names only change what boards are called (and a competition's series, which
series' World Cup standings its races count for); a competition's venue (track records) and whether it is the Olympic
Games (Olympic records) change what its races' standings are measured against, so once a race has results those go
through ``results.services.edits``."""

from __future__ import annotations

from datetime import date

from django.db.models import ProtectedError

from results import policy
from results.models import Competition, Race, Series, StandingsEdit, Venue
from results.services.edits import (
    Edit,
    EditRefused,
    edits_refusal,
    field_edits,
    races_edited,
    races_locked,
)
from results.services.publishing import publishing
from results.services.series import series_boards_mark

ERROR_VENUE_IN_USE = "{venue} is the venue of {competitions}: move or delete those competitions first."
ERROR_COMPETITION_WITH_RESULTS = (
    "{competition} has races with results: it cannot be deleted, so that their record is kept."
)
STANDINGS_FIELDS = {"venue": "venue (track records)", "is_olympic_games": "Olympic Games (Olympic records)"}


def venue_save(*, venue: Venue, by: policy.User | None) -> Venue:
    """Add or rename a venue; its competitions' races are republished (their boards name it)."""
    with publishing() as publication:
        venue.full_clean()
        venue.save()
        publication.races(Race.objects.filter(competition__venue=venue).order_by("pk"))
    return venue


def venue_get_or_create(*, name: str, city: str, country: str) -> Venue:
    """The venue of that name, or a new one."""
    venue = Venue.objects.filter(name=name).first()
    return venue or venue_save(venue=Venue(name=name, city=city, country=country), by=None)


def venue_delete(*, venue: Venue, by: policy.User | None) -> None:
    """Delete a venue no competition is held at."""
    try:
        venue.delete()
    except ProtectedError as error:
        names = ", ".join(sorted({str(obj) for obj in error.protected_objects}))
        raise EditRefused(ERROR_VENUE_IN_USE.format(venue=venue, competitions=names)) from None


def _edits_by_race(competition: Competition) -> tuple[list[Race], dict[int, list[Edit]]]:
    before = Competition.objects.filter(pk=competition.pk).first() if competition.pk else None
    edits = field_edits(before, competition, STANDINGS_FIELDS) if before is not None else []
    races = list(competition.races.order_by("pk")) if competition.pk else []
    return races, {race.pk: list(edits) for race in races}


def competition_change_refusal(*, competition: Competition, by: policy.User | None, reason: str = "") -> str | None:
    """Why ``by`` may not save ``competition`` as it is now, or ``None``. Reads only."""
    races, edits = _edits_by_race(competition)
    return edits_refusal(races=[race for race in races if edits[race.pk]], by=by, reason=reason)


def competition_save(*, competition: Competition, by: policy.User | None, reason: str = "") -> Competition:
    """Add or change a competition and republish its races (their boards name it and its venue)."""
    with publishing() as publication:
        races, edits = _edits_by_race(competition)
        locked = races_edited(publication, races=races, edits=edits, by=by, reason=reason)
        before = Competition.objects.filter(pk=competition.pk).values_list("series_id", flat=True).first()
        if before is not None and before != competition.series_id:
            # No longer a round of that series: its standings lose these races (the new series' gain them).
            series_boards_mark(publication, series_id=before, races=locked)
        competition.full_clean()
        competition.save()
    return competition


def competition_get_or_create(
    *, name: str, venue: Venue, starts_on: date, ends_on: date, series: Series | None = None
) -> Competition:
    """The competition of that name, or a new one at ``venue`` (a replay, the demo), a round of ``series``."""
    competition = Competition.objects.filter(name=name).first()
    if competition is not None:
        return competition
    new = Competition(name=name, venue=venue, starts_on=starts_on, ends_on=ends_on, series=series)
    return competition_save(competition=new, by=None)


def competition_delete(*, competition: Competition, by: policy.User | None) -> None:
    """Delete a competition whose races have no results and no history (one created by mistake)."""
    with publishing():
        races = races_locked(competition.races.values_list("pk", flat=True))
        kept = StandingsEdit.objects.filter(race__in=races).exists()
        if kept or any(
            race.heats.filter(starts__status__gt="").exists() or race.result_changes.exists() for race in races
        ):
            raise EditRefused(ERROR_COMPETITION_WITH_RESULTS.format(competition=competition))
        competition.delete()
