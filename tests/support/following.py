"""Following skaters in a browser (Playwright): a skater's star among the pairs to come, and a page allowed to
show notifications."""

from __future__ import annotations

from typing import Any

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def star(page, skater: str):
    return page.locator(f"li.next-skater:has-text('{skater}') .follow-star")


def notifying_page(browser, viewport: dict[str, int], **options: Any) -> tuple[Any, Any]:
    """A new context (its own storage, as a new visitor's) whose pages may show notifications, and its page."""
    context = browser.new_context(viewport=viewport, **options)
    context.grant_permissions(["notifications"])
    return context, context.new_page()
