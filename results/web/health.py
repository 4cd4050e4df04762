"""``GET /healthz``: for nginx's neighbours (a load balancer, a monitor, a deploy script) asking one Daphne process
directly whether it serves. Plain HTTP is allowed (settings.SECURE_REDIRECT_EXEMPT); the Host header must still be
one of ALLOWED_HOSTS."""

from __future__ import annotations

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from results.live.audience import audience

HEALTHY = "ok\n"
SPECTATORS_HEADER = "X-Spectators"
DATABASE_DOWN = "database unavailable\n"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this process can reach the database, 503 otherwise. Redis is not asked: without it the boards
    still follow every change through the database watch, only later (docs/deploy.md). The ``X-Spectators``
    header counts the spectators' sockets this process holds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain")
    else:
        response = HttpResponse(HEALTHY, content_type="text/plain")
    # How many spectators' sockets this process holds: a monitor (or a test) sees one that never leaves.
    response[SPECTATORS_HEADER] = str(audience.count())
    return response
