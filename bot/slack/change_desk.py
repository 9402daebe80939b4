"""The Slack side of ownership changes: open the modal, turn a submission into a proposal, decide, accept.

Listeners (bot/slack/changes.py) hand plain values here; the core Changes service decides and
queues every DM through the outbox. `open_change_modal` is the one entry point other features
(review DMs, App Home) call to let someone suggest a change for an activity.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.changes.limits import MAX_HOME_WAITING, MAX_TYPED_OPTIONS
from bot.changes.model import ChangeRefused, NewPerson
from bot.changes.service import Changes
from bot.learning.service import Person
from bot.runtime.ticker import utcnow
from bot.slack.blocks import changes as blocks
from bot.slack.blocks.kit import Block, Message
from bot.slack.blocks.notes import note_message
from bot.slack.directory import PeopleDirectory

_NOT_HANDLE = re.compile(r"[^a-z0-9._-]+")


class ChangeDesk:
    """What each change click, submission and command does, as messages or views."""

    def __init__(self, changes: Changes, directory: PeopleDirectory) -> None:
        self.changes = changes
        self.directory = directory
        self.store = changes.service.store  # the desk is an edge: it opens and commits the transactions

    def person(self, user: str, client: WebClient) -> Person:
        """A Slack user as the services know them: "@handle" when in the matrix."""
        found = self.directory.person_for_user(user, client)
        if found is None:
            return Person(user, slack_user=user)
        return Person(f"@{found.handle}", found.handle, slack_user=user)

    def modal(self, activity: str, team: str | None) -> dict[str, Any] | Message:
        """The proposal modal for an activity, or a note saying why there is none."""
        if not self.changes.enabled:
            return blocks.edit_in_git_message(self.changes.file_url)
        ownership = self.changes.service.current
        try:
            name, letters = self.changes.current_letters(activity)
        except ChangeRefused as exc:
            return note_message(str(exc))
        choices = [(role.name, role.key) for role in ownership.doc.roles]
        # People without a Slack ID cannot be shown in a users picker: they are offered beside the roles.
        choices += [(f"@{p.handle} ({p.name})", f"@{p.handle}") for p in ownership.doc.people if not p.slack_id]
        people = {p.handle: p.slack_id for p in ownership.doc.people if p.slack_id}
        return blocks.modal_view(activity=name, team=team, letters=letters, choices=choices, people=people)

    def open_modal(self, client: WebClient, *, trigger_id: str, activity: str, team: str | None = None
                   ) -> Message | None:
        """Open the modal (None) or return the note to show instead (proposals off, unknown activity)."""
        view = self.modal(activity, team)
        if isinstance(view, Message):
            return view
        client.views_open(trigger_id=trigger_id, view=view)
        return None

    def typed_options(self, typed: str) -> list[dict[str, Any]]:
        """Options of the role pickers when there are too many for a static select."""
        ownership = self.changes.service.current
        choices = [(role.name, role.key) for role in ownership.doc.roles]
        choices += [(f"@{p.handle} ({p.name})", f"@{p.handle}") for p in ownership.doc.people if not p.slack_id]
        return blocks.role_options(choices, typed)[:MAX_TYPED_OPTIONS]

    def submit(self, view: dict[str, Any], *, user: str, client: WebClient) -> tuple[str | None, str]:
        """A submitted modal: (None, the confirmation) or (the error to show on the form, "")."""
        ref, roles, users, reason = blocks.modal_values(view)
        letters: dict[str, list[str]] = {}
        new_people: dict[str, NewPerson] = {}
        for letter, refs in roles.items():
            letters[letter] = list(refs)
            for slack_id in users.get(letter, []):
                letters[letter].append("@" + self._handle_for(slack_id, client, new_people))
        person = self.person(user, client)
        try:
            with self.store.session() as session:
                proposal = self.changes.propose(session=session, activity=ref.activity, letters=letters,
                                                reason=reason, person=person, now=utcnow(),
                                                new_people=list(new_people.values()))
        except ChangeRefused as exc:
            return str(exc), ""
        mentions = {h: p.slack_id for h, p in self.changes.service.current.people.items() if p.slack_id}
        return None, blocks.sent_text(proposal.change.activity, proposal.approvers, mentions,
                                      proposal.change.admins_only)

    def decide(self, change_id: int, *, approve: bool, user: str, client: WebClient,
               note: str | None = None) -> tuple[Message, bool]:
        """Approve or reject: (the message, whether it replaces the clicked DM); a stranger is refused."""
        person = self.person(user, client)
        try:
            with self.store.session() as session:
                done = self.changes.decide(session=session, change_id=change_id, approve=approve, person=person,
                                           now=utcnow(), note=note)
        except ChangeRefused as exc:
            return note_message(f"Sorry, I can't take that from you: {exc}"), False
        payload = {"id": done.id, "activity": done.activity, "status": done.status,
                   "decided_by": user if done.status in ("approved", "applied", "rejected") else done.closed_by,
                   "note": done.closing_note}
        return blocks.decided_message(payload), True

    def answer(self, change_id: int, *, accept: bool, user: str, client: WebClient) -> tuple[Message, bool]:
        """Accept or decline becoming an owner."""
        person = self.person(user, client)
        try:
            with self.store.session() as session:
                done = self.changes.answer(session=session, change_id=change_id, accept=accept, person=person,
                                           now=utcnow())
        except ChangeRefused as exc:
            return note_message(f"Sorry, I can't take that from you: {exc}"), False
        status = "accepted" if accept and done.status in ("approved", "applied") else done.status
        return blocks.answered_message({"id": done.id, "activity": done.activity, "status": status}), True

    def listing(self) -> Message:
        """The latest change requests, as `/raci changes` lists them."""
        with self.store.session() as session:
            listed = self.changes.listing(session=session)
        return blocks.listing_message(listed)

    def home_blocks(self, user: str, client: WebClient) -> list[Block]:
        """App Home's change requests waiting for this person (to decide, to accept), with the DMs' buttons."""
        person = self.person(user, client)
        with self.store.session() as session:
            waiting = self.changes.waiting_for(session=session, person=person)
        return blocks.waiting_home_blocks(waiting.approvals, waiting.accepts, at_most=MAX_HOME_WAITING)

    def _handle_for(self, slack_id: str, client: WebClient, new_people: dict[str, NewPerson]) -> str:
        """The handle of a picked Slack user; someone not in the matrix becomes a new person (users.info)."""
        ownership = self.changes.service.current
        known = ownership.by_slack_id.get(slack_id) or self.directory.person_for_user(slack_id, client)
        if known is not None:
            return known.handle
        if slack_id in new_people:
            return new_people[slack_id].handle
        try:
            user = client.users_info(user=slack_id)["user"]
        except SlackApiError:
            user = {}
        profile = user.get("profile") or {}
        name = str(profile.get("real_name") or user.get("real_name") or user.get("name") or slack_id)[:200]
        base = _NOT_HANDLE.sub("-", str(profile.get("display_name") or user.get("name") or name).casefold())
        handle = base.strip("-.")[:60] or slack_id.casefold()
        taken = set(ownership.people) | {p.handle for p in new_people.values()}
        if handle in taken:
            handle = f"{handle}-{slack_id.casefold()}"[:100]
        new_people[slack_id] = NewPerson(handle, name.replace("\x00", ""), slack_id)
        return handle
