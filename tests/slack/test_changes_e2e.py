"""Ownership changes end to end: signed requests to the real app in process, Slack faked at the network; SQLite and
PostgreSQL.

Propose in the modal -> the Accountable approves -> the new Accountable accepts -> answers change ->
the DMs and the FYI go out (the outbox sends on the ticks the tests make) -> history lists it; strangers
are refused; a decline closes; a gap needs an admin; a stale proposal is refused; the old file's re-import
refuses; a restart syncing the unchanged file keeps the change.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk.models.views import View

from bot.changes.limits import MAX_HOME_WAITING
from bot.cli import main
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.fakes.slack_requests import block_actions, unique, view_submission
from tests.slack import test_learning_e2e as learning
from tests.slack.block_kit import check_message
from tests.slack.conftest import DIRECTORY, FIXTURES, PROFILES
from tests.slack.in_process import InProcessApp, in_process_app
from tests.slack.test_learning_e2e import click, dm, header, picker_free_buttons

OMAR, DANA, LENA, BO, IVY, EVE = "U0OMAR001", "U0DANA001", "U0LENA001", "U0BO00001", "U0IVY0001", "U0EVE0001"
SYNC_ON_START = {"RACI_SYNC_ON_START": "1"}  # as deployed (deploy/): every start imports RACI_FILE if it changed


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "raci.yaml"
    shutil.copy(FIXTURES / "changes_org.yaml", path)
    return path


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    """A fake Slack of each test's own (the package's is per module)."""
    with FakeSlackApi(directory=DIRECTORY, profiles=PROFILES) as fake:
        yield fake


@pytest.fixture
def app(db_url: str, slack: FakeSlackApi, org: Path) -> Iterator[InProcessApp]:
    """The app on the changes organisation, in process, on a database of each test's own: the outbox's DMs go
    out when a test ticks."""
    with in_process_app(db_url, slack, raci_file=org, **SYNC_ON_START) as running:
        yield running


def ask(app: InProcessApp, text: str, *, user: str = DANA) -> Call:
    return learning.ask(app, text, user=user)


def answer_text(app: InProcessApp, question: str) -> str:
    """The answer to a question as Slack receives it (text and blocks), e.g. "*Accountable:* <@U0LENA001>"."""
    return json.dumps(ask(app, question).params)


def button(call: Call, text: str) -> dict:
    return next(b for b in picker_free_buttons(call) if b["text"]["text"] == text)


def open_modal(app: InProcessApp, activity_question: str, *, user: str) -> dict:
    """Ask, click "Suggest a change" on the answer: the modal Slack was asked to open (valid Block Kit)."""
    answer = ask(app, activity_question, user=user)
    name = unique("act")
    found = button(answer, "Suggest a change")
    payload = block_actions(found["action_id"], found["value"], response_url=app.slack.response_url(name), user=user)
    assert app.sender().action(payload).status == 200
    [opened] = app.slack.calls("views.open", lambda c: c.params.get("trigger_id") == payload["trigger_id"])
    view = opened.params["view"]
    View(**view).validate_json()  # slack_sdk's own models agree the modal is valid
    return view


def submit(app: InProcessApp, view: dict, *, user: str, reason: str, roles: dict[str, list[str]] | None = None,
           users: dict[str, list[str]] | None = None) -> dict:
    """Submit the modal with these picks (letters not given keep the modal's initial values)."""
    values = {}
    for block in view["blocks"]:
        if block["type"] != "actions":
            continue
        letter = block["block_id"][-1]
        role_el, people_el = block["elements"]
        chosen_roles = (roles or {}).get(letter, [o["value"] for o in role_el.get("initial_options", [])])
        chosen_users = (users or {}).get(letter, people_el.get("initial_users", []))
        values[block["block_id"]] = {
            role_el["action_id"]: {"type": role_el["type"],
                                   "selected_options": [{"value": v, "text": {"type": "plain_text", "text": v}}
                                                        for v in chosen_roles]},
            people_el["action_id"]: {"type": "multi_users_select", "selected_users": chosen_users}}
    values["change_reason"] = {"reason_input": {"type": "plain_text_input", "value": reason}}
    reply = app.sender().action(view_submission("change_modal", private_metadata=view["private_metadata"],
                                                values=values, user=user))
    assert reply.status == 200
    return json.loads(reply.body) if reply.body else {}


def test_propose_approve_accept_applies_tells_everyone_and_history_lists_it(app: InProcessApp) -> None:
    view = open_modal(app, "who owns the feature store", user=DANA)
    assert "Feature store mgmt" in json.dumps(view["blocks"])
    nothing = submit(app, view, user=DANA, reason="no change")
    assert nothing["response_action"] == "errors" and "nothing to change" in nothing["errors"]["change_reason"]
    sent = submit(app, view, user=DANA, reason="Omar moved to the platform team",
                  roles={"A": []}, users={"A": [LENA]})
    assert sent["response_action"] == "update"
    View(**sent["view"]).validate_json()
    assert "Sent to <@U0OMAR001> (Accountable), <@U0BO00001> (admin) for approval" in json.dumps(sent["view"])

    request = dm(app, OMAR, "proposes a change to *Feature store mgmt*")
    assert "+ <@U0LENA001>" in request.params["blocks"][0]["text"]["text"]
    refused = click(app, button(request, "Approve"), user=EVE, channel="D0EVE0001", ephemeral=False)
    assert refused.params["replace_original"] is False and "can't take that from you" in refused.params["text"]
    approved = click(app, button(request, "Approve"), user=OMAR, channel="D0OMAR001", ephemeral=False)
    assert approved.params["replace_original"] is True and "approved by <@U0OMAR001>" in approved.params["text"]
    assert "*Accountable:* <@U0OMAR001>" in answer_text(app, "feature store")  # not before Lena accepts

    asked = dm(app, LENA, "proposes that you become Accountable for *Feature store mgmt*")
    accepted = click(app, button(asked, "Accept"), user=LENA, channel="D0LENA001", ephemeral=False)
    assert "You accepted" in accepted.params["text"]
    assert "*Accountable:* <@U0LENA001>" in answer_text(app, "who owns the feature store")  # applied on accepting

    dm(app, DANA, "Your change to *Feature store mgmt* is applied (approved by <@U0OMAR001>)")
    dm(app, IVY, "FYI: the owners of *Feature store mgmt* changed")
    dm(app, OMAR, "The owners of *Feature store mgmt* changed")
    app.tick()  # the outbox's chat.update of Omar's request, on the ticker's pass
    app.slack.wait_for("chat.update", lambda c: "approved by" in c.params.get("text", ""))

    assert main(["history", "--db", app.db_url]) == 0


def lena_made_accountable(app: InProcessApp) -> None:
    """The change of the first test, made the same way (Dana proposes, Omar approves, Lena accepts)."""
    view = open_modal(app, "who owns the feature store", user=DANA)
    submit(app, view, user=DANA, reason="Omar moved to the platform team", roles={"A": []}, users={"A": [LENA]})
    click(app, button(dm(app, OMAR, "proposes a change to *Feature store mgmt*"), "Approve"), user=OMAR,
          channel="D0OMAR001", ephemeral=False)
    asked = dm(app, LENA, "proposes that you become Accountable for *Feature store mgmt*")
    click(app, button(asked, "Accept"), user=LENA, channel="D0LENA001", ephemeral=False)
    assert "*Accountable:* <@U0LENA001>" in answer_text(app, "feature store")


def test_history_and_the_old_file_refusal_list_the_slack_change(
    app: InProcessApp, org: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    lena_made_accountable(app)
    assert main(["history", "--db", app.db_url]) == 0
    assert "applied, proposed by @dana, approved by @omar, accepted by @lena" in capsys.readouterr().out
    assert main(["import", str(org), "--db", app.db_url]) == 1
    error = capsys.readouterr().err
    assert "would undo" in error and "Feature store mgmt: Accountable" in error and "approved by @omar" in error


def test_a_restart_syncing_the_unchanged_file_keeps_the_slack_change(app: InProcessApp, org: Path) -> None:
    lena_made_accountable(app)
    # a second start on the same store, built as app.py builds it: RACI_SYNC_ON_START finds the file unchanged
    with in_process_app(app.db_url, app.slack, raci_file=org, **SYNC_ON_START) as second:
        assert "*Accountable:* <@U0LENA001>" in answer_text(second, "feature store")
        assert "sync" not in second.readiness()  # no refused sync shown in /readyz


def test_a_stranger_cannot_decide_and_a_decline_closes_it(app: InProcessApp) -> None:
    view = open_modal(app, "office plants", user=EVE)
    submit(app, view, user=EVE, reason="Dana helps now", users={"R": [EVE, DANA]})
    request = dm(app, EVE, "proposes a change to *Office plants*")
    click(app, button(request, "Approve"), user=EVE, channel="D0EVE0001", ephemeral=False)
    asked = dm(app, DANA, "proposes that you become Responsible for *Office plants*")
    refused = click(app, button(asked, "Accept"), user=IVY, channel="D0IVY0001", ephemeral=False)
    assert "does not wait for your answer" in refused.params["text"]
    click(app, button(asked, "Decline"), user=DANA, channel="D0DANA001", ephemeral=False)
    dm(app, EVE, "Your change to *Office plants* is closed: @dana declined to become Responsible")
    assert "<@U0DANA001>" not in answer_text(app, "office plants")


def test_a_gap_needs_an_admin(app: InProcessApp) -> None:
    view = open_modal(app, "docs site", user=DANA)
    sent = submit(app, view, user=DANA, reason="nobody writes docs any more", roles={"R": []})
    assert "only an admin can approve it" in json.dumps(sent["view"])
    told = dm(app, OMAR, "proposes a change to *Docs site*")
    assert not picker_free_buttons(told) and "only an admin can approve it" in json.dumps(told.params)
    request = dm(app, BO, "proposes a change to *Docs site*")
    refused = click(app, button(request, "Approve"), user=OMAR, channel="D0OMAR001", ephemeral=False)
    assert "Only an admin can decide" in refused.params["text"]
    approved = click(app, button(request, "Approve"), user=BO, channel="D0BO00001", ephemeral=False)
    assert "approved by <@U0BO00001>" in approved.params["text"]


def test_a_stale_proposal_is_refused(app: InProcessApp) -> None:
    first = submit(app, open_modal(app, "lab booking", user=DANA), user=DANA, reason="ivy wants to know",
                   users={"I": [IVY]})
    second = submit(app, open_modal(app, "lab booking", user=DANA), user=DANA, reason="eve advises",
                    users={"C": [EVE]})
    assert first["response_action"] == second["response_action"] == "update"
    app.tick()  # the outbox sends both requests on the ticker's pass
    requests = app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == OMAR
                                  and "*Lab booking*" in c.params.get("text", ""), count=2)
    newer = next(c for c in requests if "eve advises" in json.dumps(c.params))
    older = next(c for c in requests if "ivy wants to know" in json.dumps(c.params))
    assert "applied" in click(app, button(newer, "Approve"), user=OMAR, channel="D0OMAR001",
                              ephemeral=False).params["text"]
    stale = click(app, button(older, "Approve"), user=OMAR, channel="D0OMAR001", ephemeral=False)
    assert "stale" in stale.params["text"]
    dm(app, DANA, "Your change to *Lab booking* was not applied: Lab booking changed since it was proposed")
    assert header(ask(app, "lab booking")) == "Lab booking"


# -- App Home: what waits for the viewer --------------------------------------------------------------------------


def home(app: InProcessApp, user: str) -> list[dict]:
    """Open App Home: the blocks of the view Slack is asked to publish (valid Block Kit)."""
    before = len(app.slack.calls("views.publish", lambda c: c.params.get("user_id") == user))
    assert app.sender().event({"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": "home",
                               "event_ts": f"{time.time():.6f}"}).status == 200
    return published(app, user, after=before)


def published(app: InProcessApp, user: str, *, after: int) -> list[dict]:
    """The blocks of the next App Home published for `user`, once `after` were published already."""
    calls = app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == user, count=after + 1)
    view = calls[-1].params["view"]
    View(**view).validate_json()  # slack_sdk's own models agree the view is valid
    check_message(None, view["blocks"], view=True)
    return view["blocks"]


def home_press(app: InProcessApp, blocks: list[dict], text: str, *, user: str, nth: int = 0) -> dict:
    """Click a button in App Home as Slack sends it (the view, no response URL): the payload sent."""
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == text][nth]
    payload = block_actions(found["action_id"], found["value"], response_url="", user=user)
    del payload["response_url"], payload["channel"]
    payload["container"] = {"type": "view", "view_id": "V0HOME001"}
    payload["view"] = {"id": "V0HOME001", "type": "home", "blocks": blocks, "state": {"values": {}}}
    assert app.sender().action(payload).status == 200
    return payload


def home_click(app: InProcessApp, blocks: list[dict], text: str, *, user: str, nth: int = 0) -> list[dict]:
    """Click a button in App Home: the App Home published again."""
    before = len(app.slack.calls("views.publish", lambda c: c.params.get("user_id") == user))
    home_press(app, blocks, text, user=user, nth=nth)
    return published(app, user, after=before)


def waiting(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_app_home_shows_the_approver_and_the_new_owner_what_waits_and_takes_their_clicks(app: InProcessApp) -> None:
    submit(app, open_modal(app, "who owns the feature store", user=DANA), user=DANA, reason="Omar <moved> & left",
           roles={"A": []}, users={"A": [LENA]})
    shown = home(app, OMAR)
    assert "Ownership changes waiting for you" in waiting(shown) and "proposes a change to *Feature store mgmt*" in \
        waiting(shown) and "Omar &lt;moved&gt; &amp; left" in waiting(shown)  # the DM's text, escaped
    assert "Ownership changes waiting for you" not in waiting(home(app, EVE))  # a stranger: nothing waits
    assert "Ownership changes waiting for you" not in waiting(home(app, LENA))  # not approved yet: nothing to accept

    after = home_click(app, shown, "Approve", user=OMAR)
    assert "Ownership changes waiting for you" not in waiting(after)  # decided: no longer listed
    dm(app, LENA, "proposes that you become Accountable for *Feature store mgmt*")  # as approving from the DM
    asked = home(app, LENA)
    assert "proposes that you become Accountable for *Feature store mgmt*" in waiting(asked)
    assert "*Accountable:* <@U0OMAR001>" in answer_text(app, "feature store")  # not before Lena accepts
    accepted = home_click(app, asked, "Accept", user=LENA)
    assert "Ownership changes waiting for you" not in waiting(accepted)
    assert "*Accountable:* <@U0LENA001>" in answer_text(app, "who owns the feature store")
    dm(app, DANA, "Your change to *Feature store mgmt* is applied (approved by <@U0OMAR001>)")


def test_reject_from_app_home_asks_a_reason_then_publishes_it_again(app: InProcessApp) -> None:
    submit(app, open_modal(app, "office plants", user=DANA), user=DANA, reason="Dana helps now", users={"R": [DANA]})
    payload = home_press(app, home(app, EVE), "Reject", user=EVE)
    [opened] = app.slack.wait_for("views.open", lambda c: c.params.get("trigger_id") == payload["trigger_id"])
    View(**opened.params["view"]).validate_json()
    before = len(app.slack.calls("views.publish", lambda c: c.params.get("user_id") == EVE))
    values = {"reject_note": {"note_input": {"type": "plain_text_input", "value": "we have enough gardeners"}}}
    assert app.sender().action(view_submission("change_reject_modal", values=values, user=EVE,
                               private_metadata=opened.params["view"]["private_metadata"])).status == 200
    assert "Ownership changes waiting for you" not in waiting(published(app, EVE, after=before))
    dm(app, DANA, "Your change to *Office plants* was rejected by <@U0EVE0001>. Their reason: “we have enough")


def test_app_home_shows_at_most_the_limit_then_how_many_more(app: InProcessApp) -> None:
    view = open_modal(app, "lab booking", user=DANA)
    for number in range(MAX_HOME_WAITING + 2):
        sent = submit(app, view, user=DANA, reason=f"proposal {number}", users={"I": [IVY]})
        assert sent["response_action"] == "update"
    shown = home(app, OMAR)
    assert waiting(shown).count("proposes a change to *Lab booking*") == MAX_HOME_WAITING
    assert "…and 2 more: `raci changes --open` lists them all." in waiting(shown)
    ids = [e["action_id"] for b in shown if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids))  # unique within the view
    again = home_click(app, shown, "Approve", user=OMAR, nth=3)  # a suffixed id still reaches the listener
    assert "proposal 3" not in waiting(again) and "…and 1 more" in waiting(again)
    dm(app, DANA, "Your change to *Lab booking* is applied")
