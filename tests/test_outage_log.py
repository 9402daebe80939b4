"""A loop failing every second logs one traceback, a reminder a minute, and a line when it recovers."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.outage_log import OutageLog
from bot.runtime.ticker import Ticker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_outage_of_150_passes_logs_one_traceback_two_reminders_and_the_recovery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    outage = OutageLog(logging.getLogger("test.outage"), "ticker pass", clock=clock)
    with caplog.at_level(logging.INFO, logger="test.outage"):
        for second in range(150):
            clock.now = float(second)
            outage.failed(OSError("connection refused\nsecond line"))
        clock.now = 150.0
        outage.succeeded()
        outage.succeeded()
    records = caplog.records
    assert [r.exc_info is not None for r in records] == [True, False, False, False]
    assert "still failing after 60 s (61 attempts): OSError: connection refused" in records[1].getMessage()
    assert "still failing after 120 s" in records[2].getMessage()
    assert records[3].getMessage() == "ticker pass recovered after 150 s (150 failed attempts)"


def test_the_ticker_loop_logs_a_failing_step_once(caplog: pytest.LogCaptureFixture) -> None:
    stop, passes = threading.Event(), []

    def failing() -> None:
        passes.append(1)
        if len(passes) >= 20:
            stop.set()
        raise OSError("database is down")

    ticker = Ticker(store=None, notifier=None)  # type: ignore[arg-type] - the step given replaces their use
    with caplog.at_level(logging.INFO):
        ticker.run_forever(0, stop, failing, "ticker")
    assert len(passes) == 20
    assert sum(1 for r in caplog.records if r.exc_info) == 1
    assert sum(1 for r in caplog.records if "database is down" in (r.getMessage() + str(r.exc_info))) == 1
