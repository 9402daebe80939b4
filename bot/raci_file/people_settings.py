"""`settings.away`, `settings.review` and `settings.usergroups`: read with line numbers, like the rest of settings."""

from __future__ import annotations

from typing import Any, Protocol

from bot.raci_file.model import AwaySettings, OrgSettings, ReviewSettings, UsergroupSettings
from bot.raci_file.schedule import parse_duration

AWAY_FIELDS = frozenset({"from_slack_status"})
REVIEW_FIELDS = frozenset({"every"})
USERGROUP_FIELDS = frozenset({"sync"})
FIELDS = frozenset({"away", "review", "usergroups"})


class Reader(Protocol):
    """The parts of structure._Reader these settings use."""

    def mapping(self, value: Any, subject: str, line: int | None, what: str, fields: frozenset[str] | None) -> Any: ...

    def flag(self, entry: Any, field: str, subject: str) -> bool | None: ...

    def text(self, entry: Any, field: str, subject: str) -> str | None: ...

    def error(self, subject: str, message: str, line: int | None) -> None: ...


def read_people_settings(reader: Reader, mapping: Any, settings: OrgSettings) -> None:
    """Fill `settings.away/review/usergroups` from the settings mapping, reporting mistakes with their line."""
    if mapping.get("away") is not None:
        line = mapping.key_lines["away"]
        found = reader.mapping(mapping["away"], "settings", line, "away", AWAY_FIELDS)
        if found is not None:
            settings.away = AwaySettings(from_slack_status=reader.flag(found, "from_slack_status", "settings"),
                                         line=line)
    if mapping.get("review") is not None:
        line = mapping.key_lines["review"]
        found = reader.mapping(mapping["review"], "settings", line, "review", REVIEW_FIELDS)
        if found is not None:
            settings.review = ReviewSettings(every=_every(reader, found), line=line)
    if mapping.get("usergroups") is not None:
        line = mapping.key_lines["usergroups"]
        found = reader.mapping(mapping["usergroups"], "settings", line, "usergroups", USERGROUP_FIELDS)
        if found is not None:
            settings.usergroups = UsergroupSettings(sync=reader.flag(found, "sync", "settings"), line=line)


def _every(reader: Reader, found: Any) -> str | None:
    every = reader.text(found, "every", "settings")
    if every is None:
        return None
    try:
        parse_duration(every)
    except ValueError as exc:
        reader.error("settings", f"settings.review.every: {exc}", found.key_lines["every"])
        return None
    return every


def people_settings_rows(settings: OrgSettings) -> list[dict[str, Any]]:
    """The store's org_settings rows of these settings (only those set)."""
    rows = []
    if not settings.away.is_empty():
        rows.append({"key": "away", "value": {"from_slack_status": settings.away.from_slack_status}})
    if not settings.review.is_empty():
        rows.append({"key": "review", "value": {"every": settings.review.every}})
    if not settings.usergroups.is_empty():
        rows.append({"key": "usergroups", "value": {"sync": settings.usergroups.sync}})
    return rows


def people_settings_from_rows(values: dict[str, Any], settings: OrgSettings) -> None:
    """Fill these settings from the store's org_settings values (key -> JSON)."""
    settings.away = AwaySettings(from_slack_status=(values.get("away") or {}).get("from_slack_status"))
    settings.review = ReviewSettings(every=(values.get("review") or {}).get("every"))
    settings.usergroups = UsergroupSettings(sync=(values.get("usergroups") or {}).get("sync"))


def yaml_fields(settings: OrgSettings) -> list[tuple[str, dict[str, Any]]]:
    """(group, {field: value}) for the YAML writer, in the file's order."""
    groups = (("away", {"from_slack_status": settings.away.from_slack_status}),
              ("review", {"every": settings.review.every}),
              ("usergroups", {"sync": settings.usergroups.sync}))
    return [(name, {k: v for k, v in values.items() if v is not None})
            for name, values in groups if any(v is not None for v in values.values())]
