"""Holders as Slack shows them, and Slack IDs found by email once — against the fake Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.ownership.answers import Holder
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import ensure_loaded
from bot.slack.directory import PeopleDirectory
from bot.slack.mentions import holder_mention, holders_text
from bot.store.db import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import DIRECTORY, ORG_FILE, PROFILES


@pytest.mark.parametrize(("holder", "shown"), [
    (Holder(role="de", handle="omar", name="Omar", slack_id="U1"), "<@U1>"),
    (Holder(role="mle", handle="lena", name="Lena", slack_id="U2", slack_usergroup="S1"), "<!subteam^S1>"),
    (Holder(role=None, handle="carl", name="Carl <C>"), "Carl &lt;C&gt;"),
    (Holder(role="qa", role_name="QA Engineer", vacant=True), "_QA Engineer (vacant)_"),
])
def test_holder_mention(holder: Holder, shown: str) -> None:
    assert holder_mention(holder) == shown


def test_holders_text_mentions_a_usergroup_once() -> None:
    group = [Holder(role="mle", role_name="ML Engineer", handle=h, slack_id=u, slack_usergroup="S1")
             for h, u in (("a", "U1"), ("b", "U2"))]
    assert holders_text(group, with_roles=True) == "<!subteam^S1> (ML Engineer)"
    assert holders_text([]) == "_nobody_"


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(directory=DIRECTORY, profiles=PROFILES) as fake:
        yield fake


@pytest.fixture
def service(store: Store) -> OwnershipService:
    ensure_loaded(store, ORG_FILE)
    return OwnershipService(store)


def client(slack: FakeSlackApi) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.base_url)


def test_email_lookup_happens_once_and_is_saved(slack: FakeSlackApi, service: OwnershipService) -> None:
    directory = PeopleDirectory(service)
    for _ in range(3):
        answer = directory.resolve(service.answer("release testing"), client(slack))
        assert answer.accountable[0].slack_id == "U0RAJ0001"
    assert len(slack.calls("users.lookupByEmail")) == 1
    reloaded = OwnershipService(service.store)  # another replica, or a restart
    assert reloaded.current.person("raj").slack_id == "U0RAJ0001"


def test_unknown_email_is_shown_by_name_and_not_asked_again(slack: FakeSlackApi, service: OwnershipService) -> None:
    directory = PeopleDirectory(service)
    for _ in range(2):
        answer = directory.resolve(service.answer("model training code", team="search"), client(slack))
        assert holders_text(answer.accountable) == "Carl Jung"
    assert [c.params["email"] for c in slack.calls("users.lookupByEmail")] == ["carl@example.com"]


def test_lookup_failure_other_than_not_found_is_retried_later(slack: FakeSlackApi, service: OwnershipService) -> None:
    directory = PeopleDirectory(service)
    slack.fail("users.lookupByEmail", "missing_scope")
    first = directory.resolve(service.answer("release testing"), client(slack))
    assert first.accountable[0].slack_id is None
    second = directory.resolve(service.answer("release testing"), client(slack))
    assert second.accountable[0].slack_id == "U0RAJ0001"


def test_person_for_user_by_id_then_by_email(slack: FakeSlackApi, service: OwnershipService) -> None:
    directory = PeopleDirectory(service)
    assert directory.person_for_user("U0OMAR001", client(slack)).handle == "omar"
    assert slack.calls("users.info") == []
    assert directory.person_for_user("U0NOOR001", client(slack)).handle == "noor"
    assert directory.person_for_user("U0NOOR001", client(slack)).handle == "noor"
    assert len(slack.calls("users.info")) == 1  # learned: the second time is by Slack ID
    assert directory.person_for_user("U0STRANGER", client(slack)) is None
    assert directory.person_for_user("U0NOBODY", client(slack)) is None
