from django.contrib import admin
from django.urls import include, path

from results.web.health import healthz
from results.web.languages import javascript_catalog

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    # The header's language switch posts here (Django's set_language), and the public pages' scripts get their
    # words in the page's language here (docs/spectators.md, "Languages"). No language in any other address.
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("", include("results.urls")),
]
