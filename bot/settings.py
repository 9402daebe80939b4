"""One typed settings object, read once from the environment; a bad value fails fast with its name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///raci.db"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RACI_FILE = Path("data") / "raci.yaml"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def database_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """DATABASE_URL, or the embedded SQLite default; `postgres://` is accepted for convenience."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    for prefix in ("postgres://", "postgresql://"):
        # SQLAlchemy would pick psycopg2 for a bare postgresql:// URL; we ship psycopg 3.
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_raci_file(environ: Mapping[str, str] | None = None) -> Path:
    """RACI_FILE, else data/raci.yaml in the working directory, else the one shipped with the code."""
    env = os.environ if environ is None else environ
    if env.get("RACI_FILE", "").strip():
        return Path(env["RACI_FILE"].strip())
    if DEFAULT_RACI_FILE.exists():
        return DEFAULT_RACI_FILE
    return REPO_ROOT / DEFAULT_RACI_FILE


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class Settings:
    database_url: str
    raci_file: Path
    sync_on_start: bool
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str | None
    port: int
    log_level: str
    log_format: str = "text"  # "json" in containers: one JSON object per line
    metrics_port: int = 9090  # Socket Mode serves /metrics, /healthz and /readyz here (HTTP mode uses PORT)
    tick_seconds: float = 30.0  # the in-process ticker's period; 0 turns it off (a cron runs `raci tick`)
    reload_seconds: float = 30.0  # how often the matrix index checks the store for another process's import

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {log_level!r}")
        return cls(
            database_url=database_url_from_env(env),
            raci_file=default_raci_file(env),
            sync_on_start=_bool(env, "RACI_SYNC_ON_START", False),
            slack_bot_token=_optional(env, "SLACK_BOT_TOKEN"),
            slack_signing_secret=_optional(env, "SLACK_SIGNING_SECRET"),
            slack_app_token=_optional(env, "SLACK_APP_TOKEN"),
            slack_api_url=_optional(env, "SLACK_API_URL"),
            port=_int(env, "PORT", 3000, low=1, high=65535),
            log_level=log_level,
            log_format=_choice(env, "LOG_FORMAT", "text", ("text", "json")),
            metrics_port=_int(env, "METRICS_PORT", 9090, low=1, high=65535),
            tick_seconds=_int(env, "RACI_TICK_SECONDS", 30, low=0, high=86400),
            reload_seconds=_int(env, "RACI_RELOAD_SECONDS", 30, low=1, high=86400),
        )

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def slack_api_base_url(self) -> str:
        """SLACK_API_URL, or Slack's own, ending with '/' as WebClient's base_url must."""
        url = self.slack_api_url or DEFAULT_SLACK_API_URL
        return url if url.endswith("/") else url + "/"

    def require_bot_token(self) -> Settings:
        """For CLI commands that send Slack messages (`raci tick`, `raci digest send`)."""
        _require_token(self.slack_bot_token, "SLACK_BOT_TOKEN", "xoxb-")
        return self

    def secrets(self) -> list[str]:
        """Values that must never appear in a log line."""
        return [s for s in (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token) if s]

    def validate_for_app(self) -> Settings:
        """Check what the Slack app needs (the CLI needs none of it); ConfigError names the variable."""
        _require_token(self.slack_bot_token, "SLACK_BOT_TOKEN", "xoxb-")
        if self.socket_mode:
            _require_token(self.slack_app_token, "SLACK_APP_TOKEN", "xapp-")
        elif not self.slack_signing_secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: the app needs it to verify Slack's requests "
                              "(or set SLACK_APP_TOKEN to use Socket Mode)")
        if self.slack_api_url and not self.slack_api_url.startswith(("https://", "http://")):
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, not {self.slack_api_url!r}")
        return self


def _require_token(value: str | None, name: str, prefix: str) -> None:
    if not value:
        raise ConfigError(f"{name} is not set: copy it from your Slack app's settings (docs/slack-setup.md)")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} must start with {prefix!r}")
