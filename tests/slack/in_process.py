"""The real Bolt app in the test process: `create_app(...)` against the fake Slack Web API, requests signed as Slack
signs them and handed to `App.dispatch` (through the production front door, bot/slack/request_gate.py's SlackGate,
which checks the signature and marks the request verified), the way bolt-python's scenario tests drive an app.

Nothing runs behind a test's back: listeners run inline (an executor that runs what it is given at once, so Bolt
still acks first, as in production, and `dispatch` returns when the listener has finished), and the background
work a request starts (the escalation desk's immediate tick, the dedup table's pruning) is joined before `post`
returns. So after `sender().event(...)` every reply the app will ever make has been made: "no second reply" is a
plain count, with no sleep. The ticker and the index reloader do not run on their own; a test calls `tick()` or
`reload()` where the running app's threads would have.

Process-level tests (tests/slack/conftest.py's `running_app`) keep what only a process has: the HTTP surface and
its security gate, SIGTERM, Socket Mode, metrics and logs, replicas.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_bolt import App

from app import load_matrix
from bot.ownership.live import OwnershipService
from bot.runtime.health import Readiness
from bot.runtime.ticker import Ticker, TickSummary
from bot.settings import Settings
from bot.slack.app import build_ticker, create_app, web_client
from bot.slack.request_gate import SlackGate
from bot.store.db import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import Reply, SlackSender
from tests.slack.conftest import BOT_TOKEN, ORG_FILE, SIGNING_SECRET

# Threads a request may start (bot/slack/escalation_desk.py, bot/store/slack_events.py): joined after each request.
_REQUEST_THREADS = ("raci-immediate-tick", "slack-events-prune")


class InlineExecutor(Executor):
    """Runs each submitted function at once, in the caller's thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the future, as a pool would
            future.set_exception(exc)
        return future


class LogCapture(logging.Handler):
    """Every log record of the app while it runs, formatted as the text log writes them (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class DispatchingSender(SlackSender):
    """SlackSender whose signed requests go straight to `App.dispatch` instead of over HTTP."""

    def __init__(self, app: InProcessApp, signing_secret: str) -> None:
        super().__init__("in-process:/slack/events", signing_secret)
        self.app = app

    def deliver(self, body: str, headers: dict[str, str]) -> Reply:
        return self.app.dispatch(body, headers)


@dataclass
class InProcessApp:
    """The Bolt app, its store and ownership service, the fake Slack it talks to, and its captured log."""

    bolt: App
    store: Store
    service: OwnershipService
    ticker: Ticker
    slack: FakeSlackApi
    db_url: str
    log: LogCapture = field(default_factory=LogCapture)
    sync_warning: str | None = None  # a refused RACI_SYNC_ON_START, as app.py keeps it for /readyz

    @property
    def gate(self) -> SlackGate:
        return SlackGate(self.bolt, signing_secret=SIGNING_SECRET)

    def sender(self, secret: str = SIGNING_SECRET) -> DispatchingSender:
        return DispatchingSender(self, secret)

    def dispatch(self, body: str, headers: dict[str, str]) -> Reply:
        """One request, handled to the end (listener and the background work it started) before returning."""
        before = set(threading.enumerate())
        raw = body.encode()
        environ = {"REQUEST_METHOD": "POST", "QUERY_STRING": "", "CONTENT_LENGTH": str(len(raw)),
                   "CONTENT_TYPE": headers.get("Content-Type", ""), "wsgi.input": io.BytesIO(raw),
                   **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}}
        response = self.gate.dispatch(environ)
        for thread in set(threading.enumerate()) - before:
            if thread.name in _REQUEST_THREADS:
                thread.join()
        flat = {k: ", ".join(v) if isinstance(v, list | tuple) else str(v) for k, v in response.headers.items()}
        return Reply(response.status, response.body or "", flat)

    def tick(self, *, at: datetime | None = None) -> TickSummary:
        """One pass of the ticker, as the running app's ticker thread makes every RACI_TICK_SECONDS; `at` is the
        ticker's clock for this pass (a later pass, for what is due later), now by default."""
        ticker = self.ticker if at is None else replace(self.ticker, clock=lambda: at)
        return ticker.run_once()

    def reload(self) -> bool:
        """What the index reloader does every RACI_RELOAD_SECONDS: follow the store if it changed."""
        return self.service.refresh()

    def output(self) -> str:
        return "\n".join(self.log.lines)

    def readiness(self) -> dict[str, Any]:
        """What GET /readyz would answer (its JSON body), from the same Readiness the HTTP server serves."""
        return Readiness(self.store, self.service, sync_warning=self.sync_warning)()[1]


@contextlib.contextmanager
def in_process_app(db_url: str, slack: FakeSlackApi, *, raci_file: Path = ORG_FILE,
                   **env: str) -> Iterator[InProcessApp]:
    """The app as `python app.py` builds it (settings from an environment, the matrix loaded as app.py's
    `load_matrix` does: when the store is empty, or with RACI_SYNC_ON_START when the file changed), with inline
    listeners; its log captured while it runs."""
    settings = Settings.from_env({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                                  "DATABASE_URL": db_url, "RACI_FILE": str(raci_file),
                                  "SLACK_API_URL": slack.base_url, **env}).validate_for_app()
    store = Store.open(db_url)
    capture = LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        sync_warning = load_matrix(store, settings)
        service = OwnershipService(store, reload_seconds=settings.reload_seconds)
        client = web_client(settings)
        bolt = create_app(settings, service, store, client=client, listener_executor=InlineExecutor())
        yield InProcessApp(bolt, store, service, build_ticker(store, client, service), slack, db_url, capture,
                           sync_warning)
    finally:
        root.removeHandler(capture)
        store.close()
