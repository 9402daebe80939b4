"""What our buttons and modals carry: action ids (one enum per surface) and small typed values.

A button's value and a modal's private_metadata come back from Slack in a later request: they
are parsed like any other input (wrong types become defaults, never exceptions). Values are
written with descriptive keys; the one-letter keys of buttons posted before this version
("a", "t", "p", "c", "th", "f") are still read, so old messages keep working.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_PAGE = 10_000  # far above any real matrix's page count; bounds what a forged value can ask for


class AnswerAction(StrEnum):
    """Buttons on an answer."""

    SHARE = "raci_share"
    PICK = "raci_pick"  # one per candidate: raci_pick_0, raci_pick_1, …


class ListAction(StrEnum):
    """Buttons on `/raci list`."""

    PAGE = "raci_list_page"  # raci_list_page_prev, raci_list_page_next


class EscalationAction(StrEnum):
    """Buttons and the modal of the escalation flow."""

    ESCALATE = "raci_escalate"  # the button on an answer: opens the modal
    PICK = "escalate_pick"  # one per candidate activity: escalate_pick_0, …
    MODAL = "escalation_modal"  # the modal's callback_id
    ACK = "escalation_ack"
    RESOLVE = "escalation_resolve"
    CANCEL = "escalation_cancel"


def decode(raw: str | None) -> dict[str, Any]:
    """The JSON object in a button value or private_metadata; {} for anything else."""
    try:
        value = json.loads(raw or "{}")
    except (json.JSONDecodeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _text(value: dict[str, Any], key: str, old: str) -> str | None:
    found = value.get(key, value.get(old))
    return found if isinstance(found, str) else None


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty fields: a button's value is limited to 2,000 characters."""
    return {k: v for k, v in fields.items() if v is not None}


@dataclass(frozen=True)
class ActivityRef:
    """An activity, optionally as one team sees it: Share, a candidate pick, the Escalate button."""

    activity: str
    team: str | None = None

    def to_value(self) -> dict[str, Any]:
        return _compact({"activity": self.activity, "team": self.team})

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> ActivityRef:
        return cls(_text(value, "activity", "a") or "", _text(value, "team", "t"))


@dataclass(frozen=True)
class ListPage:
    """A page of `/raci list`, with its filter."""

    filter: str
    page: int

    def to_value(self) -> dict[str, Any]:
        return {"filter": self.filter, "page": self.page}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> ListPage:
        page = value.get("page", value.get("p"))
        page = page if isinstance(page, int) and not isinstance(page, bool) else 0
        return cls(_text(value, "filter", "f") or "", min(max(page, 0), MAX_PAGE))


@dataclass(frozen=True)
class EscalationDraft:
    """An escalation not raised yet: what, for which team, the problem, and where it was asked."""

    activity: str
    team: str | None = None
    problem: str = ""
    channel: str | None = None
    thread_ts: str | None = None

    def to_value(self) -> dict[str, Any]:
        return _compact({"activity": self.activity, "team": self.team, "problem": self.problem or None,
                         "channel": self.channel, "thread_ts": self.thread_ts})

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> EscalationDraft:
        return cls(_text(value, "activity", "a") or "", _text(value, "team", "t"),
                   _text(value, "problem", "p") or "", _text(value, "channel", "c"),
                   _text(value, "thread_ts", "th"))


@dataclass(frozen=True)
class EscalationRef:
    """One escalation, on its Acknowledge, Resolve and Cancel buttons."""

    escalation: int

    def to_value(self) -> dict[str, Any]:
        return {"escalation": self.escalation}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> EscalationRef:
        found = value.get("escalation")
        return cls(found if isinstance(found, int) and not isinstance(found, bool) else 0)
