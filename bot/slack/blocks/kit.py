"""Block Kit primitives that keep within Slack's limits, so no builder can produce an invalid message."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# https://api.slack.com/reference/block-kit/blocks and .../composition-objects
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK_TEXT = 4000  # Slack truncates `text` at 40,000; notifications show far less

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """A message as Slack takes it: blocks plus the plain-text fallback for notifications."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Text from the matrix or a user, safe inside mrkdwn (no accidental mentions or links).

    The one escaping helper: every string that did not come from our own code goes through it before it
    reaches Slack, in blocks and in the top-level `text` (which Slack parses for mentions in notifications).
    Plain-text fields (headers, buttons) call it themselves, since they never carry our own markup.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, MAX_HEADER_TEXT)}


def plain_text(text: str, limit: int) -> Block:
    """A plain_text object: escaped here, cut to `limit` after escaping so an entity is never split."""
    return {"type": "plain_text", "text": truncate_escaped(escape(text), limit), "emoji": True}


def truncate_escaped(text: str, limit: int) -> str:
    """Like truncate, but never leaves half an entity (`&am…`) at the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def divider() -> Block:
    """A horizontal rule between groups of blocks."""
    return {"type": "divider"}


def section(markdown: str, *, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(markdown, MAX_SECTION_TEXT)}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": truncate(t, MAX_CONTEXT_TEXT)} for t in texts if t]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def button(text: str, *, action_id: str, value: dict[str, Any], style: str | None = None) -> Block:
    """A button whose value is small JSON (read back by the action handlers)."""
    encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if len(encoded) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value too long ({len(encoded)} characters)")
    block: Block = {
        "type": "button",
        "text": plain_text(text, MAX_BUTTON_TEXT),
        "action_id": str(action_id),
        "value": encoded,
    }
    if style is not None:
        block["style"] = style
    return block


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:MAX_ACTIONS_ELEMENTS]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def sections_of_lines(lines: list[str], *, limit: int = MAX_SECTION_TEXT) -> list[Block]:
    """Lines packed into as few sections as the text limit allows (a longer line is truncated)."""
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for line in (truncate(x, limit) for x in lines):
        grown = size + 1 + len(line) if chunk else len(line)
        if chunk and grown > limit:
            blocks.append(section("\n".join(chunk)))
            chunk, grown = [], len(line)
        chunk.append(line)
        size = grown
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def fit(blocks: list[Block], *, limit: int = MAX_MESSAGE_BLOCKS, more: str = "…and more") -> list[Block]:
    """At most `limit` blocks; when cut, the last one says so."""
    if len(blocks) <= limit:
        return blocks
    return blocks[: limit - 1] + [context(more)]
