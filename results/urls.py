from django.urls import path

from results.api import push, timing
from results.web import api, classifications, commentator, data_source, graphics_kit, pdfs, pwa, series, views
from results.web.embed import views as embed

app_name = "results"

urlpatterns = [
    path("", views.competition_list, name="competition_list"),
    # The installable app: its manifest and service worker (push notifications, the last standings offline).
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("competitions/<id:competition_id>/", views.competition_detail, name="competition_detail"),
    path("competitions/<id:competition_id>/my-skaters/", views.followed_skaters, name="followed_skaters"),
    path("races/<id:race_id>/", views.race_leaderboard, name="race_leaderboard"),
    # The printed documents (docs/officials.md, "Printing the result list"), public as the board is.
    path("races/<id:race_id>/results.pdf", pdfs.race_result_list, name="race_result_list_pdf"),
    path("races/<id:race_id>/start-list.pdf", pdfs.race_start_list, name="race_start_list_pdf"),
    path("competitions/<id:competition_id>/results.pdf", pdfs.competition_results_book, name="competition_results_pdf"),
    # Accredited commentators only (docs/commentators.md): never cached, never public.
    path("competitions/<id:competition_id>/commentator/", commentator.commentator_screen, name="commentator"),
    path("api/competitions/<id:competition_id>/commentary", commentator.commentary, name="api_commentary"),
    path("classifications/<id:classification_id>/", classifications.classification_page, name="classification"),
    path("series/<id:series_id>/", series.series_page, name="series"),
    path(
        "series/<id:series_id>/<str:gender>/<id:distance>/",
        series.series_standings_page,
        name="series_standings",
    ),
    # The broadcasters' pages (docs/broadcasters.md): the only pages other sites may frame.
    path("races/<id:race_id>/embed/", embed.race_embed, name="race_embed"),
    path("races/<id:race_id>/overlays/last-heat/", embed.overlay_last_heat, name="overlay_last_heat"),
    path("races/<id:race_id>/overlays/top3/", embed.overlay_top3, name="overlay_top3"),
    path("races/<id:race_id>/overlays/on-ice/", embed.overlay_on_ice, name="overlay_on_ice"),
    path("races/<id:race_id>/overlays/head-to-head/", embed.overlay_head_to_head, name="overlay_head_to_head"),
    path("races/<id:race_id>/scoreboard/", embed.race_scoreboard, name="race_scoreboard"),
    path("api/races/<id:race_id>/standings", api.race_standings, name="api_race_standings"),
    # Vision mixers' data sources (vMix, H2R Graphics) and the graphics servers' templates (CasparCG, SPX).
    path("api/races/<id:race_id>/rows.json", data_source.race_rows, name="api_race_rows"),
    path("broadcast/graphics-kit.zip", graphics_kit.graphics_kit_zip, name="graphics_kit"),
    path("api/races/<id:race_id>/start-list", api.race_start_list, name="api_race_start_list"),
    path("api/competitions/<id:competition_id>/", api.competition, name="api_competition"),
    path("api/competitions/<id:competition_id>/skaters", api.followed_skaters, name="api_followed_skaters"),
    path(
        "api/classifications/<id:classification_id>/",
        classifications.classification_standings,
        name="api_classification",
    ),
    path(
        "api/series/<id:series_id>/<str:gender>/<id:distance>",
        series.series_standings_api,
        name="api_series_standings",
    ),
    path("api/schema/feed-v1.json", api.schema, name="api_schema"),
    path("api/schema/rows-v1.json", data_source.rows_schema, name="api_rows_schema"),
    # Browsers subscribe to push notifications about the skaters they follow (docs/feed.md).
    path("api/push/key", push.push_key, name="api_push_key"),
    path("api/push/subscriptions", push.push_subscriptions, name="api_push_subscriptions"),
    # Timing systems post passages and finishes with a competition's token (docs/timing-api.md).
    path("api/timing/races/<id:race_id>/passages", timing.race_passages, name="api_timing_passages"),
]
