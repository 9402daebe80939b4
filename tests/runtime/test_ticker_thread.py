"""The in-process ticker stops cleanly: SIGTERM waits for the pass in progress of every ticker thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from bot.runtime.ticker import Ticker, TickerThread
from bot.store.db import Store


class SlowDigests:
    """A digest step that is mid-pass when the app is told to stop, and finishes its pass afterwards."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.finished = threading.Event()

    def run(self, clock: Callable[[], datetime], *, stop: Callable[[], bool] | None = None) -> None:
        self.entered.set()
        assert stop is not None
        while not stop():
            self.entered.wait(0.005)  # sending, message after message, until told to stop
        for thread in threading.enumerate():  # the escalation thread stops first ...
            if thread.name == "raci-ticker":
                thread.join()
        self.finished.set()  # ... and the digest's pass ends a moment later


class SilentNotifier:
    def send(self, message: object) -> None:
        raise AssertionError("nothing is due")


def test_start_hands_back_every_thread_it_started(store: Store) -> None:
    ticker = Ticker(store, SilentNotifier(), digests=SlowDigests())  # type: ignore[arg-type]
    running = ticker.start(3600)
    try:
        assert sorted(t.name for t in running.threads) == ["raci-digest", "raci-ticker"]
    finally:
        running.stop(timeout=10)
    assert not any(t.is_alive() for t in running.threads)


def test_stopping_waits_for_the_digest_pass_in_progress(store: Store) -> None:
    digests = SlowDigests()
    thread = TickerThread(Ticker(store, SilentNotifier(), digests=digests), interval=3600)  # type: ignore[arg-type]
    thread.start()
    assert digests.entered.wait(10)
    thread.stop()
    assert digests.finished.is_set()


def test_interval_zero_leaves_ticking_to_cron(store: Store) -> None:
    thread = TickerThread(Ticker(store, SilentNotifier(), digests=SlowDigests()), interval=0)  # type: ignore[arg-type]
    thread.start()
    assert thread.running is None
    thread.stop()
