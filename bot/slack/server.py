"""HTTP mode: Bolt behind gunicorn (gthread), with a tiny WSGI router for /healthz and 404s."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _plain(start_response: Callable[..., Any], status: str, body: bytes, content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def wsgi_app(bolt: App, *, health: Callable[[], dict[str, Any]] = lambda: {"ok": True}) -> Wsgi:
    """Slack's requests to Bolt, GET /healthz to a liveness answer, anything else 404."""
    slack = SlackRequestHandler(bolt, path=SLACK_PATH)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == SLACK_PATH:
            return slack(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", json.dumps(health()).encode(), "application/json")
        return _plain(start_response, "404 Not Found", b"Not Found", "text/plain; charset=utf-8")

    return route


class GunicornServer(BaseApplication):
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
                     post_fork: Callable[..., None] | None = None) -> dict[str, Any]:
    """One worker by default (one in-memory index per process), several threads, built before the fork."""
    options: dict[str, Any] = {
        "bind": f"0.0.0.0:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "preload_app": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": log_level.lower(),
        "proc_name": "raci-bot",
        "control_socket_disable": True,  # gunicorn >= 24 would open a control socket in $HOME
    }
    if post_fork is not None:
        options["post_fork"] = post_fork
    return options


def serve(wsgi: Wsgi, options: dict[str, Any]) -> None:
    """Run gunicorn in this process until it is told to stop."""
    GunicornServer(wsgi, options).run()
