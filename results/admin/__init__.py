"""The officials' side: the Django admin for every model, the per-race entry screen and history
(``race_day``), start list and bests imports, classifications, timing tokens and the broadcasters' links.

Importing this package registers every model admin (Django's admin autodiscovery imports it).
"""

from results.admin import (  # noqa: F401 (each module registers its model admins)
    classifications,
    competitions,
    heats,
    history,
    race_office,
    races,
    records,
    series,
    skater_notes,
    skaters,
    timing,
    withdrawals,
)
