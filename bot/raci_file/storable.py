"""Text the store can hold on every database: no NUL or control characters, lengths that fit.

PostgreSQL cannot store NUL in text and enforces column lengths; SQLite does neither. Checking
here, in the rules, makes `raci check` fail exactly where `raci import` would, on both, with a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.raci_file import limits
from bot.raci_file.model import RaciDocument, name_key

# C0 and C1 controls, DEL, and lone surrogates (a "\ud800" escape in YAML): not storable text.
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_MULTILINE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # descriptions keep \t and \n

# How a field is checked: one line of text; text that may hold tabs and line breaks (descriptions);
# an identifier whose pattern already refused every odd character (only its length is checked
# here); an activity name, whose case-folded form is stored too and must fit as well.
LINE, MULTILINE, IDENT, ACTIVITY_NAME = "line", "multiline", "ident", "activity name"
# (subject, field, value, line, most characters or None, how)
Field = tuple[str, str, str, "int | None", "int | None", str]


def storable_findings(doc: RaciDocument) -> Iterator[tuple[str, str, int | None]]:
    """(subject, message, line) for every text the store could not hold as it is."""
    for subject, field, value, line, most, how in _fields(doc):
        message = _problem(field, value, most, how)
        if message is not None:
            yield subject, message, line


def _problem(field: str, value: str, most: int | None, how: str) -> str | None:
    if how != IDENT:
        bad = (_NOT_MULTILINE_TEXT if how == MULTILINE else _NOT_TEXT).search(value)
        if bad is not None:
            return f"{field} contains {_kind(bad.group())} at character {bad.start() + 1}: remove it"
    length = max(len(value), len(name_key(value))) if how == ACTIVITY_NAME else len(value)
    if most is not None and length > most:
        return f"{field} is {length} characters long; at most {most} fit"
    return None


def _kind(char: str) -> str:
    if char == "\x00":
        return "a NUL character (U+0000; PostgreSQL cannot store it)"
    if "\ud800" <= char <= "\udfff":
        return f"an unpaired surrogate (U+{ord(char):04X}; not text)"
    return f"a control character (U+{ord(char):04X})"


def _fields(doc: RaciDocument) -> Iterator[Field]:
    yield from _people(doc)
    yield from _roles(doc)
    yield from _teams(doc)
    yield from _activities(doc)
    for group in doc.synonyms:
        for term in group:
            yield "synonyms", "a synonym", term, None, None, LINE
    escalation, digest = doc.settings.escalation, doc.settings.digest
    if escalation.ack_timeout is not None:
        yield "settings", "settings.escalation.ack_timeout", escalation.ack_timeout, None, limits.DURATION_CHARS, LINE
    for key in ("schedule", "timezone"):
        value = getattr(digest, key)
        if value is not None:
            yield "settings", f"settings.digest.{key}", value, None, None, LINE


def _people(doc: RaciDocument) -> Iterator[Field]:
    for person in doc.people:
        subject, line = f"person {person.handle}", person.line
        yield subject, "handle", person.handle, line, limits.HANDLE_OR_KEY_CHARS, IDENT
        yield subject, "name", person.name, line, limits.NAME_CHARS, LINE
        if person.slack_id is not None:
            yield subject, "slack_id", person.slack_id, line, limits.SLACK_ID_CHARS, IDENT
        if person.email is not None:
            yield subject, "email", person.email, line, limits.EMAIL_CHARS, LINE


def _roles(doc: RaciDocument) -> Iterator[Field]:
    for role in doc.roles:
        subject, line = f"role {role.key}", role.line
        yield subject, "key", role.key, line, limits.HANDLE_OR_KEY_CHARS, IDENT
        yield subject, "name", role.name, line, limits.NAME_CHARS, LINE
        for alias in role.aliases:
            yield subject, "an alias", alias, line, None, LINE
        if role.description is not None:
            yield subject, "description", role.description, line, None, MULTILINE
        if role.slack_usergroup is not None:
            yield subject, "slack_usergroup", role.slack_usergroup, line, limits.SLACK_ID_CHARS, IDENT


def _teams(doc: RaciDocument) -> Iterator[Field]:
    for team in doc.teams:
        subject, line = f"team {team.key}", team.line
        yield subject, "key", team.key, line, limits.HANDLE_OR_KEY_CHARS, IDENT
        yield subject, "name", team.name, line, limits.NAME_CHARS, LINE


def _activities(doc: RaciDocument) -> Iterator[Field]:
    for activity in doc.activities:
        subject, line = f'activity "{activity.name}"', activity.line
        yield subject, "name", activity.name, line, limits.ACTIVITY_NAME_CHARS, ACTIVITY_NAME
        for alias in activity.aliases:
            yield subject, "an alias", alias, line, None, LINE
        if activity.description is not None:
            yield subject, "description", activity.description, line, None, MULTILINE
        if activity.escalation is not None and activity.escalation.ack_timeout is not None:
            yield subject, "escalation.ack_timeout", activity.escalation.ack_timeout, line, limits.DURATION_CHARS, LINE
