"""Turn a parsed YAML tree (LineDict/LineList) into a RaciDocument, with structural findings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.learning.text import clean_phrase, phrase_problem
from bot.raci_file.feature_settings import FIELDS as FEATURE_SETTINGS
from bot.raci_file.feature_settings import read_feature_settings
from bot.raci_file.findings import Finding, Kind
from bot.raci_file.hints import describe, did_you_mean
from bot.raci_file.model import (
    LETTER_NAMES,
    Activity,
    EscalationPolicy,
    OrgSettings,
    Person,
    RaciDocument,
    Role,
    Team,
)
from bot.raci_file.people_settings import FIELDS as PEOPLE_SETTINGS
from bot.raci_file.people_settings import read_people_settings
from bot.raci_file.yaml_tree import ItemReader, LineDict, LineList, ReadList
from bot.slack_syntax import CHANNEL_ID, USER_ID, USERGROUP_ID

HANDLE = re.compile(r"[a-z0-9._-]+")

SECTIONS = ("people", "roles", "teams", "activities", "synonyms", "settings")
_SECTION_FIELDS = frozenset(SECTIONS)
PERSON_FIELDS = frozenset({"handle", "name", "slack_id", "email", "active"})
ROLE_FIELDS = frozenset({"key", "name", "aliases", "description", "members", "slack_usergroup"})
TEAM_FIELDS = frozenset({"key", "name", "channels", "members"})
ACTIVITY_FIELDS = frozenset({"name", "aliases", "description", "raci", "escalation", "learned"})
SETTINGS_FIELDS = frozenset({"escalation", "admins"}) | FEATURE_SETTINGS | PEOPLE_SETTINGS
ESCALATION_FIELDS = frozenset({"ack_timeout", "repeats"})

# Accept "R" or "responsible" in any case as a raci key (looked up as written first: "R" is the usual).
_LETTER_KEYS = {letter: letter for letter in LETTER_NAMES} | {letter.casefold(): letter for letter in LETTER_NAMES} | {
    name.casefold(): letter for letter, name in LETTER_NAMES.items()
}
_RACI_WHAT = {letter: f"raci {letter}" for letter in LETTER_NAMES}


class _Reader:
    """Reads one document tree, collecting findings instead of raising."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.findings: list[Finding] = []

    def add(self, kind: Kind, subject: str, message: str, line: int | None) -> None:
        self.findings.append(Finding(kind, subject, message, line, self.source))

    def error(self, subject: str, message: str, line: int | None) -> None:
        self.add("error", subject, message, line)

    # -- generic shapes ------------------------------------------------------------------

    def mapping(
        self,
        value: Any,
        subject: str,
        line: int | None,
        what: str,
        fields: frozenset[str] | None,
        *,
        where: str | None = None,
    ) -> Any:
        """The value as a LineDict (reporting duplicate and unknown keys), or None if it is not one."""
        if not isinstance(value, LineDict):
            self.error(subject, f"{what} must be a mapping, got {describe(value)}", line)
            return None
        for key, key_line, first_line in value.duplicates:
            message = f"duplicate key {key!r} in {what} (first at line {first_line}); the first one is used"
            self.error(subject, message, key_line)
        if fields is not None and not value.keys() <= fields:
            for key in value:
                if key not in fields:
                    hint = did_you_mean(key, fields)
                    message = f"unknown field {key!r} in {where or what} — ignored{hint}"
                    self.add("warning", subject, message, value.key_lines[key])
        return value

    def items(self, value: Any, subject: str, line: int | None, what: str) -> list[tuple[Any, int]]:
        """The items of a list with their lines; a missing/empty value is an empty list."""
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.error(subject, f"{what} must be a list, got {describe(value)}", line)
            return []
        return list(zip(value, value.item_lines, strict=True))

    def text(
        self,
        entry: Any,
        field: str,
        subject: str,
        *,
        required: bool = False,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
    ) -> str | None:
        """A text field; None when absent or wrong (wrong values are reported)."""
        value = entry.get(field)
        line = entry.key_lines.get(field, entry.line)
        if value is None:
            if required:
                self.error(subject, f"missing required field {field!r}", line)
            return None
        if value.__class__ is not str:
            self.error(subject, f"{field} must be text, got {describe(value)}", line)
            return None
        if required and not value.strip():
            self.error(subject, f"{field} must not be empty", line)
            return None
        if pattern is not None and pattern.fullmatch(value) is None:
            self.error(subject, f"{field} {value!r} {hint}", line)
            return None
        return value

    def texts(self, entry: Any, field: str, subject: str, *, single: bool = False) -> list[str]:
        """A list of texts (or a single text when `single`); wrong items are reported and dropped."""
        value = entry.get(field)
        line = entry.key_lines.get(field, entry.line)
        if single and value.__class__ is str:
            return [value]
        return self.text_items(value, subject, line, field)

    def text_items(self, value: Any, subject: str, line: int | None, what: str) -> list[str]:
        if value.__class__ is LineList and (
            (len(value) == 1 and value[0].__class__ is str) or all(item.__class__ is str for item in value)
        ):
            return list(value)  # the common case (often one item), checked in one pass
        result = []
        for item, item_line in self.items(value, subject, line, what):
            if item.__class__ is str:
                result.append(item)
            else:
                self.error(subject, f"{what} must hold text, got {describe(item)}", item_line)
        return result

    def flag(self, entry: Any, field: str, subject: str) -> bool | None:
        value = entry.get(field)
        if value is None or isinstance(value, bool):
            return value
        line = entry.key_lines[field]
        self.error(subject, f"{field} must be true or false, got {describe(value)}", line)
        return None

    # -- sections ------------------------------------------------------------------------

    def document(self, tree: Any) -> RaciDocument:
        doc = RaciDocument()
        if tree is None:
            return doc
        if not isinstance(tree, LineDict):
            message = f"the file must be a mapping with sections {', '.join(SECTIONS)}"
            self.error("file", message, getattr(tree, "line", 1))
            return doc
        top = self.mapping(tree, "file", tree.line, "the file", _SECTION_FIELDS)
        lines = top.key_lines
        doc.people = self.section(top, "people", self.person)
        doc.roles = self.section(top, "roles", self.role)
        doc.teams = self.section(top, "teams", self.team)
        doc.activities = self.section(top, "activities", self.activity)
        doc.synonyms = self.synonyms(top.get("synonyms"), lines.get("synonyms"))
        if top.get("settings") is not None:
            doc.settings = self.settings(top["settings"], lines["settings"])
        return doc

    def item_readers(self) -> dict[str, ItemReader]:
        """Readers of each section's items, for a loader that reads items as it parses them."""
        return {"people": self.person, "roles": self.role, "teams": self.team, "activities": self.activity}

    def section(self, top: Any, name: str, read_item: Any) -> list[Any]:
        if top.get(name).__class__ is ReadList:  # read while parsing
            return [item for item in top[name] if item is not None]
        result = []
        entries = self.items(top.get(name), name, top.key_lines.get(name), f"section {name!r}")
        for index, (entry, line) in enumerate(entries, start=1):
            item = read_item(entry, index, line)
            if item is not None:
                result.append(item)
        return result

    def subject_of(self, entry: Any, kind: str, field: str, index: int) -> str:
        ident = entry.get(field) if isinstance(entry, dict) else None
        if isinstance(ident, str) and ident.strip():
            return f'{kind} "{ident}"' if kind == "activity" else f"{kind} {ident}"
        return f"{kind} #{index}"

    def person(self, entry: Any, index: int, line: int) -> Person | None:
        subject = self.subject_of(entry, "person", "handle", index)
        entry = self.mapping(entry, subject, line, "a person", PERSON_FIELDS, where=subject)
        if entry is None:
            return None
        handle = self.text(entry, "handle", subject, required=True, pattern=HANDLE, hint=_KEY_HINT)
        name = self.text(entry, "name", subject, required=True)
        slack_id = self.text(
            entry,
            "slack_id",
            subject,
            pattern=USER_ID,
            hint="is not a Slack user ID (U or W, then capitals and digits)",
        )
        email = self.text(entry, "email", subject)
        active = self.flag(entry, "active", subject)
        handle = handle or _raw_text(entry, "handle")
        if handle is None:
            return None
        return Person(handle, name or handle, slack_id, email, active is not False, line=entry.line)

    def role(self, entry: Any, index: int, line: int) -> Role | None:
        subject = self.subject_of(entry, "role", "key", index)
        entry = self.mapping(entry, subject, line, "a role", ROLE_FIELDS, where=subject)
        if entry is None:
            return None
        key = self.text(entry, "key", subject, required=True, pattern=HANDLE, hint=_KEY_HINT)
        name = self.text(entry, "name", subject, required=True)
        aliases = self.texts(entry, "aliases", subject, single=True)
        description = self.text(entry, "description", subject)
        members = self.texts(entry, "members", subject)
        usergroup = self.text(
            entry,
            "slack_usergroup",
            subject,
            pattern=USERGROUP_ID,
            hint="is not a Slack user group ID (S, then capitals and digits)",
        )
        key = key or _raw_text(entry, "key")
        if key is None:
            return None
        return Role(key, name or key, aliases, description, members, usergroup, line=entry.line)

    def team(self, entry: Any, index: int, line: int) -> Team | None:
        subject = self.subject_of(entry, "team", "key", index)
        entry = self.mapping(entry, subject, line, "a team", TEAM_FIELDS, where=subject)
        if entry is None:
            return None
        key = self.text(entry, "key", subject, required=True, pattern=HANDLE, hint=_KEY_HINT)
        name = self.text(entry, "name", subject, required=True)
        channels = []
        for channel, channel_line in self.items(
            entry.get("channels"), subject, entry.key_lines.get("channels"), "channels"
        ):
            if channel.__class__ is str and CHANNEL_ID.fullmatch(channel):
                channels.append(channel)
            else:
                self.error(
                    subject,
                    f"channel {describe(channel)} is not a Slack channel ID (C or G, then capitals and digits)",
                    channel_line,
                )
        members = self.team_members(entry, subject)
        key = key or _raw_text(entry, "key")
        if key is None:
            return None
        return Team(key, name or key, channels, members, line=entry.line)

    def team_members(self, entry: Any, subject: str) -> dict[str, list[str]]:
        value = entry.get("members")
        if value is None:
            return {}
        line = entry.key_lines["members"]
        mapping = self.mapping(value, subject, line, "team members (role key -> handles)", None)
        if mapping is None:
            return {}
        members = {}
        for role_key, handles in mapping.items():
            role_line = mapping.key_lines[role_key]
            if role_key.__class__ is not str:
                self.error(subject, f"team members: {describe(role_key)} is not a role key", role_line)
                continue
            members[role_key] = self.text_items(handles, subject, role_line, f"members of role {role_key}")
        return members

    def activity(self, entry: Any, index: int, line: int) -> Activity | None:
        subject = self.subject_of(entry, "activity", "name", index)
        entry = self.mapping(entry, subject, line, "an activity", ACTIVITY_FIELDS, where=subject)
        if entry is None:
            return None
        name = self.text(entry, "name", subject, required=True)
        aliases = self.texts(entry, "aliases", subject, single=True)
        description = self.text(entry, "description", subject)
        raci = self.raci(entry.get("raci"), subject, entry.key_lines.get("raci", entry.line))
        escalation = None
        if entry.get("escalation") is not None:
            escalation = self.escalation(entry["escalation"], subject, entry.key_lines["escalation"])
        if name is None:
            return None
        if escalation is not None and escalation.is_empty():
            escalation = None
        learned_line = entry.key_lines.get("learned", entry.line)
        learned = self.learned(entry, subject, learned_line) if entry.get("learned") is not None else None
        return Activity(name, aliases, description, raci, escalation, line=entry.line, learned=learned,
                        learned_line=learned_line)

    def learned(self, entry: Any, subject: str, line: int | None) -> list[str]:
        """An activity's learned phrases: texts a learned phrase may be (no NUL, not too long)."""
        phrases = []
        for phrase in self.texts(entry, "learned", subject, single=True):
            problem = phrase_problem(phrase)
            if problem is not None:
                self.error(subject, f"learned {phrase[:60]!r}: {problem}", line)
            else:
                phrases.append(clean_phrase(phrase))
        return list(dict.fromkeys(phrases))

    def raci(self, value: Any, subject: str, line: int) -> dict[str, list[str]]:
        if value is None:
            return {}
        mapping = self.mapping(value, subject, line, "raci", None)
        if mapping is None:
            return {}
        raci: dict[str, list[str]] = {}
        for key, refs in mapping.items():
            letter = _LETTER_KEYS.get(key) or (_LETTER_KEYS.get(key.casefold()) if key.__class__ is str else None)
            if letter is None:
                message = f"raci letter {describe(key)} is not one of R, A, C, I"
                self.error(subject, message, mapping.key_lines[key])
            elif letter in raci:
                self.error(subject, f"raci letter {letter} is given twice", mapping.key_lines[key])
            elif refs.__class__ is str:
                raci[letter] = [refs]
            else:
                raci[letter] = self.text_items(refs, subject, mapping.key_lines[key], _RACI_WHAT[letter])
        return raci

    def escalation(self, value: Any, subject: str, line: int) -> EscalationPolicy:
        policy = EscalationPolicy()
        mapping = self.mapping(value, subject, line, "escalation", ESCALATION_FIELDS)
        if mapping is None:
            return policy
        timeout = mapping.get("ack_timeout")
        if timeout is not None:
            if timeout.__class__ is str:
                policy.ack_timeout = timeout
            else:
                self.error(
                    subject,
                    f"escalation ack_timeout must be a duration such as 15m, got {describe(timeout)}",
                    mapping.key_lines["ack_timeout"],
                )
        repeats = mapping.get("repeats")
        if repeats is not None:
            if repeats.__class__ is int and repeats >= 0:
                policy.repeats = repeats
            else:
                self.error(
                    subject,
                    f"escalation repeats must be a whole number 0 or more, got {describe(repeats)}",
                    mapping.key_lines["repeats"],
                )
        return policy

    def settings(self, value: Any, line: int) -> OrgSettings:
        settings = OrgSettings()
        mapping = self.mapping(value, "settings", line, "settings", SETTINGS_FIELDS)
        if mapping is None:
            return settings
        if mapping.get("escalation") is not None:
            settings.escalation = self.escalation(mapping["escalation"], "settings", mapping.key_lines["escalation"])
        if mapping.get("admins") is not None:
            settings.admins = self.texts(mapping, "admins", "settings")
            settings.admins_line = mapping.key_lines["admins"]
        read_feature_settings(self, mapping, settings)
        read_people_settings(self, mapping, settings)
        return settings

    def synonyms(self, value: Any, line: int | None) -> list[list[str]]:
        groups = []
        for group, group_line in self.items(value, "synonyms", line, "synonyms"):
            terms = self.text_items(group, "synonyms", group_line, "a synonym group")
            if len(terms) >= 2:
                groups.append(terms)
            elif isinstance(group, list) and len(terms) == len(group):
                self.error("synonyms", f"synonym group {terms} needs at least two terms", group_line)
        return groups


_KEY_HINT = "must use only lowercase letters, digits, '.', '_' and '-'"


def _raw_text(entry: Any, field: str) -> str | None:
    """An identifier that is text but invalid: keep the item so references to it still resolve."""
    value = entry.get(field)
    return value if value.__class__ is str and value.strip() else None


def document_from_tree(tree: Any, *, source: str) -> tuple[RaciDocument, list[Finding]]:
    """The document in a parsed YAML tree, with structural findings in file order."""
    return read_streamed(lambda _readers: tree, source=source)


def read_streamed(
    parse: Callable[[dict[str, ItemReader]], Any], *, source: str
) -> tuple[RaciDocument, list[Finding]]:
    """Like document_from_tree, with `parse` handing each section item to its reader as soon as it is parsed."""
    reader = _Reader(source)
    doc = reader.document(parse(reader.item_readers()))
    reader.findings.sort(key=lambda finding: finding.line or 0)
    return doc, reader.findings
