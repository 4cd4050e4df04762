"""The graphics-server kit (docs/broadcasters.md, "Graphics-server templates"): HTML templates for CasparCG and SPX
Graphics, served as one zip to unpack into the server's template folder.

A template must work from that folder, on any machine, without this site's pages: the zip carries every file the
templates load, at relative paths, as classic scripts (CasparCG opens templates as ``file://`` pages, where ES
modules do not load). What the templates share with the overlays is taken from the source when the zip is built,
never copied by hand: the overlays' styles (``static/embed/``), the race socket's client and a row's pieces
(``static/results/feed.js``, ``standings-view.js``, as classic scripts), the labels in every language
(``results/web/embed/labels.py``) and each template's ``SPXGCTemplateDefinition``. The kit names no race: the race
and the server are the template's fields, set in CasparCG or SPX.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from results.web.embed.labels import DEFAULT_LANGUAGE, LABELS, LANGUAGES

SOURCE: Final = Path(__file__).resolve().parent / "graphics"
FOLDER: Final = "skating-live"  # the zip's one folder: CasparCG and SPX name a template by its path under it
FILENAME: Final = "skating-live-graphics.zip"


@dataclass(frozen=True)
class Template:
    """A template's own settings in its SPXGCTemplateDefinition."""

    description: str
    layer: int  # SPX's CasparCG and web playout layer: one each, so that the three can be on air together
    steps: int  # 2: SPX's CONTINUE calls next()


TEMPLATES: Final = {
    "lower-third-last-pair.html": Template("Skating Live: last pair (lower third)", layer=10, steps=1),
    "top3.html": Template("Skating Live: top 3 so far (CONTINUE: places 4-6, ...)", layer=11, steps=2),
    "head-to-head.html": Template("Skating Live: head to head (the pair on the ice)", layer=12, steps=1),
}
DEFINITION_MARK: Final = "<!-- SPXGCTemplateDefinition -->"
KIT_THEMES: Final = ("transparent", "chroma")  # a graphics server's: no page background, or a keyer's green
# (the path in the kit, the static file it is)
STYLES: Final = (("css/broadcast.css", "embed/broadcast.css"), ("css/overlay.css", "embed/overlay.css"))
# (the path in the kit, the static ES module, the global it becomes): the race socket's client, a row's pieces.
# Each after the modules it imports (feed.js applies patches with feed-patch.js).
MODULES: Final = (
    ("results/feed-patch.js", "SkatingPatch"),
    ("results/feed.js", "SkatingFeed"),
    ("results/standings-view.js", "SkatingView"),
)
SCRIPT: Final = "js/graphics.js"  # the templates' one script: the labels, the modules above, then its own code
# 1980-01-01, the earliest a zip can say: the same kit gives the same bytes.
ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
EXPORT = re.compile(r"^export (?:async function|function|const|let|class) (\w+)", re.MULTILINE)
IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";$', re.MULTILINE)


def static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing")
    return Path(str(found)).read_text(encoding="utf-8")


def classic_script(module: str, name: str, global_name: str) -> str:
    """An ES module as a classic script: its exports become the properties of ``global_name``; what it imports from
    a module before it in ``MODULES`` is read from that module's global."""
    globals_of = {path.rsplit("/", 1)[-1]: global_of for path, global_of in MODULES}

    def imported(match: re.Match[str]) -> str:
        if match.group(2) not in globals_of:
            raise ValueError(f"{name} imports {match.group(2)}: the kit cannot carry it as a classic script")
        return f"var {{{match.group(1)}}} = {globals_of[match.group(2)]};"

    module = IMPORT.sub(imported, module)
    if re.search(r"^\s*import\b", module, re.MULTILINE):
        raise ValueError(f"{name} imports other modules: the kit cannot carry it as a classic script")
    exports = EXPORT.findall(module)
    body = re.sub(r"^export ", "", module, flags=re.MULTILINE)
    members = ", ".join(f"{export}: {export}" for export in exports)
    return (
        f"// static/{name} of Skating Live, as a classic script (the kit's templates also run from file://).\n"
        f"var {global_name} = (function () {{\n{body}\nreturn {{ {members} }};\n}})();\n"
    )


def labels_script() -> str:
    text = json.dumps(LABELS, ensure_ascii=False, indent=1, sort_keys=True)
    heading = "// The graphics' words in every language (results/web/embed/labels.py of Skating Live)."
    return f"{heading}\nvar SKATING_LABELS = {text};\n"


def script_bundle(own: str) -> str:
    """``js/graphics.js`` as the templates load it: what it uses first, each a classic script, then its own code."""
    modules = [classic_script(static_text(path), path, global_name) for path, global_name in MODULES]
    return "\n".join([labels_script(), *modules, own])


def spx_definition(template: Template) -> dict[str, Any]:
    """The template's ``SPXGCTemplateDefinition``: where SPX plays it and the fields its operator fills in."""
    return {
        "description": template.description,
        "playserver": "OVERLAY",
        "playchannel": "1",
        "playlayer": str(template.layer),
        "webplayout": str(template.layer),
        "out": "manual",
        "dataformat": "json",
        "steps": str(template.steps),
        "uicolor": "2",
        "DataFields": [
            {
                "ftype": "instruction",
                "value": "Live from a Skating Live results server: set its address and the race, then PLAY.",
            },
            {"field": "f0", "ftype": "textfield", "title": "Results server (https://results.example.org)", "value": ""},
            {"field": "f1", "ftype": "textfield", "title": "Race id (the 12 in /races/12/)", "value": ""},
            {
                "field": "f2",
                "ftype": "dropdown",
                "title": "Theme",
                "value": KIT_THEMES[0],
                "items": [{"text": theme, "value": theme} for theme in KIT_THEMES],
            },
            {
                "field": "f3",
                "ftype": "dropdown",
                "title": "Language",
                "value": DEFAULT_LANGUAGE,
                "items": [{"text": language, "value": language} for language in LANGUAGES],
            },
        ],
    }


def template_page(name: str, html: str) -> str:
    """The template with its SPXGCTemplateDefinition written in, as SPX reads it: literally, in the page's head."""
    if DEFINITION_MARK not in html:
        raise ValueError(f"{name} has no {DEFINITION_MARK} to fill in")
    definition = json.dumps(spx_definition(TEMPLATES[name]), ensure_ascii=False, indent=2)
    script = f"<script>\n    window.SPXGCTemplateDefinition = {definition};\n  </script>"
    return html.replace(DEFINITION_MARK, script)


def kit_files() -> Iterator[tuple[str, str]]:
    """Every file of the kit as (path inside the kit's folder, text), in a fixed order."""
    for path in sorted(SOURCE.rglob("*")):
        if not path.is_file():
            continue
        name, text = path.relative_to(SOURCE).as_posix(), path.read_text(encoding="utf-8")
        if name in TEMPLATES:
            text = template_page(name, text)
        elif name == SCRIPT:
            text = script_bundle(text)
        yield name, text
    for kit_path, static_path in STYLES:
        yield kit_path, static_text(static_path)


def kit_zip() -> bytes:
    """The kit as a zip: one folder, files in a fixed order with a fixed date."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in kit_files():
            info = zipfile.ZipInfo(f"{FOLDER}/{path}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


@require_GET
def graphics_kit_zip(request: HttpRequest) -> HttpResponse:
    """The kit to download (public: it holds no race and no secret; the admin links to it)."""
    response = HttpResponse(kit_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response
