"""Requests as Slack sends them to an app: signed slash commands, events and button clicks over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

_ids = itertools.count(1)


def unique(prefix: str) -> str:
    """An id no other test uses (event ids, trigger ids, channels, message timestamps)."""
    return f"{prefix}{int(time.time() * 1000) % 10**9:09d}{next(_ids):04d}"


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 request signature: HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    headers: dict[str, str]


class SlackSender:
    """Posts signed requests to an app's Slack endpoint, exactly as Slack signs them."""

    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.signing_secret = signing_secret

    def post(self, body: str, content_type: str, *, headers: dict[str, str] | None = None,
             timestamp: float | None = None, secret: str | None = None) -> Reply:
        ts = str(int(time.time() if timestamp is None else timestamp))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.signing_secret, ts, body),
            **(headers or {}),
        }
        return self.deliver(body, sent)

    def deliver(self, body: str, headers: dict[str, str]) -> Reply:
        """Send a signed request; over HTTP here, straight into the Bolt app in tests/slack/in_process.py."""
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            conn.request("POST", parts.path, body=body.encode(), headers=headers)
            response = conn.getresponse()
            return Reply(response.status, response.read().decode(), dict(response.getheaders()))
        finally:
            conn.close()

    def command(self, text: str, *, response_url: str, user: str = "U0ASKER01", channel: str = "C0GENERAL1",
                command: str = "/raci", **kwargs: Any) -> Reply:
        """A slash command, form-encoded."""
        return self.post(urlencode(command_form(text, response_url=response_url, user=user, channel=channel,
                                                command=command)), "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None,
              **kwargs: Any) -> Reply:
        """An Events API event_callback; `retry` adds X-Slack-Retry-Num as Slack's retries carry."""
        headers = dict(kwargs.pop("headers", None) or {})
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        body = json.dumps(event_callback(event, event_id=event_id or unique("Ev")))
        return self.post(body, "application/json", headers=headers, **kwargs)

    def action(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        """An interactivity payload (block_actions, …) as the form field `payload=`."""
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kwargs)


def command_form(text: str, *, response_url: str, user: str, channel: str, command: str = "/raci",
                 team: str = "T0TEST001") -> dict[str, str]:
    return {
        "token": "legacy-verification-token", "team_id": team, "team_domain": "test",
        "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": "asker",
        "command": command, "text": text, "api_app_id": "A0RACIAPP", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": unique("13345224609.738474920.")}


def event_callback(event: dict[str, Any], *, event_id: str, team: str = "T0TEST001") -> dict[str, Any]:
    return {
        "token": "legacy-verification-token", "team_id": team, "api_app_id": "A0RACIAPP", "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "U0RACIBOT", "is_bot": True}],
    }


def app_mention(text: str, *, channel: str, ts: str, user: str = "U0ASKER01", thread_ts: str | None = None,
                bot_user: str = "U0RACIBOT") -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@{bot_user}> {text}", "ts": ts, "channel": channel,
             "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, *, channel: str, ts: str, user: str = "U0ASKER01") -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "event_ts": ts}


def home_opened(user: str, *, tab: str = "home") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": tab,
            "event_ts": f"{time.time():.6f}"}


def block_actions(action_id: str, value: str, *, response_url: str, user: str = "U0ASKER01",
                  channel: str = "C0GENERAL1", ephemeral: bool = True, message_ts: str = "1700000000.000100",
                  team: str = "T0TEST001") -> dict[str, Any]:
    """A click on one of our buttons."""
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral}
    return {
        "type": "block_actions", "team": {"id": team, "domain": "test"},
        "user": {"id": user, "username": "asker", "team_id": team}, "api_app_id": "A0RACIAPP",
        "token": "legacy-verification-token", "container": container, "trigger_id": unique("13345224609.1."),
        "channel": {"id": channel, "name": "general"}, "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                     "text": {"type": "plain_text", "text": "x"}, "action_ts": f"{time.time():.6f}"}],
    }


def view_submission(callback_id: str, *, private_metadata: str, values: dict[str, dict[str, Any]],
                    user: str = "U0ASKER01", team: str = "T0TEST001") -> dict[str, Any]:
    """A modal submitted: `values` is {block_id: {action_id: {"type": ..., "value": ...}}} as Slack sends it."""
    return {
        "type": "view_submission", "team": {"id": team, "domain": "test"},
        "user": {"id": user, "username": "asker", "team_id": team}, "api_app_id": "A0RACIAPP",
        "token": "legacy-verification-token", "trigger_id": unique("13345224609.2."),
        "view": {"id": unique("V"), "type": "modal", "callback_id": callback_id, "team_id": team,
                 "private_metadata": private_metadata, "state": {"values": values}, "hash": "1.2"},
        "response_urls": [],
    }
