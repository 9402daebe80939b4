"""What differs between two RACI documents, item by item: the basis of sync output and the audit log."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from bot.raci_file.model import Activity, RaciDocument, name_key

ChangeKind = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class Change:
    subject_type: str  # person, role, team, activity, synonyms, settings
    subject: str  # handle, key or activity name
    change: ChangeKind
    # for "changed": field -> [old, new]; for added/removed: the item's fields
    details: dict[str, Any]

    def __str__(self) -> str:
        sign = {"added": "+", "changed": "~", "removed": "-"}[self.change]
        text = f"{sign} {self.subject_type} {self.subject}"
        if self.change == "changed":
            text += ": " + ", ".join(_describe(k, v) for k, v in self.details.items())
        return text


def _describe(field: str, values: list[Any]) -> str:
    old, new = values
    return f"{field} {_fmt(old)} -> {_fmt(new)}"


def _fmt(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


@functools.cache
def _content_fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A dataclass's content fields, and those of them that may hold a dataclass (read as their fields)."""
    # where it was defined (`line`) and learned phrases (compare=False) are not matrix content
    names = tuple(f.name for f in dataclasses.fields(cls) if f.name != "line" and f.compare)
    hints = typing.get_type_hints(cls)
    nested = tuple(name for name in names if any(dataclasses.is_dataclass(kind) for kind in _kinds(hints[name])))
    return names, nested


def _kinds(hint: Any) -> tuple[Any, ...]:
    """The types a field's annotation allows (`EscalationPolicy | None` -> EscalationPolicy, NoneType)."""
    return typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)


def _fields(item: Any) -> dict[str, Any]:
    """An item's fields as plain values, without where it was defined (`line` is no content)."""
    # a class is hashable; mypy reads type.__hash__ as the unbound instance method and says it is not
    names, nested = _content_fields(type(item))  # type: ignore[arg-type]
    out = {name: getattr(item, name) for name in names}
    for name in nested:
        if out[name] is not None:
            out[name] = _fields(out[name])
    return out


def _diff_keyed(
    subject_type: str, old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], str],
    label: Callable[[Any], str],
) -> list[Change]:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    changes: list[Change] = []
    for k, item in after.items():
        if k not in before:
            changes.append(Change(subject_type, label(item), "added", _fields(item)))
            continue
        if before[k] == item:  # dataclass equality ignores `line` too: the common case, decided cheaply
            continue
        a, b = _fields(before[k]), _fields(item)
        delta = {f: [a[f], b[f]] for f in b if a[f] != b[f]}
        if delta:
            changes.append(Change(subject_type, label(item), "changed", delta))
    for k, item in before.items():
        if k not in after:
            changes.append(Change(subject_type, label(item), "removed", _fields(item)))
    return changes


def diff_documents(old: RaciDocument, new: RaciDocument) -> list[Change]:
    """Every added, changed and removed item going from `old` to `new` (order alone is no change)."""
    return diff_definitions(old, new) + diff_activities(old.activities, new.activities) + diff_extras(old, new)


def diff_definitions(old: RaciDocument, new: RaciDocument) -> list[Change]:
    """What changed in people, roles and teams (the part of a diff that comes before activities)."""
    changes = _diff_keyed("person", old.people, new.people, lambda p: p.handle, lambda p: p.handle)
    changes += _diff_keyed("role", old.roles, new.roles, lambda r: r.key, lambda r: r.key)
    changes += _diff_keyed("team", old.teams, new.teams, lambda t: t.key, lambda t: t.key)
    return changes


def diff_activities(old: Iterable[Activity], new: Iterable[Activity]) -> list[Change]:
    """Activities added or changed (in `new`'s order), then removed (in `old`'s), matched by name_key."""
    return _diff_keyed("activity", old, new, lambda a: name_key(a.name), lambda a: a.name)


def diff_extras(old: RaciDocument, new: RaciDocument) -> list[Change]:
    """What changed in synonyms and settings (the part of a diff that comes after activities)."""
    changes: list[Change] = []
    old_syn = {tuple(g) for g in old.synonyms}
    new_syn = {tuple(g) for g in new.synonyms}
    changes += [Change("synonyms", " / ".join(g), "added", {"terms": list(g)})
                for g in new.synonyms if tuple(g) not in old_syn]
    changes += [Change("synonyms", " / ".join(g), "removed", {"terms": list(g)})
                for g in old.synonyms if tuple(g) not in new_syn]
    a, b = _fields(old.settings), _fields(new.settings)
    for group in b:
        if not isinstance(b[group], dict):  # a plain setting such as admins
            if a[group] != b[group]:
                changes.append(Change("settings", group, "changed", {group: [a[group], b[group]]}))
            continue
        delta = {f"{group}.{f}": [a[group][f], b[group][f]] for f in b[group] if a[group][f] != b[group][f]}
        if delta:
            changes.append(Change("settings", group, "changed", delta))
    return changes
