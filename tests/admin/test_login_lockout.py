"""Guessing an official's password: after a few wrong ones in a row, logins to that account from that address pause,
the right password included, with a page that says why and how to get back in (django-axes, skating/settings.py)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils.html import strip_tags

from results import roles
from tests.support.admin_pages import page_text
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
STRANGER = "203.0.113.66"
VENUE = "198.51.100.7"


def log_in(client: Client, password: str, *, username: str = "referee", address: str = STRANGER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def referee():
    return make_user("referee", roles.REFEREE)


def test_sixty_wrong_passwords_lock_the_account_at_that_address_and_the_right_one_is_refused(client, settings):
    answers = [log_in(client, f"guess-{n}") for n in range(60)]

    limit = settings.AXES_FAILURE_LIMIT
    assert [answer.status_code for answer in answers[: limit - 1]] == [200] * (limit - 1)
    assert "Please enter the correct username and password" in page_text(answers[0])
    assert {answer.status_code for answer in answers[limit - 1 :]} == {429}

    right = log_in(client, PASSWORD)
    assert right.status_code == 429 and not logged_in(client)
    text = " ".join(strip_tags(page_text(right)).split())
    assert "Too many wrong passwords for referee from this address" in text
    assert f"({limit} in a row)" in text and "paused for 15 minutes, even with the right password" in text
    assert "python manage.py axes_reset_username referee" in text


def test_a_stranger_elsewhere_does_not_lock_the_referee_out_at_the_venue(client):
    for n in range(10):
        log_in(client, f"guess-{n}", address=STRANGER)

    at_the_venue = Client()
    answer = log_in(at_the_venue, PASSWORD, address=VENUE)
    assert answer.status_code == 302 and logged_in(at_the_venue)


def test_another_account_from_the_same_address_still_logs_in(client):
    make_user("timing", roles.TIMING_OFFICIAL)
    for n in range(10):
        log_in(client, f"guess-{n}")

    answer = log_in(client, PASSWORD, username="timing")
    assert answer.status_code == 302 and logged_in(client)


def test_a_chief_official_unlocks_the_account_with_a_command(client):
    for n in range(10):
        log_in(client, f"guess-{n}")
    assert log_in(client, PASSWORD).status_code == 429

    said = io.StringIO()
    call_command("axes_reset_username", "referee", stdout=said)
    assert "1 attempts removed" in said.getvalue()

    assert log_in(client, PASSWORD).status_code == 302 and logged_in(client)


def test_the_lock_ends_by_itself(client):
    with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=15)):
        for n in range(10):
            log_in(client, f"guess-{n}")
        assert log_in(client, PASSWORD).status_code == 429
    with override_settings(AXES_COOLOFF_TIME=timedelta(0)):
        assert log_in(client, PASSWORD).status_code == 302 and logged_in(client)


def test_a_login_that_succeeds_forgets_the_earlier_mistakes(client, settings):
    for _ in range(2):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, f"typo-{n}").status_code == 200
        assert log_in(client, PASSWORD).status_code == 302
        client.post("/admin/logout/")
    assert not logged_in(client)
