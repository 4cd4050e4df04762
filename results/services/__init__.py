"""Every write, keyword arguments only. Each service checks who may make the change now (``results.policy``), saves
it in a transaction, keeps its history where a race's standings are concerned, and publishes each board it
changed once (``publishing``), pushed to spectators when the transaction commits (``results.live.broadcast``).

- ``publishing``: the one place a snapshot is built and pushed, once per board and write.
- ``heat_results``: a heat's results entered, corrected or cleared, with their history.
- ``race_status``: START_LIST -> LIVE -> UNOFFICIAL -> OFFICIAL, and PROTESTED.
- ``edits``: what every other change to a race's standings goes through (policy, history, correction).
- ``competitions``, ``races``, ``lineup``, ``withdrawals``, ``skaters``, ``records``, ``bests``, ``classifications``:
  the rest of what a board is computed from; ``startlists``: a draw imported from a file.
- ``mass_start``: a mass start's sprints. ``timing``: a timing system's passages and finish times;
  ``timing_tokens``: the tokens it posts with.
"""

from results.services.edits import EditRefused
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
from results.services.lineup import (
    ERROR_HEAT_HAS_RESULTS,
    HeatChange,
    StartListEntry,
    heat_remove,
    heat_save,
    reskate_add,
    start_list_create,
    start_remove,
    start_save,
)
from results.services.publishing import (
    Published,
    change_of,
    classifications_republish,
    race_publish,
    races_publish,
)
from results.services.race_status import REFEREE_TRANSITIONS, race_status_choices, race_status_set
from results.services.races import ERROR_CLEAR_OFFICIAL, race_create, race_delete, race_results_clear, race_save
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
    "EditRefused",
    "HeatChange",
    "HeatChangedMeanwhile",
    "HeatResultsInvalid",
    "Published",
    "StartListEntry",
    "StartResult",
    "change_of",
    "classifications_republish",
    "heat_remove",
    "heat_results_clear",
    "heat_results_record",
    "heat_save",
    "race_create",
    "race_delete",
    "race_publish",
    "race_results_clear",
    "race_save",
    "race_status_choices",
    "race_status_set",
    "races_publish",
    "reskate_add",
    "skater_get_or_create",
    "start_finish_record",
    "start_list_create",
    "start_remove",
    "start_save",
]
