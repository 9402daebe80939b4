"""Raising an escalation answers the requester at once; the page follows even when Slack makes it wait."""

from __future__ import annotations

from tests.fakes.slack_requests import unique
from tests.slack.in_process import InProcessApp

LENA = "U0LENA001"


def test_the_requester_is_answered_before_a_rate_limited_page_goes_out(bolt_app: InProcessApp) -> None:
    slack, name, channel = bolt_app.slack, unique("bg"), unique("C0BG")
    slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    assert bolt_app.sender().command("escalate docker packaging: background paging check",
                                        response_url=slack.response_url(name), channel=channel).status == 200
    [confirmation] = slack.response(name, timeout=10)
    assert confirmation.params["text"].startswith(f"Escalated to <@{LENA}>")
    page = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == LENA
                          and "background paging check" in str(c.params), count=2, timeout=15)[-1]
    # the page's accepted attempt came after Retry-After; the confirmation did not wait for it
    assert slack.calls().index(confirmation) < slack.calls().index(page)
    assert len(slack.calls("chat.postMessage", lambda c: c.params.get("channel") == LENA
                           and "background paging check" in str(c.params))) == 2  # the 429, then once
