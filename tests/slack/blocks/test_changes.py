"""The change flow's Block Kit: the modal (static and typed role pickers) and every DM, valid and escaped."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack.blocks import changes as blocks
from tests.slack.block_kit import check_message

HOSTILE = "<!channel> *bold* <https://evil.example|click>"
PAYLOAD = {"id": 7, "activity": f"Feature store {HOSTILE}", "proposer": "U0DANA001", "reason": HOSTILE,
           "diff": {"A": {"added": [["@lena", "U0LENA001"]], "removed": [["ML Lead", None]]}},
           "admins_only": False, "can_decide": True, "letters": ["A"], "approved_by": "U0OMAR001",
           "status": "rejected", "by": "U0OMAR001", "decided_by": "U0OMAR001", "note": HOSTILE}


@pytest.mark.parametrize("roles", [3, 150])
def test_the_modal_is_valid_block_kit_with_static_or_typed_role_pickers(roles: int) -> None:
    choices = [(f"Role {i}", f"role-{i}") for i in range(roles)]
    view = blocks.modal_view(activity=f"Feature store {HOSTILE}", team=None,
                             letters={"R": ["role-1", "@dana"], "A": ["role-2"]}, choices=choices,
                             people={"dana": "U0DANA001"})
    View(**view).validate_json()
    pickers = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    kinds = {e["type"] for e in pickers}
    assert kinds == {"multi_users_select", "multi_static_select" if roles <= 100 else "multi_external_select"}
    assert pickers[1]["initial_users"] == ["U0DANA001"]
    assert "<!channel>" not in str(view["blocks"])  # private_metadata is never shown


@pytest.mark.parametrize("render", [blocks.approval_message, blocks.decided_message, blocks.accept_message,
                                    blocks.answered_message, blocks.outcome_message, blocks.applied_message,
                                    blocks.fyi_message])
def test_every_dm_is_valid_and_escapes_user_text(render) -> None:
    message = render(PAYLOAD)
    check_message(message.text, message.blocks)
    for block in message.blocks:
        Block.parse(block).validate_json()
    assert "<!channel>" not in message.text + str(message.blocks)


def test_a_gap_dm_to_an_accountable_holder_has_no_buttons_and_says_why() -> None:
    message = blocks.approval_message({**PAYLOAD, "admins_only": True, "can_decide": False})
    assert not [b for b in message.blocks if b["type"] == "actions"]
    assert "only an admin can approve it" in str(message.blocks)


def test_the_reject_modal_and_the_sent_view_are_valid() -> None:
    View(**blocks.reject_modal(7)).validate_json()
    View(**blocks.sent_view(blocks.sent_text("Docs", {"omar": "Accountable", "bo": "admin"},
                                             {"omar": "U0OMAR001"}, True))).validate_json()


def test_app_home_lists_what_waits_with_unique_ids_escaped_and_says_how_many_more() -> None:
    assert blocks.waiting_home_blocks([], [], at_most=3) == []
    shown = blocks.waiting_home_blocks([PAYLOAD, PAYLOAD, PAYLOAD], [PAYLOAD, PAYLOAD], at_most=3)
    View(type="home", blocks=shown).validate_json()
    check_message(None, shown, view=True)
    ids = [e["action_id"] for b in shown if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["change_approve_0", "change_reject_0", "change_approve_1", "change_reject_1",
                   "change_approve_2", "change_reject_2"]
    assert "…and 2 more: `raci changes --open` lists them all." in str(shown[-1])
    assert "<!channel>" not in str(shown)
    accepts = blocks.waiting_home_blocks([], [PAYLOAD], at_most=3)
    assert [e["action_id"] for b in accepts if b["type"] == "actions" for e in b["elements"]] == [
        "change_accept_0", "change_decline_0"]
