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

from bot.slack.blocks.kit import escape

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


class LearnAction(StrEnum):
    """The learning surfaces: the activity picker, the learning channel's post, the approval DMs and App Home."""

    PICK = "raci_learn_pick"          # the external_select over every activity
    NONE = "raci_learn_none"          # "None of these"
    CLOSE = "raci_learn_close"        # "Not an activity", in the learning channel
    APPROVE = "raci_learn_approve"    # App Home numbers them: raci_learn_approve_0, …
    REJECT = "raci_learn_reject"


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


def _int(value: dict[str, Any], key: str) -> int:
    found = value.get(key)
    return found if isinstance(found, int) and not isinstance(found, bool) else 0


def unescape(text: str) -> str:
    """The text `escape` was given."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class Asked:
    """A question someone asked, carried by the picker's block_id and the "None of these" buttons."""

    question: str
    team: str | None = None
    asker: str | None = None    # set in the learning channel: whom to answer by DM
    channel: str | None = None  # where it was asked

    def to_value(self) -> dict[str, Any]:
        # Escaped even here, where Slack shows nothing: a payload never carries a live mention.
        return _compact({"question": escape(self.question), "team": self.team, "asker": self.asker,
                         "channel": self.channel})

    def encode(self) -> str:
        """The value as compact JSON: a block_id holds a string of at most 255 characters."""
        return json.dumps(self.to_value(), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> Asked | None:
        """The question in a value; None when it holds none (another block, a forged value)."""
        question = value.get("question")
        if not isinstance(question, str):
            return None
        return cls(unescape(question), _text(value, "team", "team"), _text(value, "asker", "asker"),
                   _text(value, "channel", "channel"))

    @classmethod
    def decode(cls, raw: str | None) -> Asked | None:
        """The question in a block_id or button value."""
        return cls.from_value(decode(raw))


@dataclass(frozen=True)
class CandidatePick:
    """A candidate activity's button on an answer; with the question when the click also teaches it."""

    activity: str
    team: str | None = None
    question: str | None = None

    def to_value(self) -> dict[str, Any]:
        question = escape(self.question) if self.question is not None else None
        return _compact({**ActivityRef(self.activity, self.team).to_value(), "question": question})

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> CandidatePick:
        ref = ActivityRef.from_value(value)
        question = value.get("question")
        return cls(ref.activity, ref.team, unescape(question) if isinstance(question, str) else None)

    def asked(self) -> Asked | None:
        """The question to learn, as the picker would carry it."""
        return Asked(self.question, self.team) if self.question is not None else None


@dataclass(frozen=True)
class PhraseRef:
    """One learned phrase, on its Approve and Reject buttons; 0 for a value that names none."""

    phrase_id: int

    def to_value(self) -> dict[str, Any]:
        return {"phrase_id": self.phrase_id}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> PhraseRef:
        return cls(_int(value, "phrase_id"))


@dataclass(frozen=True)
class PhraseApproval:
    """What an approval DM (and App Home's pending list) shows: the outbox payload of a `phrase_approval`."""

    phrase_id: int
    phrase: str
    activity: str
    asker: str = ""  # a Slack user ID, or an audit identity such as "@ana"

    def to_value(self) -> dict[str, Any]:
        return {"phrase_id": self.phrase_id, "phrase": self.phrase, "activity": self.activity, "asker": self.asker}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> PhraseApproval:
        return cls(_int(value, "phrase_id"), _text(value, "phrase", "phrase") or "",
                   _text(value, "activity", "activity") or "", _text(value, "asker", "asker") or "")


@dataclass(frozen=True)
class PhraseDecision:
    """What an approval DM turns into once decided: the outbox payload of a `phrase_decided`."""

    phrase: str
    activity: str
    status: str  # "active" (approved) or "rejected"
    decided_by: str = ""

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> PhraseDecision:
        return cls(_text(value, "phrase", "phrase") or "", _text(value, "activity", "activity") or "",
                   _text(value, "status", "status") or "", _text(value, "decided_by", "decided_by") or "")
