"""A mass start on the entry screen (``results.admin.race_day.views``): one form per sprint, where the official
types the bibs in order of crossing (``12 7 33``), above the finish, which is the race's one heat entered like a pair (a
time where it breaks a tie on points, or DNF, DQ). Every save goes through ``results.services.mass_start``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.http import HttpRequest

from results.admin.forms import HiddenErrorsShownForm, reason_field, reason_missing
from results.models import Race, SprintPlacing, Start
from results.rules import ranking_mass_start
from results.rules.numbers import whole_number
from results.services.mass_start import SprintChangedMeanwhile, SprintInvalid, sprint_placings_record

ERROR_BIB_TEXT = "“{token}” is not a bib: type the bibs in order of crossing, separated by spaces, e.g. 12 7 33."
MESSAGE_SPRINT_SAVED = "{sprint} saved: {summary}."
MESSAGE_SPRINT_CLEARED = "{sprint} cleared: its places are taken off the board and kept in the history."
MESSAGE_FINISH_SAVED = "Finish saved: {summary}."
MESSAGE_TIE = "Equal points and no finish time: {skaters} share rank {rank}. Type their finish times to separate them."
# How many finishers the message after the finish names.
FINISH_SUMMARY_ROWS = 3


ERROR_EXPECTED = (
    "This page did not say which saved order of sprint {sprint} it was made from, so saving could overwrite someone "
    "else's places unseen: reload the page, check the sprint and save again."
)


def parse_bibs(text: str) -> list[int]:
    """``"12 7 33"`` (or with commas) -> ``[12, 7, 33]``; raises ``ValidationError`` naming what is not a bib."""
    tokens = [token for token in re.split(r"[\s,;]+", text.strip()) if token]
    bibs = [whole_number(token) for token in tokens]
    wrong = [token for token, bib in zip(tokens, bibs, strict=True) if bib is None]
    if wrong:
        raise forms.ValidationError([ERROR_BIB_TEXT.format(token=token) for token in wrong])
    return [bib for bib in bibs if bib is not None]


def _bibs_text(bibs: Sequence[int]) -> str:
    return " ".join(map(str, bibs))


class SprintForm(HiddenErrorsShownForm):
    """One sprint: the bibs in order of crossing; ``expected`` (hidden) is the order the form was made from, so a
    save on top of someone else's is refused; ``reason`` goes into the history of every place it changes."""

    order = forms.CharField(
        required=False,
        label="Bibs in order of crossing",
        widget=forms.TextInput(
            attrs={"class": "sprint-order", "autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}
        ),
    )
    expected = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, race: Race, sprint: int, saved: Sequence[int], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"sprint{sprint}")
        kwargs.setdefault("initial", {"order": _bibs_text(saved), "expected": _bibs_text(saved)})
        super().__init__(*args, **kwargs)
        self.race = race
        self.sprint = sprint
        self.conflict = False
        self.reason_required = race.status in (Race.State.OFFICIAL, Race.State.PROTESTED)
        self.fields["reason"] = reason_field(
            "photo finish checked", label="Reason (required)" if self.reason_required else "Reason (optional)"
        )

    def clean_order(self) -> list[int]:
        return parse_bibs(self.cleaned_data["order"])

    def clean_expected(self) -> list[int]:
        return parse_bibs(self.cleaned_data["expected"])

    def hidden_field_error(self, name: str) -> str | None:
        return ERROR_EXPECTED.format(sprint=self.sprint) if name == "expected" else None

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors)

    def add_service_errors(self, error: SprintInvalid) -> None:
        """A missing reason on the reason field; someone else's save on top, with the form now made from it (so
        saving again, having compared, goes through); every other message on the order typed."""
        if isinstance(error, SprintChangedMeanwhile):
            self.conflict = True
            self.data = {**dict(self.data.items()), self.add_prefix("expected"): _bibs_text(error.bibs)}
            self.add_error(None, error.messages)
            return
        missing = reason_missing(self.race)
        for message in error.messages:
            self.add_error("reason" if message == missing else "order", message)


@dataclass(frozen=True)
class Placed:
    place: int
    bib: int
    name: str
    nation: str
    points: int


@dataclass(frozen=True)
class SprintPanel:
    """One sprint as the entry screen shows it: its form, who is placed now and what they scored."""

    number: int
    name: str
    points: Sequence[int]
    form: SprintForm
    placed: list[Placed]
    is_next: bool
    count: int  # sprints in the race's table

    @property
    def anchor(self) -> str:
        return f"sprint-{self.number}"

    @property
    def is_saved(self) -> bool:
        return bool(self.placed)

    @property
    def points_text(self) -> str:
        return "/".join(map(str, self.points))

    @property
    def lap(self) -> int | None:
        return ranking_mass_start.sprint_lap(self.number, self.count)


def sprint_panels(race: Race, bound: SprintForm | None = None) -> list[SprintPanel]:
    """Every sprint of the race's table, in order: the first not entered yet is next."""
    placings = SprintPlacing.objects.filter(race=race).select_related("start__skater").order_by("sprint", "place")
    by_sprint: dict[int, list[SprintPlacing]] = {}
    for placing in placings:
        by_sprint.setdefault(placing.sprint, []).append(placing)
    count = len(race.sprint_points)
    panels: list[SprintPanel] = []
    next_found = False
    for number, points in enumerate(race.sprint_points, start=1):
        saved = by_sprint.get(number, [])
        form = bound if bound is not None and bound.sprint == number else None
        form = form or SprintForm(race=race, sprint=number, saved=[p.start.bib for p in saved])
        placed = [
            Placed(
                place=p.place,
                bib=p.start.bib,
                name=p.start.skater.name,
                nation=p.start.skater.nation,
                points=ranking_mass_start.points_for_place(p.place, points),
            )
            for p in saved
        ]
        is_next = not placed and not next_found
        next_found = next_found or is_next
        name = ranking_mass_start.sprint_name(number, count)
        panels.append(
            SprintPanel(number=number, name=name, points=points, form=form, placed=placed, is_next=is_next, count=count)
        )
    return panels


def entry_context(race: Race, panels: list[SprintPanel]) -> dict[str, Any]:
    """What the entry screen's sprint cards need (``admin/results/race/_sprints.html``); nothing for a race that is
    not a mass start. ``sprint_field``: each bib's skater, for the names shown as the official types."""
    if not panels:
        return {"sprint_panels": []}
    starts = Start.objects.filter(heat__race=race).select_related("skater").order_by("bib")
    return {
        "sprint_panels": panels,
        "sprints_done": sum(panel.is_saved for panel in panels),
        "sprint_field": {str(start.bib): f"{start.skater.name} ({start.skater.nation})" for start in starts},
    }


def bound_sprint_form(request: HttpRequest, race: Race) -> SprintForm | None:
    """The sprint form posted, or ``None`` for a sprint the race's table does not have."""
    number = whole_number(request.POST.get("sprint", ""))
    if number is None or not 1 <= number <= len(race.sprint_points):
        return None
    return SprintForm(request.POST, race=race, sprint=number, saved=())


def sprint_save(
    model_admin: ModelAdmin[Race], request: HttpRequest, race: Race, form: SprintForm, user: Any
) -> str | None:
    """Save a posted sprint: the anchor to go back to once saved, or ``None`` with the errors on ``form``."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    clearing = request.POST.get("action") == "clear"
    bibs = [] if clearing else data["order"]
    try:
        sprint_placings_record(
            race=race, sprint=form.sprint, bibs=bibs, by=user, reason=data["reason"], expected=data["expected"]
        )
    except SprintInvalid as error:
        form.add_service_errors(error)
        return None
    name = ranking_mass_start.sprint_name(form.sprint, len(race.sprint_points))
    if clearing:
        model_admin.message_user(request, MESSAGE_SPRINT_CLEARED.format(sprint=name), messages.SUCCESS)
    else:
        panel = next(p for p in sprint_panels(race) if p.number == form.sprint)
        summary = "; ".join(f"{p.place}. {p.name} ({p.bib}) {p.points}" for p in panel.placed) or "nobody placed"
        model_admin.message_user(request, MESSAGE_SPRINT_SAVED.format(sprint=name, summary=summary), messages.SUCCESS)
    return next((f"#{p.anchor}" for p in sprint_panels(race) if p.is_next), "#heat-1")


def finish_summary(rows: Sequence[Mapping[str, Any]]) -> str:
    """``1. Marijke GROENEWOUD 63 pts; 2. ...``: the top of the standings, as the official checks them."""
    ranked = [row for row in rows if row["rank"] is not None][:FINISH_SUMMARY_ROWS]
    return "; ".join(f"{row['rank']}. {row['name']} {row['race_points']} pts" for row in ranked)


def tie_warnings(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Finishers who share a rank on equal points because a finish time is missing (``unbroken_ties``)."""
    finishers = [row for row in rows if row["status"] == "OK" and row["rank"] is not None]
    warnings = []
    for rank in sorted({row["rank"] for row in finishers}):
        tied = [row for row in finishers if row["rank"] == rank]
        if len(tied) > 1 and any(row["time_ms"] is None for row in tied):
            names = ", ".join(f"{row['name']} ({row['bib']})" for row in tied)
            warnings.append(MESSAGE_TIE.format(skaters=names, rank=rank))
    return warnings
