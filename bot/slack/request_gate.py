"""Every request to /slack/events passes here before Bolt: size, signature, then a well-formed body.

Bolt's own verification calls int() on X-Slack-Request-Timestamp, so a value such as "abc" raised before
the HMAC was compared and the *unverified* request reached our error handler, which answered it. Here a
request is refused (413, 401 or 400, one log line, no traceback) unless its body is small enough, its
timestamp is plain digits within Slack's window and its HMAC matches; only then is the body parsed, and
only a JSON object (or a form, whose `payload` is a JSON object) goes on to Bolt. Verified requests carry
VERIFIED in their Bolt context, which only this module sets (nothing from the body lands in that key),
so the error handler can check it explicitly.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse

from bot.slack.http_limits import MAX_BODY_BYTES, MAX_SIGNATURE_AGE_SECONDS, MAX_TIMESTAMP_DIGITS

log = logging.getLogger(__name__)

VERIFIED = "raci_request_verified"
_TIMESTAMP = re.compile(rf"[0-9]{{1,{MAX_TIMESTAMP_DIGITS}}}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Rejection(Exception):
    """Why a request does not reach Bolt: an HTTP status and a short reason for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_body(environ: dict[str, Any], *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, or Rejection(413) without reading it when Content-Length says it is too big."""
    declared = environ.get("CONTENT_LENGTH") or ""
    stream: BinaryIO | None = environ.get("wsgi.input")
    if declared:
        if not declared.isdigit() or not declared.isascii():
            raise Rejection(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise Rejection(413, f"body of {int(declared)} bytes is over the {limit}-byte limit")
        return stream.read(int(declared)) if stream is not None and int(declared) else b""
    if stream is None:
        return b""
    body = stream.read(limit + 1)  # chunked: read at most one byte past the limit, never the rest
    if len(body) > limit:
        raise Rejection(413, f"chunked body over the {limit}-byte limit")
    return body


def check_signature(body: bytes, *, timestamp: str | None, signature: str | None, secret: str,
                    now: float) -> None:
    """Rejection(401) unless the headers are well-formed, recent and the HMAC matches the raw body."""
    if not timestamp or not signature:
        raise Rejection(401, "missing X-Slack-Request-Timestamp or X-Slack-Signature")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Rejection(401, "X-Slack-Request-Timestamp is not a number of seconds")
    if abs(now - int(timestamp)) > MAX_SIGNATURE_AGE_SECONDS:
        raise Rejection(401, "X-Slack-Request-Timestamp is outside the replay window")
    if not _SIGNATURE.fullmatch(signature):
        raise Rejection(401, "X-Slack-Signature is not a v0 signature")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body,
                                hashlib.sha256).hexdigest()
    if not secret or not hmac.compare_digest(expected, signature):
        raise Rejection(401, "signature does not match")


def check_payload(body: bytes, content_type: str) -> str:
    """The body as text, if it is what Bolt can dispatch: a JSON object, or a form (whose payload is one)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(400, "body is not UTF-8") from None
    if not text:
        raise Rejection(400, "empty body")
    if content_type.split(";", 1)[0].strip().lower() == "application/json" or text.lstrip().startswith(("{", "[")):
        _json_object(text, "body")
    elif "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        if payload is not None:
            _json_object(payload, "payload")
    return text


def _json_object(text: str, what: str) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Rejection(400, f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise Rejection(400, f"{what} is JSON but not an object")


def was_verified(request: BoltRequest | None) -> bool:
    """True for a request that passed this gate, or came over Socket Mode (authenticated by its connection)."""
    if request is None:
        return False
    return request.mode == "socket_mode" or request.context.get(VERIFIED) is True


def headers_of(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    """The request's headers as Bolt expects them (lower-case, dashes)."""
    found: dict[str, str | Sequence[str]] = {
        key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.lower().replace("_", "-")] = environ[key]
    return found


class SlackGate:
    """Checks a request to the Slack endpoint and dispatches it to Bolt only when it passes."""

    def __init__(self, bolt: App, *, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self.bolt = bolt
        self.signing_secret = signing_secret
        self.clock = clock

    def dispatch(self, environ: dict[str, Any]) -> BoltResponse:
        """Bolt's response to a verified, well-formed request; else the refusal, logged in one line."""
        try:
            if environ.get("REQUEST_METHOD") != "POST":
                raise Rejection(405, f"method {environ.get('REQUEST_METHOD')} not allowed")
            body = read_body(environ)
            check_signature(body, timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                            signature=environ.get("HTTP_X_SLACK_SIGNATURE"), secret=self.signing_secret,
                            now=self.clock())
            text = check_payload(body, environ.get("CONTENT_TYPE") or "")
        except Rejection as rejected:
            log.warning("refused a request to the Slack endpoint: %d %s", rejected.status, rejected.reason)
            headers: dict[str, str | Sequence[str]] = {"Connection": "close"} if rejected.status == 413 else {}
            return BoltResponse(status=rejected.status, body="", headers=headers)
        request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers_of(environ),
                              context={VERIFIED: True})
        return self.bolt.dispatch(request)
