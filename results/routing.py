from django.urls import path

from results.consumers import RaceConsumer

websocket_urlpatterns = [
    # django-stubs types path() for Django views only; channels routes a consumer's ASGI application with it too.
    path("ws/races/<int:race_id>/", RaceConsumer.as_asgi()),  # type: ignore[arg-type]
]
