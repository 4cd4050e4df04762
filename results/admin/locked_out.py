"""The page an official sees when logins to their account from their address are paused (django-axes calls
``locked_out_page`` through ``AXES_LOCKOUT_CALLABLE``, skating/settings.py): who, why, for how long, and how a chief
official lifts the lock. Status 429, like Axes' own response (AXES_HTTP_RESPONSE_CODE)."""

from __future__ import annotations

from http import HTTPStatus

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def locked_out_page(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, object] | None = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return TemplateResponse(request, "admin/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS).render()
