"""Load a RACI document from YAML with the line of every item, and dump one as canonical YAML."""

from __future__ import annotations

from typing import Any

import yaml

from bot.memory import cycle_collector_paused
from bot.raci_file.findings import Finding
from bot.raci_file.model import (
    LETTERS,
    Activity,
    EscalationPolicy,
    OrgSettings,
    Person,
    RaciDocument,
    Role,
    Team,
)
from bot.raci_file.people_settings import yaml_fields
from bot.raci_file.structure import read_streamed
from bot.raci_file.yaml_scalar import yaml_scalar
from bot.raci_file.yaml_tree import ItemReader, LineLoader


def load_yaml(text: str, *, source: str) -> tuple[RaciDocument, list[Finding]]:
    """Parse a RACI YAML file; problems come back as findings with lines, never as exceptions."""
    if text.startswith("\ufeff"):
        text = text[1:]
    with cycle_collector_paused():  # a big file allocates millions of acyclic objects
        try:
            return read_streamed(lambda readers: _parse(text, readers), source=source)
        except yaml.YAMLError as exc:
            return RaciDocument(), [_syntax_finding(exc, source)]
        except RecursionError:
            message = "the YAML is nested too deeply to read"
            return RaciDocument(), [Finding("error", "file", message, None, source)]


def _parse(text: str, readers: dict[str, ItemReader]) -> Any:
    """The YAML tree, section items read as parsed (a whole tree costs ~3 KB an activity)."""
    loader = LineLoader(text)
    loader.item_readers = readers
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _syntax_finding(exc: yaml.YAMLError, source: str) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    detail = ", ".join(part for part in parts if part) or str(exc).splitlines()[0]
    line = mark.line + 1 if mark is not None else None
    syntax = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
    return Finding("error", "file", f"YAML {'syntax error' if syntax else 'error'}: {detail}", line, source)


def dump_yaml(doc: RaciDocument) -> str:
    """Canonical YAML for a document: sections in a fixed order, empty optional fields left out."""
    sections = [
        _section("people", [_flow_map(_person(person)) for person in doc.people]),
        _section("roles", [_block_item(_role(role)) for role in doc.roles]),
        _section("teams", [_block_item(_team(team)) for team in doc.teams]),
        _section("activities", [_block_item(_activity(activity)) for activity in doc.activities]),
        _section("synonyms", [_flow_list(group) for group in doc.synonyms]),
        _settings(doc.settings),
    ]
    return "\n".join(section for section in sections if section)


# Written by hand rather than through yaml.dump: PyYAML's representer costs ~100 µs per
# activity, too slow for 100,000 of them. Scalars that are not safely plain are quoted by
# yaml_scalar, and tests check that load_yaml(dump_yaml(doc)) == doc.
Fields = list[tuple[str, str]]


def _section(name: str, items: list[str]) -> str:
    return f"{name}:\n" + "".join(f"  - {item}\n" for item in items) if items else ""


def _block_item(fields: Fields) -> str:
    """A block mapping as an item of a top-level list (the first line follows "  - ")."""
    return "\n    ".join(f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}" for key, value in fields)


def _nested(fields: Fields, indent: str) -> str:
    """A block mapping as the value of a key, one level deeper than `indent`."""
    return "".join(f"\n{indent}  {key}: {value}" for key, value in fields)


def _flow_map(fields: Fields) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join([yaml_scalar(item) for item in items]) + "]"


def _add(fields: Fields, key: str, value: Any) -> None:
    """Add an optional field when it is set: not None and not an empty list."""
    if value is None or value == []:
        return
    if isinstance(value, list):
        fields.append((key, _flow_list(value)))
    else:
        fields.append((key, yaml_scalar(value)))


def _person(person: Person) -> Fields:
    fields = [("handle", yaml_scalar(person.handle)), ("name", yaml_scalar(person.name))]
    _add(fields, "slack_id", person.slack_id)
    _add(fields, "email", person.email)
    if not person.active:
        fields.append(("active", "false"))
    return fields


def _role(role: Role) -> Fields:
    fields = [("key", yaml_scalar(role.key)), ("name", yaml_scalar(role.name))]
    _add(fields, "aliases", role.aliases)
    _add(fields, "description", role.description)
    _add(fields, "members", role.members)
    _add(fields, "slack_usergroup", role.slack_usergroup)
    return fields


def _team(team: Team) -> Fields:
    fields = [("key", yaml_scalar(team.key)), ("name", yaml_scalar(team.name))]
    _add(fields, "channels", team.channels)
    if team.members:
        members = [(yaml_scalar(role), _flow_list(handles)) for role, handles in team.members.items()]
        fields.append(("members", _nested(members, "    ")))
    return fields


def _activity(activity: Activity) -> Fields:
    fields = [("name", yaml_scalar(activity.name))]
    _add(fields, "aliases", activity.aliases)
    _add(fields, "description", activity.description)
    _add(fields, "learned", activity.learned)
    raci = activity.raci
    if raci:
        letters = [(letter, _flow_list(raci[letter])) for letter in LETTERS if letter in raci]
        fields.append(("raci", _nested(letters, "    ")))
    if activity.escalation is not None and not activity.escalation.is_empty():
        fields.append(("escalation", _flow_map(_escalation(activity.escalation))))
    return fields


def _escalation(policy: EscalationPolicy) -> Fields:
    fields: Fields = []
    _add(fields, "ack_timeout", policy.ack_timeout)
    _add(fields, "repeats", policy.repeats)
    return fields


def _settings(settings: OrgSettings) -> str:
    if settings.is_empty():
        return ""
    fields: Fields = []
    if not settings.escalation.is_empty():
        fields.append(("escalation", _nested(_escalation(settings.escalation), "  ")))
    digest = settings.digest
    if not digest.is_empty():
        digest_fields: Fields = []
        for key in ("schedule", "timezone", "channel", "direct_messages"):
            _add(digest_fields, key, getattr(digest, key))
        fields.append(("digest", _nested(digest_fields, "  ")))
    _add(fields, "admins", settings.admins)
    if not settings.learning.is_empty():
        learning_fields: Fields = []
        _add(learning_fields, "channel", settings.learning.channel)
        _add(learning_fields, "confirmations", settings.learning.confirmations)
        fields.append(("learning", _nested(learning_fields, "  ")))
    if not settings.changes.is_empty():
        change_fields: Fields = []
        _add(change_fields, "from_slack", settings.changes.from_slack)
        _add(change_fields, "expire_after", settings.changes.expire_after)
        _add(change_fields, "file_url", settings.changes.file_url)
        fields.append(("changes", _nested(change_fields, "  ")))
    for group, values in yaml_fields(settings):
        group_fields: Fields = []
        for key, value in values.items():
            _add(group_fields, key, value)
        fields.append((group, _nested(group_fields, "  ")))
    return "settings:" + _nested(fields, "").replace(": \n", ":\n") + "\n"
