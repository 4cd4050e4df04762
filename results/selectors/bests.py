"""Which personal bests, season bests and national records stand for a race: the marks its times are flagged
against besides WR, OR and TR (``ranking.record_flags``). Reads only.

A best set in another race in this system counts from the day it was set; one set in the race itself (standing
once the race is official) never counts against it. An imported best counts from the day *after* its date: a list
compiled after an event holds that event's bests, dated its days, and they must not count against the races they
were skated in. An imported best without a date counts for every race.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from results.models import Race, Record, SkaterBest
from results.rules import ranking
from results.rules.seasons import season_of


def personal_marks(race: Race, skater_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each skater's PB on the race's distance, and SB in the race's season, in thousandths, by skater id. A
    skater without a known best of a kind has no entry for it."""
    rows = (
        SkaterBest.objects.filter(skater_id__in=set(skater_ids), distance=race.distance)
        .filter(Q(kind=SkaterBest.Kind.PB) | Q(kind=SkaterBest.Kind.SB, season=season_of(race.day)))
        .filter(
            Q(set_in_race__isnull=False, set_on__lte=race.day)
            | Q(set_in_race__isnull=True, set_on__lt=race.day)
            | Q(set_in_race__isnull=True, set_on__isnull=True)
        )
        .exclude(set_in_race=race)
        .values_list("skater_id", "kind", "time_ms")
    )
    marks: dict[int, dict[str, int]] = {}
    for skater_id, kind, time_ms in rows:
        own = marks.setdefault(skater_id, {})
        own[kind] = min(own.get(kind, time_ms), time_ms)
    return marks


def national_records(race: Race) -> dict[str, int]:
    """Each nation's national record on the race's distance, as it stood before the race, in thousandths."""
    rows = (
        Record.objects.filter(kind=ranking.NR, gender=race.gender, distance=race.distance, set_on__lte=race.day)
        .exclude(set_in_race=race)
        .values_list("nation", "time_ms")
    )
    best: dict[str, int] = {}
    for nation, time_ms in rows:
        best[nation] = min(best.get(nation, time_ms), time_ms)
    return best
