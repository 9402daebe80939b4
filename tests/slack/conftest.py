"""The real app against the fake Slack Web API, once per test module and backend, in two forms:

- `bolt_app` (most tests): the Bolt app in this process (tests/slack/in_process.py); a request is handled to the end
  when its `post` returns, so tests count what was sent instead of waiting.
- `running_app`: `python app.py` as a process, for what only a process has (the HTTP surface and its gate, SIGTERM,
  Socket Mode, metrics and logs, replicas); tests wait for what they expect rather than sleeping.

Tests share the module's app, so each uses its own ids (event ids, channels, response URLs).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO, fresh_database
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import SlackSender

if TYPE_CHECKING:
    from tests.slack.in_process import InProcessApp

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ORG_FILE = FIXTURES / "slack_org.yaml"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
APP_TOKEN = "xapp-1-A0RACIAPP-1234567890-abcdef"

# Slack's directory in the fake: raj and noor have emails Slack knows; carl's it does not.
DIRECTORY = {"raj@example.com": "U0RAJ0001", "noor@example.com": "U0NOOR001"}
PROFILES = {"U0NOOR001": {"email": "noor@example.com", "real_name": "Noor Amini"},
            "U0STRANGER": {"email": "stranger@elsewhere.example", "real_name": "Stranger"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningApp:
    process: subprocess.Popen
    port: int
    log: Path
    db_url: str
    slack: FakeSlackApi

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sender(self, secret: str = SIGNING_SECRET) -> SlackSender:
        return SlackSender(self.url + "/slack/events", secret)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def app_env(*, db_url: str, slack: FakeSlackApi, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RACI_", "DATABASE_URL"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, DATABASE_URL=db_url, PORT=str(port),
               RACI_FILE=str(ORG_FILE), SLACK_API_URL=slack.base_url, LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def start_app(env: dict[str, str], log: Path, *, cwd: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT)


def wait_healthy(app: RunningApp, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise AssertionError(f"app.py exited with {app.process.returncode}:\n{app.output()}")
        try:
            with urllib.request.urlopen(app.url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"app.py did not become healthy in {timeout}s:\n{app.output()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def slack(app_db_url: str) -> Iterator[FakeSlackApi]:
    """A fake Slack per app process, so calls counted in one backend's run are its own."""
    del app_db_url
    with FakeSlackApi(directory=DIRECTORY, profiles=PROFILES) as fake:
        yield fake


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               postgres_skip_reason: str | None) -> Iterator[str]:
    """tests/conftest.py's `db_url`, once per module: a SQLite file or a fresh PostgreSQL schema."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db"), postgres_skip_reason) as url:
        yield url


@contextmanager
def launched(db_url: str, slack: FakeSlackApi, workdir: Path, **extra: str) -> Iterator[RunningApp]:
    """`python app.py` in HTTP mode (with `extra` environment), healthy, pointed at the fake Slack; stopped after."""
    port = free_port()
    log = workdir / "app.log"
    app = RunningApp(start_app(app_env(db_url=db_url, slack=slack, port=port, **extra), log, cwd=workdir),
                     port, log, db_url, slack)
    try:
        wait_healthy(app)
        yield app
    finally:
        stop(app.process)


@pytest.fixture(scope="module")
def running_app(app_db_url: str, slack: FakeSlackApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """`python app.py` in HTTP mode, healthy, pointed at the fake Slack."""
    with launched(app_db_url, slack, tmp_path_factory.mktemp("app")) as app:
        yield app


@pytest.fixture(scope="module")
def bolt_app(app_db_url: str, slack: FakeSlackApi) -> Iterator[InProcessApp]:
    """The real Bolt app in this process (tests/slack/in_process.py): each request is handled when `post` returns."""
    from tests.slack.in_process import in_process_app  # it imports this module's constants

    with in_process_app(app_db_url, slack) as app:
        yield app
