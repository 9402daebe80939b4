"""Running it in production: metrics, readiness, JSON logs without secrets, and a clean SIGTERM.

Each test starts its own `python app.py` (HTTP mode) against the fake Slack API.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.escalations import engine as escalations
from bot.escalations.policy import Policy
from bot.escalations.ticker import tick
from bot.ownership.matrix import load_ownership
from bot.slack.notifier import SlackNotifier
from bot.store.db import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import unique
from tests.sessions import committed
from tests.slack.conftest import (
    BOT_TOKEN,
    DIRECTORY,
    PROFILES,
    SIGNING_SECRET,
    RunningApp,
    app_env,
    free_port,
    start_app,
    stop,
    wait_healthy,
)

SECRET_TEXT = "swordfish-7d1c-private-question"


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(directory=DIRECTORY, profiles=PROFILES) as fake:
        yield fake


def launch(db_url: str, slack: FakeSlackApi, tmp_path: Path, **env: str) -> RunningApp:
    port = free_port()
    log = tmp_path / "app.log"
    process = start_app(app_env(db_url=db_url, slack=slack, port=port, **env), log, cwd=tmp_path)
    app = RunningApp(process, port, log, db_url, slack)
    try:
        wait_healthy(app)
    except BaseException:
        stop(process)
        raise
    return app


def get(app: RunningApp, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(app.url + path, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def command(app: RunningApp, text: str, name: str) -> int:
    return app.sender().command(text, response_url=app.slack.response_url(name)).status


# what the process exposes and logs does not depend on the database: one backend, the embedded default
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_metrics_readiness_and_json_logs_without_secrets(db_url: str, slack: FakeSlackApi, tmp_path: Path) -> None:
    app = launch(db_url, slack, tmp_path, LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    try:
        assert get(app, "/readyz") == (200, get(app, "/readyz")[1])
        assert json.loads(get(app, "/readyz")[1])["ready"] is True
        assert command(app, f"pizza {SECRET_TEXT}", "m1") == 200
        slack.response("m1")
        assert command(app, "who owns the feature store", "m2") == 200
        slack.response("m2")
        forged = app.sender(secret="not-the-secret").command("docker", response_url=slack.response_url("m3"))
        assert forged.status == 401
        status, text = get(app, "/metrics")
        assert status == 200
        for needle in ('raci_requests_total{outcome="acked",surface="command"} 2.0',
                       'raci_requests_total{outcome="rejected",surface="unverified"} 1.0',
                       'raci_ack_latency_seconds_bucket{le="3.0",surface="command"} 2.0',
                       'raci_match_outcomes_total{status="match"} 1.0',
                       'raci_match_outcomes_total{status="none"} 1.0',
                       "raci_ticker_lag_seconds 0.0", "raci_db_pool_in_use", "process_resident_memory_bytes",
                       'raci_slack_api_calls_total{error="",method="auth.test"}'):
            assert needle in text, needle
    finally:
        stop(app.process)
    lines = [line for line in app.output().splitlines() if line.strip()]
    assert lines, "the app logged nothing"
    for line in lines:
        entry = json.loads(line)  # every line is one JSON object
        assert {"ts", "level", "logger", "msg"} <= set(entry)
        for secret in (BOT_TOKEN, SIGNING_SECRET, SECRET_TEXT):
            assert secret not in line
    assert any("request_id" in json.loads(line) for line in lines)


def test_sigterm_finishes_in_flight_work_and_loses_nothing(
    db_url: str, slack: FakeSlackApi, tmp_path: Path
) -> None:
    app = launch(db_url, slack, tmp_path, RACI_TICK_SECONDS="1")
    store = Store.open(db_url)
    try:
        with store.session() as session:
            answer = load_ownership(session=session).answer_activity("Docker packaging")
        for _ in range(5):  # due now: the app's ticker is about to page lena for each
            committed(store, escalations.raise_escalation, answer=answer, problem="build is red", link=None,
                                         requester="U0ASKER01", channel=None, thread_ts=None,
                                         policy=Policy(timedelta(minutes=15), 0), now=datetime.now(UTC))
        names = [unique("term") for _ in range(12)]
        statuses: dict[str, int] = {}

        def send(name: str) -> None:
            # refused once the server stopped accepting: never answered, never counted
            with contextlib.suppress(OSError):
                statuses[name] = command(app, "docker packaging", name)

        threads = [threading.Thread(target=send, args=(n,)) for n in names]
        for t in threads:
            t.start()
        app.process.send_signal(signal.SIGTERM)
        for t in threads:
            t.join()
        assert app.process.wait(timeout=20) == 0, app.output()
        accepted = [n for n, s in statuses.items() if s == 200]
        for name in accepted:  # every acknowledged command got its one answer
            assert len(slack.response(name)) == 1
        assert len(slack.calls("response")) == len(accepted)
        # whatever the ticker had not done yet, the next tick (another replica, a restart) does, once
        tick(store, SlackNotifier(WebClient(token="xoxb-x", base_url=slack.base_url)), now=datetime.now(UTC))
        sent = Counter(c.params["channel"] for c in slack.calls("chat.postMessage"))
        assert sent == {"U0LENA001": 5}
        assert all(e.level == 1 for e in committed(store, escalations.list_escalations))
    finally:
        if app.process.poll() is None:
            stop(app.process)
        store.close()


def test_an_import_elsewhere_reaches_the_running_app_without_a_restart(
    db_url: str, slack: FakeSlackApi, tmp_path: Path
) -> None:
    import time

    from bot.ownership.matrix import import_file
    from tests.slack.conftest import ORG_FILE

    app = launch(db_url, slack, tmp_path, RACI_RELOAD_SECONDS="1")
    store = Store.open(db_url)

    def accountable() -> str:
        name = unique("rel")
        assert command(app, "docker packaging", name) == 200
        [reply] = slack.response(name)
        return reply.params["text"]

    try:
        assert "Accountable <@U0PAT0001>" in accountable()
        changed = tmp_path / "org.yaml"
        changed.write_text(ORG_FILE.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [de]"))
        with store.session() as session:
            import_file(session=session, path=changed, actor="admin on another machine")
        deadline = time.monotonic() + 15
        while "Accountable <@U0OMAR001>" not in accountable():
            assert time.monotonic() < deadline, "the app never saw the import"
            time.sleep(0.2)
    finally:
        stop(app.process)
        store.close()
