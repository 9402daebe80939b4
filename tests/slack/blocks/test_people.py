"""`/raci who`, `/raci role` and the App Home view, without Slack."""

from __future__ import annotations

import json

from bot.ownership.answers import Holder, Involvement
from bot.slack.blocks.help import help_message
from bot.slack.blocks.notes import failure_message, note_message
from bot.slack.blocks.people import Profile, RoleView, home_view, not_in_matrix_view, role_message, who_message
from tests.slack.block_kit import check_message

NAMES = dict(role_names={"de": "Data Engineer", "mle": "ML Engineer"}, team_names={"search": "Search product team"})


def profile(involvements: list[Involvement], roles: tuple = (("de", None),)) -> Profile:
    return Profile(name="Omar Haddad", involvements=tuple(involvements), roles=roles, **NAMES)


OMAR = profile([
    Involvement("Feature store mgmt", "R", "de"), Involvement("Feature store mgmt", "A", "de"),
    Involvement("Data pipeline", "R", "de"), Involvement("Data pipeline", "R", "mle", "search"),
    Involvement("Docker packaging", "I", "de"), Involvement("Release testing", "C", None),
], roles=(("de", None), ("mle", "search")))


def test_who_lists_r_and_a_with_how_and_collapses_c_and_i() -> None:
    message = who_message(OMAR)
    check_message(message.text, message.blocks)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert message.blocks[0]["text"]["text"] == "What Omar Haddad owns"
    assert "*Responsible for* (2)" in text
    assert "• *Data pipeline* — as Data Engineer, as ML Engineer in Search product team" in text
    assert "*Accountable for* (1)" in text
    assert "*Consulted on* (1): Release testing" in text and "*Informed of* (1): Docker packaging" in text
    assert "*Roles:* Data Engineer; ML Engineer in Search product team" in text
    assert message.text == "Omar Haddad: R 2, A 1, C 1, I 1 activities"


def test_someone_holding_nothing_is_told_plainly() -> None:
    message = who_message(profile([], roles=()))
    assert "Omar Haddad is not Responsible or Accountable for any activity." in json.dumps(message.blocks)


def test_home_view_for_a_person_with_hundreds_of_activities_stays_within_limits() -> None:
    many = [Involvement(f"Activity {i} " + "x" * 200, letter, "de") for i in range(300) for letter in "RACI"]
    view = home_view(profile(many))
    assert view["type"] == "home"
    check_message(None, view["blocks"], view=True)
    text = json.dumps(view["blocks"], ensure_ascii=False)
    assert "…and 250 more" in text  # R and A: 50 listed each
    assert "*Consulted on* (300): Activity 0" in text and "and 292 more" in text
    message = who_message(profile(many))
    check_message(message.text, message.blocks)


def test_not_in_matrix_view_is_friendly() -> None:
    view = not_in_matrix_view()
    check_message(None, view["blocks"], view=True)
    assert "not in the RACI matrix yet" in json.dumps(view)


def test_role_shows_holders_teams_and_usergroup() -> None:
    lena = Holder(role="mle", role_name="ML Engineer", handle="lena", name="Lena", slack_id="U0LENA001")
    carl = Holder(role="mle", role_name="ML Engineer", handle="carl", name="Carl Jung")
    view = RoleView("mle", "ML Engineer", "Productionizing models", "S0MLENG01", (lena,),
                    (("Search product team", (carl,)),))
    message = role_message(view)
    check_message(message.text, message.blocks)
    text = json.dumps(message.blocks)
    assert "*Held by:* <@U0LENA001>" in text and "*Search product team:* Carl Jung" in text
    assert "<!subteam^S0MLENG01>" in text


def test_vacant_role_says_so() -> None:
    message = role_message(RoleView("qa", "QA Engineer", None, None, ()))
    assert "nobody (vacant)" in json.dumps(message.blocks)


def test_help_note_and_failure_are_valid_messages() -> None:
    for message in (help_message(), note_message("role 'x' is not defined"), failure_message("abc123")):
        check_message(message.text, message.blocks)
    assert "abc123" in failure_message("abc123").text
