from django.apps import AppConfig
from django.urls import register_converter


class ResultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "results"

    def ready(self) -> None:
        from results.rules.numbers import IdConverter
        from results.web.framing import check_allowed_origins

        check_allowed_origins()

        # ``<id:race_id>`` in the pages' and the sockets' routes: a number too long for an id is not found.
        register_converter(IdConverter, "id")
