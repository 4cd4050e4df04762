"""What the officials' admin pages share: the columns that show a start's result and a pair's skaters, and the
base class that republishes the races an edit touches."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypedDict, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.html import format_html, format_html_join

from results import services
from results.admin.race_day.views import enter_results_url
from results.models import (
    Heat,
    Race,
    Start,
    Status,
)
from results.rules.times import time_input_text

_M = TypeVar("_M", bound=Model)


# What the admin's querysets annotate on each row, for the columns that show it.
class HeatTotal(TypedDict):
    heat_total: int


class RaceTotal(TypedDict):
    race_total: int


class StartTotal(TypedDict):
    start_total: int


def result_text(start: Start) -> str:
    """A start's result for officials: ``1:12.315`` (the thousandth too), ``DQ T04``, or a dash before it is skated."""
    if not start.has_result:
        return "—"
    finished = start.status == Status.OK and start.time_ms is not None
    text = time_input_text(start.time_ms) if finished else start.status
    return f"{text} {start.infraction}" if start.infraction else text


def heat_skaters(heat: Heat) -> str:
    """``11 Anna ALPHA (NED) 38.12, 12 Bea BRAVO (USA) —`` (expects ``starts__skater`` prefetched)."""
    return format_html_join(
        ", ", "{} {} ({}) {}", ((s.bib, s.skater.name, s.skater.nation, result_text(s)) for s in heat.starts.all())
    )


def heat_entered(heat: Heat) -> bool:
    starts = list(heat.starts.all())
    return bool(starts) and all(start.has_result for start in starts)


def enter_results_link(race: Race) -> str:
    return format_html('<a class="enter-results-link" href="{}">Enter results</a>', enter_results_url(race.pk))


class RepublishingAdmin(admin.ModelAdmin[_M]):
    """Republishes the races an edit touches once the object and its inlines are saved, or once it is deleted.

    ``races_touched`` names them by id (``None`` stands for no race, as in a new row's ``before``); ``before`` holds
    the values the change form was opened with (its ``initial``), so that a row moved to another race republishes
    the race it left as well.
    """

    def races_touched(self, obj: _M, before: Mapping[str, Any]) -> Collection[int | None]:
        raise NotImplementedError

    def races_to_publish(self, race_ids: Iterable[int | None]) -> QuerySet[Race]:
        return Race.objects.filter(pk__in={race_id for race_id in race_ids if race_id})

    def publish(self, request: HttpRequest, race_ids: Iterable[int | None]) -> None:
        try:
            services.races_publish(races=self.races_to_publish(race_ids))
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def save_related(self, request: HttpRequest, form: forms.ModelForm[_M], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.publish(request, self.races_touched(form.instance, form.initial if change else {}))

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        race_ids = self.races_touched(obj, {})
        super().delete_model(request, obj)
        self.publish(request, race_ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        with transaction.atomic():
            race_ids = {race_id for obj in queryset for race_id in self.races_touched(obj, {})}
            super().delete_queryset(request, queryset)
            self.publish(request, race_ids)

    # A deletion a service refuses (a result to keep, a reason missing) raises ValidationError from delete_model or
    # delete_queryset: nothing is deleted (the admin's log entry included), and the official reads why.
    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class HeatColumns(BaseModelAdmin[Heat]):
    """The "Skaters" and "Entered" columns of a heat, for the heat list and the race's list of heats."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Heat]:
        return super().get_queryset(request).prefetch_related("starts__skater")

    @admin.display(description="Skaters")
    def skaters(self, heat: Heat) -> str:
        return heat_skaters(heat)

    @admin.display(description="Entered", boolean=True)
    def entered(self, heat: Heat) -> bool:
        return heat_entered(heat)
