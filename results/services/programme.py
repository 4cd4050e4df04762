"""A competition's programme imported (docs/officials.md, "The programme"): each race of the file is created, or
found by its title, and gets its place in the programme and its scheduled start, from which the feed estimates when
each pair skates. All or nothing: a line that does not fit the competition imports nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from results import policy
from results.files.programme import ERROR_LINE, ProgrammeRace, title_key
from results.models import Competition, Race
from results.services.races import race_create, race_save

ERROR_OTHER_RACE = (
    "“{title}” is a {distance} m for {gender} in this competition; the file says {file_distance} m for "
    "{file_gender}. Correct the file, or the race on its page."
)
ERROR_OTHER_DAY = (
    "“{title}” is skated on {day} in this competition and has results; the file says {file_day}. Change its day "
    "on the race's page (with a reason) if it moved."
)


# Creating races and changing them: who keeps a competition's programme (superusers; an administrator can give an
# account the two permissions).
IMPORT_PERMISSIONS = ("results.add_race", "results.change_race")


def may_import(user: policy.User | None) -> bool:
    return user is not None and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


@dataclass
class ProgrammeImported:
    added: list[str] = field(default_factory=list)
    scheduled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        added = f"{len(self.added)} race{'' if len(self.added) == 1 else 's'} added"
        return f"{added}, {len(self.scheduled)} rescheduled, {len(self.unchanged)} unchanged"


def _start(entry: ProgrammeRace) -> datetime:
    """The programme's start, a wall-clock time at the event (``TIME_ZONE``), as a moment."""
    return timezone.make_aware(datetime.combine(entry.day, entry.start))


def _refusal(race: Race, entry: ProgrammeRace) -> str | None:
    if race.distance != entry.distance or race.gender != entry.gender:
        return ERROR_OTHER_RACE.format(
            title=race.title,
            distance=race.distance,
            gender=race.gender,
            file_distance=entry.distance,
            file_gender=entry.gender,
        )
    if race.day != entry.day and race.status != Race.State.START_LIST:
        return ERROR_OTHER_DAY.format(title=race.title, day=race.day, file_day=entry.day)
    return None


def programme_import(
    *, competition: Competition, races: Sequence[ProgrammeRace], by: policy.User | None
) -> ProgrammeImported:
    """Create or reschedule every race of ``races`` in ``competition``, in that order; ``ValidationError`` naming
    each line that does not fit (nothing imported then)."""
    done = ProgrammeImported()
    with transaction.atomic():
        existing = {
            title_key(race.title): race for race in Race.objects.select_for_update().filter(competition=competition)
        }
        refusals = [
            ERROR_LINE.format(line=entry.line, message=refusal)
            for entry in races
            if (race := existing.get(title_key(entry.title))) and (refusal := _refusal(race, entry))
        ]
        if refusals:
            raise ValidationError(refusals)
        for order, entry in enumerate(races, start=1):
            race = existing.get(title_key(entry.title))
            if race is None:
                race_create(
                    competition=competition,
                    title=entry.title,
                    gender=entry.gender,
                    distance=entry.distance,
                    day=entry.day,
                    order=order,
                    scheduled_start=_start(entry),
                )
                done.added.append(entry.title)
                continue
            if (race.order, race.day, race.scheduled_start) == (order, entry.day, _start(entry)):
                done.unchanged.append(race.title)
                continue
            race.order, race.day, race.scheduled_start = order, entry.day, _start(entry)
            race_save(race=race, by=by)
            done.scheduled.append(race.title)
    return done
