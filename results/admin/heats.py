"""The draw in the admin: a pair with its skaters (heats), and one skater's start with its result's history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest

from results import policy, services
from results.admin.base import (
    HeatColumns,
    RepublishingAdmin,
    result_text,
)
from results.admin.forms import HeatStartsFormSet
from results.admin.history import ResultChangeColumns
from results.models import (
    Heat,
    Race,
    ResultChange,
    Start,
)
from results.rules import formats


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
class HeatAdmin(HeatColumns, RepublishingAdmin[Heat]):
    list_display = ["__str__", "race", "skaters", "entered", "recorded_at"]
    list_filter = ["race__competition", "race"]
    list_select_related = ["race"]
    search_fields = ["race__title", "starts__skater__name"]
    ordering = ["race", "number"]
    autocomplete_fields = ["race"]
    fields = ["race", "number", "recorded_at"]
    readonly_fields = ["recorded_at"]
    inlines = [StartInline]

    def races_touched(self, obj: Heat, before: Mapping[str, Any]) -> set[int | None]:
        return {obj.race_id, before.get("race")}

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Skaters taken out of the pair leave through ``services.start_remove``, so the race's status follows (the
        formset refuses one with a result: the start's own page asks for the reason the history keeps)."""
        if formset.model is not Start:
            super().save_formset(request, form, formset, change)
            return
        starts = formset.save(commit=False)  # with commit=False the formset deletes nothing itself
        for start in formset.deleted_objects:
            services.start_remove(start=start, by=cast(User, request.user))
        for start in starts:
            start.save()
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Heat) -> None:
        """Through the service: a pair with results is refused (clear it first, which the history keeps)."""
        services.heat_remove(heat=obj, by=cast(User, request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Heat]) -> None:
        with transaction.atomic():
            for heat in queryset:
                services.heat_remove(heat=heat, by=cast(User, request.user))


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
class StartAdmin(RepublishingAdmin[Start]):
    list_display = ["skater", "bib", "race", "heat_number", "lane", "result"]
    list_filter = ["heat__race__competition", "heat__race", "status"]
    list_select_related = ["skater", "heat__race"]
    search_fields = ["skater__name", "skater__nation", "=bib", "heat__race__title"]
    ordering = ["heat__race", "heat__number", "lane"]
    autocomplete_fields = ["skater", "members"]
    fields = ["heat", "lane", "bib", "skater", "members", "result"]
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

    def delete_model(self, request: HttpRequest, obj: Start) -> None:
        """Through the service: a result the skater had is kept in the history as removed, with the reason."""
        services.start_remove(start=obj, by=cast(User, request.user), reason=request.POST.get("reason", ""))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Start]) -> None:
        with transaction.atomic():
            for start in queryset.select_related("heat"):
                services.start_remove(start=start, by=cast(User, request.user), reason=request.POST.get("reason", ""))

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

    def races_touched(self, obj: Start, before: Mapping[str, Any]) -> set[int | None]:
        left_heat = before.get("heat")
        left = Heat.objects.filter(pk=left_heat).values_list("race_id", flat=True).first() if left_heat else None
        return {obj.heat.race_id, left}
