"""The entry screen's forms: one pair's results (``HeatResultsForm``), a referee's status change
(``RaceStatusForm``) and a re-skate (``ReskateForm``). Each is saved by a service; what the service refuses comes back
next to the field it is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from results import policy
from results.admin.forms import HiddenErrorsShownForm, TimeField, reason_field, reason_missing
from results.models import Heat, Lane, Race, Start
from results.rules import ranking
from results.rules.numbers import whole_number
from results.rules.times import time_input_text
from results.services import HeatChangedMeanwhile, HeatResultsInvalid, StartResult, race_status_choices
from results.services.race_status import ERROR_REASON

STATUS_CHOICES = [(status, status) for status in ranking.STATUSES]
INFRACTION_CHOICES = [("", "—"), *ranking.INFRACTION_CHOICES]
# The service names the fields of a skater's result like this; the form adds the start id.
RESULT_FIELDS = ("time", "status", "infraction")
ERROR_REVISION = (
    "This page did not say which saved version of pair {heat} it was made from, so saving could overwrite someone "
    "else's results unseen: reload the page, check the pair and save again."
)


@dataclass(frozen=True)
class ResultRow:
    """One skater's line on the entry screen."""

    start: Start
    time: forms.BoundField
    status: forms.BoundField
    infraction: forms.BoundField

    @property
    def fields(self) -> tuple[forms.BoundField, ...]:
        return (self.time, self.status, self.infraction)

    @property
    def errors(self) -> list[str]:
        # An ErrorList yields each message as text (a ValidationError in it gives its message), however stored.
        return [str(message) for field in self.fields for message in field.errors]


class HeatResultsForm(HiddenErrorsShownForm):
    """One heat of the entry screen: a time, a result and an infraction code per skater, saved all or nothing by
    ``results.services.heat_results_record``. Field names carry the start id: ``time_12``, ``status_12``,
    ``infraction_12``. ``revision`` (hidden) is the heat's revision the form was made from, so a save on top of
    someone else's is refused; ``reason`` goes into the history of every result the save changes.

    ``clearing``: the official asked to clear the pair; what the result fields hold is kept for the page but not
    checked (a half-typed time must not stop a clear).
    """

    def __init__(self, *args: Any, heat: Heat, starts: Iterable[Start], clearing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heat = heat
        self.starts = list(starts)
        self.conflict = False  # someone else saved the heat after this form was made
        time_field = forms.CharField if clearing else TimeField
        for start in self.starts:
            skater = f"{start.skater.name} ({start.skater.nation})"
            self.fields[self.field_name(start.pk, "time")] = time_field(
                required=False,
                initial=time_input_text(start.time_ms),
                label=f"Time of {skater}",
                widget=forms.TextInput(
                    attrs={
                        "class": "result-time",
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "size": 9,
                    }
                ),
            )
            # Not required here: a missing result is refused by the service, with the same message as elsewhere.
            self.fields[self.field_name(start.pk, "status")] = forms.ChoiceField(
                required=False,
                choices=STATUS_CHOICES,
                initial=start.status or ranking.OK,
                label=f"Result of {skater}",
                widget=forms.Select(attrs={"class": "result-status"}),
            )
            self.fields[self.field_name(start.pk, "infraction")] = forms.ChoiceField(
                required=False,
                choices=INFRACTION_CHOICES,
                initial=start.infraction,
                label=f"Infraction of {skater}",
                widget=forms.Select(attrs={"class": "result-infraction"}),
            )
        # Every heat's form is on one page: these two get ids of their own (their names are the same in each).
        self.fields["revision"] = forms.CharField(
            required=False,
            initial=heat.revision,
            widget=forms.HiddenInput(attrs={"id": f"id_revision_heat{heat.number}", "class": "heat-revision"}),
        )
        self.reason_required = policy.reason_required(heat.race)
        self.fields["reason"] = reason_field(
            "photo finish checked",
            # The label says first whether this race needs one.
            label="Reason (required)" if self.reason_required else "Reason (optional)",
            attrs={
                "id": f"id_reason_heat{heat.number}",
                "class": "heat-reason",
                **({"aria-required": "true"} if self.reason_required else {}),
            },
        )

    @staticmethod
    def field_name(start_id: int, field: str) -> str:
        return f"{field}_{start_id}"

    @property
    def reason(self) -> forms.BoundField:
        return self["reason"]

    @property
    def revision(self) -> forms.BoundField:
        return self["revision"]

    @property
    def rows(self) -> list[ResultRow]:
        rows = []
        for start in self.starts:
            time, status, infraction = (self[self.field_name(start.pk, field)] for field in RESULT_FIELDS)
            rows.append(ResultRow(start=start, time=time, status=status, infraction=infraction))
        return rows

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors)

    def first_field_to_fix(self) -> forms.BoundField | None:
        """Where the cursor goes when the heat comes back with errors."""
        for row in self.rows:
            for field in row.fields:
                if field.errors:
                    return field
        if self.reason.errors:
            return self.reason
        rows = self.rows
        return rows[0].time if rows else None

    def clean_revision(self) -> int | None:
        """The heat's revision the page was made from; a page without a sound one cannot say what it overwrites."""
        text = self.cleaned_data["revision"]
        if not text:
            return None
        revision = whole_number(text)
        if revision is None:
            raise forms.ValidationError(ERROR_REVISION.format(heat=self.heat.number))
        return revision

    def hidden_field_error(self, name: str) -> str | None:
        return ERROR_REVISION.format(heat=self.heat.number) if name == "revision" else None

    def saved_with(self) -> tuple[int | None, str]:
        """The revision the entry was made from and the reason given (call after ``is_valid()``)."""
        return self.cleaned_data.get("revision"), self.cleaned_data.get("reason", "")

    def results(self) -> list[StartResult]:
        """The cleaned entries, one per skater, for ``heat_results_record`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        return [
            StartResult(
                start_id=start.pk,
                status=data[self.field_name(start.pk, "status")],
                time_ms=data[self.field_name(start.pk, "time")],
                infraction=data[self.field_name(start.pk, "infraction")],
            )
            for start in self.starts
        ]

    def add_service_errors(self, error: HeatResultsInvalid) -> None:
        """Put the service's refusal next to the fields it is about, and the rest at the top of the heat.

        Someone else saved the heat meanwhile (``HeatChangedMeanwhile``): their message goes on top, what this
        official typed stays, and the form now carries the heat's current revision, so that saving again (having
        compared) goes through.
        """
        if isinstance(error, HeatChangedMeanwhile):
            self.conflict = True
            self.data = {**dict(self.data.items()), "revision": str(error.revision)}
        missing = reason_missing(self.heat.race)
        for message in error.heat_errors:
            self.add_error("reason" if message == missing else None, message)
        for start_id, fields in error.by_start.items():
            for field, messages in fields.items():
                name = self.field_name(start_id, field)
                self.add_error(name if name in self.fields else None, messages)


class RaceStatusForm(forms.Form):
    """A referee's status change: one button per allowed status (``status``), one reason for all of them.
    ``services.race_status_set`` decides; its refusals come back on the reason (or on top)."""

    # Button labels by the transition's action (``services.REFEREE_TRANSITIONS``).
    BUTTONS = {
        "confirm": "Confirm results (official)",
        "put under review": "Put under review",
        "end the review of": "End review",
        "reopen": "Reopen",
    }

    status = forms.ChoiceField(choices=Race.State.choices)
    reason = reason_field("protest by NED about pair 4")

    def __init__(self, *args: Any, race: Race, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_race_status_%s")
        super().__init__(*args, **kwargs)
        self.race = race
        # Any status is taken here: a button from a page opened before the race changed is refused by the service,
        # which says why ("A race that is official cannot become official.").
        self.transitions = race_status_choices(race)
        needs_reason = [self.BUTTONS[t.action].lower() for _status, t in self.transitions if t.reason_required]
        self.fields["reason"].label = "Reason" + (f" (required to {' or '.join(needs_reason)})" if needs_reason else "")

    def buttons(self) -> list[tuple[str, str, bool]]:
        """(status, label, reason required) for each allowed change."""
        return [(status, self.BUTTONS[t.action], t.reason_required) for status, t in self.transitions]

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """A missing reason goes on the reason field, anything else on top (call after ``is_valid()``)."""
        transition = dict(self.transitions).get(self.cleaned_data.get("status", ""))
        missing = ERROR_REASON.format(action=transition.action, race=self.race) if transition else None
        for message in error.messages:
            self.add_error("reason" if message == missing else None, message)


LANE_CHOICES = [("", "Either lane"), *Lane.choices]


class StartChoiceField(forms.ModelChoiceField[Start]):
    def label_from_instance(self, obj: Start) -> str:
        return f"Pair {obj.heat.number} · {obj.bib} {obj.skater.name} ({obj.skater.nation})"


class ReskateForm(forms.Form):
    """A re-skate granted on the entry screen (``services.reskate_add``): who, in which lane, why."""

    start = StartChoiceField(queryset=Start.objects.none(), label="Skater", empty_label="Choose the skater…")
    lane = forms.ChoiceField(choices=LANE_CHOICES, required=False)
    reason = reason_field("impeded at the crossing")

    def __init__(self, *args: Any, race: Race, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_reskate_%s")
        super().__init__(*args, **kwargs)
        starts = Start.objects.filter(heat__race=race, heat__is_reskate=False).select_related("heat", "skater")
        start_field = self.fields["start"]
        assert isinstance(start_field, StartChoiceField)
        start_field.queryset = starts.order_by("heat__number", "lane", "id")
        reason_required = policy.reason_required(race)
        self.fields["reason"].label = "Reason (required)" if reason_required else "Reason"
