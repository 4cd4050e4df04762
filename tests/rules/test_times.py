import pytest

from results.rules.times import (
    TIME_FORMAT_ERROR,
    TIME_SECONDS_ERROR,
    TIME_ZERO_ERROR,
    TimeFormatError,
    format_behind,
    format_time,
    parse_time,
)


@pytest.mark.parametrize("typed", ["1:12.31", "1.12,31", "1.12.31", "72.31", "1:12.310", " 1:12.31 ", "72,31"])
def test_every_form_officials_type_gives_the_same_thousandths(typed):
    assert parse_time(typed) == 72310


@pytest.mark.parametrize(
    ("typed", "thousandths"),
    [("1:12.315", 72315), ("34.129", 34129), ("37,00", 37000), ("812.05", 812050), ("13:32.05", 812050)],
)
def test_thousandths_and_long_distances(typed, thousandths):
    assert parse_time(typed) == thousandths


@pytest.mark.parametrize(
    "typed",
    ["", "abc", "1:12", "72", "72.3", "1:2.31", "1:12.3141", "1,12,31", "-1:12.31", "1:12:31", "３８.５０", "٣٨.٥٠"],
)
def test_anything_else_is_refused_with_the_expected_forms(typed):
    with pytest.raises(TimeFormatError) as error:
        parse_time(typed)
    assert str(error.value) == TIME_FORMAT_ERROR.format(text=typed.strip())


def test_seconds_past_59_after_minutes_are_refused():
    with pytest.raises(TimeFormatError) as error:
        parse_time("1:75.00")
    assert str(error.value) == TIME_SECONDS_ERROR.format(text="1:75.00", seconds=75)


def test_zero_is_not_a_time():
    with pytest.raises(TimeFormatError, match=TIME_ZERO_ERROR):
        parse_time("0.00")


@pytest.mark.parametrize(
    ("thousandths", "shown"),
    [
        (34129, "34.12"),
        (35129, "35.12"),
        (37000, "37.00"),
        (59999, "59.99"),
        (60000, "1:00.00"),
        (72315, "1:12.31"),
        (812050, "13:32.05"),
    ],
)
def test_times_are_shown_truncated_to_hundredths(thousandths, shown):
    assert format_time(thousandths) == shown


def test_the_thousandth_goes_in_brackets_when_asked():
    assert format_time(76354, with_thousandth=True) == "1:16.35(4)"
    assert format_time(37947, with_thousandth=True) == "37.94(7)"


@pytest.mark.parametrize(
    ("centiseconds", "shown"), [(0, ""), (34, "+0.34"), (2100, "+21.00"), (5481, "+54.81"), (6111, "+1:01.11")]
)
def test_behind_is_blank_for_no_gap_and_written_like_a_time_past_a_minute(centiseconds, shown):
    assert format_behind(centiseconds) == shown
