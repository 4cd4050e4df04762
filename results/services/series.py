"""A season's series (the World Cup 2025-26): its name and season only name its standings, so a change republishes
them; which competitions are its rounds is a competition's own field (``results.services.competitions``)."""

from __future__ import annotations

from results import policy, selectors
from results.models import Race, Series, Snapshot
from results.services.publishing import Publication, publishing
from results.topics import SERIES, topic


def series_boards_mark(publication: Publication, *, series_id: int, races: list[Race]) -> None:
    """Republish the series' standings on each gender and distance of ``races`` when the write ends."""
    for race in races:
        if race.format == Race.Format.INDIVIDUAL:
            publication.series_board(series_id, race.gender, race.distance)


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
