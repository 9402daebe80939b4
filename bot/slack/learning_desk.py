"""The Slack side of learning: picks answer and teach, "None of these" asks the learning channel, owners decide.

Listeners (bot/slack/learning.py) hand plain values to this desk; it calls the core Learning
service and returns the message to show. Approval DMs go through the outbox, never from here.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.learning.limits import MAX_HOME_PENDING, MAX_PICKER_OPTIONS
from bot.learning.service import Learning, LearningRefused, Person
from bot.ownership.index import Ownership
from bot.runtime.ticker import utcnow
from bot.slack.blocks import learning as blocks
from bot.slack.blocks.kit import Message, section
from bot.slack.blocks.notes import note_message
from bot.slack.blocks.payloads import Asked, PhraseApproval, PhraseDecision
from bot.slack.directory import PeopleDirectory

if TYPE_CHECKING:
    from bot.slack.replies import Replies


def picker_names(ownership: Ownership, typed: str) -> list[str]:
    """Activities for what someone typed into the picker: the matcher's picks first, then names containing it."""
    typed = " ".join(typed.split())[:blocks.MAX_OPTION_VALUE]
    if not typed:
        return [a.name for a in ownership.doc.activities[:MAX_PICKER_OPTIONS]]
    result = ownership.matcher.match(typed)
    names = [result.activity] if result.activity else []
    names += [c.activity for c in result.candidates]
    wanted = typed.casefold()
    for activity in ownership.doc.activities:
        if len(names) >= MAX_PICKER_OPTIONS * 2:
            break
        if wanted in activity.name.casefold() or any(wanted in alias.casefold() for alias in activity.aliases):
            names.append(activity.name)
    return list(dict.fromkeys(names))[:MAX_PICKER_OPTIONS]


class LearningDesk:
    """What each learning click and command does, as messages."""

    def __init__(self, learning: Learning, directory: PeopleDirectory, replies: Replies) -> None:
        self.learning = learning
        self.directory = directory
        self.replies = replies
        self.store = learning.service.store  # the desk is an edge: it opens and commits the transactions

    def person(self, user: str, client: WebClient) -> Person:
        """A Slack user as the learning service knows them: "@handle" when in the matrix."""
        found = self.directory.person_for_user(user, client)
        if found is None:
            return Person(user, slack_user=user)
        return Person(f"@{found.handle}", found.handle, slack_user=user)

    def options(self, typed: str) -> list[dict[str, Any]]:
        return blocks.activity_options(picker_names(self.learning.service.current, typed))

    def asker_picked(self, asked: Asked, activity: str, *, user: str, channel: str | None, client: WebClient,
                     shareable: bool) -> Message:
        """The asker picked: their message becomes the answer, and the question is proposed or confirmed."""
        message = self.replies.activity(activity, team=asked.team, client=client, shareable=shareable)
        if self.learning.service.current.activity(activity) is not None:
            self._pick(asked, activity, person=self.person(user, client), source=channel)
        return message

    def helper_picked(self, asked: Asked, activity: str, *, user: str, client: WebClient) -> Message:
        """Someone in the learning channel knew: answer the asker by DM, learn, and close the post."""
        if self.learning.service.current.activity(activity) is None:
            return note_message(f"{activity} is no longer in the RACI matrix; pick another.")
        answer = self.replies.activity(activity, team=asked.team, client=client, shareable=False)
        if asked.asker:
            intro = blocks.helper_answer_intro(user, asked.channel)
            with contextlib.suppress(SlackApiError):  # the pick still teaches; the post below says who answered
                client.chat_postMessage(channel=asked.asker, text=f"{intro} {answer.text}",
                                        blocks=[section(intro), *answer.blocks])
        self._pick(asked, activity, person=self.person(user, client), source=asked.channel)
        return blocks.channel_closed_message(asked, by=user, activity=activity)

    def _pick(self, asked: Asked, activity: str, *, person: Person, source: str | None) -> None:
        with self.store.session() as session:
            self.learning.pick(session=session, question=asked.question, activity=activity, person=person,
                               source=source, now=utcnow())

    def none_of_these(self, asked: Asked, *, user: str, channel: str | None, client: WebClient) -> Message:
        """Post the question to the learning channel, or tell the asker whom to ask."""
        learning_channel = self.learning.service.current.doc.settings.learning.channel
        if not learning_channel:
            return blocks.no_channel_message()
        post = blocks.channel_question_message(Asked(asked.question, asked.team, asker=user, channel=channel))
        client.chat_postMessage(channel=learning_channel, **post.kwargs())
        return blocks.sent_to_channel_message(learning_channel)

    def close(self, asked: Asked, *, user: str, client: WebClient) -> Message:
        """"Not an activity": tell the asker politely, and close the channel's post."""
        if asked.asker:
            client.chat_postMessage(channel=asked.asker, **blocks.not_an_activity_message(asked).kwargs())
        return blocks.channel_closed_message(asked, by=user, activity=None)

    def decide(self, phrase_id: int, *, approve: bool, user: str, client: WebClient) -> tuple[Message, bool]:
        """Approve or Reject: (the message, whether it replaces the clicked one); a stranger is refused."""
        person = self.person(user, client)
        try:
            with self.store.session() as session:
                decided = self.learning.decide(session=session, phrase_id=phrase_id, approve=approve, person=person,
                                               now=utcnow(), source="slack")
        except LearningRefused as exc:
            return note_message(f"Sorry, I can't take that from you: {exc}"), False
        # Decided earlier by someone else (the same way): say who did.
        by = user if decided.decided_by == person.identity else decided.decided_by
        return blocks.decided_message(PhraseDecision(decided.phrase, decided.activity, decided.status, by or "")), True

    def teach(self, phrase: str, activity: str, *, user: str, client: WebClient) -> Message:
        if not phrase.strip() or not activity.strip():
            return note_message("Use `/raci teach <question> = <activity>`, e.g. "
                                "`/raci teach who gets paged at night = PagerDuty rotation`.")
        person = self.person(user, client)
        with self.store.session() as session:
            taught = self.learning.teach(session=session, phrase_text=phrase, activity_query=activity, person=person,
                                         now=utcnow(), source="slack")
        return note_message(f"Learned: “{taught.phrase}” now answers with {taught.activity}.")

    def forget(self, phrase: str, *, user: str, client: WebClient) -> Message:
        if not phrase.strip():
            return note_message("Use `/raci forget <question>`.")
        person = self.person(user, client)
        with self.store.session() as session:
            forgotten = self.learning.forget(session=session, phrase_text=phrase, person=person, source="slack")
        names = ", ".join(p.activity for p in forgotten)
        return note_message(f"Forgot “{forgotten[0].phrase}” ({names}).")

    def home_blocks(self, user: str, client: WebClient) -> list[dict[str, Any]]:
        """App Home's pending phrases for an Accountable holder (or admin), with Approve and Reject."""
        person = self.person(user, client)
        with self.store.session() as session:
            pending = self.learning.pending_for(session=session, person=person)
        shown = [PhraseApproval(p.id, p.phrase, p.activity, p.proposed_by) for p in pending[:MAX_HOME_PENDING]]
        return blocks.pending_home_blocks(shown, max(0, len(pending) - MAX_HOME_PENDING))
