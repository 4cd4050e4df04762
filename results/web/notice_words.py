"""The words of the followed skaters' notices, for the translations of the django domain (locale/): the open board
says them with static/results/notices.js (the djangojs domain), and the pushes to phones with
``django.utils.translation.gettext`` and these very message ids (results/live/push_texts.py). Marked here, so
``makemessages`` finds them even where nothing else in Python says them; translate them once in each domain, with
the same words (docs/spectators.md, "Languages")."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_noop

NOTICE_WORDS: Final = (
    gettext_noop("%(name)s skates soon"),
    gettext_noop("Pair %(heat)s"),
    gettext_noop("%(name)s: corrected"),
    gettext_noop("%(name)s: final"),
    gettext_noop("Rank %(rank)s"),
    gettext_noop("provisional rank %(rank)s"),
    gettext_noop("gold"),
    gettext_noop("silver"),
    gettext_noop("bronze"),
    gettext_noop("Notifications for %(name)s are on"),
)
