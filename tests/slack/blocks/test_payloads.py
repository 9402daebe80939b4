"""Button values and modal metadata: descriptive keys out, old one-letter keys still read, hostile input tamed."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks.escalation_forms import modal_values, modal_view
from bot.slack.blocks.payloads import (
    MAX_PAGE,
    ActivityRef,
    Asked,
    CandidatePick,
    EscalationDraft,
    EscalationRef,
    LearnAction,
    ListPage,
    PhraseApproval,
    PhraseDecision,
    PhraseRef,
    decode,
)


def test_values_round_trip_with_descriptive_keys() -> None:
    draft = EscalationDraft("Docker packaging", "search", "build is red", "C0GENERAL1", "1700000000.000100")
    assert draft.to_value() == {"activity": "Docker packaging", "team": "search", "problem": "build is red",
                                "channel": "C0GENERAL1", "thread_ts": "1700000000.000100"}
    assert EscalationDraft.from_value(json.loads(json.dumps(draft.to_value()))) == draft
    assert ListPage.from_value(ListPage("data", 3).to_value()) == ListPage("data", 3)
    assert ActivityRef.from_value(ActivityRef("Feature store mgmt").to_value()) == ActivityRef("Feature store mgmt")
    assert EscalationRef.from_value(EscalationRef(7).to_value()) == EscalationRef(7)


def test_buttons_posted_before_this_version_still_work() -> None:
    assert ActivityRef.from_value({"a": "Docker packaging", "t": "search"}) == ActivityRef("Docker packaging", "search")
    assert ListPage.from_value({"f": "data", "p": 2}) == ListPage("data", 2)  # "p" was the page here ...
    old_pick = {"a": "Docker packaging", "t": None, "p": "build is red", "c": "C0GENERAL1", "th": None}
    assert EscalationDraft.from_value(old_pick).problem == "build is red"  # ... and the problem there
    old_modal = {"private_metadata": json.dumps({"a": "Docker packaging", "t": None, "c": "C1", "th": "1.2"}),
                 "state": {"values": {"problem": {"problem_input": {"value": " down "}}}}}
    assert modal_values(old_modal) == (EscalationDraft("Docker packaging", None, "down", "C1", "1.2"), None)


def test_a_modal_carries_its_draft_to_the_submission() -> None:
    view = modal_view(activity="Docker packaging", team="search", channel="C0GENERAL1", thread_ts=None)
    submitted = {**view, "state": {"values": {"problem": {"problem_input": {"value": "down"}},
                                              "link": {"link_input": {"value": "https://example.com/x"}}}}}
    assert modal_values(submitted) == (EscalationDraft("Docker packaging", "search", "down", "C0GENERAL1"),
                                       "https://example.com/x")


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null", "", None, "[" * 100_000])
def test_anything_but_a_json_object_reads_as_empty(raw: str | None) -> None:
    assert decode(raw) == {}


def test_wrong_types_become_defaults_never_errors() -> None:
    hostile = {"activity": ["x"], "team": 5, "problem": {"a": 1}, "channel": 3.5, "page": "2", "escalation": "9"}
    assert EscalationDraft.from_value(hostile) == EscalationDraft("")
    assert ListPage.from_value(hostile) == ListPage("", 0)
    assert ListPage.from_value({"page": 10**12}).page == MAX_PAGE and ListPage.from_value({"page": -4}).page == 0
    assert ListPage.from_value({"page": True}).page == 0
    assert EscalationRef.from_value(hostile) == EscalationRef(0)


def test_learning_values_round_trip_and_carry_no_live_mention() -> None:
    asked = Asked("who owns <!channel> & deploys?", "search", asker="U0ASKER01", channel="C0GENERAL1")
    assert asked.to_value() == {"question": "who owns &lt;!channel&gt; &amp; deploys?", "team": "search",
                                "asker": "U0ASKER01", "channel": "C0GENERAL1"}
    assert Asked.decode(asked.encode()) == asked
    assert Asked("who pages").encode() == '{"question":"who pages"}'  # what buttons already posted carry
    pick = CandidatePick("Docker packaging", None, "who builds <images>?")
    assert pick.to_value() == {"activity": "Docker packaging", "question": "who builds &lt;images&gt;?"}
    assert CandidatePick.from_value(pick.to_value()).asked() == Asked("who builds <images>?")
    assert CandidatePick.from_value({"a": "Docker packaging"}) == CandidatePick("Docker packaging")
    assert PhraseRef.from_value(PhraseRef(12).to_value()) == PhraseRef(12)
    approval = PhraseApproval(12, "who pages", "On-call", "U0ASKER01")
    assert PhraseApproval.from_value(approval.to_value()) == approval


def test_forged_learning_values_name_nothing() -> None:
    assert Asked.decode('{"question": 5, "team": "x"}') is None and Asked.decode("not json") is None
    assert Asked.from_value({"question": "q", "team": ["x"], "asker": 7}) == Asked("q")
    assert PhraseRef.from_value({"phrase_id": True}) == PhraseRef(0)  # a bool is no phrase (was read as #1)
    assert PhraseRef.from_value({"phrase_id": "12"}) == PhraseRef(0)
    assert PhraseApproval.from_value({"phrase_id": 3, "phrase": None, "activity": 1}) == PhraseApproval(3, "", "")
    assert PhraseDecision.from_value({"status": ["active"]}) == PhraseDecision("", "", "")
    assert LearnAction.APPROVE == "raci_learn_approve" and LearnAction.PICK == "raci_learn_pick"
