"""`python app.py`: configuration checked at startup (one line, no traceback), the matrix loaded, Socket Mode."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings
from tests.conftest import REPO
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import app_mention, command_form, event_callback, unique
from tests.fakes.socket_mode import FakeSocketMode
from tests.slack.conftest import APP_TOKEN, app_env, free_port, start_app, stop

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


@pytest.mark.parametrize(("env", "named"), [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
    ({**BASE, "SLACK_API_URL": "slack.internal/api"}, "SLACK_API_URL"),
])
def test_validate_for_app_names_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env).validate_for_app()


def test_socket_mode_needs_no_signing_secret_and_api_url_gets_its_slash() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}).validate_for_app()
    assert settings.socket_mode and settings.slack_api_base_url == "https://slack.com/api/"
    custom = Settings.from_env({**BASE, "SLACK_API_URL": "https://slack-gov.com/api"}).validate_for_app()
    assert custom.slack_api_base_url == "https://slack-gov.com/api/"


def run_app(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "app.py")], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize(("drop", "extra", "named"), [
    ("SLACK_BOT_TOKEN", {}, "SLACK_BOT_TOKEN"),
    ("SLACK_SIGNING_SECRET", {}, "SLACK_SIGNING_SECRET"),
    (None, {"PORT": "http"}, "PORT"),
    (None, {"RACI_SYNC_ON_START": "maybe"}, "RACI_SYNC_ON_START"),
])
def test_startup_stops_with_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], drop: str | None,
    extra: dict[str, str], named: str
) -> None:
    """app.py's `main()` in this process (a configuration error stops it before anything starts); the process-level
    path of the same one-line exit is test_a_token_slack_refuses_stops_startup_with_one_line's."""
    import app

    env = app_env(db_url=f"sqlite:///{tmp_path / 'raci.db'}", slack=_NO_SLACK, port=free_port(), **extra)
    env.pop(drop or "", None)
    for key in os.environ:
        if key.startswith(("SLACK_", "RACI_", "DATABASE_URL")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    assert app.main() != 0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and lines[0].startswith("raci-bot: error:")
    assert "Traceback" not in err + out


class _Unreachable:
    base_url = "http://127.0.0.1:9/api/"


_NO_SLACK = _Unreachable()  # config errors stop the app before it calls Slack


def test_a_token_slack_refuses_stops_startup_with_one_line(tmp_path: Path) -> None:
    with FakeSlackApi() as slack:
        slack.fail("auth.test", "invalid_auth")
        env = app_env(db_url=f"sqlite:///{tmp_path / 'raci.db'}", slack=slack, port=free_port())
        result = run_app(env, tmp_path)
    assert result.returncode == 1
    assert "invalid_auth" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def socket_mode_app(tmp_path: Path) -> Iterator[tuple[FakeSlackApi, FakeSocketMode, Path]]:
    with FakeSlackApi() as slack, FakeSocketMode() as socket_mode:
        slack.socket_url = socket_mode.url
        env = app_env(db_url=f"sqlite:///{tmp_path / 'raci.db'}", slack=slack, port=free_port(),
                      SLACK_APP_TOKEN=APP_TOKEN)
        env.pop("SLACK_SIGNING_SECRET")
        log = tmp_path / "app.log"
        process = start_app(env, log, cwd=tmp_path)
        try:
            yield slack, socket_mode, log
        finally:
            stop(process)


def test_socket_mode_connects_with_the_app_token_and_answers(
    socket_mode_app: tuple[FakeSlackApi, FakeSocketMode, Path]
) -> None:
    slack, socket_mode, log = socket_mode_app
    [opened] = slack.wait_for("apps.connections.open", timeout=30)
    assert opened.auth == f"Bearer {APP_TOKEN}"
    socket_mode.wait_connected(timeout=60)  # a positive wait: a loaded machine starts the app slowly
    name = unique("cmd")
    form = command_form("docker", response_url=slack.response_url(name), user="U0ASKER01", channel="C0GENERAL1")
    socket_mode.wait_ack(socket_mode.send("slash_commands", form))
    [answer] = slack.response(name)
    assert answer.params["response_type"] == "ephemeral" and "Docker packaging" in answer.params["text"]
    channel, event_id = unique("C"), unique("Ev")
    body = event_callback(app_mention("feature store", channel=channel, ts="1700000000.000200"), event_id=event_id)
    socket_mode.wait_ack(socket_mode.send("events_api", body))
    [reply] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel)
    assert reply.params["thread_ts"] == "1700000000.000200" and reply.auth.startswith("Bearer xoxb-")
    socket_mode.wait_ack(socket_mode.send("events_api", body))  # a redelivery: acknowledged, not answered
    [later] = [event_callback(app_mention("help", channel=channel, ts="1700000000.000300"), event_id=unique("Ev"))]
    socket_mode.wait_ack(socket_mode.send("events_api", later))
    replies = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel, count=2)
    assert [r.params["thread_ts"] for r in replies] == ["1700000000.000200", "1700000000.000300"]


def test_socket_mode_serves_probes_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import signal
    import urllib.request

    with FakeSlackApi() as slack, FakeSocketMode() as socket_mode:
        slack.socket_url = socket_mode.url
        metrics_port = free_port()
        env = app_env(db_url=f"sqlite:///{tmp_path / 'raci.db'}", slack=slack, port=free_port(),
                      SLACK_APP_TOKEN=APP_TOKEN, METRICS_PORT=str(metrics_port))
        env.pop("SLACK_SIGNING_SECRET")
        log = tmp_path / "app.log"
        process = start_app(env, log, cwd=tmp_path)
        try:
            socket_mode.wait_connected(timeout=60)  # a positive wait: a loaded machine starts the app slowly
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/readyz", timeout=2) as ready:
                        assert ready.status == 200
                    break
                except OSError:
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.1)
            with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=2) as scraped:
                assert b"raci_ticker_lag_seconds" in scraped.read()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0, log.read_text()
        finally:
            if process.poll() is None:
                stop(process)
