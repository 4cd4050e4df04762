"""What a timing system reports (docs/timing-api.md): a skater's time at a passage point, or at the finish.

A passage is stored (one per skater and point) and pushed live; a finish becomes the skater's result through
``start_finish_record``, with its history, as an official's entry would. The same report twice changes nothing,
and an official's result always stands: the timing system never overwrites it.

Locks: a passage locks only its heat's row (and, when it is published, the race's snapshot row last), so
officials keep entering other pairs while the timing system posts. A finish locks the race, then the heat, in the
same order as every results write, so the two never wait on each other in a circle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils import timezone

from results import policy
from results.models import Heat, Passage, Race, Start, Status
from results.rules import passages, plausibility
from results.rules.times import format_time, time_input_text
from results.rules.wording import result_text
from results.services.heat_results import TIMING, HeatResultsInvalid, heat_started, start_finish_record
from results.services.publishing import PASSAGE, Publication, change_of, publishing
from results.services.race_status import race_status_follow_results

logger = logging.getLogger(__name__)

FINISH = "finish"  # and PASSAGE: what a post was
RECORDED, UNCHANGED, IGNORED = "recorded", "unchanged", "ignored"

# Each refusal has a code (the API's "error") and a message for whoever runs the timing system.
HEAT_NOT_FOUND = "heat_not_found"
ERROR_HEAT_NOT_FOUND = "{race} has no pair {heat}."
LANE_NOT_FOUND = "lane_not_found"
ERROR_LANE_NOT_FOUND = "Nobody skates in lane {lane} of pair {heat}."
BIB_NOT_FOUND = "bib_not_found"
ERROR_BIB_NOT_FOUND = "Bib {bib} does not skate in pair {heat}."
LANE_AMBIGUOUS = "lane_ambiguous"
ERROR_LANE_AMBIGUOUS = (
    "Two skaters share lane {lane} of pair {heat} (a quartet start): say which one with “bib” ({bibs})."
)
BIB_LANE_MISMATCH = "bib_lane_mismatch"
ERROR_BIB_LANE_MISMATCH = "Bib {bib} skates in lane {actual} of pair {heat}, not in lane {lane}."
NOT_A_PASSAGE_POINT = "not_a_passage_point"
ERROR_NOT_A_PASSAGE_POINT = (
    "{distance} m is not a passage point of a {race_distance} m: passages are at {points} m, the finish at "
    "{race_distance} m."
)
TIME_NOT_INCREASING = "time_not_increasing"
ERROR_NOT_AFTER = "{time} at {distance} m is not after {skater}'s {other_time} at {other_distance} m."
ERROR_NOT_BEFORE = "{time} at {distance} m is not before {skater}'s {other_time} at {other_distance} m."
AFTER_FINISH = "after_finish"
ERROR_AFTER_FINISH = "{skater} already has a result ({result}): no passage can come after it."
TIME_CONFLICT = "time_conflict"
ERROR_PASSAGE_CONFLICT = (
    "{skater}'s {distance} m passage is already recorded as {recorded}, not {time}. Corrections are made by an "
    "official."
)
ERROR_FINISH_CONFLICT = (
    "{skater}'s finish is already recorded from the timing system as {recorded}, not {time}. An official "
    "corrects it on the entry screen."
)
IMPOSSIBLE_TIME = "impossible_time"
RACE_CLOSED = "race_closed"
ERROR_RACE_CLOSED = "{race} is {status}: the timing system can no longer post to it."
NOT_SAVED = "not_saved"
ERROR_NOT_SAVED = "The database refused the post ({error}); nothing was recorded. Post it again."

MESSAGE_OFFICIAL_STANDS = "An official's result stands."


@dataclass(frozen=True)
class TimingPost:
    """One report: the skater (pair, and lane or bib), the distance from the start and the time there."""

    heat: int
    distance: int
    time_ms: int
    lane: str | None = None
    bib: int | None = None


@dataclass(frozen=True)
class TimingOutcome:
    status: str  # RECORDED, UNCHANGED or IGNORED
    kind: str  # PASSAGE or FINISH
    start: Start
    version: int | None = None  # the snapshot that published it (RECORDED only)
    message: str = ""
    warning: str | None = None


class TimingRefused(Exception):
    """Nothing was recorded; ``code`` says why in one word, ``message`` in a sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def timing_post_record(*, race: Race, post: TimingPost) -> TimingOutcome:
    """Record a passage, or the finish when ``post.distance`` is the race's distance. Raises ``TimingRefused``."""
    if race.status in policy.REFEREE_ONLY:
        raise _closed(race)
    if post.distance != race.distance and post.distance not in passages.passage_distances(race.distance):
        points = ", ".join(map(str, passages.passage_distances(race.distance))) or "none"
        message = ERROR_NOT_A_PASSAGE_POINT.format(distance=post.distance, race_distance=race.distance, points=points)
        raise TimingRefused(NOT_A_PASSAGE_POINT, message)
    shown = time_input_text(post.time_ms)
    if impossible := plausibility.impossible_time(distance=post.distance, time_ms=post.time_ms, shown=shown):
        raise TimingRefused(IMPOSSIBLE_TIME, impossible)
    heat = Heat.objects.filter(race=race, number=post.heat).first()
    if heat is None:
        raise TimingRefused(HEAT_NOT_FOUND, ERROR_HEAT_NOT_FOUND.format(race=race, heat=post.heat))
    try:
        if post.distance == race.distance:
            return _finish(race, heat, post)
        return _passage(race, heat, post)
    except HeatResultsInvalid as error:
        raise TimingRefused(NOT_SAVED, " ".join(error.messages)) from error
    except DatabaseError as error:
        logger.exception("timing post for pair %s of race %s failed", post.heat, race.pk)
        raise TimingRefused(NOT_SAVED, ERROR_NOT_SAVED.format(error=type(error).__name__)) from error


def _passage(race: Race, heat: Heat, post: TimingPost) -> TimingOutcome:
    with publishing() as publication:
        first_passage = race.status == Race.State.START_LIST
        if first_passage:
            # The race goes live with its first passage; the race row is locked before the heat's, as in every
            # results write. Later passages leave the race row alone.
            race = Race.objects.select_for_update().get(pk=race.pk)
        heat = Heat.objects.select_for_update().get(pk=heat.pk)
        start = _skater(heat, post)
        recorded = dict(start.passages.values_list("distance", "time_ms"))
        if post.distance in recorded:
            if recorded[post.distance] == post.time_ms:
                return TimingOutcome(UNCHANGED, PASSAGE, start)
            message = ERROR_PASSAGE_CONFLICT.format(
                skater=start.skater.name,
                distance=post.distance,
                recorded=_clock(recorded[post.distance]),
                time=_clock(post.time_ms),
            )
            raise TimingRefused(TIME_CONFLICT, message)
        if start.has_result:
            result = result_text(start.status, start.time_ms, start.infraction)
            raise TimingRefused(AFTER_FINISH, ERROR_AFTER_FINISH.format(skater=start.skater.name, result=result))
        _check_order(start, recorded, post)
        Passage.objects.create(start=start, distance=post.distance, time_ms=post.time_ms, source=Passage.Source.TIMING)
        started = heat.started_at
        heat_started(heat, at=timezone.now(), elapsed_ms=post.time_ms)
        if heat.started_at != started:
            heat.save(update_fields=["started_at"])
        if first_passage:
            race_status_follow_results(race, by=None)
        publication.race(race, change=change_of(PASSAGE, heat=heat.number, bibs=[start.bib]))
    version = _version(publication, race)
    logger.info("pair %s of %s: bib %s at %s m, v%s", heat.number, race, start.bib, post.distance, version)
    return TimingOutcome(RECORDED, PASSAGE, start, version=version)


def _version(publication: Publication, race: Race) -> int | None:
    published = publication.race_published(race.pk)
    return published.version if published else None


def _finish(race: Race, heat: Heat, post: TimingPost) -> TimingOutcome:
    with publishing() as publication:
        race = Race.objects.select_for_update().get(pk=race.pk)
        heat = Heat.objects.select_for_update().get(pk=heat.pk)
        if race.status in policy.REFEREE_ONLY:
            raise _closed(race)
        start = _skater(heat, post)
        if start.has_result:
            if start.result_source != TIMING:
                return TimingOutcome(IGNORED, FINISH, start, message=MESSAGE_OFFICIAL_STANDS)
            if start.status == Status.OK and start.time_ms == post.time_ms:
                return TimingOutcome(UNCHANGED, FINISH, start)
            message = ERROR_FINISH_CONFLICT.format(
                skater=start.skater.name,
                recorded=result_text(start.status, start.time_ms, start.infraction),
                time=_clock(post.time_ms),
            )
            raise TimingRefused(TIME_CONFLICT, message)
        _check_order(start, dict(start.passages.values_list("distance", "time_ms")), post)
        start.heat = heat
        start_finish_record(start=start, time_ms=post.time_ms, by=None)
    version = _version(publication, race)
    # Saved anyway, as on the entry screen: a fall or a world record gives a time no table expects.
    warning = plausibility.time_warning(distance=race.distance, time_ms=post.time_ms, time_text=_clock(post.time_ms))
    return TimingOutcome(RECORDED, FINISH, start, version=version, warning=warning)


def _skater(heat: Heat, post: TimingPost) -> Start:
    """The start a post names: by bib (a quartet start has two skaters per lane), else by lane."""
    starts = list(heat.starts.select_related("skater"))
    if post.bib is not None:
        start = next((s for s in starts if s.bib == post.bib), None)
        if start is None:
            raise TimingRefused(BIB_NOT_FOUND, ERROR_BIB_NOT_FOUND.format(bib=post.bib, heat=heat.number))
        if post.lane and start.lane != post.lane:
            message = ERROR_BIB_LANE_MISMATCH.format(bib=post.bib, actual=start.lane, heat=heat.number, lane=post.lane)
            raise TimingRefused(BIB_LANE_MISMATCH, message)
        return start
    in_lane = [s for s in starts if s.lane == post.lane]
    if not in_lane:
        raise TimingRefused(LANE_NOT_FOUND, ERROR_LANE_NOT_FOUND.format(lane=post.lane, heat=heat.number))
    if len(in_lane) > 1:
        bibs = " or ".join(str(s.bib) for s in in_lane)
        message = ERROR_LANE_AMBIGUOUS.format(lane=post.lane, heat=heat.number, bibs=bibs)
        raise TimingRefused(LANE_AMBIGUOUS, message)
    return in_lane[0]


def _check_order(start: Start, recorded: dict[int, int], post: TimingPost) -> None:
    conflict = passages.order_conflict(recorded, distance=post.distance, time_ms=post.time_ms)
    if conflict is None:
        return
    template = ERROR_NOT_AFTER if conflict.side == "earlier" else ERROR_NOT_BEFORE
    message = template.format(
        time=_clock(post.time_ms),
        distance=post.distance,
        skater=start.skater.name,
        other_time=_clock(conflict.time_ms),
        other_distance=conflict.distance,
    )
    raise TimingRefused(TIME_NOT_INCREASING, message)


def _clock(time_ms: int) -> str:
    """A time in a message, with its thousandth when it has one (the timing system sends thousandths)."""
    return format_time(time_ms, with_thousandth=time_ms % 10 != 0)


def _closed(race: Race) -> TimingRefused:
    status = race.get_status_display().lower()
    return TimingRefused(RACE_CLOSED, ERROR_RACE_CLOSED.format(race=race, status=status))
