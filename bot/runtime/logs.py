"""Logging: one JSON object per line (LOG_FORMAT=json) or readable text, never a secret or a message body.

Request, event, escalation and error ids travel in context variables, so every line logged while
handling something carries them without being passed around.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import IO, Any

CONTEXT: dict[str, contextvars.ContextVar[str | None]] = {
    name: contextvars.ContextVar(name, default=None)
    for name in ("request_id", "event_id", "escalation_id", "error_id")
}
_TOKEN = re.compile(r"\b(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)")
_THIRD_PARTY = ("slack_bolt", "slack_sdk", "gunicorn", "urllib3")
_BODY = re.compile(r"(?is)\b(body|payload|params|data|text|blocks)\s*[:=].*$")
# Slack's libraries log whole request and response bodies at DEBUG: never below INFO for them.
_CHATTY = ("slack_bolt", "slack_sdk")


def bind(**ids: str | None) -> None:
    """Attach ids (request_id, event_id, escalation_id, error_id) to the lines logged from here on."""
    for name, value in ids.items():
        CONTEXT[name].set(value)


class Redactor(logging.Filter):
    """Scrubs tokens and the signing secret; drops payloads (dicts) that Slack's libraries pass as arguments."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def scrub(self, text: str) -> str:
        text = _TOKEN.sub("[redacted-token]", text)
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(_THIRD_PARTY) and record.args:
            # e.g. Bolt's "Unhandled request (%s)" would print the whole request body
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple("<payload>" if isinstance(a, Mapping | list) else a for a in args)
        message = record.getMessage()
        if record.name.startswith(_THIRD_PARTY):
            message = _BODY.sub(r"\1: <payload>", message)
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v.get() for k, v in CONTEXT.items() if v.get() is not None})
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{k}={v.get()}" for k, v in CONTEXT.items() if v.get() is not None)
        line = super().format(record)
        return f"{line} [{ids}]" if ids else line


def configure(*, level: str, fmt: str, secrets: Iterable[str] = (), stream: IO[str] | None = None) -> None:
    """Route every logger (ours, Bolt's, gunicorn's) through one redacting handler (stderr by default)."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redactor(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
    for name in ("gunicorn.error", "gunicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
