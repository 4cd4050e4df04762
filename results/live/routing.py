from django.urls import path

from results.live.consumers import ClassificationConsumer, CompetitionConsumer, RaceConsumer

# django-stubs types path() for Django views only; channels routes a consumer's ASGI application with it too.
websocket_urlpatterns = [
    path("ws/races/<int:race_id>/", RaceConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/competitions/<int:competition_id>/", CompetitionConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/classifications/<int:classification_id>/", ClassificationConsumer.as_asgi()),  # type: ignore[arg-type]
]
