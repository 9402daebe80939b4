"""Block Kit primitives keep within Slack's limits whatever they are given."""

from __future__ import annotations

import pytest

from bot.slack.blocks.kit import button, context, escape, fit, header, sections_of_lines, truncate


def test_truncate_marks_the_cut() -> None:
    assert truncate("abc", 3) == "abc"
    assert truncate("abcdef", 4) == "abc…"


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_header_button_and_context_are_cut_to_their_limits() -> None:
    assert len(header("h" * 500)["text"]["text"]) == 150
    assert len(button("b" * 500, action_id="x", value={})["text"]["text"]) == 75
    block = context(*("c" * 5000 for _ in range(20)))
    assert len(block["elements"]) == 10 and all(len(e["text"]) == 2000 for e in block["elements"])


def test_button_value_too_long_is_a_bug_not_a_silent_cut() -> None:
    with pytest.raises(ValueError):
        button("b", action_id="x", value={"v": "x" * 3000})


@pytest.mark.parametrize("sizes", [[10] * 1000, [2999, 1, 3000, 5000], [0, 0, 1]])
def test_lines_pack_into_sections_of_at_most_3000_characters_and_keep_their_order(sizes: list[int]) -> None:
    lines = [str(i % 10) * n for i, n in enumerate(sizes)]
    blocks = sections_of_lines(lines)
    texts = [b["text"]["text"] for b in blocks]
    assert all(len(t) <= 3000 for t in texts)
    assert "\n".join(texts).split("\n") == [truncate(line, 3000) for line in lines]


def test_fit_cuts_to_the_limit_and_says_so() -> None:
    blocks = [header(str(i)) for i in range(60)]
    fitted = fit(blocks)
    assert len(fitted) == 50 and fitted[-1]["type"] == "context"
    assert fit(blocks[:5]) == blocks[:5]
