"""What a competition is made of: venues, races, their heats and starts, skaters, and standing records.

Writes go through ``results.services``; standings are computed by ``results.rules.ranking`` and published as a stored
snapshot (``Snapshot``) that the page, the JSON API and the websocket all serve unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from results.rules import formats, ranking, ranking_mass_start
from results.rules.times import format_time

NATION_CODE = RegexValidator(r"^[A-Z]{3}$", "Nation is a three-letter code in capitals, such as NED, USA or AIN.")
# An individual distance's lineup; other formats line up by their own rules (results/rules/formats.py).
MAX_SKATERS_PER_HEAT = formats.RULES[formats.INDIVIDUAL].per_heat
MAX_SKATERS_PER_LANE = formats.RULES[formats.INDIVIDUAL].per_lane

ERROR_HEAT_FULL = formats.RULES[formats.INDIVIDUAL].error_heat_full
ERROR_LANE_FULL = formats.RULES[formats.INDIVIDUAL].error_lane_full
ERROR_SKATER_TWICE = "{skater} is already in heat {heat} of this race."
ERROR_BIB_TWICE = "Bib {bib} is already worn by {skater} in this race."
ERROR_WITHDRAWN = "{skater} withdrew from this race before the draw; take the withdrawal out first."
ERROR_DRAWN = "{skater} is in heat {heat} of this race: a skater in a pair withdraws there (WDR)."


class Gender(models.TextChoices):
    WOMEN = "women", "Women"
    MEN = "men", "Men"


class Lane(models.TextChoices):
    INNER = "I", "Inner"
    OUTER = "O", "Outer"


class Status(models.TextChoices):
    """A start's result. Blank means the heat has not been skated (or entered) yet."""

    PENDING = "", "Not yet skated"
    OK = ranking.OK, "Finished"
    DNF = ranking.DNF, "Did not finish"
    DQ = ranking.DQ, "Disqualified"
    DNS = ranking.DNS, "Did not start"
    WDR = ranking.WDR, "Withdrawn"


class Venue(models.Model):
    name = models.CharField(max_length=120, unique=True, help_text="e.g. Thialf")
    city = models.CharField(max_length=80)
    country = models.CharField(max_length=3, validators=[NATION_CODE], help_text="Three-letter code, e.g. NED")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Series(models.Model):
    """A season's series of competitions whose races add up, such as the World Cup 2025-26: races of the same
    distance and gender score points per skater across its rounds (docs/rules.md, "World Cup standings")."""

    name = models.CharField(max_length=120, unique=True, help_text="e.g. ISU Speed Skating World Cup 2025-26")
    season = models.CharField(max_length=9, help_text="e.g. 2025-26")

    class Meta:
        ordering = ["-season", "name"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


class Competition(models.Model):
    name = models.CharField(max_length=160, help_text="e.g. ISU Speed Skating World Cup #3")
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competitions",
        help_text="The season's series this competition is a round of (World Cup standings), if any.",
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="competitions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_olympic_games = models.BooleanField(
        default=False, help_text="Olympic records (OR) can only be set at the Olympic Games."
    )

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day cannot come before the first day."})


class Race(models.Model):
    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual distance (pairs)"
        MASS_START = "mass_start", "Mass start"
        TEAM_PURSUIT = "team_pursuit", "Team pursuit"

    class State(models.TextChoices):
        START_LIST = "START_LIST", "Start list"
        LIVE = "LIVE", "Live"
        UNOFFICIAL = "UNOFFICIAL", "Unofficial"
        OFFICIAL = "OFFICIAL", "Official"
        PROTESTED = "PROTESTED", "Under review"

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="races")
    title = models.CharField(max_length=120, help_text="e.g. Women 1000m Division A")
    gender = models.CharField(max_length=5, choices=Gender.choices)
    distance = models.PositiveIntegerField(
        validators=[MinValueValidator(100), MaxValueValidator(10000)], help_text="In metres"
    )
    day = models.DateField(help_text="The day the race is skated; records set after it do not count against it.")
    scheduled_start = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the first pair is due on the ice (the programme's time); the expected start of every pair "
        "is measured from it until pairs have started",
    )
    order = models.PositiveIntegerField(default=1, help_text="Place in the competition's programme")
    points_table = models.JSONField(
        default=list,
        blank=True,
        help_text="Points by rank, e.g. [60, 54, 48, ...]; ranks past the end get 0. Empty: no points.",
    )
    status = models.CharField(max_length=12, choices=State.choices, default=State.START_LIST)
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.INDIVIDUAL)
    sprint_points = models.JSONField(
        default=list,
        blank=True,
        help_text="Mass start only: points by place for each sprint in order, the final sprint last, e.g. "
        "[[3, 2, 1], [3, 2, 1], [3, 2, 1], [60, 40, 20, 10, 6, 3]].",
    )
    # The officials printed on the result list (docs/officials.md, "Printing the result list"); not what the
    # standings are computed from.
    referee = models.CharField(
        max_length=120, blank=True, help_text="As printed on the result list, e.g. Jan DE VRIES (NED)"
    )
    starter = models.CharField(
        max_length=120, blank=True, help_text="As printed on the result list, e.g. Anna BERG (NOR)"
    )

    class Meta:
        ordering = ["competition", "order", "id"]
        permissions = [
            ("enter_results", "Can enter and correct race results"),
            ("referee_race", "Can confirm, protest and reopen races and correct official results"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        table = self.points_table
        if not isinstance(table, list) or not all(isinstance(p, int) and p >= 0 for p in table):
            raise ValidationError({"points_table": "Points are a list of whole numbers, e.g. [60, 54, 48]."})
        # A mass start left without a sprint table gets the current one when saved (results.services.races).
        if self.format == self.Format.MASS_START and self.sprint_points:
            error = ranking_mass_start.table_error(self.sprint_points)
            if error:
                raise ValidationError({"sprint_points": error})


class Skater(models.Model):
    name = models.CharField(max_length=120, help_text="As printed on result lists, e.g. Jutta LEERDAM")
    nation = models.CharField(max_length=3, validators=[NATION_CODE])
    external_id = models.CharField(
        max_length=40, blank=True, help_text="The federation's or timing system's id, when start lists carry one"
    )
    is_team = models.BooleanField(default=False, help_text="A nation's team (team pursuit), e.g. Netherlands (NED)")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "nation"], name="skater_unique_name_nation"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="skater_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nation})"


class Heat(models.Model):
    """A pair, or a quartet start of up to four skaters; results arrive per heat."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="heats")
    number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_reskate = models.BooleanField(
        default=False, help_text="An extra pair granted by the referee; the better valid time of a skater counts"
    )
    # Grows with every change to the heat's results; an entry form that read an older revision is refused, so
    # one official never overwrites another's save unseen.
    revision = models.PositiveIntegerField(default=0, editable=False)
    # When the pair started, as far as the server can tell: the arrival of its first passage or time less the time
    # it gives (the earliest such moment). What the expected starts of the pairs to come are measured from.
    started_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["race", "number"]
        constraints = [models.UniqueConstraint(fields=["race", "number"], name="heat_unique_number")]

    def __str__(self) -> str:
        return f"Heat {self.number}"


class Start(models.Model):
    heat = models.ForeignKey(Heat, on_delete=models.CASCADE, related_name="starts")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="starts")
    bib = models.PositiveIntegerField()
    lane = models.CharField(max_length=1, choices=Lane.choices, blank=True)
    time_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Time in thousandths of a second")
    status = models.CharField(max_length=3, choices=Status.choices, blank=True, default=Status.PENDING)
    infraction = models.CharField(max_length=3, choices=ranking.INFRACTION_CHOICES, blank=True)
    result_source = models.CharField(
        max_length=6,
        choices=[("", "None yet"), ("timing", "Timing system"), ("manual", "Official")],
        blank=True,
        help_text="Who gave the current result: an official's value is never overwritten by the timing system",
    )
    points_awarded = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name="points by decision",
        help_text="Points the referee awarded instead of the points table's (a jury decision, or as printed on an "
        "official result list, such as a fall ranked after the finishers); empty: the table's. Referees only, with "
        "a reason.",
    )
    members: models.ManyToManyField[Skater, Any] = models.ManyToManyField(
        Skater, blank=True, related_name="team_starts", help_text="Team pursuit: the team's skaters in this race"
    )

    class Meta:
        ordering = ["heat__number", "lane", "id"]

    def __str__(self) -> str:
        return f"{self.skater} in heat {self.heat.number}" if self.heat_id else str(self.skater)

    def clean(self) -> None:
        """Checks that need the rest of the race: heat size, lane occupancy, one entry per skater and bib."""
        if not self.heat_id or not self.skater_id:
            return
        errors = heat_lineup_errors([self], heat=self.heat)[0]
        if errors:
            raise ValidationError(errors)

    @property
    def has_result(self) -> bool:
        return self.status != Status.PENDING

    def as_result(self, personal_marks: Mapping[str, int] | None = None) -> ranking.Result:
        """The start as the ranking rules read it; ``personal_marks``: the skater's standing PB and SB, if known."""
        return ranking.Result(
            bib=self.bib,
            name=self.skater.name,
            nation=self.skater.nation,
            heat=self.heat.number,
            lane=self.lane or None,
            status=self.status,
            time_ms=self.time_ms,
            infraction=self.infraction or None,
            personal_marks=personal_marks or {},
            points_awarded=self.points_awarded,
        )

    def member_names(self) -> list[str]:
        """A team's skaters in the order its start list gave them (a fourth is the reserve); none for a skater."""
        rows = Start.members.through.objects.filter(start=self).order_by("pk")
        return list(rows.values_list("skater__name", flat=True))


class Withdrawal(models.Model):
    """A skater entered in a race who withdrew before being drawn into a pair. Result lists print them as WDR
    with no pair and no lane, after every skater who had one; they get no points (docs/rules.md). A skater who
    withdraws once drawn keeps their start, with the status WDR."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="withdrawals")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="withdrawals")
    bib = models.PositiveIntegerField()

    class Meta:
        ordering = ["race", "bib"]
        verbose_name = "withdrawal before the draw"
        verbose_name_plural = "withdrawals before the draw"
        constraints = [
            models.UniqueConstraint(fields=["race", "skater"], name="withdrawal_unique_skater"),
            models.UniqueConstraint(fields=["race", "bib"], name="withdrawal_unique_bib"),
        ]

    def __str__(self) -> str:
        return f"{self.skater}, bib {self.bib}: withdrew before the draw"

    def clean(self) -> None:
        """Not also in a pair of the race, and a bib no one else of the race wears."""
        if not self.race_id or not self.skater_id:
            return
        starts = Start.objects.filter(heat__race_id=self.race_id).select_related("heat", "skater")
        errors: dict[str, str] = {}
        drawn = next((start for start in starts if start.skater_id == self.skater_id), None)
        if drawn is not None:
            errors["skater"] = ERROR_DRAWN.format(skater=self.skater, heat=drawn.heat.number)
        others = Withdrawal.objects.filter(race_id=self.race_id).exclude(pk=self.pk).select_related("skater")
        wearers = [(row.bib, row.skater) for row in starts] + [(row.bib, row.skater) for row in others]
        wearer = next((skater for bib, skater in wearers if bib == self.bib and skater.pk != self.skater_id), None)
        if wearer is not None:
            errors["bib"] = ERROR_BIB_TWICE.format(bib=self.bib, skater=wearer)
        if errors:
            raise ValidationError(errors)

    def as_result(self) -> ranking.Result:
        """The withdrawal as the ranking rules read it: WDR, no pair, no lane."""
        return ranking.Result(
            bib=self.bib, name=self.skater.name, nation=self.skater.nation, heat=None, lane=None, status=ranking.WDR
        )


def heat_lineup_errors(starts: Sequence[Start], *, heat: Heat, leaving: Collection[int] = ()) -> list[dict[str, str]]:
    """Errors by field for each of ``starts``, placed in ``heat`` together (a heat form may add several at once).

    Each start is checked against the race's saved starts and against the starts before it in ``starts``. Saved
    rows that are among ``starts`` (their new values count) or in ``leaving`` (deleted in the same submit) are
    left out. ``heat`` may be unsaved (a new heat): then only its race's other heats are saved rows.
    """
    edited = {start.pk for start in starts if start.pk} | set(leaving)
    saved: list[Start] = []
    if heat.race_id:
        rows = Start.objects.filter(heat__race_id=heat.race_id).exclude(pk__in=edited)
        saved = list(rows.select_related("heat", "skater").order_by("heat__number", "id"))
    # (start, its heat) for everyone already placed in the race, then for each start as it is placed. A skater
    # may skate twice only once in a re-skate pair, with the same bib.
    placed = [(start, start.heat) for start in saved]
    withdrawn = list(Withdrawal.objects.filter(race_id=heat.race_id).select_related("skater")) if heat.race_id else []
    in_heat = [start for start in saved if heat.pk and start.heat_id == heat.pk]
    rules = formats.rules_for(heat.race.format) if heat.race_id else formats.RULES[formats.INDIVIDUAL]
    all_errors: list[dict[str, str]] = []
    for start in starts:
        errors: dict[str, str] = {}
        if len(in_heat) >= rules.per_heat:
            errors["heat"] = rules.error_heat_full
        if rules.only_heat is not None and heat.number != rules.only_heat:
            errors["heat"] = rules.error_other_heat
        if start.lane and not rules.per_lane:
            errors["lane"] = rules.error_lane_given
        elif start.lane and sum(other.lane == start.lane for other in in_heat) >= rules.per_lane:
            errors["lane"] = rules.error_lane_full.format(lane=start.lane, heat=heat.number)
        if entrant := formats.entrant_error(rules, is_team=start.skater.is_team, skater=str(start.skater)):
            errors["skater"] = entrant
        same_skater = next(
            (
                other_heat
                for other, other_heat in placed
                if other.skater_id == start.skater_id and other_heat.is_reskate == heat.is_reskate
            ),
            None,
        )
        if same_skater is not None:
            errors["skater"] = ERROR_SKATER_TWICE.format(skater=start.skater, heat=same_skater.number)
        if any(withdrawal.skater_id == start.skater_id for withdrawal in withdrawn):
            errors["skater"] = ERROR_WITHDRAWN.format(skater=start.skater)
        wearers = [(other.bib, other.skater) for other, _heat in placed] + [(w.bib, w.skater) for w in withdrawn]
        same_bib = next((skater for bib, skater in wearers if bib == start.bib and skater.pk != start.skater_id), None)
        if same_bib is not None:
            errors["bib"] = ERROR_BIB_TWICE.format(bib=start.bib, skater=same_bib)
        all_errors.append(errors)
        placed.append((start, heat))
        in_heat.append(start)
    return all_errors


class Record(models.Model):
    """A record as it stood from ``set_on``. The standing record for a race is the best one set before it."""

    class Kind(models.TextChoices):
        WR = ranking.WR, "World record"
        OR = ranking.OR, "Olympic record"
        TR = ranking.TR, "Track record"
        NR = ranking.NR, "National record"

    kind = models.CharField(max_length=2, choices=Kind.choices)
    gender = models.CharField(max_length=5, choices=Gender.choices)
    distance = models.PositiveIntegerField()
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, null=True, blank=True, help_text="Track records only")
    time_ms = models.PositiveIntegerField(help_text="Time in thousandths of a second")
    holder = models.CharField(max_length=120)
    nation = models.CharField(max_length=3, validators=[NATION_CODE])
    set_on = models.DateField()
    set_in_race = models.ForeignKey(
        Race,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records_set",
        help_text="The race in which it was set, if it is in this system",
    )

    class Meta:
        ordering = ["gender", "distance", "kind", "time_ms"]

    def __str__(self) -> str:
        return f"{self.kind} {self.gender} {self.distance}m {format_time(self.time_ms)} {self.holder}"

    def clean(self) -> None:
        if self.kind == self.Kind.TR and not self.venue_id:
            raise ValidationError({"venue": "A track record belongs to a venue."})
        if self.kind != self.Kind.TR and self.venue_id:
            raise ValidationError({"venue": "Only track records belong to a venue."})


class Snapshot(models.Model):
    """A published board (a race's standings, a classification's): the exact JSON text every spectator receives
    for ``version``. ``topic`` names it (results/topics.py): ``race.12``."""

    topic = models.CharField(max_length=60, primary_key=True)
    version = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField()
    payload = models.TextField()

    def __str__(self) -> str:
        return f"{self.topic} v{self.version}"


class PublishedChange(models.Model):
    """What every row of a race's history keeps besides the change itself: why, who (``None``: the system, such as
    a replay or a timing system), when, and the version of the board that first showed it."""

    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    version = models.PositiveIntegerField(null=True, blank=True, help_text="The snapshot version that published it")

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class ResultChange(PublishedChange):
    """One skater's result as it changed: who, when, from what to what, and why. Nothing is changed silently."""

    class Kind(models.TextChoices):
        ENTERED = "entered", "Entered"
        CORRECTED = "corrected", "Corrected"
        CLEARED = "cleared", "Cleared"
        REMOVED = "removed", "Removed with the start"

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="result_changes")
    start = models.ForeignKey(Start, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    heat_number = models.PositiveIntegerField()
    bib = models.PositiveIntegerField()
    skater = models.CharField(max_length=140, help_text="The skater as named when the change was made")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_status = models.CharField(max_length=3, choices=Status.choices, blank=True)
    old_time_ms = models.PositiveIntegerField(null=True, blank=True)
    old_infraction = models.CharField(max_length=3, blank=True)
    new_status = models.CharField(max_length=3, choices=Status.choices, blank=True)
    new_time_ms = models.PositiveIntegerField(null=True, blank=True)
    new_infraction = models.CharField(max_length=3, blank=True)
    # A mass start's sprint: the skater's place in it before and after (None: not placed); the result fields
    # above stay blank on such a row.
    sprint = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Mass start: the sprint changed")
    old_place = models.PositiveSmallIntegerField(null=True, blank=True)
    new_place = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.skater}, heat {self.heat_number}"


class StandingsEdit(PublishedChange):
    """A change to what a board's standings are computed from, other than a result or a race's status: a race's
    settings, its lineup (who skates, with which bib, in which pair and lane), a skater's name, a record or best the
    race is measured against, a classification's distances. Who, when, what, from what to what, and why: nothing a
    board shows changes silently once a race has results."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, null=True, blank=True, related_name="edits")
    classification = models.ForeignKey(
        "Classification", on_delete=models.CASCADE, null=True, blank=True, related_name="edits"
    )
    subject = models.CharField(max_length=200, help_text="What changed, e.g. “pair 3, bib 281 Jutta LEERDAM: lane”")
    old = models.CharField(max_length=500, blank=True)
    new = models.CharField(max_length=500, blank=True)
    heat_number = models.PositiveIntegerField(null=True, blank=True)
    bib = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "change to a draw, settings or record"
        verbose_name_plural = "changes to draws, settings and records"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(race__isnull=False, classification__isnull=True)
                | models.Q(race__isnull=True, classification__isnull=False),
                name="standings_edit_of_one_board",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.old} -> {self.new}"


class SprintPlacing(models.Model):
    """Where a skater crossed the line in one sprint of a mass start (1 first). Points follow from the race's
    ``sprint_points``; a place beyond its table scores nothing."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="sprint_placings")
    start = models.ForeignKey(Start, on_delete=models.CASCADE, related_name="sprint_placings")
    sprint = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], help_text="1, 2, ...; the final last")
    place = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["race", "sprint", "place"]
        constraints = [
            models.UniqueConstraint(fields=["race", "sprint", "place"], name="sprint_placing_unique_place"),
            models.UniqueConstraint(fields=["start", "sprint"], name="sprint_placing_unique_start"),
        ]

    def __str__(self) -> str:
        return f"Sprint {self.sprint}: {self.place}. {self.start}"


class RaceStatusChange(models.Model):
    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=12, choices=Race.State.choices)
    new_status = models.CharField(max_length=12, choices=Race.State.choices)
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.race}: {self.old_status} -> {self.new_status}"


class Passage(models.Model):
    """A skater's (or a team's) time at a passage point of the race: 200 m, 600 m, ... (docs/rules.md)."""

    class Source(models.TextChoices):
        TIMING = "timing", "Timing system"
        MANUAL = "manual", "Official"

    start = models.ForeignKey(Start, on_delete=models.CASCADE, related_name="passages")
    distance = models.PositiveIntegerField(help_text="Metres from the start")
    time_ms = models.PositiveIntegerField(help_text="Time in thousandths of a second")
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.TIMING)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "distance"]
        constraints = [models.UniqueConstraint(fields=["start", "distance"], name="passage_unique_distance")]

    def __str__(self) -> str:
        return f"{self.start} at {self.distance} m"


class TimingToken(models.Model):
    """A timing system's key to post passages and finish times for one competition. Only its hash is kept."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="timing_tokens")
    name = models.CharField(max_length=80, help_text="Which timing system or computer, e.g. Finish line, lane I")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="The first characters, to tell tokens apart")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["competition", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SkaterBest(models.Model):
    """A skater's personal best (PB) or season best (SB) on a distance, as it stood from ``set_on``."""

    class Kind(models.TextChoices):
        PB = ranking.PB, "Personal best"
        SB = ranking.SB, "Season best"

    skater = models.ForeignKey(Skater, on_delete=models.CASCADE, related_name="bests")
    distance = models.PositiveIntegerField()
    kind = models.CharField(max_length=2, choices=Kind.choices)
    time_ms = models.PositiveIntegerField(help_text="Time in thousandths of a second")
    season = models.CharField(max_length=9, blank=True, help_text="Season bests: e.g. 2025-2026")
    set_on = models.DateField(null=True, blank=True)
    set_in_race = models.ForeignKey(Race, on_delete=models.SET_NULL, null=True, blank=True, related_name="bests_set")

    class Meta:
        ordering = ["skater", "distance", "kind", "time_ms"]

    def __str__(self) -> str:
        return f"{self.kind} {self.skater} {self.distance}m {format_time(self.time_ms)}"


class Classification(models.Model):
    """A championship over several distances (sprint, allround): the skaters ranked by the sum of their points
    per distance (docs/rules.md, "Classifications")."""

    class Kind(models.TextChoices):
        SPRINT = "sprint", "Sprint (500, 1000, 500, 1000)"
        MINI = "mini", "Mini allround (500, 1000, 1500, 3000)"
        SMALL = "small", "Small allround (500, 1500, 3000, 5000)"
        BIG = "big", "Big allround (500, 1500, 5000, 10000)"
        OTHER = "other", "Other combination"

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="classifications")
    name = models.CharField(max_length=120, help_text="e.g. World Sprint Championships, women")
    gender = models.CharField(max_length=5, choices=Gender.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    races: models.ManyToManyField[Race, ClassificationRace] = models.ManyToManyField(
        Race, through="ClassificationRace", related_name="classifications"
    )

    class Meta:
        ordering = ["competition", "name"]

    def __str__(self) -> str:
        return self.name


class ClassificationRace(models.Model):
    classification = models.ForeignKey(Classification, on_delete=models.CASCADE, related_name="legs")
    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="classification_legs")
    position = models.PositiveIntegerField(help_text="1 for the first distance skated, 2 for the next, ...")

    class Meta:
        ordering = ["classification", "position"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "race"], name="classification_race_once"),
            models.UniqueConstraint(fields=["classification", "position"], name="classification_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.classification}: {self.position}. {self.race}"


class PushSubscription(models.Model):
    """A browser that asked to be told about skaters with the page closed (docs/feed.md, "Push notifications"):
    where its push service takes messages, the keys to encrypt them for it, and the language it asked in. Nothing
    about the person."""

    endpoint = models.CharField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100, help_text="The browser's public key (base64url)")
    auth = models.CharField(max_length=50, help_text="The browser's authentication secret (base64url)")
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.endpoint[:60]


class PushFollow(models.Model):
    """A subscription's skater, since when: news from before ``since`` is not theirs."""

    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="follows")
    skater = models.ForeignKey(Skater, on_delete=models.CASCADE, related_name="push_follows")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "skater"], name="push_follow_once")]
        indexes = [models.Index(fields=["skater", "subscription"], name="push_follow_by_skater")]

    def __str__(self) -> str:
        return f"{self.subscription_id} follows {self.skater_id}"


class PushTold(models.Model):
    """What the followers of a skater were last told about one race, per subject (``on_deck``: the pair; ``result``;
    ``final``): the push worker tells only what changed."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="+")
    skater = models.ForeignKey(Skater, on_delete=models.CASCADE, related_name="+")
    about = models.CharField(max_length=10)
    said = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["race", "skater", "about"], name="push_told_once")]

    def __str__(self) -> str:
        return f"race {self.race_id}, skater {self.skater_id}, {self.about}: {self.said}"


class PushNotice(models.Model):
    """One piece of news about a skater, for everyone following them: the push outbox. The worker sends it to the
    followers in subscription order; ``sent_through`` is the last subscription done, so a restart goes on there."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="+")
    skater = models.ForeignKey(Skater, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)
    facts = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_through = models.PositiveBigIntegerField(default=0)
    done = models.BooleanField(default=False, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.skater_id} race {self.race_id}"


class PushRetry(models.Model):
    """A notice a push service could not take yet (busy, down): tried again at ``due_at``."""

    notice = models.ForeignKey(PushNotice, on_delete=models.CASCADE, related_name="retries")
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "subscription"], name="push_retry_once")]

    def __str__(self) -> str:
        return f"{self.notice} to {self.subscription_id}, attempt {self.attempts + 1}"


class PushCursor(models.Model):
    """The version of each race's snapshot the push worker has read."""

    topic = models.CharField(max_length=60, primary_key=True)
    version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.topic} v{self.version}"


class SkaterNote(models.Model):
    """What an official tells the commentators about a skater at a competition (a comeback, a new coach): shown
    on the commentator's screen next to the skater, never to the public."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="skater_notes")
    skater = models.ForeignKey(Skater, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=1000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["competition", "skater__name"]
        constraints = [models.UniqueConstraint(fields=["competition", "skater"], name="skater_note_once")]
        permissions = [("commentate", "Can open the commentator's screen")]

    def __str__(self) -> str:
        return f"{self.skater} at {self.competition}"
