"""The in-memory ownership view: team scope, user groups, vacant roles, reverse lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UnknownPerson, UnknownRole, UnknownTeam
from bot.ownership.index import Ownership
from bot.raci_file import load_file

ORG = Path(__file__).resolve().parents[1] / "fixtures" / "org.yaml"


@pytest.fixture(scope="module")
def ownership() -> Ownership:
    doc, _ = load_file(ORG)
    return Ownership(doc)


def test_a_role_user_group_stands_for_its_org_wide_holders_only(ownership: Ownership) -> None:
    org = ownership.answer_activity("Docker packaging")
    assert [(h.handle, h.slack_usergroup) for h in org.responsible] == [("lena", "S0MLENG01")]
    team = ownership.answer_activity("Docker packaging", team="search")
    assert [(h.handle, h.slack_usergroup) for h in team.responsible] == [("carl", None)]


def test_team_is_found_by_key_or_name(ownership: Ownership) -> None:
    assert ownership.team("Search product team").key == "search"
    with pytest.raises(UnknownTeam, match="did you mean 'search'"):
        ownership.team("serch")


def test_people_by_handle_mention_or_slack_id(ownership: Ownership) -> None:
    assert ownership.person("<@U01OMARH06>").handle == "omar"
    assert ownership.person("@Omar").handle == "omar"
    with pytest.raises(UnknownPerson):
        ownership.person("U0NOBODY1")


def test_roles_by_key_name_or_alias(ownership: Ownership) -> None:
    assert ownership.role("data eng").key == "de"
    assert ownership.role("ML engineer").key == "mle"
    with pytest.raises(UnknownRole, match="did you mean"):
        ownership.role("ML Enginer")


def test_vacant_role_appears_once(ownership: Ownership) -> None:
    answer = ownership.answer_activity("Release testing")
    assert [(h.role, h.vacant) for h in answer.responsible] == [("qa", True)]


def test_roles_of_a_team_member(ownership: Ownership) -> None:
    bea = ownership.person("bea")
    assert [(r.key, team) for r, team in ownership.roles_of(bea)] == [("ds", "search")]
    assert {(i.activity, i.letter, i.team) for i in ownership.involvements(bea)} == {
        ("Feature store mgmt", "C", "search"), ("Docker packaging", "C", "search"),
        ("Model training code", "R", "search")}
