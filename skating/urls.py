from django.contrib import admin
from django.urls import include, path

from results.web.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("", include("results.urls")),
]
