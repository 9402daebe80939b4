"""`/raci …` and its buttons, end to end: signed requests to the real app, answers read from the fake Slack."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import block_actions, unique
from tests.slack.block_kit import check_message
from tests.slack.in_process import InProcessApp


def ask(app: InProcessApp, text: str, *, channel: str = "C0GENERAL1", user: str = "U0ASKER01") -> Call:
    """Run `/raci text` and return the answer posted to its response URL."""
    name = unique("cmd")
    reply = app.sender().command(text, response_url=app.slack.response_url(name), channel=channel, user=user)
    assert reply.status == 200
    [answer] = app.slack.response(name)
    check_message(answer.params.get("text"), answer.params.get("blocks", []))
    return answer


def click(app: InProcessApp, button: dict, *, ephemeral: bool = True, user: str = "U0ASKER01") -> Call:
    """Click a button of a message the app sent; return what the app posted to the response URL."""
    name = unique("act")
    payload = block_actions(button["action_id"], button["value"], response_url=app.slack.response_url(name),
                            ephemeral=ephemeral, user=user)
    assert app.sender().action(payload).status == 200
    [answer] = app.slack.response(name)
    check_message(answer.params.get("text"), answer.params.get("blocks", []))
    return answer


def buttons(call: Call) -> list[dict]:
    return [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


def header(call: Call) -> str:
    return next(b["text"]["text"] for b in call.params["blocks"] if b["type"] == "header")


def section_text(call: Call) -> str:
    return "\n".join(b["text"]["text"] for b in call.params["blocks"] if b["type"] == "section")


@pytest.mark.parametrize(("query", "activity", "responsible", "accountable"), [
    ("who owns the feature store?", "Feature store mgmt", "<@U0OMAR001>", "<@U0OMAR001>"),
    ("model training code", "Model training code", "<@U0ANA0001>", "<!subteam^S0MLENG01>"),
    ("docker", "Docker packaging", "<!subteam^S0MLENG01>", "<@U0PAT0001>"),
])
def test_answer_is_ephemeral_with_mentions_and_a_share_button(
    bolt_app: InProcessApp, query: str, activity: str, responsible: str, accountable: str
) -> None:
    answer = ask(bolt_app, query)
    assert answer.params["response_type"] == "ephemeral"
    assert header(answer) == activity
    lines = section_text(answer).splitlines()
    assert lines[0].startswith(f"*Responsible:* {responsible}")
    assert lines[1].startswith(f"*Accountable:* {accountable}")
    assert activity in answer.params["text"] and responsible in answer.params["text"]
    assert [b["text"]["text"] for b in buttons(answer)] == ["Share in channel", "Escalate", "Suggest a change"]


def test_consulted_and_informed_are_on_a_context_line(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "feature store")
    [context] = [b for b in answer.params["blocks"] if b["type"] == "context" and "Consulted" in str(b)]
    texts = [e["text"] for e in context["elements"]]
    assert texts == ["*Consulted:* <@U0ANA0001>, <!subteam^S0MLENG01>", "*Informed:* <@U0PAT0001>"]


def test_for_team_answers_with_the_teams_people(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "model training code for search")
    text = section_text(answer)
    assert "*Responsible:* <@U0BEA0001>" in text
    # carl staffs ML Engineer for the team: no Slack ID and unknown to Slack, so his name, not the org's group
    assert "*Accountable:* Carl Jung (ML Engineer)" in text
    assert "S0MLENG01" not in text
    assert "Search product team" in answer.blocks_text()


def test_a_teams_channel_scopes_any_question(bolt_app: InProcessApp) -> None:
    in_channel = ask(bolt_app, "model training code", channel="C0SEARCH01")
    elsewhere = ask(bolt_app, "model training code", channel="C0RANDOM01")
    assert "*Responsible:* <@U0BEA0001>" in section_text(in_channel)
    assert "*Responsible:* <@U0ANA0001>" in section_text(elsewhere)
    assert "Search product team" not in elsewhere.blocks_text()


def test_slack_id_found_by_email_is_saved_and_not_looked_up_again(bolt_app: InProcessApp) -> None:
    first = ask(bolt_app, "release testing")
    second = ask(bolt_app, "who owns release testing?")
    for answer in (first, second):
        assert "*Accountable:* <@U0RAJ0001>" in section_text(answer)
        assert "_QA Engineer (vacant)_" in section_text(answer)
    lookups = bolt_app.slack.calls("users.lookupByEmail", lambda c: c.params.get("email") == "raj@example.com")
    assert len(lookups) == 1
    assert lookups[0].auth == "Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
    engine = sa.create_engine(bolt_app.db_url)
    try:
        with engine.connect() as conn:
            saved = conn.execute(sa.text("SELECT slack_id FROM people WHERE handle = 'raj'")).scalar_one()
    finally:
        engine.dispose()
    assert saved == "U0RAJ0001"


def test_share_in_channel_posts_the_same_answer_visibly(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "docker packaging")
    shared = click(bolt_app, buttons(answer)[0], user="U0SHARER1")
    assert shared.params["response_type"] == "in_channel"
    assert header(shared) == "Docker packaging"
    assert section_text(shared) == section_text(answer)
    assert "Shared by <@U0SHARER1>" in shared.blocks_text()
    assert [b["text"]["text"] for b in buttons(shared)] == ["Escalate", "Suggest a change"]


def test_ambiguous_asks_which_and_a_click_answers_for_that_one(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "monitoring")
    assert "Did you mean" in section_text(answer)
    assert "<@" not in answer.blocks_text()
    choices = {b["text"]["text"]: b for b in buttons(answer) if b["action_id"].startswith("raci_pick_")}
    assert set(choices) == {"Model monitoring", "Data monitoring"}
    picked = click(bolt_app, choices["Data monitoring"])
    assert picked.params["replace_original"] is True
    assert header(picked) == "Data monitoring"
    assert "*Responsible:* <@U0OMAR001>" in section_text(picked)
    assert [b["text"]["text"] for b in buttons(picked)] == ["Share in channel", "Escalate", "Suggest a change"]


def test_unknown_is_friendly_and_mentions_nobody(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "who owns the pizza delivery?")
    assert "I don't know who owns" in answer.blocks_text()
    assert "/raci list" in answer.blocks_text()
    assert "<@" not in json.dumps(answer.params) and "subteam" not in json.dumps(answer.params)


@pytest.mark.parametrize("text", ["", "help", "  HELP  "])
def test_help_and_empty_text_show_usage_with_examples(bolt_app: InProcessApp, text: str) -> None:
    answer = ask(bolt_app, text)
    shown = answer.blocks_text()
    for usage in ("/raci list", "/raci who @someone", "/raci role", "for <team>"):
        assert usage in shown
    assert "/raci who owns the feature store?" in shown


def test_list_shows_activities_with_their_owning_roles(bolt_app: InProcessApp) -> None:
    everything = ask(bolt_app, "list")
    assert header(everything) == "Activities"
    assert "*Feature store mgmt* — R: Data Engineer · A: Data Engineer" in section_text(everything)
    assert "*Release testing* — R: QA Engineer · A: @raj" in section_text(everything)
    assert "7 activities" in everything.blocks_text()
    filtered = ask(bolt_app, "list monitoring")
    lines = section_text(filtered).splitlines()
    assert [line.split("*")[1] for line in lines] == ["Model monitoring", "Data monitoring"]


def test_who_lists_what_a_person_owns(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "who <@U0OMAR001|omar>")
    assert header(answer) == "What Omar Haddad owns"
    text = section_text(answer)
    assert "*Responsible for* (2)" in text and "*Feature store mgmt* — as Data Engineer" in text
    assert "Informed of* (3)" in answer.blocks_text()


def test_who_without_anyone_is_about_the_asker_found_by_their_slack_email(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "who", user="U0NOOR001")  # noor has no Slack ID in the matrix, only an email
    assert header(answer) == "What Noor Amini owns"
    assert "*Incident response* — as Site Reliability Engineer" in section_text(answer)


def test_who_with_someone_unknown_says_so(bolt_app: InProcessApp) -> None:
    assert "'@zed' is not in the RACI matrix" in ask(bolt_app, "who @zed").blocks_text()
    assert "You're not in the RACI matrix yet" in ask(bolt_app, "who", user="U0STRANGER").blocks_text()


def test_role_shows_holders_and_usergroup(bolt_app: InProcessApp) -> None:
    answer = ask(bolt_app, "role ML Engineer")
    assert header(answer) == "ML Engineer"
    text = section_text(answer)
    assert "*Held by:* <@U0LENA001>" in text
    assert "*Search product team:* Carl Jung" in text
    assert "<!subteam^S0MLENG01>" in answer.blocks_text()
    unknown = ask(bolt_app, "role astronaut")
    assert "role 'astronaut' is not defined" in unknown.blocks_text()


def test_list_pages_turn_with_buttons(bolt_app: InProcessApp) -> None:
    first = ask(bolt_app, "list")
    assert buttons(first) == []  # seven activities fit on one page
    nxt = {"action_id": "raci_list_page_next", "value": json.dumps({"f": "", "p": 0})}
    page = click(bolt_app, nxt)
    assert page.params["replace_original"] is True
    assert "Page 1 of 1" in page.blocks_text()
