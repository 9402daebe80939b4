"""Log lines: JSON with the ids in context, and never a token, a secret or a message body."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.runtime import logs


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    logs.configure(level="DEBUG", fmt="json", secrets=["8f742231b10e8888abcd99yyyzzz85a5"], stream=out)
    yield out
    logging.getLogger().handlers[:] = []


@pytest.fixture
def captured(stream: io.StringIO) -> logging.Logger:
    return logging.getLogger("bot.test")


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_ids_in_context_are_on_every_line(captured: logging.Logger, stream: io.StringIO) -> None:
    logs.bind(request_id="r1", escalation_id="42", event_id=None, error_id=None)
    captured.info("paged %s", "someone")
    [entry] = lines(stream)
    assert entry["msg"] == "paged someone" and entry["request_id"] == "r1" and entry["escalation_id"] == "42"
    assert entry["level"] == "info" and entry["logger"] == "bot.test"


def test_tokens_and_secrets_are_scrubbed(captured: logging.Logger, stream: io.StringIO) -> None:
    captured.warning("token xoxb-123-456-abcDEF and xapp-1-A1-2-ff, secret 8f742231b10e8888abcd99yyyzzz85a5")
    try:
        raise RuntimeError("failed with xoxb-999-888-zzz")
    except RuntimeError:
        captured.exception("boom")
    text = json.dumps(lines(stream))
    assert "xoxb-" not in text and "xapp-1" not in text and "8f742231b10e" not in text
    assert "[redacted-token]" in text and "Traceback" in text


def test_slack_library_payloads_are_dropped(captured: logging.Logger, stream: io.StringIO) -> None:
    logging.getLogger("slack_bolt.App").warning("Unhandled request (%s)", {"text": "my private question"})
    logging.getLogger("slack_sdk.web").info("Sending a request - url: x, body: {\"text\": \"private\"}")
    logging.getLogger("slack_sdk.web").debug("Received the following response: private")  # below INFO: dropped
    text = json.dumps(lines(stream))
    assert "private" not in text and "<payload>" in text
