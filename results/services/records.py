"""Records set in a race become standing records once the race is official (and stop standing if it is
reopened), so later races are measured against them. National records too: one per nation whose skaters set one.
(Personal and season bests follow the same path in ``services.bests``.) Records kept by hand (the admin) change
what races are measured against: once a race has results, as ``results.services.edits`` says."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from results import policy
from results.models import Race, Record
from results.rules import ranking
from results.rules.times import format_time
from results.services.edits import Edit, edits_refusal, races_edited
from results.services.publishing import publishing, races_publish


def records_set_by_race(*, race: Race, standings: Sequence[Mapping[str, Any]]) -> list[Record]:
    """For each kind of record beaten in ``race`` (its ``standings`` as its board shows them), its best time becomes
    the standing record from the race day."""
    created = []
    for kind in (ranking.WR, ranking.OR, ranking.TR):
        best = next((row for row in standings if kind in row["records"]), None)
        if best is None:
            continue
        created.append(
            Record.objects.create(
                kind=kind,
                gender=race.gender,
                distance=race.distance,
                venue=race.competition.venue if kind == ranking.TR else None,
                time_ms=best["time_ms"],
                holder=best["name"],
                nation=best["nation"],
                set_on=race.day,
                set_in_race=race,
            )
        )
    created.extend(_national_records_set(race, standings))
    if created:
        races_measured_against_republish(race)
    return created


def _national_records_set(race: Race, standings: Sequence[Mapping[str, Any]]) -> list[Record]:
    """Each nation's fastest time flagged NR in the race (standings come fastest first) is its new record."""
    fastest: dict[str, Mapping[str, Any]] = {}
    for row in standings:
        if ranking.NR in row["records"]:
            fastest.setdefault(row["nation"], row)
    return [
        Record.objects.create(
            kind=ranking.NR,
            gender=race.gender,
            distance=race.distance,
            time_ms=row["time_ms"],
            holder=row["name"],
            nation=nation,
            set_on=race.day,
            set_in_race=race,
        )
        for nation, row in fastest.items()
    ]


def records_withdraw(*, race: Race) -> None:
    deleted, _ = Record.objects.filter(set_in_race=race).delete()
    if deleted:
        races_measured_against_republish(race)


def races_measured_against_republish(race: Race) -> None:
    """Races of the same distance that are still open show the standing records; refresh them."""
    others = (
        Race.objects.filter(gender=race.gender, distance=race.distance, day__gte=race.day)
        .exclude(pk=race.pk)
        .exclude(status=Race.State.OFFICIAL)
    )
    races_publish(races=others)


# --- records kept by hand (the admin) ----------------------------------------------------------------------------


def races_measured_against(records: Iterable[Record | None]) -> list[Race]:
    """The races these records stand for: of their gender and distance, skated on or after the day they were set
    (at their venue for a track record, at the Olympic Games for an Olympic record), not the race that set them."""
    found: dict[int, Race] = {}
    for record in records:
        if record is None:
            continue
        races = Race.objects.filter(gender=record.gender, distance=record.distance, day__gte=record.set_on)
        if record.kind == Record.Kind.TR:
            races = races.filter(competition__venue=record.venue_id)
        if record.kind == Record.Kind.OR:
            races = races.filter(competition__is_olympic_games=True)
        if record.set_in_race_id:
            races = races.exclude(pk=record.set_in_race_id)
        found.update((race.pk, race) for race in races.select_related("competition__venue"))
    return [found[pk] for pk in sorted(found)]


def record_text(record: Record | None) -> str:
    """``36.09 Femke KOK (NED), 2025-11-16``"""
    if record is None:
        return "—"
    venue = f", {record.venue.name}" if record.venue_id and record.venue else ""
    return f"{format_time(record.time_ms)} {record.holder} ({record.nation}), {record.set_on.isoformat()}{venue}"


def _record_edit(before: Record | None, after: Record | None) -> Edit:
    shown = after or before
    assert shown is not None
    subject = f"{shown.get_kind_display()}, {shown.get_gender_display().lower()} {shown.distance} m (measured against)"
    return Edit(subject, record_text(before), record_text(after))


def _same_record(before: Record, after: Record) -> bool:
    def key(record: Record) -> tuple[str, str, int, str]:
        return (record.kind, record.gender, record.distance, record_text(record))

    return key(before) == key(after)


def _record_change(record: Record | None, before: Record | None) -> tuple[list[Race], Edit | None]:
    races = races_measured_against([before, record])
    if record is not None and before is not None and _same_record(before, record):
        return races, None
    return races, _record_edit(before, record)


def record_change_refusal(
    *, record: Record | None, before: Record | None = None, by: policy.User | None, reason: str = ""
) -> str | None:
    """Why ``by`` may not save ``record`` (``None``: delete ``before``) now, or ``None``. Reads only."""
    before = before if record is None else Record.objects.filter(pk=record.pk).first() if record.pk else None
    races, edit = _record_change(record, before)
    return edits_refusal(races=races if edit else [], by=by, reason=reason)


def _for_each(races: Sequence[Race], edit: Edit | None) -> dict[int, list[Edit]]:
    """A record concerns every skater of each race it stands for."""
    return {race.pk: [edit] for race in races} if edit else {}


def record_save(*, record: Record, by: policy.User | None, reason: str = "") -> Record:
    """Add or correct a record by hand. Every race it stands for is republished; where one has results the change
    is kept in its history (``results.services.edits``)."""
    before = Record.objects.filter(pk=record.pk).select_related("venue").first() if record.pk else None
    with publishing() as publication:
        record.full_clean()
        races, edit = _record_change(record, before)
        races_edited(publication, races=races, edits=_for_each(races, edit), by=by, reason=reason)
        record.save()
    return record


def record_delete(*, record: Record, by: policy.User | None, reason: str = "") -> None:
    with publishing() as publication:
        races, edit = _record_change(None, record)
        races_edited(publication, races=races, edits=_for_each(races, edit), by=by, reason=reason)
        record.delete()
