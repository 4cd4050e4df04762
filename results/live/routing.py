from django.urls import path, re_path

from results.live.consumers import (
    ClassificationConsumer,
    CompetitionConsumer,
    RaceConsumer,
    SeriesConsumer,
    UnknownSocket,
)

# django-stubs types path() for Django views only; channels routes a consumer's ASGI application with it too.
websocket_urlpatterns = [
    path("ws/races/<id:race_id>/", RaceConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/competitions/<id:competition_id>/", CompetitionConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/classifications/<id:classification_id>/", ClassificationConsumer.as_asgi()),  # type: ignore[arg-type]
    path(
        "ws/series/<id:series_id>/<str:gender>/<id:distance>/",
        SeriesConsumer.as_asgi(),  # type: ignore[arg-type]
    ),
    # Last: every other path is refused cleanly (Channels' router would raise, and Daphne answer 500).
    re_path(r"", UnknownSocket.as_asgi()),  # type: ignore[arg-type]
]
