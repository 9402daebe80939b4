"""Reading what was asked: help, list, who, role, free text, and "for TEAM"."""

from __future__ import annotations

import pytest

from bot.slack.queries import (
    Ask,
    Help,
    ListActivities,
    RoleHolders,
    WhoIs,
    parse_query,
    slack_user_id,
    split_team,
    strip_bot_mention,
)

TEAMS = {"search": "Search product team", "ads": "Ads"}


@pytest.mark.parametrize(("text", "query"), [
    ("", Help()),
    ("   ", Help()),
    ("help", Help()),
    ("HELP", Help()),
    ("list", ListActivities("")),
    ("list  data stuff ", ListActivities("data stuff")),
    ("who <@U0OMAR001|omar>", WhoIs("<@U0OMAR001|omar>")),
    ("who @omar", WhoIs("@omar")),
    ("who", WhoIs("")),
    ("who am i", WhoIs("")),
    ("who owns the feature store?", Ask("who owns the feature store?")),
    ("role ML Engineer", RoleHolders("ML Engineer")),
    ("role", Ask("role")),
    ("roles of the data team", Ask("roles of the data team")),
    ("listing service", Ask("listing service")),
])
def test_parse_query(text: str, query: object) -> None:
    assert parse_query(text) == query


@pytest.mark.parametrize(("text", "expected"), [
    ("model training for search", ("model training", "search")),
    ("model training for Search Product Team?", ("model training", "search")),
    ("who is responsible for data pipeline", ("who is responsible for data pipeline", None)),
    ("budget for ads for ads", ("budget for ads", "ads")),
    ("for search", ("for search", None)),
])
def test_split_team_only_takes_a_known_team(text: str, expected: tuple[str, str | None]) -> None:
    assert split_team(text, TEAMS) == expected


def test_strip_bot_mention_and_user_ids() -> None:
    assert strip_bot_mention("<@U0RACIBOT> who owns k8s?") == "who owns k8s?"
    assert strip_bot_mention("<@U0RACIBOT|raci>: help") == "help"
    assert strip_bot_mention("who owns <@U0RACIBOT>?") == "who owns <@U0RACIBOT>?"
    assert slack_user_id("<@U0OMAR001|omar>") == "U0OMAR001"
    assert slack_user_id("@omar") is None
