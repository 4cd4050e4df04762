"""The race page's panel for broadcasters in the admin: a copy-paste embed snippet, the addresses of the
overlays, the scoreboard and the vision mixers' data source, and the graphics-server templates to download
(docs/broadcasters.md). ``RaceAdmin`` takes it as a mixin and names the field
``broadcast_links`` in its fieldsets.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from results.models import Race

SNIPPET = '<iframe src="{url}" title="{title}" width="100%" height="640" style="border:0" loading="lazy"></iframe>'
EMBED_QUERY = "theme=dark&rows=10"
OVERLAY_QUERY = "theme=transparent"
# (name, URL name, query): what the panel lists under the snippet.
ADDRESSES = [
    ("Overlay: last pair (lower third)", "results:overlay_last_heat", OVERLAY_QUERY),
    ("Overlay: top 3 so far", "results:overlay_top3", OVERLAY_QUERY),
    ("Overlay: on the ice now / next", "results:overlay_on_ice", OVERLAY_QUERY),
    ("Overlay: head to head (the pair on the ice)", "results:overlay_head_to_head", OVERLAY_QUERY),
    ("Venue scoreboard", "results:race_scoreboard", ""),
    ("Data source for vMix and H2R Graphics (JSON rows)", "results:api_race_rows", ""),
]

# The site's address as the official's browser reached it: a read-only field is shown with the object alone, and
# the snippet must name the host a broadcaster can reach. Set for each request by get_readonly_fields.
_site: ContextVar[str] = ContextVar("broadcast_site", default="")


def broadcast_url(race: Race, url_name: str, query: str = "") -> str:
    path = reverse(url_name, args=[race.pk])
    return f"{_site.get()}{path}" + (f"?{query}" if query else "")


class BroadcastLinksAdmin(admin.ModelAdmin[Race]):
    def get_readonly_fields(self, request: HttpRequest, obj: Race | None = None) -> Any:
        _site.set(request.build_absolute_uri("/").rstrip("/"))
        return [*super().get_readonly_fields(request, obj), "broadcast_links"]

    @admin.display(description="Embed and overlays")
    def broadcast_links(self, race: Race) -> str:
        if race.pk is None:
            return "Save the race first."
        # The snippet is HTML for the broadcaster's page, so the title is escaped in it; format_html below escapes
        # the whole snippet once more to show it as text.
        snippet = SNIPPET.format(url=broadcast_url(race, "results:race_embed", EMBED_QUERY), title=escape(race.title))
        urls = [(name, broadcast_url(race, url_name, query)) for name, url_name, query in ADDRESSES]
        addresses = format_html_join(
            "", '<li>{}: <a href="{}" target="_blank" rel="noopener">{}</a></li>', ((n, u, u) for n, u in urls)
        )
        return format_html(
            '<textarea class="vLargeTextField broadcast-snippet" rows="3" readonly aria-label="Embed snippet">{}'
            "</textarea>"
            '<ul class="broadcast-links">{}</ul>'
            '<p class="broadcast-kit"><a href="{}" download>Graphics templates for CasparCG and SPX Graphics</a> '
            "(zip): set the server to {} and the race id to {}.</p>"
            '<p class="help">Options (theme, rows, fields, scale, lang) and browser source settings for vMix, OBS '
            "and CasparCG, the data source's columns, installing the templates: docs/broadcasters.md.</p>",
            snippet,
            addresses,
            f"{_site.get()}{reverse('results:graphics_kit')}",
            _site.get(),
            race.pk,
        )
