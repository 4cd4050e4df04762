"""The draw in the admin: a pair with its skaters (heats), and one skater's start with its result's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import ForeignKey
from django.http import HttpRequest

from results import policy
from results.admin.base import HeatColumns, ServiceAdmin, reason_of, result_text, user_of
from results.admin.forms import HeatStartsFormSet, ServiceForm
from results.admin.history import ResultChangeColumns
from results.models import Heat, Race, ResultChange, Start
from results.rules import formats
from results.services import lineup


class StartInline(admin.TabularInline[Start, Heat]):
    model = Start
    verbose_name = "skater in this pair"
    verbose_name_plural = "skaters in this pair"
    formset = HeatStartsFormSet
    fields = ["lane", "bib", "skater", "result"]
    readonly_fields = ["result"]
    autocomplete_fields = ["skater"]

    def get_extra(self, request: HttpRequest, obj: Heat | None = None, **kwargs: Any) -> int:
        return 2 if obj is None else 0

    def get_max_num(self, request: HttpRequest, obj: Heat | None = None, **kwargs: Any) -> int:
        """Four in a pair or quartet start, 24 in a mass start, two teams in a team pursuit
        (results/rules/formats.py)."""
        return formats.rules_for(obj.race.format if obj else formats.INDIVIDUAL).per_heat

    @admin.display(description="Result")
    def result(self, start: Start) -> str:
        return result_text(start) if start.pk else ""


class HeatChoiceField(forms.ModelChoiceField[Heat]):
    def label_from_instance(self, obj: Heat) -> str:
        return f"{obj.race.title} ({obj.race.competition}) · pair {obj.number}"


@admin.register(Heat)
class HeatAdmin(HeatColumns, ServiceAdmin[Heat]):
    form = ServiceForm[Heat]
    list_display = ["__str__", "race", "skaters", "entered", "recorded_at"]
    list_filter = ["race__competition", "race"]
    list_select_related = ["race"]
    search_fields = ["race__title", "starts__skater__name"]
    ordering = ["race", "number"]
    autocomplete_fields = ["race"]
    fields = ["race", "number", "recorded_at", "reason"]
    readonly_fields = ["recorded_at"]
    inlines = [StartInline]
    delete_confirmation_template = "admin/results/delete_confirmation_with_reason.html"
    delete_selected_confirmation_template = "admin/results/delete_selected_confirmation_with_reason.html"

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Heat], formsets: Sequence[Any]) -> None:
        """The pair and its skaters in one change (``services.heat_save``); the inline checked it first (who may
        change the pair now, with which reason) as the service does."""
        starts = next(formset for formset in formsets if formset.model is Start)
        changed = starts.save(commit=False)  # with commit=False the formset saves and deletes nothing itself
        change = lineup.HeatChange(heat=form.instance, starts=changed, removed=starts.deleted_objects)
        lineup.heat_save(change=change, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: Heat) -> None:
        """A pair with results is refused (clear it first, which the history keeps)."""
        lineup.heat_remove(heat=obj, by=user_of(request), reason=reason_of(request))


class ResultChangeInline(ResultChangeColumns, admin.TabularInline[ResultChange, Start]):
    """The start's result as it changed, newest first. Read-only: the services write it."""

    model = ResultChange
    fk_name = "start"
    verbose_name = "change"
    verbose_name_plural = "history of this result"
    fields = readonly_fields = ("at", "by", "kind", "old", "new", "reason", "version")
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Start | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Start)
class StartAdmin(ServiceAdmin[Start]):
    form = ServiceForm[Start]
    list_display = ["skater", "bib", "race", "heat_number", "lane", "result"]
    list_filter = ["heat__race__competition", "heat__race", "status"]
    list_select_related = ["skater", "heat__race"]
    search_fields = ["skater__name", "skater__nation", "=bib", "heat__race__title"]
    ordering = ["heat__race", "heat__number", "lane"]
    autocomplete_fields = ["skater", "members"]
    fields = ["heat", "lane", "bib", "skater", "members", "result", "points_awarded", "reason"]
    readonly_fields = ["result"]
    inlines = [ResultChangeInline]
    # Both ask for the reason that goes into the history with a result taken out.
    delete_confirmation_template = "admin/results/start/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/results/start/delete_selected_confirmation.html"

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        start = self.get_object(request, unquote(object_id))
        if start is not None:
            about = {"object_result": result_text(start), "reason_required": policy.reason_required(start.heat.race)}
            extra_context = {**about, **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Start]) -> str | None:
        members = form.cleaned_data.get("members")
        return lineup.start_change_refusal(
            start=form.instance,
            members=list(members) if members is not None else None,
            by=user_of(request),
            reason=form.reason_given,
        )

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Start], formsets: Sequence[Any]) -> None:
        """The start with its team's skaters (the history of its result, the one inline, is read-only)."""
        members = form.cleaned_data.get("members")
        lineup.start_save(
            start=form.instance,
            members=list(members) if members is not None else None,
            by=user_of(request),
            reason=reason_of(request),
        )

    def service_delete(self, request: HttpRequest, obj: Start) -> None:
        """A result the skater had is kept in the history as removed, with the reason."""
        lineup.start_remove(start=obj, by=user_of(request), reason=reason_of(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "heat":
            queryset = Heat.objects.select_related("race__competition").order_by("race", "number")
            return HeatChoiceField(queryset=queryset, label="Pair")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Race", ordering="heat__race")
    def race(self, start: Start) -> Race:
        return start.heat.race

    @admin.display(description="Pair", ordering="heat__number")
    def heat_number(self, start: Start) -> int:
        return start.heat.number

    @admin.display(description="Result (entered on the race's entry screen)")
    def result(self, start: Start) -> str:
        return result_text(start) if start.pk else "—"
