"""A competition's programme imported from CSV in the admin (results/services/programme.py): one upload, every
problem named by its line, nothing imported while one line is wrong; the races created or rescheduled are listed in
the message on the competition's page. ``CompetitionAdmin.get_urls`` mounts ``ProgrammeImportViews(self).urls()``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from results.admin.base import user_of
from results.admin.file_imports import UploadForm
from results.files.programme import ERROR_TOO_BIG, MAX_FILE_BYTES, ProgrammeInvalid, decode_programme, programme_read
from results.models import Competition
from results.services.programme import may_import, programme_import

MESSAGE_IMPORTED = "Programme imported: {summary}."


def upload_form(*args: Any) -> UploadForm:
    return UploadForm(
        *args, label="Programme (CSV)", decode=decode_programme, largest=MAX_FILE_BYTES, too_big=ERROR_TOO_BIG
    )


class ProgrammeImportViews:
    def __init__(self, model_admin: admin.ModelAdmin[Competition]) -> None:
        self.model_admin = model_admin

    def urls(self) -> list[URLPattern]:
        view = self.model_admin.admin_site.admin_view
        return [
            path(
                "<int:competition_id>/import-programme/",
                view(self.upload_view),
                name="results_competition_import_programme",
            )
        ]

    def upload_view(self, request: HttpRequest, competition_id: int) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied
        competition = get_object_or_404(Competition, pk=competition_id)
        form = upload_form(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                done = programme_import(competition=competition, races=programme_read(form.text), by=user_of(request))
            except (ProgrammeInvalid, ValidationError) as error:
                errors = list(error.messages)
            else:
                message = MESSAGE_IMPORTED.format(summary=done.summary())
                self.model_admin.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:results_competition_change", args=[competition.pk]))
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": f"Import the programme of {competition}",
            "competition": competition,
            "form": form,
            "errors": errors,
            "has_view_permission": self.model_admin.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/results/competition/import_programme.html", context)
