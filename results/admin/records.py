"""Records, and skaters' personal and season bests, in the admin: the marks results are flagged against (WR, OR,
TR, NR; PB, SB). Kept by hand or imported (``bests_import``); a change republishes every race the mark stands for,
and where one has results it is kept in that race's history (``results.services.records``, ``...bests``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, reverse

from results.admin.base import ServiceAdmin, reason_of, user_of
from results.admin.bests_import import BestsImportViews
from results.admin.forms import RecordAdminForm, ServiceForm, SkaterBestAdminForm
from results.models import Record, SkaterBest
from results.rules.times import format_time
from results.services import bests, records

DELETE_WITH_REASON = "admin/results/delete_confirmation_with_reason.html"
DELETE_SELECTED_WITH_REASON = "admin/results/delete_selected_confirmation_with_reason.html"


@admin.register(Record)
class RecordAdmin(ServiceAdmin[Record]):
    form = RecordAdminForm
    list_display = ["kind", "gender", "distance", "time", "holder", "nation", "set_on", "venue"]
    list_filter = ["kind", "gender", "distance"]
    search_fields = ["holder", "nation"]
    ordering = ["gender", "distance", "kind", "time_ms"]
    list_select_related = ["venue"]
    autocomplete_fields = ["venue", "set_in_race"]
    delete_confirmation_template = DELETE_WITH_REASON
    delete_selected_confirmation_template = DELETE_SELECTED_WITH_REASON

    @admin.display(description="Time", ordering="time_ms")
    def time(self, record: Record) -> str:
        return format_time(record.time_ms)

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Record]) -> str | None:
        return records.record_change_refusal(record=form.instance, by=user_of(request), reason=form.reason_given)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Record], formsets: Sequence[Any]) -> None:
        records.record_save(record=form.instance, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: Record) -> None:
        records.record_delete(record=obj, by=user_of(request), reason=reason_of(request))


@admin.register(SkaterBest)
class SkaterBestAdmin(ServiceAdmin[SkaterBest]):
    form = SkaterBestAdminForm
    list_display = ["skater", "distance", "kind", "time", "season", "set_on", "set_in_race"]
    list_filter = ["kind", "distance", "season", "skater__nation"]
    list_select_related = ["skater", "set_in_race"]
    search_fields = ["skater__name", "skater__nation", "=skater__external_id"]
    ordering = ["skater__name", "distance", "kind", "time_ms"]
    autocomplete_fields = ["skater", "set_in_race"]
    change_list_template = "admin/results/skaterbest/change_list.html"
    delete_confirmation_template = DELETE_WITH_REASON
    delete_selected_confirmation_template = DELETE_SELECTED_WITH_REASON

    @admin.display(description="Time", ordering="time_ms")
    def time(self, best: SkaterBest) -> str:
        return format_time(best.time_ms)

    def change_refusal(self, request: HttpRequest, form: ServiceForm[SkaterBest]) -> str | None:
        return bests.best_change_refusal(best=form.instance, by=user_of(request), reason=form.reason_given)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[SkaterBest], formsets: Sequence[Any]) -> None:
        bests.best_save(best=form.instance, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: SkaterBest) -> None:
        bests.best_delete(best=obj, by=user_of(request), reason=reason_of(request))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        importing = bests.may_import(request.user)
        context = {"import_url": reverse("admin:results_skaterbest_import") if importing else ""}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def get_urls(self) -> list[URLPattern]:
        # Before the default URLs: their catch-all "<path:object_id>/" would swallow "import/".
        return [*BestsImportViews(self).urls(), *super().get_urls()]
