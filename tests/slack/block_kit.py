"""Slack's Block Kit limits, checked on every message the tests see (builders' output and what the app sent)."""

from __future__ import annotations

from typing import Any

LIMITS = {"message_blocks": 50, "view_blocks": 100, "section_text": 3000, "header_text": 150, "button_text": 75,
          "button_value": 2000, "context_elements": 10, "context_text": 2000, "actions_elements": 25,
          "section_fields": 10, "field_text": 2000, "action_id": 255, "block_id": 255,
          "placeholder_text": 150}
KNOWN_BLOCKS = {"header", "section", "context", "actions", "divider"}


def check_message(text: str | None, blocks: list[dict[str, Any]], *, view: bool = False) -> None:
    """Assert a message (or view) is valid Block Kit within Slack's limits, with a fallback text for messages."""
    if not view:
        assert text and text.strip(), "a message needs a plain-text fallback"
    assert blocks, "no blocks"
    limit = LIMITS["view_blocks"] if view else LIMITS["message_blocks"]
    assert len(blocks) <= limit, f"{len(blocks)} blocks > {limit}"
    action_ids: list[str] = []
    for block in blocks:
        assert block["type"] in KNOWN_BLOCKS, block["type"]
        _check_block(block, action_ids)
    assert len(action_ids) == len(set(action_ids)), f"duplicate action_ids {action_ids}"


def _check_block(block: dict[str, Any], action_ids: list[str]) -> None:
    kind = block["type"]
    if kind == "header":
        assert block["text"]["type"] == "plain_text"
        assert 0 < len(block["text"]["text"]) <= LIMITS["header_text"]
    elif kind == "section":
        _check_section(block, action_ids)
    elif kind == "context":
        assert 0 < len(block["elements"]) <= LIMITS["context_elements"]
        for element in block["elements"]:
            assert 0 < len(element["text"]) <= LIMITS["context_text"]
    elif kind == "actions":
        assert 0 < len(block["elements"]) <= LIMITS["actions_elements"]
        assert len(block.get("block_id", "")) <= LIMITS["block_id"]
        for element in block["elements"]:
            if element["type"] == "external_select":
                _check_select(element, action_ids)
            else:
                _check_button(element, action_ids)


def _check_section(block: dict[str, Any], action_ids: list[str]) -> None:
    assert "text" in block or "fields" in block
    if "text" in block:
        assert 0 < len(block["text"]["text"]) <= LIMITS["section_text"]
    assert len(block.get("fields", [])) <= LIMITS["section_fields"]
    for f in block.get("fields", []):
        assert len(f["text"]) <= LIMITS["field_text"]
    if "accessory" in block:
        _check_button(block["accessory"], action_ids)


def _check_select(select: dict[str, Any], action_ids: list[str]) -> None:
    """An external_select: its options come from our options endpoint, so there are none inline."""
    assert "options" not in select and select["placeholder"]["type"] == "plain_text"
    assert 0 < len(select["placeholder"]["text"]) <= LIMITS["placeholder_text"]
    assert 0 < len(select["action_id"]) <= LIMITS["action_id"]
    action_ids.append(select["action_id"])


def _check_button(button: dict[str, Any], action_ids: list[str]) -> None:
    assert button["type"] == "button"
    assert button["text"]["type"] == "plain_text"
    assert 0 < len(button["text"]["text"]) <= LIMITS["button_text"]
    assert len(button.get("value", "")) <= LIMITS["button_value"]
    assert 0 < len(button["action_id"]) <= LIMITS["action_id"]
    action_ids.append(button["action_id"])
