"""Timing tokens in the admin (results/admin/timing.py): created for a competition, the secret shown once and
never stored, revoked with an action."""

import re

import pytest
from django.urls import reverse

from results.models import TimingToken
from results.services.timing_tokens import token_digest
from tests.support.admin_pages import page_text
from tests.support.factories import make_race
from tests.support.timing import timing_post

pytestmark = pytest.mark.django_db

ADD = "admin:results_timingtoken_add"
LIST = "admin:results_timingtoken_changelist"


def test_a_new_token_is_shown_once_and_works(admin_client, client, admin_user):
    race = make_race(title="Men 1000m Division A", gender="men", distance=1000)
    response = admin_client.post(reverse(ADD), {"competition": race.competition_id, "name": "Finish line"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = page_text(response)
    secret = re.search(r'value="(skt_[A-Za-z0-9_-]{43})"', text).group(1)
    assert "Copy the token now: it is shown only this once." in text
    assert f"/api/timing/races/{race.pk}/passages" in text and f"Bearer {secret}" in text

    token = TimingToken.objects.get()
    assert (token.name, token.competition, token.created_by) == ("Finish line", race.competition, admin_user)
    assert token.token_hash == token_digest(secret) and token.prefix == secret[:8]
    assert secret not in str(TimingToken.objects.values().get())  # only the hash and the prefix are kept

    for page in (reverse(LIST), reverse("admin:results_timingtoken_change", args=[token.pk])):
        shown = page_text(admin_client.get(page))
        assert f"{secret[:8]}…" in shown and secret not in shown

    body = {"heat": 1, "lane": "I", "distance": 200, "time": "16.38"}
    assert timing_post(client, race.pk, secret, body).status_code == 201


def test_revoking_tokens(admin_client, client):
    race = make_race()
    admin_client.post(reverse(ADD), {"competition": race.competition_id, "name": "Finish line"})
    token = TimingToken.objects.get()
    response = admin_client.post(reverse(LIST), {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "Revoked 1 token(s): the timing system gets 401 with them from now on." in page_text(response)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in page_text(admin_client.get(reverse(LIST)))


def test_renaming_keeps_the_secret(admin_client):
    race = make_race()
    admin_client.post(reverse(ADD), {"competition": race.competition_id, "name": "Finish line"})
    token = TimingToken.objects.get()
    response = admin_client.post(
        reverse("admin:results_timingtoken_change", args=[token.pk]), {"name": "Backup, lane I"}
    )
    assert response.status_code == 302
    renamed = TimingToken.objects.get()
    assert (renamed.name, renamed.token_hash) == ("Backup, lane I", token.token_hash)


def test_the_entry_screen_works_alongside_the_timing_system(client):
    """An official opens pair 2 while it is skated: the timing system's passages do not make the open form stale,
    its finish for one skater shows on the screen, and the official completes the pair."""
    from results.roles import TIMING_OFFICIAL
    from tests.support.admin_pages import enter_url, heat_form_html, input_value, pair
    from tests.support.factories import make_user, start_of
    from tests.support.timing import make_timing_token

    race = make_race(
        title="Men 1000m Division A",
        gender="men",
        distance=1000,
        draw=[(1, "I", 181, "Jordan STOLZ", "USA"), (1, "O", 131, "Joep WENNEMARS", "NED")],
    )
    secret = make_timing_token(race.competition)
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    opened = heat_form_html(client.get(enter_url(race)), 1)
    assert input_value(opened, "revision") == "0"

    for bib, distance, time in [(181, 200, "16.38"), (131, 200, "16.21"), (181, 600, "40.98")]:
        assert (
            timing_post(
                client, race.pk, secret, {"heat": 1, "bib": bib, "distance": distance, "time": time}
            ).status_code
            == 201
        )
    saved = client.post(enter_url(race), pair(race, 1, {181: "1:05.66", 131: "1:07.012"}, revision=0))
    assert saved.status_code == 302  # passages are not results: the form opened before them is still current
    assert start_of(race, 181).result_source == "manual"

    # Another pair of the same shape: the timing system's finish shows on the screen, the official adds the other.
    race2 = make_race(
        race.competition,
        title="Men 1000m Division B",
        gender="men",
        distance=1000,
        draw=[(1, "I", 18, "Jordan STOLZ", "USA"), (1, "O", 13, "Joep WENNEMARS", "NED")],
    )
    assert (
        timing_post(client, race2.pk, secret, {"heat": 1, "lane": "I", "distance": 1000, "time": "1:05.66"}).status_code
        == 201
    )
    form = heat_form_html(client.get(enter_url(race2)), 1)
    assert input_value(form, f"time_{start_of(race2, 18).pk}") == "1:05.66"
    assert input_value(form, "revision") == "1"
    assert client.post(enter_url(race2), pair(race2, 1, {18: "1:05.66", 13: "1:07.012"})).status_code == 302
    assert (start_of(race2, 18).result_source, start_of(race2, 13).result_source) == ("timing", "manual")
