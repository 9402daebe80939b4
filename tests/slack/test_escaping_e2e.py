"""Markup typed by users never comes back live: every outbound message is searched for it.

Each surface gets hostile text (a broadcast, a mention, a disguised link); afterwards every call the app
made to the fake Slack (message text, blocks, modals, response URLs) is searched for those tokens unescaped.
"""

from __future__ import annotations

import json
import time

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import app_mention, block_actions, direct_message, unique, view_submission
from tests.slack.in_process import InProcessApp

HOSTILE = "<!channel> <!here> <@U0EVIL0001> <http://evil.example|the SSO page> <!subteam^S0EVIL01>"
LIVE = ("<!channel>", "<!here>", "<@U0EVIL0001>", "<http://evil.example", "<!subteam^S0EVIL01>")
LENA = "U0LENA001"


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def live_markup(calls: list[Call]) -> list[tuple[str, str]]:
    return [(c.method, s) for c in calls for s in strings(c.params) for token in LIVE if token in s]


def command(app: InProcessApp, text: str, *, channel: str = "C0ESCAPE01") -> Call:
    name = unique("esc")
    assert app.sender().command(text, response_url=app.slack.response_url(name), channel=channel).status == 200
    return app.slack.response(name)[0]


def test_no_user_markup_comes_back_live_on_any_surface(bolt_app: InProcessApp) -> None:
    slack, first = bolt_app.slack, len(bolt_app.slack.calls())
    replies = [command(bolt_app, text) for text in (
        f"role {HOSTILE}", f"who {HOSTILE}", f"who owns {HOSTILE}?", f"list {HOSTILE}", f"{HOSTILE} for {HOSTILE}",
        f"escalate {HOSTILE}: it is broken", "docker " + HOSTILE)]
    assert all(r.params.get("text") for r in replies)

    channel, ts = unique("C0ESC"), f"{time.time():.6f}"
    assert bolt_app.sender().event(app_mention(f"who owns {HOSTILE}", channel=channel, ts=ts)).status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel)
    dm = unique("D0ESC")
    assert bolt_app.sender().event(direct_message(f"who owns {HOSTILE}", channel=dm, ts=ts)).status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == dm)

    # an escalation: the requester's note, the Responsible holder's DM, the status message in the channel
    raised_in = unique("C0ESC")
    command(bolt_app, f"escalate docker packaging: {HOSTILE} log in at <http://evil.example|the SSO page>",
            channel=raised_in)
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == LENA and "evil" in json.dumps(c.params))
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == raised_in)

    # the Escalate button's modal, submitted with hostile text and a link that tries to close its <…|link>
    answer = command(bolt_app, "docker packaging")
    escalate = next(e for b in answer.params["blocks"] if b["type"] == "actions" for e in b["elements"]
                    if e["text"]["text"] == "Escalate")
    payload = block_actions(escalate["action_id"], escalate["value"], response_url=slack.response_url(unique("a")),
                            user="U0ASKER05", channel=raised_in)
    assert bolt_app.sender().action(payload).status == 200
    [opened] = slack.wait_for("views.open", lambda c: c.params.get("trigger_id") == payload["trigger_id"])
    submitted = view_submission("escalation_modal", private_metadata=opened.params["view"]["private_metadata"],
                                user="U0ASKER05", values={
                                    "problem": {"problem_input": {"type": "plain_text_input", "value": HOSTILE}},
                                    "link": {"link_input": {"type": "url_text_input",
                                                            "value": "https://ok.example/>|<!channel>"}}})
    assert bolt_app.sender().action(submitted).status == 200
    slack.wait_for("chat.postEphemeral", lambda c: c.params.get("user") == "U0ASKER05")
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == LENA and "ok.example" in json.dumps(
        c.params))

    outbound = slack.calls()[first:]
    assert len(outbound) >= 12
    assert live_markup(outbound) == []
