"""ASGI entry point: Django for HTTP, the race sockets for websockets (run with Daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skating.settings")
# Set up Django (apps, settings) before importing anything that touches models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from results.limits import ConnectionsPerAddressLimit  # noqa: E402
from results.origins import FeedOriginValidator  # noqa: E402
from results.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The patterns are plain URLPatterns to django-stubs; channels' stubs want ones that hold an ASGI callback.
        "websocket": ConnectionsPerAddressLimit(
            FeedOriginValidator(URLRouter(websocket_urlpatterns)),  # type: ignore[arg-type]
        ),
    }
)
