"""Forms of the officials' side that take times, reasons and points tables as officials write them rather than as
the database stores them: the time field, the reason field, and the admin forms of races, records and a pair's
skaters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from results import policy
from results.models import Heat, Race, Record, Start, heat_lineup_errors
from results.rules.points_tables import PRESETS, preset_name
from results.rules.ranking_mass_start import DEFAULT_SPRINT_POINTS
from results.rules.times import TimeFormatError, parse_time, time_input_text


class TimeField(forms.CharField):
    """A race time in any form ``results.rules.times.parse_time`` accepts; cleans to thousandths, or ``None`` if
    blank."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_time(text)
        except TimeFormatError as error:
            raise forms.ValidationError(str(error), code="time") from error


def reason_missing(race: Race) -> str:
    """The service's refusal when a change to ``race`` comes without the reason it needs: the forms show it on
    their reason field."""
    return policy.ERROR_REASON_REQUIRED.format(race=race, status=race.get_status_display().lower())


def reason_field(example: str, *, label: str | None = None, attrs: dict[str, str] | None = None) -> forms.CharField:
    """The reason that goes into the history with a change (300 characters, as the history keeps), with ``example``
    as its placeholder. Never required here: the service asks for it where the race needs one, with its own
    message, which the form shows on this field."""
    return forms.CharField(
        required=False,
        max_length=300,
        label=label,
        widget=forms.TextInput(attrs={**(attrs or {}), "autocomplete": "off", "placeholder": f"e.g. {example}"}),
    )


def _preset_label(name: str, table: Sequence[int]) -> str:
    if not table:
        return f"{name}: no points"
    head = ", ".join(str(points) for points in table[:4])
    return f"{name}: {head}, … ({len(table)} ranks)"


class RaceAdminForm(forms.ModelForm[Race]):
    points_preset = forms.ChoiceField(
        required=False,
        label="Points preset",
        choices=[("", "Custom (as typed below)"), *((name, _preset_label(name, t)) for name, t in PRESETS.items())],
        help_text="Choosing a preset fills the points table below (World Cup 2025-26 tables).",
    )

    class Meta:
        model = Race
        # No status: it follows the results, and a referee changes it with a reason (the status buttons).
        fields = [
            *("competition", "order", "title", "gender", "distance", "day", "format"),
            *("points_table", "sprint_points"),
        ]
        widgets = {
            "points_table": forms.Textarea(attrs={"rows": 2, "cols": 90, "class": "points-table"}),
            "sprint_points": forms.Textarea(attrs={"rows": 2, "cols": 90, "class": "sprint-points"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preset = self.fields["points_preset"]
        preset.widget.attrs.update(
            {"class": "points-preset", "data-presets": json.dumps({name: list(t) for name, t in PRESETS.items()})}
        )
        if self.instance.pk:
            preset.initial = preset_name(self.instance.points_table or []) or ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Without JavaScript the select does not fill the table; a preset the official picked still wins. An
        # untouched select (showing the race's current preset) leaves a hand-edited table alone.
        preset = cleaned.get("points_preset")
        if preset and "points_preset" in self.changed_data:
            cleaned["points_table"] = list(PRESETS[preset])
        # A mass start left without a sprint table gets the current one (ranking_mass_start); it stays editable.
        if not cleaned.get("sprint_points"):
            mass_start = cleaned.get("format") == Race.Format.MASS_START
            cleaned["sprint_points"] = [list(p) for p in DEFAULT_SPRINT_POINTS] if mass_start else []
        return cleaned


class RecordAdminForm(forms.ModelForm[Record]):
    time = TimeField(help_text="As on a result list: 1:12.31, 36.09 or 1:12.315.")

    class Meta:
        model = Record
        fields = ["kind", "gender", "distance", "time", "holder", "nation", "set_on", "venue", "set_in_race"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].initial = time_input_text(self.instance.time_ms)

    def clean_time(self) -> int:
        # The field is required: a blank time is refused before this runs.
        time_ms: int = self.cleaned_data["time"]
        self.instance.time_ms = time_ms
        return time_ms


ERROR_REMOVE_WITH_RESULT = (
    "{skater} has a result: take the skater out on the start's own page (Delete there), which asks for the reason "
    "kept in the race's history."
)


class HeatStartsFormSet(BaseInlineFormSet[Start, Heat, forms.ModelForm[Start]]):
    """A heat's starts, checked together: ``Start.clean`` only sees saved rows, so two skaters added in one
    submit to a full lane (or the same skater twice) would each pass it alone."""

    def clean(self) -> None:
        super().clean()
        leaving: set[int] = set()
        refused: list[str] = []
        placing: list[forms.ModelForm[Start]] = []
        for form in self.forms:
            # The heat is this page's own object, not a column of the inline: errors about it belong to the row.
            heat_errors = form.errors.pop("heat", None)
            if heat_errors:
                form.add_error(None, list(heat_errors))
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                if form.instance.pk and form.instance.has_result:
                    # An error on a form marked for deletion would not count: it goes on the whole formset.
                    refused.append(ERROR_REMOVE_WITH_RESULT.format(skater=form.instance.skater))
                elif form.instance.pk:
                    leaving.add(form.instance.pk)
                continue
            if form.is_valid() and form.instance.skater_id and (form.instance.pk or form.has_changed()):
                placing.append(form)
        errors = heat_lineup_errors([form.instance for form in placing], heat=self.instance, leaving=leaving)
        for form, form_errors in zip(placing, errors, strict=True):
            for field, message in form_errors.items():
                form.add_error(field if field in form.fields and field != "heat" else None, message)
        if refused:
            raise forms.ValidationError(refused)
