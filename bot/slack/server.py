"""HTTP mode: Bolt behind gunicorn (gthread), with a tiny WSGI router for probes, metrics and 404s."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.runtime import metrics
from bot.slack.observability import RequestTimer
from bot.slack.request_gate import SlackGate

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _plain(start_response: Callable[..., Any], status: str, body: bytes, content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _ready(start_response: Callable[..., Any], ready: Callable[[], tuple[bool, dict[str, Any]]]) -> list[bytes]:
    ok, detail = ready()
    return _plain(start_response, "200 OK" if ok else "503 Service Unavailable", json.dumps(detail).encode(),
                  "application/json")


def probes_app(*, ready: Callable[[], tuple[bool, dict[str, Any]]] = lambda: (True, {"ok": True})) -> Wsgi:
    """GET /healthz (alive), /readyz (ready to serve), /metrics (Prometheus); anything else 404."""

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "404 Not Found", b"Not Found", "text/plain; charset=utf-8")
        if path == HEALTH_PATH:
            return _plain(start_response, "200 OK", b'{"ok": true}', "application/json")
        if path == READY_PATH:
            return _ready(start_response, ready)
        if path == METRICS_PATH:
            return _plain(start_response, "200 OK", metrics.exposition(), PROMETHEUS_TEXT)
        return _plain(start_response, "404 Not Found", b"Not Found", "text/plain; charset=utf-8")

    return route


def wsgi_app(bolt: App, *, signing_secret: str,
             ready: Callable[[], tuple[bool, dict[str, Any]]] = lambda: (True, {"ok": True})) -> Wsgi:
    """Slack's requests through the gate to Bolt (timed and counted), and the probes and metrics of `probes_app`."""
    gate = SlackGate(bolt, signing_secret=signing_secret)
    probes = probes_app(ready=ready)

    def slack(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = gate.dispatch(environ)
        wsgi = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(wsgi.status, wsgi.get_headers())
        return wsgi.get_body()

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") != SLACK_PATH:
            return probes(environ, start_response)
        with RequestTimer() as timer:
            status: list[int] = []

            def record(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                status.append(int(line.split(" ", 1)[0]))
                return start_response(line, headers, exc_info) if exc_info else start_response(line, headers)

            body = slack(environ, record)
            timer.finish(status[0] if status else 500)
            return body

    return route


class RootLogger(glogging.Logger):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn's own messages through the root handler (JSON or text, redacted) like everything else."""

    def setup(self, cfg: Any) -> None:
        for logger in (self.error_log, self.access_log):
            logger.handlers = []
            logger.propagate = True
        self.error_log.setLevel(self.LOG_LEVELS.get(cfg.loglevel.lower(), logging.INFO))


class GunicornServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn configured from code: no command line, no config file."""

    def __init__(self, wsgi: Wsgi, options: dict[str, Any]) -> None:
        self.application = wsgi
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Wsgi:
        return self.application


def gunicorn_options(*, port: int, workers: int = 1, threads: int = 8, log_level: str = "info",
                     post_fork: Callable[..., None] | None = None,
                     worker_exit: Callable[..., None] | None = None) -> dict[str, Any]:
    """One worker by default (one in-memory index per process), several threads, built before the fork."""
    options: dict[str, Any] = {
        "bind": f"0.0.0.0:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,  # on SIGTERM: stop accepting, finish in-flight requests for up to 10 s
        "keepalive": 5,
        "preload_app": True,
        "accesslog": None,
        "logger_class": RootLogger,
        "loglevel": log_level.lower(),
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,  # works with a read-only root
        "proc_name": "raci-bot",
        "control_socket_disable": True,  # gunicorn >= 24 would open a control socket in $HOME
    }
    if post_fork is not None:
        options["post_fork"] = post_fork
    if worker_exit is not None:
        options["worker_exit"] = worker_exit
    return options


def serve(wsgi: Wsgi, options: dict[str, Any]) -> None:
    """Run gunicorn in this process until it is told to stop."""
    GunicornServer(wsgi, options).run()
