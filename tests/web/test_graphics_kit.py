"""The graphics-server kit, /broadcast/graphics-kit.zip (docs/broadcasters.md, "Graphics-server templates"): one
folder that works where CasparCG and SPX put it, every file a template loads inside it, each template with its
SPXGCTemplateDefinition, the same bytes every time; linked from the admin's Broadcasters section. The templates
themselves, played live in Chromium: tests/browser/test_graphics_templates.py."""

from __future__ import annotations

import io
import json
import re
import zipfile
from posixpath import dirname, normpath

import pytest

from results.web.embed.labels import LANGUAGES
from results.web.graphics_kit import DEFINITION_MARK, classic_script, template_page
from tests.support.factories import make_live_race, make_official

TEMPLATES = ("head-to-head.html", "lower-third-last-pair.html", "top3.html")
# What a file refers to: href= and src= in a page, @import url() in a style sheet.
REFERENCE = re.compile(r"""(?:href|src)="([^"]+)"|@import url\("([^"]+)"\)""")


@pytest.fixture
def kit(client) -> zipfile.ZipFile:
    response = client.get("/broadcast/graphics-kit.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="skating-live-graphics.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def text(kit: zipfile.ZipFile, name: str) -> str:
    return kit.read(f"skating-live/{name}").decode()


def definition(page: str) -> dict:
    found = re.search(r"window\.SPXGCTemplateDefinition = (\{.*?\});\n", page, re.S)
    assert found, "no SPXGCTemplateDefinition"
    return json.loads(found.group(1))


def test_the_kit_is_one_folder_with_the_templates_and_what_they_load(kit):
    assert sorted(kit.namelist()) == [
        f"skating-live/{name}"
        for name in sorted(
            [
                "README.txt",
                *TEMPLATES,
                "css/broadcast.css",
                "css/graphics.css",
                "css/overlay.css",
                "js/graphics.js",
            ]
        )
    ]
    assert kit.testzip() is None


def test_every_file_refers_only_to_files_in_the_kit_by_relative_paths(kit):
    names = set(kit.namelist())
    for name in names:
        if not name.endswith((".html", ".css")):
            continue
        references = [href or url for href, url in REFERENCE.findall(kit.read(name).decode())]
        for reference in (reference for reference in references if reference != "data:,"):  # no favicon
            assert "//" not in reference and not reference.startswith("/"), (name, reference)
            assert normpath(f"{dirname(name)}/{reference}") in names, (name, reference)
    top3 = [href for href, _ in REFERENCE.findall(text(kit, "top3.html"))]
    assert top3 == ["data:,", "css/graphics.css", "js/graphics.js"]


def test_each_template_defines_the_global_functions_and_its_spx_fields(kit):
    script = text(kit, "js/graphics.js")
    for function in ("update", "play", "stop", "next"):
        assert f"window.{function} = {function};" in script
    # The pages' own socket client and row pieces, as classic scripts, and the words in every language.
    assert "var SkatingFeed = (function () {" in script and "var SkatingView = (function () {" in script
    assert "export " not in script and "import " not in script
    assert all(f'"{language}": {{' in script for language in LANGUAGES)
    for name in TEMPLATES:
        page = text(kit, name)
        assert DEFINITION_MARK not in page
        spx = definition(page)
        fields = {field["field"]: field for field in spx["DataFields"] if "field" in field}
        assert list(fields) == ["f0", "f1", "f2", "f3"]
        assert [item["value"] for item in fields["f2"]["items"]] == ["transparent", "chroma"]
        assert [item["value"] for item in fields["f3"]["items"]] == list(LANGUAGES)
        assert (spx["out"], spx["dataformat"], spx["playserver"]) == ("manual", "json", "OVERLAY")
        assert spx["steps"] == ("2" if name == "top3.html" else "1")
    layers = {definition(text(kit, name))["playlayer"] for name in TEMPLATES}
    assert len(layers) == 3  # all three can be on air at once


def test_the_readme_says_how_to_install_in_casparcg_and_spx(kit):
    readme = text(kit, "README.txt")
    for words in ("CasparCG", "SPX", "ASSETS/templates", "CG 1-20 ADD", "<templateData>", "f0", "f1", "NEXT"):
        assert words in readme


def test_the_same_kit_gives_the_same_bytes(client):
    first = client.get("/broadcast/graphics-kit.zip").content
    assert client.get("/broadcast/graphics-kit.zip").content == first
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_module_imports_only_the_kits_modules_and_a_template_must_have_its_mark():
    with pytest.raises(ValueError, match=r"imports a\.js"):
        classic_script('import { el } from "./a.js";\nexport const B = 1;\n', "b.js", "B")
    with pytest.raises(ValueError, match="imports other modules"):
        classic_script('import "./a.js";\nexport const B = 1;\n', "b.js", "B")
    carried = classic_script('import { patchApply } from "./feed-patch.js";\nexport const B = 1;\n', "b.js", "B")
    assert "var { patchApply } = SkatingPatch;" in carried
    assert classic_script("export const A = 1;\nexport function f() {}\n", "a.js", "A").endswith(
        "return { A: A, f: f };\n})();\n"
    )
    with pytest.raises(ValueError, match="SPXGCTemplateDefinition"):
        template_page("top3.html", "<html></html>")


@pytest.mark.django_db
def test_the_admins_broadcasters_section_links_the_kit_and_the_data_source(client):
    race = make_live_race()
    client.force_login(make_official("chief", is_superuser=True))
    page = client.get(f"/admin/results/race/{race.pk}/change/").content.decode()
    assert 'href="http://testserver/broadcast/graphics-kit.zip" download' in page
    assert f"set the server to http://testserver and the race id to {race.pk}" in page
    assert f'href="http://testserver/api/races/{race.pk}/rows.json"' in page
