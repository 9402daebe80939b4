"""Hostile HTTP requests to the real app: nothing unverified makes it act, bad bodies and huge bodies are refused.

Each test ends with a barrier: a genuine signed command whose answer we wait for. The app handles requests
in order on one connection each, and the bug being guarded against posted *before* answering the HTTP
request, so once the barrier is answered any outbound call the probes caused would have been recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import app_mention, command_form, event_callback, signature, unique
from tests.slack.conftest import SIGNING_SECRET, RunningApp

MALFORMED_TIMESTAMPS = ["abc", "1e3", "", "now", " 1700000000", "+1700000000", "9" * 40]
MIB = 1024 * 1024


def post(app: RunningApp, body: bytes, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    try:
        conn.request("POST", "/slack/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def touching(name: str, channel: str) -> Callable[[Call], bool]:
    """Calls that act on what a probe's body named: its response URL or its channel."""
    return lambda c: c.path == f"/response/{name}" or c.params.get("channel") == channel


def barrier(app: RunningApp) -> None:
    """A genuine command, answered: everything the app did before it has reached the fake Slack."""
    name = unique("barrier")
    assert app.sender().command("docker", response_url=app.slack.response_url(name)).status == 200
    app.slack.response(name)


def raw_signature(timestamp: str, body: bytes) -> str:
    """Slack's signature over raw bytes (the body need not be text)."""
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()


def traceback_count(app: RunningApp) -> int:
    return app.output().count("Traceback")


def forged_command(app: RunningApp, name: str, channel: str) -> bytes:
    return urlencode(command_form("docker", response_url=app.slack.response_url(name), user="U0ASKER01",
                                  channel=channel)).encode()


def forged_event(channel: str) -> bytes:
    event = app_mention("docker", channel=channel, ts=f"{time.time():.6f}")
    return json.dumps(event_callback(event, event_id=unique("Ev"))).encode()


@pytest.mark.parametrize("timestamp", MALFORMED_TIMESTAMPS)
def test_a_malformed_timestamp_is_refused_and_nothing_is_sent(running_app: RunningApp, timestamp: str) -> None:
    name, channel = unique("forged"), unique("C0FORGE")
    tracebacks = traceback_count(running_app)
    for body, content_type in ((forged_command(running_app, name, channel), "application/x-www-form-urlencoded"),
                               (forged_event(channel), "application/json")):
        for sig in ("v0=forged", signature(SIGNING_SECRET, timestamp, body.decode())):
            headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                       "X-Slack-Signature": sig}
            assert post(running_app, body, headers) == 401
    barrier(running_app)
    assert running_app.slack.calls(where=touching(name, channel)) == []
    assert traceback_count(running_app) == tracebacks


@pytest.mark.parametrize("headers", [
    {},
    {"X-Slack-Signature": "v0=forged"},
    {"X-Slack-Request-Timestamp": "now-ish"},
    {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=forged"},
    {"X-Slack-Request-Timestamp": str(int(time.time()) - 3600), "X-Slack-Signature": "v0=" + "0" * 64},
], ids=["no headers", "no timestamp", "no signature", "bad signature", "stale"])
def test_unverified_forms_and_events_are_refused_and_nothing_is_sent(
    running_app: RunningApp, headers: dict[str, str]
) -> None:
    name, channel = unique("forged"), unique("C0FORGE")
    assert post(running_app, forged_command(running_app, name, channel),
                {"Content-Type": "application/x-www-form-urlencoded", **headers}) == 401
    assert post(running_app, forged_event(channel), {"Content-Type": "application/json", **headers}) == 401
    barrier(running_app)
    assert running_app.slack.calls(where=touching(name, channel)) == []


BAD_BODIES = [
    (b'{"type": ', "application/json"),
    (b"[1]", "application/json"),
    (b"null", "application/json"),
    (b'"just a string"', "application/json"),
    (b"[" * 100_000, "application/json"),
    (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    (b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
    (bytes(range(256)) * 4, "application/octet-stream"),
    (b"", "application/json"),
]


@pytest.mark.parametrize(("body", "content_type"), BAD_BODIES,
                         ids=["broken JSON", "[1]", "null", "string", "deep", "payload", "payload list", "binary",
                              "empty"])
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_malformed_bodies_get_a_clean_refusal_and_one_log_line(
    running_app: RunningApp, body: bytes, content_type: str, signed: bool
) -> None:
    ts = str(int(time.time()))
    sig = raw_signature(ts, body) if signed else "v0=forged"
    tracebacks, refusals = traceback_count(running_app), running_app.output().count("refused a request")
    status = post(running_app, body, {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                                      "X-Slack-Signature": sig})
    assert status == (400 if signed else 401)
    barrier(running_app)
    assert traceback_count(running_app) == tracebacks
    assert running_app.output().count("refused a request") == refusals + 1


def test_a_declared_body_over_one_mebibyte_is_refused_before_it_is_sent(running_app: RunningApp) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", running_app.port, timeout=10)
    try:
        conn.putrequest("POST", "/slack/events")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(100 * MIB))
        conn.endheaders()
        conn.send(b"a=" + b"x" * 1000)  # the other 99.99 MB never come: the answer cannot wait for them
        response = conn.getresponse()
        assert response.status == 413
    finally:
        conn.close()


def test_a_chunked_body_over_one_mebibyte_is_refused(running_app: RunningApp) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", running_app.port, timeout=10)
    try:
        conn.putrequest("POST", "/slack/events")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        piece = b"x" * (64 * 1024)
        for _ in range(17):  # 1.06 MiB, and no final chunk: the server must not wait for the end
            conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        response = conn.getresponse()
        assert response.status == 413
    finally:
        conn.close()


def test_a_body_just_under_the_limit_is_still_checked_normally(running_app: RunningApp) -> None:
    body = urlencode({"text": "x" * (MIB - 100)}).encode()[: MIB]
    assert post(running_app, body, {"Content-Type": "application/x-www-form-urlencoded",
                                    "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=x"}) == 401


def test_the_gate_passes_genuine_requests(running_app: RunningApp) -> None:
    name = unique("genuine")
    assert running_app.sender().command("docker", response_url=running_app.slack.response_url(name)).status == 200
    [answer] = running_app.slack.response(name)
    assert "Docker packaging" in json.dumps(answer.params)


def new_ts() -> str:
    return f"{time.time():.6f}"


def posted(app: RunningApp, channel: str) -> list[Call]:
    return app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel)


def test_forged_and_stale_requests_get_401_and_cause_nothing(running_app: RunningApp) -> None:
    channel = unique("C")
    forged = running_app.sender(secret="not-the-signing-secret")
    assert forged.event(app_mention("docker", channel=channel, ts=new_ts())).status == 401
    stale = running_app.sender()
    six_minutes_ago = time.time() - 6 * 60
    assert stale.event(app_mention("docker", channel=channel, ts=new_ts()), timestamp=six_minutes_ago).status == 401
    name = unique("cmd")
    reply = forged.command("docker", response_url=running_app.slack.response_url(name), channel=channel)
    assert reply.status == 401
    # a genuine request afterwards is answered; the forged and stale ones never were
    genuine = app_mention("help", channel=channel, ts=new_ts())
    assert running_app.sender().event(genuine).status == 200
    [only] = posted(running_app, channel)
    assert only.params["thread_ts"] == genuine["ts"]
    assert running_app.slack.calls("response", lambda c: c.path.endswith(name)) == []


def test_healthz_and_unknown_paths(running_app: RunningApp) -> None:
    with urllib.request.urlopen(running_app.url + "/healthz", timeout=5) as response:
        assert response.status == 200 and json.load(response)["ok"] is True
    for path in ("/", "/slack/install", "/healthz/x"):
        try:
            urllib.request.urlopen(running_app.url + path, timeout=5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        else:
            raise AssertionError(f"{path} should be 404")


# Smoke paths through the real process (their behaviour in detail is tested in process, tests/slack/*_e2e.py).

def test_smoke_an_escalation_pages_the_responsible_from_the_process(running_app: RunningApp) -> None:
    slack, name, channel = running_app.slack, unique("smoke"), unique("C0SMOKE")
    assert running_app.sender().command("escalate docker packaging: smoke through the process",
                                        response_url=slack.response_url(name), channel=channel).status == 200
    [confirmation] = slack.response(name)
    assert confirmation.params["text"].startswith("Escalated to <@U0LENA001>")
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "U0LENA001"
                   and "smoke through the process" in json.dumps(c.params))


def test_smoke_digest_off_from_the_process(running_app: RunningApp) -> None:
    name = unique("smoke")
    assert running_app.sender().command("digest off", response_url=running_app.slack.response_url(name),
                                        user="U0SMOKE01").status == 200
    [reply] = running_app.slack.response(name)
    assert reply.params["text"].startswith("Done: no more weekly ownership digests")
