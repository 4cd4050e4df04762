import pytest

from results.rules.plausibility import PLAUSIBLE_SECONDS, WARNING_IMPLAUSIBLE, plausible_range_ms, time_warning


@pytest.mark.parametrize(
    ("distance", "time_ms"),
    [(500, 33000), (500, 37990), (500, 45000), (1000, 72310), (1500, 100000), (5000, 380000), (10000, 812050)],
)
def test_usual_times_get_no_warning(distance, time_ms):
    assert time_warning(distance=distance, time_ms=time_ms, time_text="x") is None


def test_a_fall_on_a_500_m_is_a_warning_that_says_the_usual_range():
    assert time_warning(distance=500, time_ms=61990, time_text="1:01.99") == (
        "1:01.99 is outside the usual 33–45 s for a 500 m. Check it (a fall? a typo?)."
    )


def test_too_fast_warns_too_and_long_ranges_read_as_clocks():
    assert time_warning(distance=1000, time_ms=38120, time_text="38.12") == WARNING_IMPLAUSIBLE.format(
        time="38.12", low="1:04", high="1:30", distance=1000
    )
    assert time_warning(distance=10000, time_ms=980000, time_text="16:20.00") == (
        "16:20.00 is outside the usual 12:40–16:00 for a 10000 m. Check it (a fall? a typo?)."
    )


def test_a_distance_without_a_range_never_warns():
    assert plausible_range_ms(700) is None
    assert time_warning(distance=700, time_ms=1, time_text="0.00") is None


def test_every_range_is_low_to_high_in_thousandths():
    for distance, (low, high) in PLAUSIBLE_SECONDS.items():
        assert plausible_range_ms(distance) == (low * 1000, high * 1000)
        assert low < high
