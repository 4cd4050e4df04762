"""The officials' entry screen in a browser (Playwright): logging in, waiting for the screen's script, the fields."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.factories import PASSWORD


def log_in(admin, url: str, username: str, next_path: str) -> None:
    admin.goto(f"{url}/admin/login/?next={next_path}")
    admin.fill("#id_username", username)
    admin.fill("#id_password", PASSWORD)
    admin.locator("#id_password").press("Enter")


def entry_ready(admin) -> None:
    """The entry screen's script has attached its handlers: keys typed from now on reach them."""
    expect(admin.locator("html")).to_have_attribute("data-entry-ready", "true")


def time_field(admin, bib: int):
    return admin.locator(f'tr.skater-row[data-bib="{bib}"] input.result-time')
