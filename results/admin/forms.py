"""Forms of the officials' side that take times, reasons and points tables as officials write them rather than as
the database stores them: the time field, the reason field, the base of every admin form a service saves
(``ServiceForm``, ``ServiceFormSet``), and the admin forms of races, records and a pair's skaters."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from django import forms
from django.db.models import Model
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

from results import policy
from results.models import Heat, Race, Record, SkaterBest, Start, heat_lineup_errors
from results.rules.points_tables import PRESETS, preset_name
from results.rules.times import TimeFormatError, parse_time, time_input_text
from results.services.lineup import HeatChange, heat_change_refusal

_M = TypeVar("_M", bound=Model)


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


class HiddenErrorsShownForm(forms.Form):
    """A form whose hidden fields' errors are shown on top of it: a hidden field has no place on the page for its
    own. ``hidden_field_error`` says what such an error means to the official (by default, the error itself)."""

    def hidden_field_error(self, name: str) -> str | None:
        return None

    def full_clean(self) -> None:
        super().full_clean()
        for field in self.hidden_fields():
            if field.name in self.errors:  # set by full_clean just now
                errors = self.errors.pop(field.name)
                self.add_error(None, self.hidden_field_error(field.name) or errors)


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


REASON_LABEL = "Reason for this change"
REASON_HELP = (
    "Kept in the history of every race with results this change concerns; required once a race is official or "
    "under review (a referee's change)."
)


def change_reason_field() -> forms.CharField:
    field = reason_field("name spelt as on the accreditation", label=REASON_LABEL, attrs={"class": "vTextField"})
    field.help_text = REASON_HELP
    return field


class ServiceForm(forms.ModelForm[_M]):
    """An admin form whose change a service saves (``results.admin.base.ServiceAdmin``). It asks for the reason
    that goes into the races' history, and once its fields are valid (the instance carrying the new values), asks
    ``refusal_of`` (set by the admin for each request) whether this user may make this change now: a refusal shows
    on the reason field when only the reason is missing, else on top of the form."""

    reason = change_reason_field()
    refusal_of: ClassVar[Callable[[ServiceForm[Any]], str | None] | None] = None

    def full_clean(self) -> None:
        super().full_clean()
        check = type(self).refusal_of
        if check is None or not self.is_bound or self.errors:
            return
        refusal = check(self)
        if refusal:
            self.add_error("reason" if policy.is_reason_missing(refusal) else None, refusal)

    @property
    def reason_given(self) -> str:
        return str(self.cleaned_data.get("reason", ""))


class ServiceFormSet(BaseInlineFormSet[Any, Any, Any]):
    """An inline whose changes a service saves together with its object's: it knows who makes the change and the
    reason the page's form gives (``ServiceAdmin.get_formset_kwargs``), to check them as the service will."""

    def __init__(self, *args: Any, user: policy.User | None = None, reason: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.reason = reason

    def refuse(self, refusal: str | None) -> None:
        if refusal:
            raise forms.ValidationError(refusal)


class RaceAdminForm(ServiceForm[Race]):
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
            *("competition", "order", "title", "gender", "distance", "day", "scheduled_start", "format"),
            *("points_table", "sprint_points", "referee", "starter"),
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
        return cleaned


class MarkForm(ServiceForm[_M]):
    """The admin form of a mark kept in thousandths (``time_ms``: a record, a skater's best), typed as result lists
    print times."""

    time = TimeField(help_text="As on a result list: 1:12.31, 36.09 or 1:12.315.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].initial = time_input_text(getattr(self.instance, "time_ms", None))

    def clean_time(self) -> int:
        # The field is required: a blank time is refused before this runs.
        time_ms: int = self.cleaned_data["time"]
        self.instance.time_ms = time_ms  # type: ignore[attr-defined]  # every mark's model has it
        return time_ms


class RecordAdminForm(MarkForm[Record]):
    class Meta:
        model = Record
        fields = ["kind", "gender", "distance", "time", "holder", "nation", "set_on", "venue", "set_in_race"]


class SkaterBestAdminForm(MarkForm[SkaterBest]):
    class Meta:
        model = SkaterBest
        fields = ["skater", "distance", "kind", "time", "season", "set_on", "set_in_race"]


class HeatStartsFormSet(ServiceFormSet):
    """A heat's starts, checked together: ``Start.clean`` only sees saved rows, so two skaters added in one
    submit to a full lane (or the same skater twice) would each pass it alone. Then, as ``services.heat_save``
    will: whether this user may make the whole change to the pair now."""

    def clean(self) -> None:
        super().clean()
        leaving: set[int] = set()
        removed: list[Start] = []
        placing: list[forms.ModelForm[Start]] = []
        for form in self.forms:
            # The heat is this page's own object, not a column of the inline: errors about it belong to the row.
            heat_errors = form.errors.pop("heat", None)
            if heat_errors:
                form.add_error(None, list(heat_errors))
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                if form.instance.pk:
                    leaving.add(form.instance.pk)
                    removed.append(form.instance)
                continue
            if form.is_valid() and form.instance.skater_id and (form.instance.pk or form.has_changed()):
                placing.append(form)
        heat: Heat = self.instance
        errors = heat_lineup_errors([form.instance for form in placing], heat=heat, leaving=leaving)
        for form, form_errors in zip(placing, errors, strict=True):
            for field, message in form_errors.items():
                form.add_error(field if field in form.fields and field != "heat" else None, message)
        if any(form.errors for form in self.forms) or not heat.race_id:
            return
        change = HeatChange(heat=heat, starts=[form.instance for form in placing], removed=removed)
        self.refuse(heat_change_refusal(change=change, by=self.user, reason=self.reason))
