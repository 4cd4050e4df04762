from django.urls import path

from results import api, views

app_name = "results"

urlpatterns = [
    path("", views.competition_list, name="competition_list"),
    path("competitions/<int:competition_id>/", views.competition_detail, name="competition_detail"),
    path("races/<int:race_id>/", views.race_leaderboard, name="race_leaderboard"),
    path("api/races/<int:race_id>/standings", api.race_standings, name="api_race_standings"),
    path("api/competitions/<int:competition_id>/", api.competition, name="api_competition"),
    path("api/schema/feed-v1.json", api.schema, name="api_schema"),
]
