"""`/raci list` pages: a long matrix stays within 50 blocks and pages with buttons."""

from __future__ import annotations

import json

import pytest

from bot.slack.blocks.listing import PAGE_SIZE, ActivityRow, list_message
from tests.slack.block_kit import check_message

ROWS = [ActivityRow(f"Activity {i:03d}", ("Data Engineer",), ("ML Engineer",)) for i in range(300)]


def buttons(message) -> dict[str, dict]:
    return {e["action_id"]: json.loads(e["value"]) for b in message.blocks if b["type"] == "actions"
            for e in b["elements"]}


def shown(message) -> list[str]:
    lines = [line for b in message.blocks if b["type"] == "section" for line in b["text"]["text"].splitlines()]
    return [line.split("*")[1] for line in lines]


@pytest.mark.parametrize("page", [0, 1, 5, 11])
def test_300_activities_page_within_limits(page: int) -> None:
    message = list_message(ROWS, page=page)
    check_message(message.text, message.blocks)
    assert len(message.blocks) <= 50
    assert shown(message) == [r.name for r in ROWS[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
    assert f"Page {page + 1} of 12 · 300 activities" in json.dumps(message.blocks, ensure_ascii=False)


def test_first_and_last_pages_have_one_direction() -> None:
    assert buttons(list_message(ROWS, page=0)) == {"raci_list_page_next": {"filter": "", "page": 1}}
    assert buttons(list_message(ROWS, page=11)) == {"raci_list_page_prev": {"filter": "", "page": 10}}
    assert set(buttons(list_message(ROWS, page=3))) == {"raci_list_page_prev", "raci_list_page_next"}


def test_page_past_the_end_shows_the_last_page() -> None:
    assert shown(list_message(ROWS, page=99)) == [r.name for r in ROWS[275:]]


def test_filter_is_kept_in_the_buttons_and_title() -> None:
    message = list_message(ROWS, filter="data", page=0)
    assert message.blocks[0]["text"]["text"] == "Activities matching “data”"
    assert buttons(message)["raci_list_page_next"]["filter"] == "data"


def test_nothing_found_says_so() -> None:
    message = list_message([], filter="zzz")
    check_message(message.text, message.blocks)
    assert "No activities found" in json.dumps(message.blocks)


def test_huge_names_and_owner_lists_are_truncated() -> None:
    rows = [ActivityRow("N" * 5000, tuple("Role" * 50 for _ in range(40)), ()) for _ in range(300)]
    message = list_message(rows, filter="f" * 3000, page=3)
    check_message(message.text, message.blocks)
