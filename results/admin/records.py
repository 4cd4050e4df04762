"""Records, and skaters' personal and season bests, in the admin: the marks results are flagged against.

Skaters' bests: the list (add, change, delete one by hand) and the CSV import
(upload -> preview -> confirm, as the start list's). The preview carries the file's text in a hidden field and the
confirm step reads it again, so what is imported is what was previewed and checked once more.

Who may import: whoever may add and change skaters' bests (superusers; an administrator can give the two
permissions to an account), as records are kept by an administrator too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from results.admin.base import RepublishingAdmin
from results.admin.forms import RecordAdminForm, TimeField
from results.files.bests import BestsInvalid, decode_bests
from results.files.bests_preview import BestsPreview, bests_preview
from results.models import Race, Record, SkaterBest
from results.rules.times import format_time, time_input_text
from results.services import races_publish
from results.services.bests import bests_import, may_import, open_races_of

MESSAGE_IMPORTED = "Bests imported: {summary}."


class SkaterBestAdminForm(forms.ModelForm[SkaterBest]):
    time = TimeField(help_text="As on a result list: 1:12.31, 36.09 or 1:12.315.")

    class Meta:
        model = SkaterBest
        fields = ["skater", "distance", "kind", "time", "season", "set_on", "set_in_race"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].initial = time_input_text(self.instance.time_ms)

    def clean_time(self) -> int:
        time_ms: int = self.cleaned_data["time"]
        self.instance.time_ms = time_ms
        return time_ms


class BestsUploadForm(forms.Form):
    file = forms.FileField(
        label="Bests (CSV)",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )


class BestsConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)


@admin.register(SkaterBest)
class SkaterBestAdmin(admin.ModelAdmin[SkaterBest]):
    form = SkaterBestAdminForm
    list_display = ["skater", "distance", "kind", "time", "season", "set_on", "set_in_race"]
    list_filter = ["kind", "distance", "season", "skater__nation"]
    list_select_related = ["skater", "set_in_race"]
    search_fields = ["skater__name", "skater__nation", "=skater__external_id"]
    ordering = ["skater__name", "distance", "kind", "time_ms"]
    autocomplete_fields = ["skater", "set_in_race"]
    change_list_template = "admin/results/skaterbest/change_list.html"

    @admin.display(description="Time", ordering="time_ms")
    def time(self, best: SkaterBest) -> str:
        return format_time(best.time_ms)

    # Which bests stand decides the PB and SB flags of races still open; an official race keeps its flags.
    def _publish(self, skater_distances: Iterable[tuple[int | None, int | None]]) -> None:
        wanted = {(skater, distance) for skater, distance in skater_distances if skater and distance}
        races_publish(races=open_races_of(wanted))

    def save_model(self, request: HttpRequest, obj: SkaterBest, form: Any, change: bool) -> None:
        before = (form.initial.get("skater"), form.initial.get("distance")) if change else (None, None)
        super().save_model(request, obj, form, change)
        self._publish([(obj.skater_id, obj.distance), before])

    def delete_model(self, request: HttpRequest, obj: SkaterBest) -> None:
        touched = (obj.skater_id, obj.distance)
        super().delete_model(request, obj)
        self._publish([touched])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SkaterBest]) -> None:
        with transaction.atomic():
            touched = list(queryset.values_list("skater_id", "distance"))
            super().delete_queryset(request, queryset)
            self._publish(touched)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        context = {"import_url": reverse("admin:results_skaterbest_import") if may_import(request.user) else ""}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        # Before the default URLs: their catch-all "<path:object_id>/" would swallow "import/".
        return [
            path("import/", view(self.upload_view), name="results_skaterbest_import"),
            path("import/confirm/", view(require_POST(self.confirm_view)), name="results_skaterbest_import_confirm"),
            *super().get_urls(),
        ]

    # --- the import ---------------------------------------------------------------------------------------------

    def _check_may_import(self, request: HttpRequest) -> None:
        if not may_import(request.user):
            raise PermissionDenied

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        self._check_may_import(request)
        form = BestsUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = decode_bests(upload.read())
            except BestsInvalid as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                return self._preview_page(request, bests_preview(text=text), upload.name)
        context = {**self._context(request, "Import skaters' bests"), "form": form}
        return TemplateResponse(request, "admin/results/skaterbest/import_bests.html", context)

    def confirm_view(self, request: HttpRequest) -> HttpResponse:
        self._check_may_import(request)
        form = BestsConfirmForm(request.POST)
        if not form.is_valid():
            return HttpResponseRedirect(reverse("admin:results_skaterbest_import"))
        filename = request.POST.get("filename", "")
        preview = bests_preview(text=form.cleaned_data["text"])
        if preview.messages:
            # The skaters or their bests changed since the preview: show the file again, with what is wrong now.
            return self._preview_page(request, preview, filename)
        try:
            # admin_view lets in only active staff users, so this is never the anonymous user.
            summary = bests_import(entries=preview.entries, by=cast(User, request.user))
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return self._preview_page(request, preview, filename)
        self.message_user(request, MESSAGE_IMPORTED.format(summary=summary), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:results_skaterbest_changelist"))

    def _preview_page(self, request: HttpRequest, preview: BestsPreview, filename: str) -> TemplateResponse:
        errors = preview.messages
        context = {
            **self._context(request, "Check the bests"),
            "preview": preview,
            "errors": errors,
            "filename": filename,
            "confirm_form": None if errors else BestsConfirmForm(initial={"text": preview.text}),
            "upload_url": reverse("admin:results_skaterbest_import"),
        }
        return TemplateResponse(request, "admin/results/skaterbest/import_bests_preview.html", context)

    def _context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
        }


@admin.register(Record)
class RecordAdmin(RepublishingAdmin[Record]):
    form = RecordAdminForm
    list_display = ["kind", "gender", "distance", "time", "holder", "nation", "set_on", "venue"]
    list_filter = ["kind", "gender", "distance"]
    search_fields = ["holder", "nation"]
    ordering = ["gender", "distance", "kind", "time_ms"]
    list_select_related = ["venue"]
    autocomplete_fields = ["venue", "set_in_race"]

    @admin.display(description="Time", ordering="time_ms")
    def time(self, record: Record) -> str:
        return format_time(record.time_ms)

    def races_touched(self, obj: Record, before: Mapping[str, Any]) -> set[int]:
        # Which records stood decides the flags of races still running; an official race keeps its flags.
        keys = {(obj.gender, obj.distance), (before.get("gender"), before.get("distance"))}
        races = Race.objects.exclude(status=Race.State.OFFICIAL)
        return {
            pk
            for gender, distance in keys
            if gender and distance
            for pk in races.filter(gender=gender, distance=distance).values_list("pk", flat=True)
        }


# Timing-system tokens (results/admin/timing.py) register themselves when imported.
