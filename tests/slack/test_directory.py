"""Who has left Slack, asked cheaply: users.list for many people, users.info only to confirm the rest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.slack.directory import SlackDepartureCheck
from tests.digest.fakes import DigestSlackApi

PEOPLE = [f"U0P{i:05d}" for i in range(450)]


@pytest.fixture
def slack() -> Iterator[DigestSlackApi]:
    profiles = {uid: {"email": f"{uid.lower()}@example.com"} for uid in PEOPLE}
    with DigestSlackApi(profiles=profiles, deactivated={PEOPLE[3], PEOPLE[301]}) as fake:
        yield fake


def test_many_people_are_checked_with_a_few_list_pages(slack: DigestSlackApi) -> None:
    directory = SlackDepartureCheck(WebClient(token="xoxb-x", base_url=slack.base_url))
    asked = PEOPLE[:400] + ["U0GONE001", "U0GONE002"]
    assert directory.gone(asked) == {PEOPLE[3]: "deleted", PEOPLE[301]: "deleted",
                                     "U0GONE001": "unknown", "U0GONE002": "unknown"}
    assert len(slack.calls("users.list")) == 3  # 450 users, 200 a page
    assert sorted(c.params["user"] for c in slack.calls("users.info")) == ["U0GONE001", "U0GONE002"]


def test_a_failing_list_falls_back_to_one_question_each(slack: DigestSlackApi) -> None:
    slack.fail("users.list", "internal_error")
    directory = SlackDepartureCheck(WebClient(token="xoxb-x", base_url=slack.base_url))
    assert directory.gone(PEOPLE[:60]) == {PEOPLE[3]: "deleted"}
    assert len(slack.calls("users.info")) == 60


def test_a_few_people_are_asked_about_one_by_one(slack: DigestSlackApi) -> None:
    directory = SlackDepartureCheck(WebClient(token="xoxb-x", base_url=slack.base_url))
    assert directory.gone([PEOPLE[3], PEOPLE[4], "U0GONE001"]) == {PEOPLE[3]: "deleted", "U0GONE001": "unknown"}
    assert slack.calls("users.list") == []
