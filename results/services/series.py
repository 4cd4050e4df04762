"""A season's series (the World Cup 2025-26): its name and season only name its standings, so a change republishes
them; which competitions are its rounds is a competition's own field (``results.services.competitions``)."""

from __future__ import annotations

from results import policy, selectors
from results.models import Race, Series, Snapshot
from results.services.publishing import Publication, publishing
from results.topics import SERIES, topic


def series_boards_mark(publication: Publication, *, races: list[Race], series_id: int | None = None) -> None:
    """Republish the standings ``races`` count for (or counted for, before a change) when the write ends: those of
    ``series_id`` on their genders and distances, by default those of each race's competition's series."""
    for race in races:
        counted_in = series_id if series_id is not None else race.competition.series_id
        if counted_in is not None and race.format == Race.Format.INDIVIDUAL:
            publication.series_board(counted_in, race.gender, race.distance)


def series_save(*, series: Series, by: policy.User | None) -> Series:
    """Add or rename a series; its standings are republished (they name it)."""
    with publishing() as publication:
        series.full_clean()
        series.save()
        for gender, distance in selectors.series_boards(series.pk):
            publication.series_board(series.pk, gender, distance)
    return series


def series_get_or_create(*, name: str, season: str) -> Series:
    """The series of that name, or a new one (importing rounds)."""
    return Series.objects.filter(name=name).first() or series_save(series=Series(name=name, season=season), by=None)


def series_delete(*, series: Series, by: policy.User | None) -> None:
    """Delete a series: its competitions stay, in no series, and its standings are no longer published."""
    with publishing():
        Snapshot.objects.filter(topic__startswith=f"{topic(SERIES, series.pk)}.").delete()
        series.delete()
