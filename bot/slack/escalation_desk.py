"""Raising escalations from Slack and acting on their buttons: the edge over bot/escalations.

The text is matched like any question; an ambiguous or unknown activity is asked back with
buttons, never guessed. Once raised, the first step is ticked at once (the Responsible holders
get their DMs now), not at the next in-process tick.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.errors import RaciError
from bot.escalations import engine
from bot.escalations.policy import policy_for
from bot.escalations.ticker import outbox, tick
from bot.escalations.views import EscalationView, Notifier
from bot.ownership.answers import Answer
from bot.ownership.live import OwnershipService
from bot.slack.away_status import ClientStatuses
from bot.slack.blocks.escalation import list_lines, preview_text
from bot.slack.blocks.escalation_forms import choose_activity_message, usage_message
from bot.slack.blocks.kit import Message, context, escape, section, sections_of_lines
from bot.slack.blocks.notes import note_message
from bot.slack.directory import PeopleDirectory
from bot.slack.observability import count_answer
from bot.slack.queries import split_team
from bot.store.db import Store
from bot.store.text import storable

log = logging.getLogger(__name__)
# After raising, the background pass follows Slack's Retry-After when it is this short, this many times.
FOLLOW_UP_SECONDS = 10.0
FOLLOW_UP_PASSES = 3
MAX_PROBLEM = 1500  # keeps the problem inside a button's value when we must ask which activity


@dataclass(frozen=True)
class Origin:
    """Who raises it and where: the channel (None in a DM) and the thread of a mention."""

    user: str
    channel: str | None
    thread_ts: str | None = None


def split_problem(text: str) -> tuple[str, str] | None:
    """ "docker packaging: the build is red" -> ("docker packaging", "the build is red")."""
    query, sep, problem = text.partition(":")
    if not sep or not query.strip() or not problem.strip():
        return None
    return query.strip(), problem.strip()


class EscalationDesk:
    """Turns Slack requests into escalations, and clicks into acknowledgements and resolutions."""

    def __init__(self, *, service: OwnershipService, store: Store, directory: PeopleDirectory,
                 notifier: Notifier, statuses: ClientStatuses | None = None) -> None:
        self.service = service
        self.store = store
        self.directory = directory
        self.notifier = notifier
        self.statuses = statuses

    def from_text(self, text: str, *, origin: Origin, client: WebClient) -> Message:
        """`/raci escalate QUERY: PROBLEM` and `@raci escalate QUERY: PROBLEM`."""
        parsed = split_problem(storable(text))  # before the emptiness check: a NUL-only problem is empty
        if parsed is None:
            return usage_message()
        query, problem = parsed
        ownership = self.service.current
        query, team = split_team(query, {t.key: t.name for t in ownership.doc.teams})
        try:
            answer = count_answer(self.service.answer(query, team=team, channel=origin.channel))
        except RaciError as exc:
            return note_message(str(exc))
        if answer.status != "match" or answer.activity is None:
            return choose_activity_message(answer, problem=problem[:MAX_PROBLEM], origin_channel=origin.channel,
                                           thread_ts=origin.thread_ts)
        return self.raise_for(answer.activity, team=answer.team, problem=problem, link=None, origin=origin,
                              client=client)

    def raise_for(self, activity: str, *, team: str | None, problem: str, link: str | None, origin: Origin,
                  client: WebClient) -> Message:
        """Raise it for a known activity, tick its first step now, and say what will happen."""
        ownership = self.service.current
        try:
            answer: Answer = ownership.answer_activity(activity, team=team)
        except RaciError as exc:
            return note_message(str(exc))
        if answer.status != "match":
            return note_message(f"{activity!r} is no longer in the RACI matrix. Try `/raci list`.")
        answer = self.directory.resolve(answer, client)  # Slack IDs by email, once
        policy = policy_for(ownership.activity(activity), ownership.doc.settings)
        with self.store.session() as session:
            raised = engine.raise_escalation(
                session=session, answer=answer, problem=problem, link=link, requester=origin.user,
                channel=origin.channel, thread_ts=origin.thread_ts, policy=policy, now=datetime.now(UTC))
        self.tick_now()
        text = preview_text(raised)
        return Message(text, [section(text), context(f"Escalation #{raised.id} · `/raci escalations` lists open ones")])

    def act(self, verb: str, escalation_id: int, *, user: str) -> engine.Outcome:
        """Acknowledge, resolve or cancel on behalf of `user`; refusals change nothing."""
        action = {"ack": engine.acknowledge, "resolve": engine.resolve, "cancel": engine.cancel}[verb]
        with self.store.session() as session:
            outcome = action(session=session, escalation_id=escalation_id, by=user, now=datetime.now(UTC))
        if outcome.changed:
            self.tick_now()
        return outcome

    def open_for(self, user: str, *, client: WebClient) -> Message:
        """`/raci escalations`: the open ones about the asker's activities (all open ones if not in the matrix)."""
        person = self.directory.person_for_user(user, client)
        mine = {i.activity for i in self.service.current.involvements(person)} if person else None
        with self.store.session() as session:
            listed = [e for e in engine.list_escalations(session=session, open_only=True)
                      if mine is None or e.activity in mine or e.requester == user]
        if not listed:
            return note_message("No open escalations about your activities. :tada:")
        title = "Open escalations about your activities" if mine is not None else "Open escalations"
        return Message(f"{title}: {len(listed)}", [section(f"*{escape(title)}*"), *sections_of_lines(
            list_lines(listed))][:50])

    def tick_now(self) -> None:
        """Send what just became due, in the background: the requester is answered at once, even while Slack
        holds the pages back with a long Retry-After. Each page is claimed in the database, so a periodic
        tick running at the same time cannot send it twice."""
        threading.Thread(target=self._tick, name="raci-immediate-tick", daemon=True).start()

    def _tick(self) -> None:
        try:
            for _ in range(FOLLOW_UP_PASSES + 1):
                if not tick(self.store, self.notifier, now=datetime.now(UTC), statuses=self.statuses).waiting:
                    return
                # Slack asked us to wait (429, a blip): a short wait is followed here, so a page is not left
                # for the next periodic tick; a long one is the periodic ticker's.
                wait = outbox(self.store, self.notifier).seconds_to_next(now=datetime.now(UTC))
                if wait is None or wait > FOLLOW_UP_SECONDS:
                    return
                time.sleep(wait + 0.05)
        except Exception:  # the periodic ticker retries; the user's action already counts
            log.exception("immediate tick failed; the periodic ticker will retry")


def outcome_note(outcome: engine.Outcome) -> Message:
    text = escape(outcome.message) if "<@" not in outcome.message else outcome.message
    return Message(text, [section(text)])


def dm_after(outcome: engine.Outcome, verb: str, user: str) -> Message:
    """What the owner's DM turns into after their click: the buttons go, the outcome stays."""
    esc: EscalationView = outcome.escalation
    did = {"ack": "acknowledged", "resolve": "resolved", "cancel": "cancelled"}[verb]
    text = f"<@{user}> {did} escalation #{esc.id} about {escape(esc.activity)}: {escape(esc.problem)}"
    return Message(text, [section(text)])
