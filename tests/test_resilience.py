"""Faults on race day: whatever fails, a save is whole or absent, nothing half-saved is pushed, and every screen
ends on the latest results."""

import pytest
from django.db import connection

from results import services
from results.models import RaceSnapshot, ResultChange
from tests.factories import enter, heat_of, make_race, start_of

TRIGGER = "refuse_history_rows"


@pytest.fixture
def failing_history_table(db):
    """The database refuses the last write of a save (its history row), as a full disk or a lost connection would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {TRIGGER}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON results_resultchange "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON results_resultchange "
                "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON results_resultchange")
            cursor.execute(f"DROP FUNCTION {TRIGGER}()")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")


def test_a_database_error_during_a_save_saves_nothing_pushes_nothing_and_says_so(
    failing_history_table, django_capture_on_commit_callbacks
):
    race = make_race()
    before = RaceSnapshot.objects.get(race=race).version

    with django_capture_on_commit_callbacks() as pushes, pytest.raises(services.HeatResultsInvalid) as refused:
        services.heat_results_record(heat=heat_of(race, 1), results=enter(race, 1, {11: "38.50", 12: "38.12"}))

    message = refused.value.heat_errors[0]
    assert message.startswith("Pair 1 could not be saved: the database refused it (")
    assert "Nothing of the pair was saved and spectators saw nothing." in message
    assert pushes == []
    assert not start_of(race, 11).has_result and not start_of(race, 12).has_result  # the starts' writes rolled back
    assert heat_of(race, 1).revision == 0 and not ResultChange.objects.exists()
    assert RaceSnapshot.objects.get(race=race).version == before
