"""Text from Slack that a database would choke on, and database errors that would leak what was bound to them."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from bot.escalations import engine as service
from bot.store.db import Store
from tests.fakes.slack_requests import unique
from tests.sessions import committed
from tests.slack.in_process import InProcessApp

LENA = "U0LENA001"


def test_a_nul_in_an_escalation_problem_is_dropped_and_the_escalation_goes_out(bolt_app: InProcessApp) -> None:
    name, channel = unique("nul"), unique("C0NUL")
    reply = bolt_app.sender().command("escalate docker packaging: disk\x00 full on build\x00er",
                                         response_url=bolt_app.slack.response_url(name), channel=channel)
    assert reply.status == 200
    [answer] = bolt_app.slack.response(name)
    assert answer.params["text"].startswith(f"Escalated to <@{LENA}>")
    [dm] = bolt_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == LENA
                                      and "disk full on builder" in json.dumps(c.params))
    assert "\x00" not in json.dumps(dm.params, ensure_ascii=False)
    store = Store.open(bolt_app.db_url)
    try:
        assert any(e.problem == "disk full on builder" for e in committed(store, service.list_escalations))
    finally:
        store.close()


def test_a_nul_only_problem_is_asked_for_again(bolt_app: InProcessApp) -> None:
    name = unique("nul")
    bolt_app.sender().command("escalate docker packaging: \x00\x00", response_url=bolt_app.slack.response_url(
        name), channel=unique("C0NUL"))
    [answer] = bolt_app.slack.response(name)
    assert "escalate" in answer.params["text"].lower() and "Escalated to" not in answer.params["text"]


def test_database_errors_do_not_carry_their_parameters(bolt_app: InProcessApp) -> None:
    store = Store.open(bolt_app.db_url)
    try:
        with pytest.raises(sa.exc.DBAPIError) as failed, store.session() as session:
            session.execute(sa.text("SELECT :who FROM no_such_table"), {"who": "ada@example.com"})
        assert "ada@example.com" not in str(failed.value)
    finally:
        store.close()
