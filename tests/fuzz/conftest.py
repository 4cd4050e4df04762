"""The fuzz suite's report (how many examples each test tried, and how they ended). How many it tries is the
hypothesis profile of every property test (tests/conftest.py)."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests.fuzz.properties import OUTCOMES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """With ``-v``: how many examples each fuzz test ran, and how they ended."""
    if not OUTCOMES or config.getoption("verbose") < 1:
        return
    terminalreporter.section(f"fuzz examples (profile {settings.get_current_profile_name()})")
    for test, outcomes in OUTCOMES.items():
        ends = ", ".join(f"{outcome} x{count}" for outcome, count in outcomes.most_common())
        terminalreporter.write_line(f"{test}: {outcomes.total()} examples: {ends}")
