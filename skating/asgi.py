"""ASGI entry point: Django for HTTP, the race sockets for websockets (run with Daphne)."""

import gc
import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skating.settings")
# Set up Django (apps, settings) before importing anything that touches models.
django_application = get_asgi_application()
# A server process holds thousands of long-lived sockets: collect garbage less often (settings.GC_THRESHOLDS).
gc.set_threshold(*settings.GC_THRESHOLDS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from results.live.limits import ConnectionsPerAddressLimit  # noqa: E402
from results.live.origins import FeedOriginValidator  # noqa: E402
from results.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The patterns are plain URLPatterns to django-stubs; channels' stubs want ones that hold an ASGI callback.
        "websocket": ConnectionsPerAddressLimit(
            FeedOriginValidator(URLRouter(websocket_urlpatterns)),  # type: ignore[arg-type]
        ),
    }
)
