"""Metrics and log context for Slack traffic: which surface, how it went, and the Web API calls made."""

from __future__ import annotations

import contextvars
import time
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.slack_response import SlackResponse

from bot.ownership.answers import Answer
from bot.runtime import metrics
from bot.runtime.logs import bind

# What the HTTP layer and Bolt's middleware learn about the request being handled on this thread.
REQUEST: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("slack_request", default=None)


def surface_of(body: dict[str, Any]) -> str:
    """command, mention, dm, action, home, or other."""
    if body.get("command"):
        return "command"
    event = body.get("event") or {}
    if event.get("type") == "app_mention":
        return "mention"
    if event.get("type") == "message":
        return "dm"
    if event.get("type") == "app_home_opened":
        return "home"
    if body.get("type") in ("block_actions", "view_submission", "view_closed", "shortcut"):
        return "action"
    return "other"


def register(app: App) -> None:
    """A global middleware: tag the request with its surface and ids (for metrics and every log line)."""

    @app.middleware
    def tag_request(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:
        surface = surface_of(body)
        holder = REQUEST.get()
        if holder is not None:
            holder["surface"] = surface
        else:  # Socket Mode: no HTTP layer to count it
            metrics.REQUESTS.labels(surface, "received").inc()
        bind(event_id=body.get("event_id"))
        return next()


def mark_duplicate() -> None:
    """The dedup middleware saw this event before: counted as such, answered 200, nothing posted."""
    holder = REQUEST.get()
    if holder is not None:
        holder["outcome"] = "duplicate"


def count_answer(answer: Answer) -> Answer:
    """Count the matcher's outcome (match, ambiguous, none) of an answer the bot gives in Slack."""
    metrics.MATCHES.labels(answer.status).inc()
    return answer


def mark_failed(body: dict[str, Any]) -> None:
    """A listener failed after the ack (the user got the friendly message with an error id)."""
    metrics.REQUESTS.labels(surface_of(body), "failed").inc()


class RequestTimer:
    """Wraps one HTTP request to /slack/events: ids for the logs, ack latency and outcome for metrics."""

    def __enter__(self) -> RequestTimer:
        self.started = time.perf_counter()
        self.info: dict[str, str] = {}
        self.token = REQUEST.set(self.info)
        bind(request_id=uuid.uuid4().hex[:12], event_id=None, escalation_id=None, error_id=None)
        return self

    def finish(self, status: int) -> None:
        surface = self.info.get("surface", "unverified" if status == 401 else "other")
        outcome = self.info.get("outcome") or ("acked" if status < 400 else
                                               "rejected" if status in (401, 403) else "error")
        metrics.ACK_LATENCY.labels(surface).observe(time.perf_counter() - self.started)
        metrics.REQUESTS.labels(surface, outcome).inc()

    def __exit__(self, *_exc: object) -> None:
        REQUEST.reset(self.token)


class CountingRateLimitHandler(RetryHandler):
    """Slack's own 429 retry (waits Retry-After, in the call), counting each 429 it sees.

    Built on the public RetryHandler interface (`can_retry`, `prepare_for_next_attempt`) around
    slack_sdk's RateLimitErrorRetryHandler, not on its private `_can_retry`. Only for replies to a
    user; the outbox's client has no 429 handler: it records the Retry-After and releases the message.
    """

    def __init__(self, max_retry_count: int = 1) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.inner = RateLimitErrorRetryHandler(max_retry_count=max_retry_count)

    def can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                  error: Exception | None = None) -> bool:
        if response is not None and response.status_code == 429:
            metrics.SLACK_RATE_LIMITED.labels(request.url.rsplit("/", 1)[-1]).inc()
        return self.inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None, error: Exception | None = None) -> None:
        self.inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


class InstrumentedWebClient(WebClient):
    """A WebClient that counts every call by method and error."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> SlackResponse:
        try:
            response = super().api_call(api_method, *args, **kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown")) if exc.response is not None else "unknown"
            if exc.response is not None and exc.response.status_code == 429:
                metrics.SLACK_RATE_LIMITED.labels(api_method).inc()
                error = "ratelimited"
            metrics.SLACK_CALLS.labels(api_method, error).inc()
            raise
        except Exception:
            metrics.SLACK_CALLS.labels(api_method, "connection").inc()
            raise
        metrics.SLACK_CALLS.labels(api_method, "").inc()
        return response
