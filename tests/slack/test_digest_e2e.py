"""`/raci digest off|on` through the real endpoint: the preference is kept by Slack user, in the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.digest.preferences import digest_enabled
from bot.store.db import Store
from tests.fakes.slack_requests import unique
from tests.sessions import committed
from tests.slack.in_process import InProcessApp


@pytest.fixture
def store(bolt_app: InProcessApp) -> Iterator[Store]:
    s = Store.open(bolt_app.db_url)
    yield s
    s.close()


def say(app: InProcessApp, text: str, user: str) -> str:
    name = unique("dig")
    assert app.sender().command(text, response_url=app.slack.response_url(name), user=user).status == 200
    [reply] = app.slack.response(name)
    assert reply.params["response_type"] == "ephemeral"
    return reply.params["text"]


def test_digest_off_and_on(bolt_app: InProcessApp, store: Store) -> None:
    user = "U0DIGEST1"
    assert committed(store, digest_enabled, slack_user_id=user)
    assert say(bolt_app, "digest off", user).startswith("Done: no more weekly ownership digests")
    assert not committed(store, digest_enabled, slack_user_id=user)
    assert say(bolt_app, "digest off", user).startswith("Your weekly ownership digest was already off")
    assert say(bolt_app, "digest on", user).startswith("Your weekly ownership digest is on")
    assert committed(store, digest_enabled, slack_user_id=user)
