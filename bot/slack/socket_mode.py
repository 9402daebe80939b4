"""Socket Mode: the bot connects out to Slack over a WebSocket (no public URL needed)."""

from __future__ import annotations

import logging
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0


def run_socket_mode(app: App, *, app_token: str, stop: threading.Event | None = None) -> None:
    """Connect (apps.connections.open with the app token, through the app's WebClient) and serve until stopped."""
    stop = stop or threading.Event()
    handler = SocketModeHandler(app, app_token=app_token, web_client=app.client)
    delay = 1.0
    while not stop.is_set():
        try:
            handler.connect()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
            break
        except (SlackApiError, SlackClientError, OSError) as exc:
            handler.client.wss_uri = None  # ask Slack for a fresh URL next time
            log.warning("Socket Mode connection failed (%s); retrying in %.0f s", exc, delay)
            stop.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)
    else:
        return
    log.info("connected to Slack in Socket Mode")
    try:
        stop.wait()
    finally:
        handler.close()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
