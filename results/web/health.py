"""``GET /healthz``: for nginx's neighbours (a load balancer, a monitor, a deploy script) asking one Daphne process
directly whether it serves. Plain HTTP is allowed (settings.SECURE_REDIRECT_EXEMPT); the Host header must still be
one of ALLOWED_HOSTS."""

from __future__ import annotations

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTHY = "ok\n"
DATABASE_DOWN = "database unavailable\n"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this process can reach the database, 503 otherwise. Redis is not asked: without it the boards
    still follow every change through the database watch, only later (docs/deploy.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain")
    return HttpResponse(HEALTHY, content_type="text/plain")
