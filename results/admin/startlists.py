"""A race's start list import (upload -> preview -> confirm) and its results export, as admin screens of the race.

``RaceAdmin.get_urls`` mounts ``RaceFileViews(self).urls()``. The preview carries the file's text in a hidden
field and the confirm step reads it again, so what is imported is what was previewed and checked once more.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from results.admin.file_imports import ConfirmForm, UploadForm
from results.admin.pages import RacePages
from results.files.exports import race_results_csv, race_results_filename
from results.files.startlist_preview import StartListPreview, import_refusal, start_list_preview
from results.files.startlists import ERROR_TOO_BIG, MAX_FILE_BYTES, decode_start_list
from results.models import Race
from results.services.startlists import ADD_START, start_list_import

MESSAGE_IMPORTED = "Start list imported: {summary}."


def upload_form(*args: Any) -> UploadForm:
    return UploadForm(
        *args, label="Start list (CSV)", decode=decode_start_list, largest=MAX_FILE_BYTES, too_big=ERROR_TOO_BIG
    )


def confirm_form(*args: Any, **kwargs: Any) -> ConfirmForm:
    return ConfirmForm(*args, largest=MAX_FILE_BYTES, **kwargs)


class RaceFileViews(RacePages):
    """The start list import and the results export of a race."""

    def urls(self) -> list[URLPattern]:
        view = self.model_admin.admin_site.admin_view
        return [
            path(
                "<path:object_id>/start-list/import/",
                view(self.upload_view),
                name="results_race_import_start_list",
            ),
            path(
                "<path:object_id>/start-list/confirm/",
                view(self.confirm_view),
                name="results_race_confirm_start_list",
            ),
            path("<path:object_id>/results.csv", view(self.export_view), name="results_race_export_results"),
        ]

    def _importing_race(self, request: HttpRequest, object_id: str) -> Race:
        # The timing officials' and referees' groups may add starts (results/roles.py); superusers may anything.
        if not request.user.has_perm(ADD_START):
            raise PermissionDenied
        return self._race(request, object_id)

    def upload_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self._importing_race(request, object_id)
        form = upload_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            preview = start_list_preview(race=race, text=form.text)
            return self._preview_page(request, race, preview, form.cleaned_data["file"].name)
        return self._upload_page(request, race, form)

    def _upload_page(self, request: HttpRequest, race: Race, form: UploadForm) -> TemplateResponse:
        context = {**self._context(request, race, "Import start list"), "form": form, "refusal": import_refusal(race)}
        return TemplateResponse(request, "admin/results/race/import_start_list.html", context)

    def confirm_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self._confirm)(request, object_id)

    def _confirm(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self._importing_race(request, object_id)
        form = confirm_form(request.POST)
        if not form.is_valid():
            return self._upload_page(request, race, upload_form().refused(form.problems()))
        preview = start_list_preview(race=race, text=form.cleaned_data["text"])
        if preview.messages:
            # The race or the skaters changed since the preview: show the file again, with what is wrong now.
            return self._preview_page(request, race, preview, request.POST.get("filename", ""))
        try:
            # admin_view lets in only active staff users, so this is never the anonymous user.
            summary = start_list_import(race=race, entries=preview.entries, by=cast(User, request.user))
        except ValidationError as error:
            for message in error.messages:
                self.model_admin.message_user(request, message, messages.ERROR)
            return self._preview_page(request, race, preview, request.POST.get("filename", ""))
        self.model_admin.message_user(request, MESSAGE_IMPORTED.format(summary=summary), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:results_race_enter_results", args=[race.pk]))

    def _preview_page(
        self, request: HttpRequest, race: Race, preview: StartListPreview, filename: str
    ) -> TemplateResponse:
        errors = preview.messages
        context = {
            **self._context(request, race, "Check the start list"),
            "preview": preview,
            "errors": errors,
            "filename": filename,
            "confirm_form": None if errors else confirm_form(initial={"text": preview.text}),
            "upload_url": reverse("admin:results_race_import_start_list", args=[race.pk]),
        }
        return TemplateResponse(request, "admin/results/race/import_start_list_preview.html", context)

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_GET(self._export)(request, object_id)

    def _export(self, request: HttpRequest, object_id: str) -> HttpResponse:
        race = self._race(request, object_id)
        if not self.model_admin.has_view_permission(request, race):
            raise PermissionDenied
        filename = race_results_filename(race)
        return HttpResponse(
            race_results_csv(race),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def _context(self, request: HttpRequest, race: Race, title: str) -> dict[str, Any]:
        return {
            **self._page_context(request, race, f"{title}: {race.title}"),
            "enter_url": reverse("admin:results_race_enter_results", args=[race.pk]),
        }
