"""The gate's checks one by one, and the error handler's own refusal to act on an unverified request."""

from __future__ import annotations

import io
import time

import pytest
from slack_bolt import BoltRequest
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.slack.errors import handle_error
from bot.slack.http_limits import MAX_BODY_BYTES
from bot.slack.request_gate import VERIFIED, Rejection, check_payload, check_signature, read_body
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import signature

SECRET = "gate-secret"
NOW = 1_700_000_000.0


def verify(body: bytes, timestamp: str | None, sig: str | None) -> None:
    check_signature(body, timestamp=timestamp, signature=sig, secret=SECRET, now=NOW)


@pytest.mark.parametrize("timestamp", ["abc", "1e3", "", "now", "-1", "1_700_000_000", "1700000000.5",
                                       "１７００００００００", "9" * 4000, None])
def test_a_timestamp_that_is_not_plain_digits_is_refused_without_raising(timestamp: str | None) -> None:
    with pytest.raises(Rejection) as refused:
        verify(b"a=1", timestamp, signature(SECRET, timestamp or "0", "a=1"))
    assert refused.value.status == 401


def test_a_good_signature_passes_and_any_change_fails() -> None:
    ts = str(int(NOW))
    verify(b"a=1", ts, signature(SECRET, ts, "a=1"))
    for body, stamp, sig in ((b"a=2", ts, signature(SECRET, ts, "a=1")),
                             (b"a=1", str(int(NOW) - 301), signature(SECRET, str(int(NOW) - 301), "a=1")),
                             (b"a=1", ts, signature("other", ts, "a=1")),
                             (b"a=1", ts, signature(SECRET, ts, "a=1").upper())):
        with pytest.raises(Rejection):
            verify(body, stamp, sig)


def test_an_empty_signing_secret_verifies_nothing() -> None:
    ts = str(int(NOW))
    with pytest.raises(Rejection):
        check_signature(b"a=1", timestamp=ts, signature=signature("", ts, "a=1"),
                        secret="", now=NOW)


def test_a_declared_length_over_the_limit_is_refused_without_reading() -> None:
    class Unreadable(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    with pytest.raises(Rejection) as refused:
        read_body({"CONTENT_LENGTH": str(MAX_BODY_BYTES + 1), "wsgi.input": Unreadable()})
    assert refused.value.status == 413


def test_a_stream_without_length_is_read_only_one_byte_past_the_limit() -> None:
    stream = io.BytesIO(b"x" * (MAX_BODY_BYTES * 3))
    with pytest.raises(Rejection):
        read_body({"wsgi.input": stream})
    assert stream.tell() == MAX_BODY_BYTES + 1


@pytest.mark.parametrize(("body", "content_type"), [
    (b"[1]", "application/json"), (b"null", "application/json; charset=utf-8"), (b"{", "text/plain"),
    (b"payload=nope", "application/x-www-form-urlencoded"), (b"\xff\xfe", "application/json"), (b"", ""),
])
def test_bodies_bolt_cannot_dispatch_are_refused(body: bytes, content_type: str) -> None:
    with pytest.raises(Rejection) as refused:
        check_payload(body, content_type)
    assert refused.value.status == 400


def test_the_error_handler_does_not_act_on_an_unverified_request() -> None:
    with FakeSlackApi() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        body = {"response_url": slack.response_url("forged"), "event": {"user": "U1", "channel": "C1"}}
        unverified = BoltRequest(body="a=1", headers={"x-slack-request-timestamp": str(int(time.time()))})
        response = handle_error(RuntimeError("boom"), body, client, Respond(response_url=body["response_url"]),
                                unverified)
        assert response.status == 401
        verified = BoltRequest(body="a=1", context={VERIFIED: True})
        assert handle_error(RuntimeError("boom"), body, client, Respond(response_url=body["response_url"]),
                            verified).status == 500
        slack.response("forged")  # the verified one is answered: the check is what stopped the first
        assert len(slack.calls()) == 1


def test_retries_of_a_failing_event_get_one_apology() -> None:
    with FakeSlackApi() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        body = {"type": "event_callback", "event_id": "EvRetried01",
                "event": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1.1"}}
        verified = BoltRequest(body="{}", context={VERIFIED: True})
        for _ in range(4):  # the event and Slack's three retries, all failing (the database is down)
            handle_error(RuntimeError("database is down"), body, client, None, verified)
        other = {**body, "event_id": "EvOther0001"}
        handle_error(RuntimeError("database is down"), other, client, None, verified)
        assert len(slack.wait_for("chat.postEphemeral", count=2)) == 2
        assert len(slack.calls("chat.postEphemeral")) == 2
