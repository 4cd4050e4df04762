"""Skaters' bests imported from CSV in the admin (upload -> preview -> confirm, as a start list). The preview carries
the file's text in a hidden field and the confirm step reads it again, so what is imported is what was previewed
and checked once more. ``SkaterBestAdmin.get_urls`` mounts ``BestsImportViews(self).urls()``.

Who may import: whoever may add and change skaters' bests (superusers; an administrator can give the two
permissions to an account), as records are kept by an administrator too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from results.admin.base import user_of
from results.admin.file_imports import ConfirmForm, UploadForm
from results.files.bests import ERROR_TOO_BIG, MAX_FILE_BYTES, decode_bests
from results.files.bests_preview import BestsPreview, bests_preview
from results.models import SkaterBest
from results.services.bests import bests_import, may_import

MESSAGE_IMPORTED = "Bests imported: {summary}."


def upload_form(*args: Any) -> UploadForm:
    return UploadForm(*args, label="Bests (CSV)", decode=decode_bests, largest=MAX_FILE_BYTES, too_big=ERROR_TOO_BIG)


def confirm_form(*args: Any, **kwargs: Any) -> ConfirmForm:
    return ConfirmForm(*args, largest=MAX_FILE_BYTES, **kwargs)


class BestsImportViews:
    def __init__(self, model_admin: admin.ModelAdmin[SkaterBest]) -> None:
        self.model_admin = model_admin

    def urls(self) -> list[URLPattern]:
        view = self.model_admin.admin_site.admin_view
        return [
            path("import/", view(self.upload_view), name="results_skaterbest_import"),
            path("import/confirm/", view(require_POST(self.confirm_view)), name="results_skaterbest_import_confirm"),
        ]

    def _check_may_import(self, request: HttpRequest) -> None:
        if not may_import(request.user):
            raise PermissionDenied

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        self._check_may_import(request)
        form = upload_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._preview_page(request, bests_preview(text=form.text), form.cleaned_data["file"].name)
        return self._upload_page(request, form)

    def _upload_page(self, request: HttpRequest, form: UploadForm) -> TemplateResponse:
        context = {**self._context(request, "Import skaters' bests"), "form": form}
        return TemplateResponse(request, "admin/results/skaterbest/import_bests.html", context)

    def confirm_view(self, request: HttpRequest) -> HttpResponse:
        self._check_may_import(request)
        form = confirm_form(request.POST)
        if not form.is_valid():
            return self._upload_page(request, upload_form().refused(form.problems()))
        filename = request.POST.get("filename", "")
        preview = bests_preview(text=form.cleaned_data["text"])
        if preview.messages:
            # The skaters or their bests changed since the preview: show the file again, with what is wrong now.
            return self._preview_page(request, preview, filename)
        try:
            summary = bests_import(entries=preview.entries, by=user_of(request))
        except ValidationError as error:
            for message in error.messages:
                self.model_admin.message_user(request, message, messages.ERROR)
            return self._preview_page(request, preview, filename)
        self.model_admin.message_user(request, MESSAGE_IMPORTED.format(summary=summary), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:results_skaterbest_changelist"))

    def _preview_page(self, request: HttpRequest, preview: BestsPreview, filename: str) -> TemplateResponse:
        errors = preview.messages
        context = {
            **self._context(request, "Check the bests"),
            "preview": preview,
            "errors": errors,
            "filename": filename,
            "confirm_form": None if errors else confirm_form(initial={"text": preview.text}),
            "upload_url": reverse("admin:results_skaterbest_import"),
        }
        return TemplateResponse(request, "admin/results/skaterbest/import_bests_preview.html", context)

    def _context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": title,
            "has_view_permission": self.model_admin.has_view_permission(request),
        }
