"""raci-bot's Slack app. Wiring only: settings -> store -> matrix -> ownership -> Bolt app -> HTTP or Socket Mode.

    python app.py

Configuration comes from the environment (docs/slack-setup.md); a missing value stops here with one line.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot.changes import file_sync
from bot.errors import InvalidRaciFile, RaciError
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import ensure_loaded, import_file
from bot.runtime import logs, metrics
from bot.runtime.health import Readiness
from bot.runtime.ticker import Ticker, TickerThread
from bot.settings import Settings
from bot.slack.app import build_ticker, create_app, web_client
from bot.slack.server import gunicorn_options, probes_app, serve, wsgi_app
from bot.slack.socket_mode import run_socket_mode
from bot.store.db import Store

log = logging.getLogger("raci-bot")


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # probes every few seconds would drown the log


def load_matrix(store: Store, settings: Settings) -> str | None:
    """RACI_FILE into the store: when the store is empty, or at start with RACI_SYNC_ON_START when the file changed.

    Returns the warning of a sync refused because it would undo changes made in Slack: the app
    keeps serving the store, and /readyz shows the warning.
    """
    if settings.sync_on_start:
        with store.session() as session:
            unchanged = file_sync.unchanged_since_last_import(session, settings.raci_file)
        if unchanged:
            log.info("%s is unchanged since its last import: not imported again", settings.raci_file)
            return None
        try:
            with store.session() as session:
                report = import_file(session=session, path=settings.raci_file, actor="raci-bot")
        except file_sync.SlackChangesWouldBeUndone as exc:
            warning = f"RACI_SYNC_ON_START did not import: {exc}"
            log.warning("%s", warning)
            return warning
        log.info("synced %s: %d changes", report.source, len(report.changes))
    elif ensure_loaded(store, settings.raci_file, actor="raci-bot") is not None:
        log.info("the store was empty; loaded %s", settings.raci_file)
    return None


@dataclass
class Bot:
    settings: Settings
    store: Store
    service: OwnershipService
    app: App
    ticker: Ticker
    sync_warning: str | None = None  # a refused RACI_SYNC_ON_START, shown in /readyz


def build() -> Bot:
    """Everything the app needs, checked before it starts serving."""
    settings = Settings.from_env().validate_for_app()
    logs.configure(level=settings.log_level, fmt=settings.log_format, secrets=settings.secrets())
    store = Store.open(settings.database_url)
    sync_warning = load_matrix(store, settings)
    service = OwnershipService(store, reload_seconds=settings.reload_seconds)
    metrics.register_store(store)
    client = web_client(settings)
    ticker = build_ticker(store, client, service)
    return Bot(settings, store, service, create_app(settings, service, store, client=client), ticker, sync_warning)


def run_http(bot: Bot) -> int:
    """gunicorn: SIGTERM stops accepting, finishes in-flight requests (up to 10 s), then the ticker, exit 0."""
    ticker = TickerThread(bot.ticker, interval=bot.settings.tick_seconds)

    def after_fork(_server: object, _worker: object) -> None:
        bot.store.engine.dispose(close=False)  # the worker opens its own database connections
        bot.service.start_reloader()  # threads do not survive fork: the worker runs its own
        ticker.start()

    def worker_exit(_server: object, _worker: object) -> None:
        ticker.stop()

    options = gunicorn_options(port=bot.settings.port, log_level=bot.settings.log_level, post_fork=after_fork,
                               worker_exit=worker_exit)
    serve(wsgi_app(bot.app, signing_secret=bot.settings.slack_signing_secret or "",
                   ready=Readiness(bot.store, bot.service, sync_warning=bot.sync_warning)), options)
    return 0


def run_socket(bot: Bot) -> int:
    """Socket Mode: probes and metrics on METRICS_PORT; SIGTERM closes the connection cleanly, exit 0."""
    assert bot.settings.slack_app_token is not None
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    ready = Readiness(bot.store, bot.service, sync_warning=bot.sync_warning)
    probes = make_server("0.0.0.0", bot.settings.metrics_port, probes_app(ready=ready),
                         server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    # shutdown() waits for the serving loop's next look: a short poll keeps SIGTERM quick
    threading.Thread(target=probes.serve_forever, kwargs={"poll_interval": 0.1}, name="probes", daemon=True).start()
    ticker = TickerThread(bot.ticker, interval=bot.settings.tick_seconds)
    ticker.start()
    bot.service.start_reloader()
    try:
        run_socket_mode(bot.app, app_token=bot.settings.slack_app_token, stop=stop)
    finally:
        ticker.stop()
        probes.shutdown()
    log.info("stopped")
    return 0


def main() -> int:
    try:
        bot = build()
    except InvalidRaciFile as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        print(f"raci-bot: error: {exc}", file=sys.stderr)
        return 1
    except (RaciError, BoltError, SlackClientError, OSError) as exc:
        print(f"raci-bot: error: {exc}", file=sys.stderr)
        return 1
    return run_socket(bot) if bot.settings.socket_mode else run_http(bot)


if __name__ == "__main__":
    sys.exit(main())
