"""The answer builders, without Slack: what each status shows, and Slack's limits on long names."""

from __future__ import annotations

import json

from bot.ownership.answers import Answer, Holder, Suggestion
from bot.slack.blocks.answer import answer_message, build_answer_blocks
from tests.slack.block_kit import check_message

OMAR = Holder(role="de", role_name="Data Engineer", handle="omar", name="Omar Haddad", slack_id="U0OMAR001")
LENA = Holder(role="mle", role_name="ML Engineer", handle="lena", name="Lena Berg", slack_id="U0LENA001",
              slack_usergroup="S0MLENG01")
CARL = Holder(role="mle", role_name="ML Engineer", handle="carl", name="Carl <Jung>", email="carl@example.com")
QA = Holder(role="qa", role_name="QA Engineer", vacant=True)


def match(**kwargs: object) -> Answer:
    base = dict(query="feature store", status="match", activity="Feature store mgmt", responsible=(OMAR,),
                accountable=(OMAR,), consulted=(LENA, CARL), informed=(QA,))
    return Answer(**{**base, **kwargs})


def texts(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_match_shows_r_and_a_as_mentions_and_c_i_on_a_context_line() -> None:
    message = answer_message(match())
    check_message(message.text, message.blocks)
    header, section, context, actions = message.blocks
    assert header["text"]["text"] == "Feature store mgmt"
    assert section["text"]["text"] == ("*Responsible:* <@U0OMAR001> (Data Engineer)\n"
                                       "*Accountable:* <@U0OMAR001> (Data Engineer)")
    assert [e["text"] for e in context["elements"]] == [
        "*Consulted:* <!subteam^S0MLENG01>, Carl &lt;Jung&gt;", "*Informed:* _QA Engineer (vacant)_"]
    assert actions["elements"][0]["action_id"] == "raci_share"
    assert json.loads(actions["elements"][0]["value"]) == {"activity": "Feature store mgmt"}
    assert message.text == "Feature store mgmt: Responsible <@U0OMAR001>; Accountable <@U0OMAR001>"


def test_team_scoped_answer_names_the_team_and_its_button_keeps_it() -> None:
    blocks = build_answer_blocks(match(team="search", team_name="Search product team"))
    assert "Team: *Search product team*" in texts(blocks)
    assert json.loads(blocks[-1]["elements"][0]["value"])["team"] == "search"


def test_shared_answer_has_no_share_button_and_says_who_shared() -> None:
    blocks = build_answer_blocks(match(), shareable=False, shared_by="U0SHARER1")
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["raci_escalate", "raci_change"]  # escalate or suggest a change; a shared one is not shared again
    assert "Shared by <@U0SHARER1>" in texts(blocks)


def test_every_answer_has_an_escalate_button_keeping_the_team() -> None:
    blocks = build_answer_blocks(match(team="search", team_name="Search product team"))
    (row,) = [b for b in blocks if b["type"] == "actions"]
    assert [e["text"]["text"] for e in row["elements"]] == ["Share in channel", "Escalate", "Suggest a change"]
    assert json.loads(row["elements"][1]["value"]) == {"activity": "Feature store mgmt", "team": "search"}


def test_nobody_holding_a_letter_says_so() -> None:
    message = answer_message(match(responsible=(), consulted=(), informed=()))
    assert "*Responsible:* _nobody_" in message.blocks[1]["text"]["text"]


def test_ambiguous_offers_a_button_per_candidate() -> None:
    answer = Answer(query="monitoring", status="ambiguous",
                    candidates=(Suggestion("Model monitoring", 0.8), Suggestion("Data monitoring", 0.8)))
    message = answer_message(answer)
    check_message(message.text, message.blocks)
    assert message.blocks[0]["text"]["text"] == "Did you mean *Model monitoring* or *Data monitoring*?"
    buttons = message.blocks[1]["elements"]
    assert [(b["action_id"], json.loads(b["value"])["activity"]) for b in buttons] == [
        ("raci_pick_0", "Model monitoring"), ("raci_pick_1", "Data monitoring")]


def test_none_is_friendly_with_suggestions_and_never_mentions() -> None:
    answer = Answer(query="<@U0EVIL> <!channel> pizza", status="none", candidates=(Suggestion("Data pipeline", 0.3),))
    message = answer_message(answer)
    check_message(message.text, message.blocks)
    shown = texts(message.blocks)
    assert "I don't know who owns" in shown and "/raci list" in shown and "Data pipeline" in shown
    assert "<@" not in shown and "<!" not in shown


def test_none_without_suggestions_offers_only_the_picker_and_none_of_these() -> None:
    message = answer_message(Answer(query="pizza", status="none"))
    [picker] = [b for b in message.blocks if b["type"] == "actions"]
    assert [e["type"] for e in picker["elements"]] == ["external_select", "button"]
    assert picker["elements"][1]["text"]["text"] == "None of these"


def test_long_names_are_truncated_within_slacks_limits() -> None:
    long_name = "Very long activity " * 40
    many = tuple(Holder(role="r", role_name="Role " * 30, handle=f"p{i}", name=f"Person {i} " * 10) for i in range(80))
    answer = match(activity=long_name, description="d" * 5000, responsible=many, accountable=many, consulted=many,
                   informed=many, team="t" * 50, team_name="Team " * 100)
    message = answer_message(answer)
    check_message(message.text, message.blocks)
    assert message.blocks[0]["text"]["text"].endswith("…")
    candidates = tuple(Suggestion("Candidate " * 20 + str(i), 0.5) for i in range(12))
    ambiguous = answer_message(Answer(query="q" * 5000, status="ambiguous", candidates=candidates))
    check_message(ambiguous.text, ambiguous.blocks)
    assert all(len(b["text"]["text"]) <= 75 for b in ambiguous.blocks[1]["elements"])


def test_with_proposals_off_the_change_button_points_at_the_file() -> None:
    blocks = build_answer_blocks(match(), suggest=False, file_url="https://git.example.com/org/raci/raci.yaml")
    (row,) = [b for b in blocks if b["type"] == "actions"]
    last = row["elements"][-1]
    assert last["text"]["text"] == "Edit the RACI file in git"
    assert last["url"] == "https://git.example.com/org/raci/raci.yaml"
