"""`settings.digest`, `settings.learning` and `settings.changes`: read with line numbers, like the rest of settings."""

from __future__ import annotations

import re
from typing import Any, Protocol

from bot.raci_file.hints import describe
from bot.raci_file.model import ChangeSettings, DigestSettings, LearningSettings, OrgSettings
from bot.raci_file.schedule import parse_duration
from bot.slack_syntax import CHANNEL_ID

FIELDS = frozenset({"digest", "learning", "changes"})
CHANGES_FIELDS = frozenset({"from_slack", "expire_after", "file_url"})
FILE_URL = re.compile(r"https?://[^\s<>|]{1,500}")
LEARNING_FIELDS = frozenset({"channel", "confirmations"})
DIGEST_FIELDS = frozenset({"schedule", "timezone", "channel", "direct_messages"})


class Reader(Protocol):
    """The parts of structure._Reader these settings use."""

    def mapping(self, value: Any, subject: str, line: int | None, what: str, fields: frozenset[str] | None) -> Any: ...

    def flag(self, entry: Any, field: str, subject: str) -> bool | None: ...

    def text(self, entry: Any, field: str, subject: str, *, required: bool = False,
             pattern: re.Pattern[str] | None = None, hint: str = "") -> str | None: ...

    def error(self, subject: str, message: str, line: int | None) -> None: ...


def read_feature_settings(reader: Reader, mapping: Any, settings: OrgSettings) -> None:
    """Fill `settings.digest/learning/changes` from the settings mapping, reporting mistakes with their line."""
    if mapping.get("digest") is not None:
        settings.digest = _digest(reader, mapping["digest"], mapping.key_lines["digest"])
    if mapping.get("learning") is not None:
        settings.learning = _learning(reader, mapping["learning"], mapping.key_lines["learning"])
    if mapping.get("changes") is not None:
        settings.changes = _changes(reader, mapping["changes"], mapping.key_lines["changes"])


def _changes(reader: Reader, value: Any, line: int) -> ChangeSettings:
    changes = ChangeSettings(line=line)
    mapping = reader.mapping(value, "settings", line, "changes", CHANGES_FIELDS)
    if mapping is None:
        return changes
    changes.from_slack = reader.flag(mapping, "from_slack", "settings")
    expire_after = reader.text(mapping, "expire_after", "settings")
    if expire_after is not None:
        try:
            parse_duration(expire_after)
            changes.expire_after = expire_after
        except ValueError as exc:
            reader.error("settings", f"settings.changes.expire_after: {exc}", mapping.key_lines["expire_after"])
    changes.file_url = reader.text(mapping, "file_url", "settings", pattern=FILE_URL,
                                 hint="is not a web address (http:// or https://, no spaces)")
    return changes


def _learning(reader: Reader, value: Any, line: int) -> LearningSettings:
    learning = LearningSettings(line=line)
    mapping = reader.mapping(value, "settings", line, "learning", LEARNING_FIELDS)
    if mapping is None:
        return learning
    learning.channel = reader.text(mapping, "channel", "settings", pattern=CHANNEL_ID,
                                 hint="is not a Slack channel ID (C or G, then capitals and digits)")
    confirmations = mapping.get("confirmations")
    if confirmations is not None:
        if isinstance(confirmations, bool) or not isinstance(confirmations, int) or confirmations < 1:
            reader.error("settings", "settings.learning.confirmations must be a whole number 1 or more, "
                       f"got {describe(confirmations)}", mapping.key_lines["confirmations"])
        else:
            learning.confirmations = confirmations
    return learning


def _digest(reader: Reader, value: Any, line: int) -> DigestSettings:
    digest = DigestSettings()
    mapping = reader.mapping(value, "settings", line, "digest", DIGEST_FIELDS)
    if mapping is None:
        return digest
    digest.schedule = reader.text(mapping, "schedule", "settings")
    digest.timezone = reader.text(mapping, "timezone", "settings")
    digest.channel = reader.text(
        mapping,
        "channel",
        "settings",
        pattern=CHANNEL_ID,
        hint="is not a Slack channel ID (C or G, then capitals and digits)",
    )
    digest.direct_messages = reader.flag(mapping, "direct_messages", "settings")
    return digest
