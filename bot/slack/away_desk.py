"""`/raci away until <date> [delegate @someone]`, `/raci back`, away people in answers and in App Home."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.away.dates import HOW, DateError, away_until
from bot.away.marking import mark_answer
from bot.away.store import Away, active_away, delegations_of, end_away, set_away
from bot.errors import RaciError
from bot.ownership.answers import Answer
from bot.ownership.live import OwnershipService
from bot.raci_file.model import Person
from bot.slack.away_status import SlackStatusCheck
from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, section
from bot.slack.directory import PeopleDirectory
from bot.slack.mentions import away_text
from bot.slack.queries import slack_user_id

BACK_ACTION = "raci_away_back"
_AWAY = re.compile(r"(?:(?P<who>\S+)\s+)?until\s+(?P<date>.+?)(?:\s+delegate\s+(?P<delegate>\S+))?\s*", re.I)
USAGE = "Write `/raci away until <date> [delegate @someone]`. " + HOW


class AwayDesk:
    """Slack requests about being away, answered from the store (every replica agrees) and Slack statuses."""

    def __init__(self, service: OwnershipService, directory: PeopleDirectory, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 statuses: SlackStatusCheck | None = None) -> None:
        self.service = service
        self.directory = directory
        self.clock = clock
        self.statuses = statuses or SlackStatusCheck()

    def set(self, text: str, *, user: str, client: WebClient) -> Message:
        """`/raci away …`: for yourself, or (admins) for someone else; audited."""
        found = _AWAY.fullmatch(text.strip())
        if found is None:
            return _note(USAGE)
        asker = self._asker(user, client)
        who = self._person(found["who"], client) if found["who"] else asker
        if who.handle != asker.handle and asker.handle not in self.service.current.doc.settings.admins:
            return _note("Only an admin of the matrix (settings.admins) can set someone else away.")
        delegate = self._person(found["delegate"], client) if found["delegate"] else None
        if delegate is not None and delegate.handle == who.handle:
            return _note("The delegate must be someone else.")
        now = self.clock()
        try:
            until = away_until(found["date"], now=now, tz=self._zone(who, client))
        except DateError as exc:
            return _note(str(exc))
        with self.service.store.session() as session:
            away = set_away(session, handle=who.handle, until=until, delegate=delegate.handle if delegate else None,
                            actor=asker.handle, now=now)
        subject = "You're" if who.handle == asker.handle else f"{escape(who.name)} is"
        line = f"{subject} {away_text(away.until, _cover(delegate))}. `/raci back` ends it."
        return Message(line, [section(line), context("Answers name the delegate and escalations page them; "
                                                      "it ends by itself at that date.")])

    def back(self, text: str, *, user: str, client: WebClient) -> Message:
        """`/raci back [@someone]` (someone else: admins)."""
        asker = self._asker(user, client)
        who = self._person(text, client) if text.strip() else asker
        if who.handle != asker.handle and asker.handle not in self.service.current.doc.settings.admins:
            return _note("Only an admin of the matrix (settings.admins) can end someone else's away time.")
        with self.service.store.session() as session:
            ended = end_away(session, handle=who.handle, actor=asker.handle, now=self.clock())
        mine = who.handle == asker.handle
        if not ended:
            return _note("You weren't marked away." if mine else f"{escape(who.name)} wasn't marked away.")
        line = "Welcome back! Answers and escalations name you again." if mine else f"{escape(who.name)} is back."
        return Message(line, [section(line)])

    def mark(self, answer: Answer, client: WebClient) -> Answer:
        """The answer with away holders marked: away periods, then Slack statuses (one read per holder at most)."""
        if answer.status != "match":
            return answer
        now = self.clock()
        with self.service.store.session() as session:
            away: dict[str, Away] = active_away(session, now=now)
        ownership = self.service.current
        if ownership.doc.settings.away.from_slack_status is not False:
            holders = {h.handle: h.slack_id for letter in "RACI" for h in answer.holders(letter)
                       if h.handle and h.slack_id and h.handle not in away}
            for handle, slack_id in holders.items():
                if (found := self.statuses.away(handle, slack_id, client, now=now)) is not None:
                    away[handle] = found
        return mark_answer(answer, away, ownership.people)

    def home_blocks(self, user: str, client: WebClient) -> list[Block]:
        """App Home: your away state with a button to end it, and whom you cover for."""
        person = self.directory.person_for_user(user, client)
        if person is None:
            return []
        now = self.clock()
        with self.service.store.session() as session:
            mine = active_away(session, now=now).get(person.handle)
            covering = delegations_of(session, delegate=person.handle, now=now)
        blocks: list[Block] = []
        people = self.service.current.people
        if mine is not None:
            text = f"You're {away_text(mine.until, _cover(people.get(mine.delegate or '')))}."
            blocks += [section(text), actions(button("I'm back", action_id=BACK_ACTION, value={}, style="primary"))]
        for away in covering:
            name = people[away.handle].name if away.handle in people else away.handle
            blocks.append(context(f"You cover for {escape(name)} ({away_text(away.until, None)})."))
        return blocks

    def _asker(self, user: str, client: WebClient) -> Person:
        person = self.directory.person_for_user(user, client)
        if person is None:
            raise RaciError("You're not in the RACI matrix, so there is nothing to cover while you're away.")
        return person

    def _person(self, text: str, client: WebClient) -> Person:
        user = slack_user_id(text)
        if user:
            found = self.directory.person_for_user(user, client)
            if found is None:
                raise RaciError(f"<@{user}> is not in the RACI matrix.")
            return found
        return self.service.current.person(text)

    def _zone(self, person: Person, client: WebClient) -> ZoneInfo:
        """The person's Slack time zone (users.info `tz`); UTC when Slack doesn't say."""
        if not person.slack_id:
            return ZoneInfo("UTC")
        try:
            return ZoneInfo(str(client.users_info(user=person.slack_id)["user"].get("tz") or "UTC"))
        except (SlackApiError, ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def _cover(delegate: Person | None) -> str | None:
    if delegate is None:
        return None
    return f"<@{delegate.slack_id}>" if delegate.slack_id else escape(delegate.name)


def _note(text: str) -> Message:
    return Message(text, [section(text)])
