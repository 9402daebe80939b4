"""raci-bot's Slack app. Wiring only: settings -> store -> matrix -> ownership -> Bolt app -> HTTP or Socket Mode.

    python app.py

Configuration comes from the environment (docs/slack-setup.md); a missing value stops here with one line.
"""

from __future__ import annotations

import logging
import sys

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot.errors import InvalidRaciFile, RaciError
from bot.matrix import ensure_loaded, import_file
from bot.service import OwnershipService
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.server import gunicorn_options, serve, wsgi_app
from bot.slack.socket_mode import run_socket_mode
from bot.store.db import Store

log = logging.getLogger("raci-bot")


def load_matrix(store: Store, settings: Settings) -> None:
    """RACI_FILE into the store: when the store is empty, or at every start with RACI_SYNC_ON_START."""
    if settings.sync_on_start:
        report = import_file(store, settings.raci_file, actor="raci-bot")
        log.info("synced %s: %d changes", report.source, len(report.changes))
    elif ensure_loaded(store, settings.raci_file, actor="raci-bot") is not None:
        log.info("the store was empty; loaded %s", settings.raci_file)


def build() -> tuple[Settings, Store, App]:
    """Everything the app needs, checked before it starts serving."""
    settings = Settings.from_env().validate_for_app()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = Store.open(settings.database_url)
    load_matrix(store, settings)
    service = OwnershipService(store)
    return settings, store, create_app(settings, service, store)


def main() -> int:
    try:
        settings, store, app = build()
    except InvalidRaciFile as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        print(f"raci-bot: error: {exc}", file=sys.stderr)
        return 1
    except (RaciError, BoltError, SlackClientError, OSError) as exc:
        print(f"raci-bot: error: {exc}", file=sys.stderr)
        return 1
    if settings.socket_mode:
        assert settings.slack_app_token is not None
        run_socket_mode(app, app_token=settings.slack_app_token)
        return 0

    def after_fork(_server: object, _worker: object) -> None:
        store.engine.dispose(close=False)  # the worker opens its own database connections

    options = gunicorn_options(port=settings.port, log_level=settings.log_level, post_fork=after_fork)
    serve(wsgi_app(app), options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
