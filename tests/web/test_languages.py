"""The public pages in nine languages (docs/spectators.md, "Languages"): the browser's Accept-Language picks one, the
header's switch overrides it with Django's language cookie, Norwegian however a browser names it is Bokmål, anything
else is English; the addresses and the JSON feed are the same in every language. And the translations themselves:
every message translated, none fuzzy, every compiled catalog the one its .po file gives."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from results.models import Race
from results.web.languages import accept_language_norwegian
from tests.support.classification_factories import make_sprint, skate_distance
from tests.support.factories import make_live_race, start_of

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["nl", "de", "fr", "it", "ja", "ko", "zh_Hans", "nb"]
DOMAINS = ["django", "djangojs"]
# The notices' words: the open board's (notices.js), and the pushes' (results/live/push_texts.py, the django domain).
NOTICE_WORDS = [
    "%(name)s skates soon",
    "Pair %(heat)s",
    "%(name)s: corrected",
    "%(name)s: final",
    "Rank %(rank)s",
    "provisional rank %(rank)s",
    "gold",
    "silver",
    "bronze",
    "Notifications for %(name)s are on",
]


@pytest.fixture(autouse=True)
def _english_afterwards():
    """The test client runs in this thread, where the middleware leaves the last request's language active."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def race() -> Race:
    return make_live_race()


def page(client, url: str, language: str | None = None):
    headers = {"accept-language": language} if language else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def text(response) -> str:
    """The page as a reader sees it: scripts, styles and the language menu gone, tags gone, whitespace collapsed."""
    html = re.sub(r"<(script|style|select)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match
    return match.group(1)


# ------------------------------------------------------------------------------------------ chosen by the browser


def test_a_dutch_browser_gets_the_race_board_in_dutch(client, race):
    response = page(client, f"/races/{race.pk}/", "nl-NL,nl;q=0.9,en;q=0.5")
    words = text(response)

    assert html_lang(response) == "nl"
    assert response["Content-Language"] == "nl"
    assert "Rit 3 van 4" in words
    assert "Pl Schaatser Rit Tijd Verschil Ptn" in words  # the standings' head
    assert "Straks op het ijs Rit 4" in words
    assert "I binnenbaan Gina GOLF KOR O buitenbaan Hana HOTEL CHN" in words
    assert 'title="Binnenbaan, witte armband"' in response.content.decode()
    assert "Uitslagen zijn voorlopig tot ze als Officieel zijn gemarkeerd." in words
    # Names, nations, times and record flags are the same in every language.
    assert "JPN Cleo CHARLIE" in words and "36.09" in words and "WR 36.36" in words
    assert "Pair" not in words and "Behind" not in words


def test_a_dutch_browser_gets_the_competition_list_and_page_in_dutch(client, race):
    listing = text(page(client, "/", "nl"))
    assert "Live-uitslagen Wedstrijden" in listing
    assert "5 dec – 7 dec 2025" in listing  # the dates as Dutch writes them, with Django's month names
    assert "vr 5 dec" in listing
    assert "Live" in listing  # the race's status, which Dutch says in English too

    competition = page(client, f"/competitions/{race.competition_id}/", "nl")
    words = text(competition)
    assert html_lang(competition) == "nl"
    assert "★ Mijn schaatsers : wanneer ze rijden en hoe het ging." in words  # ":" after the link
    assert "vrijdag 5 december 2025" in words
    assert f'href="/competitions/{race.competition_id}/my-skaters/"' in competition.content.decode()


def test_a_german_browser_gets_the_competition_list_in_german(client, race):
    response = page(client, "/", "de-DE,de;q=0.9")
    assert html_lang(response) == "de"
    assert "Live-Ergebnisse Wettkämpfe" in text(response)


def test_a_japanese_browser_gets_the_race_board_in_japanese(client, race):
    response = page(client, f"/races/{race.pk}/", "ja")
    words = text(response)
    assert html_lang(response) == "ja"
    assert "第3組 / 全4組" in words
    assert "2025年12月5日 金曜日" in words
    assert "次の組 第4組" in words
    assert "順位 選手 組 タイム 差 得点" in words


@pytest.mark.parametrize("header", ["nb", "nb-NO,nb;q=0.9", "no", "no-NO,no;q=0.8,en;q=0.5", "nn-NO,nn;q=0.9"])
def test_a_norwegian_browser_gets_bokmal_however_it_names_norwegian(client, race, header):
    response = page(client, "/", header)
    assert html_lang(response) == "nb"
    assert "Direkteresultater Stevner" in text(response)


def test_norwegian_ranges_are_read_as_bokmal_with_their_weights():
    assert accept_language_norwegian("nn-NO,nn;q=0.9,no;q=0.8,en;q=0.5") == "nb-NO,nb;q=0.9,nb;q=0.8,en;q=0.5"
    assert accept_language_norwegian("nb-NO,en-GB;q=0.5,sv") == "nb-NO,en-GB;q=0.5,sv"
    assert accept_language_norwegian("en-NO, NO") == "en-NO, nb"


def test_chinese_browsers_get_simplified_chinese(client, race):
    for header in ("zh-CN,zh;q=0.9", "zh", "zh-Hans"):
        response = page(client, "/", header)
        assert html_lang(response) == "zh-hans"
        assert "赛事" in text(response)


@pytest.mark.parametrize("header", [None, "sw", "*", "xx-YY;q=0.9", "en-GB,en;q=0.8"])
def test_any_other_browser_gets_english(client, race, header):
    response = page(client, f"/races/{race.pk}/", header)
    words = text(response)
    assert html_lang(response) == "en"
    assert "Live Pair 3 of 4" in words
    assert "On the ice next Pair 4" in words


def test_a_browser_preferring_an_unknown_language_gets_its_next_choice(client, race):
    assert html_lang(page(client, "/", "sw,fr;q=0.8,en;q=0.5")) == "fr"


def test_the_views_own_words_are_translated_too(client):
    assert "Geen afstand met id 999999." in client.get("/races/999999/", headers={"accept-language": "nl"}).text
    sprint = make_sprint()
    for position in (1, 2, 3):
        skate_distance(sprint, position)
    words = text(page(client, f"/classifications/{sprint.pk}/", "fr"))
    assert "Distance 3 sur 4 · 500 m" in words
    assert "Écart : secondes sur la prochaine distance, le 1000 m" in words  # a no-break space before the colon
    assert "Rg Patineur" in words


# ------------------------------------------------------------------------------------------------- the switch


def test_the_header_switch_lists_every_language_in_its_own_name_and_comes_back_to_the_page(client, race):
    response = page(client, f"/races/{race.pk}/?since=3", "nl")
    html = response.content.decode()
    form = re.search(r'<form class="language-switch" action="/i18n/setlang/" method="post".*?</form>', html, re.S)
    assert form
    options = re.findall(r'<option value="([^"]+)" lang="[^"]+"( selected)?>([^<]+)</option>', form.group(0))
    assert [(code, name) for code, _selected, name in options] == [
        ("en", "English"),
        ("nl", "Nederlands"),
        ("de", "Deutsch"),
        ("fr", "Français"),
        ("it", "Italiano"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("zh-hans", "中文"),
        ("nb", "Norsk"),
    ]
    assert [code for code, selected, _name in options if selected] == ["nl"]
    assert f'<input type="hidden" name="next" value="/races/{race.pk}/?since=3">' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    # Sent on a change by a script of this site (no inline handler: the Content-Security-Policy forbids them).
    assert "onchange" not in form.group(0)
    assert re.search(r'<script type="module" src="/static/results/language-switch\.js">', html)


def test_choosing_a_language_keeps_it_over_the_browsers(client, race):
    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": f"/races/{race.pk}/"}, headers={"accept-language": "nl"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/races/{race.pk}/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "de"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    board = page(client, f"/races/{race.pk}/", "nl")
    assert html_lang(board) == "de"
    assert "Paar 3 von 4" in text(board)
    assert html_lang(page(client, "/", "ja")) == "de"


def test_a_language_the_site_does_not_speak_is_no_choice(client, race):
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})  # Django keeps any language it knows itself
    assert html_lang(page(client, "/", "nl")) == "nl"
    assert html_lang(page(client, "/")) == "en"


def test_the_switch_does_not_send_anyone_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


# --------------------------------------------------------------------------------------- what stays language-free


def test_the_addresses_are_the_same_in_every_language(client, race):
    english = page(client, "/").content.decode()
    dutch = page(client, "/", "nl").content.decode()
    links = r'href="(/(?:competitions|races|classifications)/[^"]*)"'
    assert re.findall(links, english) == re.findall(links, dutch) != []


def test_the_json_feed_is_the_same_bytes_in_every_language(client, race):
    skaters = f"{start_of(race, 11).skater_id},{start_of(race, 21).skater_id}"
    urls = [
        f"/api/races/{race.pk}/standings",
        f"/api/competitions/{race.competition_id}/",
        f"/api/competitions/{race.competition_id}/skaters?ids={skaters}",
    ]
    for url in urls:
        english = client.get(url).content
        for language in ("nl", "ja", "nb", "zh-CN", "de;q=0.5,fr"):
            assert client.get(url, headers={"accept-language": language}).content == english, (url, language)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
        assert client.get(url).content == english, url
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]


# ------------------------------------------------------------------------------------------ the scripts' catalog


def test_the_page_loads_the_catalog_before_its_modules(client, race):
    html = page(client, f"/races/{race.pk}/").content.decode()
    catalog = html.index('<script src="/jsi18n/"></script>')
    assert catalog < html.index('<script type="module"')


def test_the_scripts_catalog_is_in_the_pages_language(client):
    dutch = client.get("/jsi18n/", headers={"accept-language": "nl"})
    assert dutch.status_code == 200
    assert dutch["Content-Type"].startswith("text/javascript")
    assert '"Pair %(heat)s": "Rit %(heat)s"' in dutch.text
    assert '"%(name)s skates soon": "%(name)s rijdt zo"' in dutch.text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert '"Pair %(heat)s": "\\u7b2c%(heat)s\\u7d44"' in client.get("/jsi18n/", headers={"accept-language": "nl"}).text


def test_the_scripts_catalog_may_be_kept_per_language_and_choice(client):
    response = client.get("/jsi18n/", headers={"accept-language": "nl"})
    vary = {name.strip().lower() for name in response["Vary"].split(",")}

    assert {"accept-language", "cookie"} <= vary
    assert "max-age=3600" in response["Cache-Control"]
    again = client.get("/jsi18n/", headers={"accept-language": "nl", "if-modified-since": response["Last-Modified"]})
    assert again.status_code == 304


def test_the_catalog_has_the_public_pages_words_only(client):
    english = client.get("/jsi18n/")
    assert english.status_code == 200
    assert "newcatalog" not in english.text  # the message ids are the English words
    dutch = client.get("/jsi18n/", headers={"accept-language": "nl"}).text
    assert "Rit %(heat)s" in dutch
    assert "Show all" not in dutch and "Alles tonen" not in dutch  # the admin's scripts' words


# --------------------------------------------------------------------------------------------- the translations


def po_entries(path: Path) -> list[dict[str, str]]:
    """A .po file's entries: flags, msgctxt, msgid, msgid_plural, msgstr / msgstr[n] (strings unescaped)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = "yes"
            elif line.startswith("#,"):
                entry["flags"] += line[2:]
            elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key = match.group(1)
                entry[key] = match.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        for name in list(entry):
            if name.startswith("msg"):
                entry[name] = re.sub(
                    r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[m.group(1)], entry[name]
                )
        entries.append(entry)
    return entries


def po_catalog(path: Path) -> dict[object, str]:
    """What the .po file says, keyed as Python's gettext keys a compiled catalog."""
    catalog: dict[object, str] = {}
    for entry in po_entries(path):
        if "obsolete" in entry or "msgid" not in entry:
            continue
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            for name, value in entry.items():
                if match := re.fullmatch(r"msgstr\[(\d+)\]", name):
                    catalog[(msgid, int(match.group(1)))] = value
        else:
            catalog[msgid] = entry["msgstr"]
    return catalog


def po_files() -> list[Path]:
    return [LOCALE / language / "LC_MESSAGES" / f"{domain}.po" for language in TRANSLATED for domain in DOMAINS]


def test_every_language_has_both_catalogs_and_nothing_else_is_there():
    found = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert found == sorted(po_files())
    assert all(po.with_suffix(".mo").exists() for po in found)


@pytest.mark.parametrize("po", po_files(), ids=lambda po: f"{po.parent.parent.name}/{po.name}")
def test_every_message_is_translated_and_none_is_fuzzy(po):
    entries = [entry for entry in po_entries(po) if "msgid" in entry and "obsolete" not in entry]
    header = next(entry for entry in entries if entry["msgid"] == "")
    assert f"Language: {po.parent.parent.name}\n" in header["msgstr"]
    assert "nplurals=" in header["msgstr"]

    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []
    untranslated = [
        entry["msgid"]
        for entry in entries[1:]
        if any(not value.strip() for name, value in entry.items() if name.startswith("msgstr"))
    ]
    assert untranslated == []
    assert not [e for e in po_entries(po) if "obsolete" in e], "obsolete entries: run makemessages and tidy up"


@pytest.mark.parametrize("po", po_files(), ids=lambda po: f"{po.parent.parent.name}/{po.name}")
def test_every_placeholder_of_a_message_is_in_its_translation(po):
    for entry in po_entries(po):
        if not entry.get("msgid"):
            continue
        wanted = sorted(set(re.findall(r"%\(\w+\)s", entry["msgid"] + entry.get("msgid_plural", ""))))
        for name, value in entry.items():
            if name.startswith("msgstr") and not (entry.get("msgid_plural") and "%(" not in value):
                assert sorted(set(re.findall(r"%\(\w+\)s", value))) == wanted, (entry["msgid"], value)


@pytest.mark.parametrize("po", po_files(), ids=lambda po: f"{po.parent.parent.name}/{po.name}")
def test_every_compiled_catalog_says_what_its_po_file_says(po):
    """The .mo files are committed (a deployment needs no gettext tools): one compiled from an older .po is
    caught here. Compared by content, so another version of msgfmt, with other bytes, agrees."""
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    assert {key: value for key, value in compiled.items() if key != ""} == {
        key: value for key, value in po_catalog(po).items() if key != ""
    }


@pytest.mark.parametrize("po", po_files(), ids=lambda po: f"{po.parent.parent.name}/{po.name}")
def test_msgfmt_finds_nothing_wrong(po, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt is not installed (apt-get install gettext): the .po files' formats are not checked")
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po)], check=True, capture_output=True)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_notices_words_are_in_both_catalogs(language, domain):
    catalog = po_catalog(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")
    assert {word: bool(catalog.get(word)) for word in NOTICE_WORDS} == dict.fromkeys(NOTICE_WORDS, True)


def test_the_server_says_the_notices_words_in_the_subscribers_language():
    with translation.override("nl"):
        assert translation.gettext("Pair %(heat)s") % {"heat": 7} == "Rit 7"
    with translation.override("nb"):
        assert translation.gettext("provisional rank %(rank)s") % {"rank": 2} == "foreløpig nr. 2"
    with translation.override("zh-hans"):
        assert translation.gettext("gold") == "金牌"
