"""Django's makemessages, which also finds the words of the public pages' scripts: they translate with ``t("...")``
and ``tn("...", "...", n)`` (static/results/i18n.js), names xgettext does not know. The way Django's documentation
gives to pass xgettext more options. Usage, and where the catalogs are: docs/spectators.md, "Languages"."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages

SCRIPT_KEYWORDS = ["--keyword=t", "--keyword=tn:1,2"]


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> str | None:
        if options.get("domain") == "djangojs":
            self.xgettext_options = [*self.xgettext_options, *SCRIPT_KEYWORDS]
        return super().handle(*args, **options)
