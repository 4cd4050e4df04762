"""Every write. Each service validates, saves inside a transaction, republishes the race's snapshot and pushes it
to spectators once the transaction commits (``results.live.broadcast``).

- ``publishing``: the one place a snapshot is built and pushed.
- ``heat_results``: a heat's results entered, corrected or cleared, with their history.
- ``race_status``: START_LIST -> LIVE -> UNOFFICIAL -> OFFICIAL, and PROTESTED.
- ``races``: races, start lists, re-skates, removing a skater or a pair.
- ``records``: records set in a race stand once it is official.
- ``timing``: a timing system's passages and finish times; ``timing_tokens``: the tokens it posts with.
"""

from results.services.heat_results import (
    ERROR_DATABASE,
    ERROR_HEAT_CHANGED,
    ERROR_INFRACTION_NOT_ALLOWED,
    ERROR_INFRACTION_UNKNOWN,
    ERROR_MISSING_SKATER,
    ERROR_NOT_IN_HEAT,
    ERROR_STATUS_REQUIRED,
    ERROR_TIME_NOT_ALLOWED,
    ERROR_TIME_REQUIRED,
    HeatChangedMeanwhile,
    HeatResultsInvalid,
    StartResult,
    heat_results_clear,
    heat_results_record,
    start_finish_record,
)
from results.services.publishing import change_of, classifications_republish, race_publish, races_publish
from results.services.race_status import REFEREE_TRANSITIONS, race_status_choices, race_status_set
from results.services.races import (
    ERROR_CLEAR_OFFICIAL,
    ERROR_HEAT_HAS_RESULTS,
    StartListEntry,
    heat_remove,
    race_create,
    race_results_clear,
    reskate_add,
    start_list_create,
    start_remove,
)
from results.services.skaters import skater_get_or_create

__all__ = [
    "ERROR_CLEAR_OFFICIAL",
    "ERROR_DATABASE",
    "ERROR_HEAT_CHANGED",
    "ERROR_HEAT_HAS_RESULTS",
    "ERROR_INFRACTION_NOT_ALLOWED",
    "ERROR_INFRACTION_UNKNOWN",
    "ERROR_MISSING_SKATER",
    "ERROR_NOT_IN_HEAT",
    "ERROR_STATUS_REQUIRED",
    "ERROR_TIME_NOT_ALLOWED",
    "ERROR_TIME_REQUIRED",
    "REFEREE_TRANSITIONS",
    "HeatChangedMeanwhile",
    "HeatResultsInvalid",
    "StartListEntry",
    "StartResult",
    "change_of",
    "classifications_republish",
    "heat_remove",
    "heat_results_clear",
    "heat_results_record",
    "race_create",
    "race_publish",
    "race_results_clear",
    "race_status_choices",
    "race_status_set",
    "races_publish",
    "reskate_add",
    "skater_get_or_create",
    "start_finish_record",
    "start_list_create",
    "start_remove",
]
