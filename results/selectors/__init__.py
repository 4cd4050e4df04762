"""Every read that builds a document: a race's snapshot and standings, a classification's, a competition's
summary, the published snapshots as stored, a race's history for officials. Writes never happen here
(``results.services`` writes, then publishes what these build).

Callers outside this package import from here; the modules inside import each other directly:
``documents`` (what every document shares) <- ``bests``, ``passages``, ``formats`` <- ``races`` <-
``classifications``, ``world_cup`` <- ``snapshots`` <- ``competitions``; ``races`` <- ``followed`` <- ``commentary``
(the commentator's screen, never public); ``snapshots`` <- ``result_lists`` (the printed documents); ``history``
and ``data_source`` (a published snapshot as a vision mixer's rows) stand apart.
"""

from results.selectors.classifications import (
    ERROR_CLASSIFICATION_NOT_FOUND,
    classification_document,
    classification_snapshot_current,
    classification_snapshot_document,
    classification_snapshot_text,
    classification_version,
    classifications_of_races,
)
from results.selectors.commentary import WorldCup, commentary_document, competition_programme, race_on_now
from results.selectors.competitions import (
    competition_document,
    competition_race_versions,
    competitions_with_races,
    race_message,
    race_summary,
)
from results.selectors.data_source import KINDS as ROW_KINDS
from results.selectors.data_source import data_source_rows
from results.selectors.documents import API_VERSION, PublishedSnapshot, document_text, timestamp
from results.selectors.followed import MOST_FOLLOWED, followed_skaters_document
from results.selectors.history import STATUS, HistoryRow, change_counts, change_text, race_history
from results.selectors.races import ERROR_RACE_NOT_FOUND, race_snapshot_document, race_snapshot_text, race_standings
from results.selectors.result_lists import (
    ResultsBook,
    ResultSheet,
    StartListSheet,
    competition_results_book,
    competition_versions,
    race_result_sheet,
    race_start_list_sheet,
)
from results.selectors.snapshots import race_snapshot_current, race_version, snapshot_current, topic_versions
from results.selectors.start_lists import race_start_list_document
from results.selectors.world_cup import (
    ERROR_AFTER,
    ERROR_SERIES_BOARD_NOT_FOUND,
    ERROR_SERIES_NOT_FOUND,
    series_after_document,
    series_boards,
    series_boards_of_races,
    series_rounds,
    series_snapshot_current,
    series_snapshot_document,
    series_version,
    standing_before,
)

__all__ = [
    "API_VERSION",
    "ERROR_AFTER",
    "ERROR_CLASSIFICATION_NOT_FOUND",
    "ERROR_RACE_NOT_FOUND",
    "ERROR_SERIES_BOARD_NOT_FOUND",
    "ERROR_SERIES_NOT_FOUND",
    "MOST_FOLLOWED",
    "ROW_KINDS",
    "STATUS",
    "HistoryRow",
    "PublishedSnapshot",
    "ResultSheet",
    "ResultsBook",
    "StartListSheet",
    "WorldCup",
    "change_counts",
    "change_text",
    "classification_document",
    "classification_snapshot_current",
    "classification_snapshot_document",
    "classification_snapshot_text",
    "classification_version",
    "classifications_of_races",
    "commentary_document",
    "competition_document",
    "competition_programme",
    "competition_race_versions",
    "competition_results_book",
    "competition_versions",
    "competitions_with_races",
    "data_source_rows",
    "document_text",
    "followed_skaters_document",
    "race_history",
    "race_message",
    "race_on_now",
    "race_result_sheet",
    "race_snapshot_current",
    "race_snapshot_document",
    "race_snapshot_text",
    "race_standings",
    "race_start_list_document",
    "race_start_list_sheet",
    "race_summary",
    "race_version",
    "series_after_document",
    "series_boards",
    "series_boards_of_races",
    "series_rounds",
    "series_snapshot_current",
    "series_snapshot_document",
    "series_version",
    "snapshot_current",
    "standing_before",
    "timestamp",
    "topic_versions",
]
