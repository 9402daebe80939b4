"""From a question to the message that answers it: ownership lookups, Slack IDs, then the builders.

Shared by the slash command, mentions, direct messages and buttons, so every surface answers alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, assert_never

from slack_sdk import WebClient

from bot.changes.service import Changes
from bot.digest.preferences import digest_enabled, set_digest_enabled
from bot.errors import RaciError
from bot.learning.service import Learning
from bot.ownership.answers import Holder, holder_of
from bot.ownership.index import Ownership
from bot.ownership.live import OwnershipService
from bot.raci_file.model import Activity, Person, Role, person_ref
from bot.slack.away_desk import AwayDesk
from bot.slack.blocks.answer import answer_message
from bot.slack.blocks.digest import preference_reply
from bot.slack.blocks.help import help_message
from bot.slack.blocks.kit import MAX_VIEW_BLOCKS, Message, divider, fit
from bot.slack.blocks.listing import ActivityRow, list_message
from bot.slack.blocks.notes import note_message
from bot.slack.blocks.people import Profile, RoleView, home_view, not_in_matrix_view, role_message, who_message
from bot.slack.change_desk import ChangeDesk
from bot.slack.directory import PeopleDirectory
from bot.slack.escalation_desk import EscalationDesk, Origin
from bot.slack.learning_desk import LearningDesk
from bot.slack.matrix_files import ON_ITS_WAY, MatrixFiles
from bot.slack.observability import count_answer
from bot.slack.queries import (
    Ask,
    Back,
    ChangeOwners,
    DigestPreference,
    Escalate,
    Forget,
    Help,
    ListActivities,
    ListChanges,
    ListEscalations,
    Query,
    RoleHolders,
    SetAway,
    ShowMatrix,
    Teach,
    WhoIs,
    parse_query,
    slack_user_id,
    split_team,
)
from bot.slack.review_desk import ReviewDesk
from bot.slack_syntax import is_channel


@dataclass(frozen=True)
class Asker:
    """Who asked, where, and whether the reply may carry a "Share in channel" button."""

    user: str
    channel: str | None = None
    shareable: bool = True
    thread_ts: str | None = None  # the thread of a mention, where an escalation's status goes


class Replies:
    """Builds the message for each kind of question; user mistakes become a note, never an error."""

    def __init__(self, service: OwnershipService, directory: PeopleDirectory, escalations: EscalationDesk) -> None:
        self.service = service
        self.directory = directory
        self.escalations = escalations
        self.matrix_files = MatrixFiles(service)
        self.away = AwayDesk(service, directory, statuses=escalations.statuses.check if escalations.statuses else None)
        self.learning = LearningDesk(Learning(service), directory, self)
        self.changes = ChangeDesk(Changes(service), directory)
        self.review = ReviewDesk(service, directory)

    def to_text(self, text: str, *, asker: Asker, client: WebClient,
                progress: Callable[[Message], None] | None = None) -> Message:
        """Answer whatever was typed after `/raci` or after mentioning the bot; `progress` says what is coming."""
        try:
            return self._dispatch(parse_query(text), asker=asker, client=client, progress=progress)
        except RaciError as exc:
            return note_message(str(exc))

    # one case per kind of Query, kept flat so that assert_never proves every kind is answered
    def _dispatch(self, query: Query, *, asker: Asker, client: WebClient,  # noqa: C901
                  progress: Callable[[Message], None] | None = None) -> Message:
        match query:
            case Help():
                return help_message()
            case ShowMatrix(text=text):
                if progress is not None:
                    progress(ON_ITS_WAY)
                return self.matrix_files.send(text, user=asker.user, client=client)
            case ListActivities(filter=text):
                return self.activities(text)
            case WhoIs(person=""):
                return self.who_am_i(asker.user, client=client)
            case WhoIs(person=person):
                return self.who(person, client=client)
            case RoleHolders(role=role):
                return self.role(role, client=client)
            case ListEscalations():
                return self.escalations.open_for(asker.user, client=client)
            case Escalate(text=text):
                channel = asker.channel if is_channel(asker.channel) else None
                origin = Origin(user=asker.user, channel=channel, thread_ts=asker.thread_ts)
                return self.escalations.from_text(text, origin=origin, client=client)
            case DigestPreference(enabled=enabled):
                return self.digest_preference(enabled, user=asker.user)
            case Teach(phrase=phrase, activity=activity):
                return self.learning.teach(phrase, activity, user=asker.user, client=client)
            case Forget(phrase=phrase):
                return self.learning.forget(phrase, user=asker.user, client=client)
            case ChangeOwners(activity=activity):
                return self.change(activity, client=client)
            case ListChanges():
                return self.changes.listing()
            case SetAway(text=text):
                return self.away.set(text, user=asker.user, client=client)
            case Back(person=person):
                return self.away.back(person, user=asker.user, client=client)
            case Ask(text=text):
                return self.answer(text, asker=asker, client=client)
            case _:
                assert_never(query)

    def answer(self, text: str, *, asker: Asker, client: WebClient) -> Message:
        """Who owns the activity `text` is about; "for TEAM" or a team's channel scopes it."""
        ownership = self.service.current
        query, team = split_team(text, {t.key: t.name for t in ownership.doc.teams})
        answer = count_answer(self.service.answer(query, team=team, channel=asker.channel))
        return answer_message(self.away.mark(self.directory.resolve(answer, client), client),
                              shareable=asker.shareable, **self._change_button())

    def activity(self, name: str, *, team: str | None, client: WebClient, shareable: bool = True,
                 shared_by: str | None = None) -> Message:
        """The owners of one activity known by name (a candidate button, "Share in channel")."""
        try:
            answer = self.service.current.answer_activity(name, team=team)
        except RaciError as exc:
            return note_message(str(exc))
        return answer_message(self.away.mark(self.directory.resolve(answer, client), client), shareable=shareable,
                              shared_by=shared_by, **self._change_button())

    def _change_button(self) -> dict[str, Any]:
        """How answers offer changes: "Suggest a change", or "Edit the RACI file in git" when proposals are off."""
        return {"suggest": self.changes.changes.enabled, "file_url": self.changes.changes.file_url}

    def change_target(self, text: str) -> str:
        """The activity `/raci change TEXT` is about: by name, else the one a question matches (else TEXT)."""
        found = self.service.current.activity(text)
        if found is not None:
            return found.name
        answer = self.service.answer(text)
        return answer.activity if answer.status == "match" and answer.activity else text

    def change(self, activity: str, *, client: WebClient) -> Message:
        """`@raci change X` (no modal without a trigger): the answer, whose button opens the modal."""
        if not activity.strip():
            return note_message("Use `/raci change <activity>`, e.g. `/raci change feature store`.")
        found = self.changes.changes.service.current.activity(activity)
        if found is None:
            answer = self.service.answer(activity)
            if answer.status != "match" or not answer.activity:
                return note_message(f"I don't know which activity “{activity[:100]}” is; `/raci list` shows them.")
            return self.activity(answer.activity, team=None, client=client, shareable=False)
        return self.activity(found.name, team=None, client=client, shareable=False)

    def digest_preference(self, enabled: bool | None, *, user: str) -> Message:
        """`/raci digest off|on` (survives imports: kept by Slack user), or the current state."""
        store = self.service.store
        if enabled is None:
            with store.session() as session:
                return preference_reply(enabled=digest_enabled(session=session, slack_user_id=user), changed=False)
        with store.session() as session:
            changed = set_digest_enabled(session=session, slack_user_id=user, enabled=enabled, now=datetime.now(UTC))
        return preference_reply(enabled=enabled, changed=changed)

    def activities(self, filter: str = "", page: int = 0) -> Message:
        """One page of `/raci list [filter]`."""
        ownership = self.service.current
        wanted = filter.casefold().strip()
        rows = [_row(ownership, a) for a in ownership.doc.activities
                if wanted in a.name.casefold() or any(wanted in x.casefold() for x in a.aliases)]
        return list_message(rows, filter=filter.strip(), page=page)

    def who(self, text: str, *, client: WebClient) -> Message:
        """What a person (mention, @handle or handle) is R/A/C/I for."""
        person = self._person(text, client=client)
        return who_message(_profile(self.service.current, person))

    def who_am_i(self, user: str, *, client: WebClient) -> Message:
        """`/raci who` alone: what the asker owns."""
        person = self.directory.person_for_user(user, client)
        if person is None:
            return note_message("You're not in the RACI matrix yet, so I can't say what you own.")
        return who_message(_profile(self.service.current, person))

    def role(self, text: str, *, client: WebClient) -> Message:
        """Who holds a role, org-wide and in each team."""
        ownership = self.service.current
        role = ownership.role(text)
        return role_message(self._role_view(ownership, role, client))

    def home(self, user: str, *, client: WebClient) -> dict[str, Any]:
        """The App Home view for `user`."""
        person = self.directory.person_for_user(user, client)
        if person is None:
            return not_in_matrix_view()
        view = home_view(_profile(self.service.current, person))
        pending = [*self.away.home_blocks(user, client), *self.changes.home_blocks(user, client),
                   *self.learning.home_blocks(user, client)]
        if pending:
            view["blocks"] = fit([*pending, divider(), *view["blocks"]], limit=MAX_VIEW_BLOCKS)
        return view

    def _person(self, text: str, *, client: WebClient) -> Person:
        ownership = self.service.current
        try:
            return ownership.person(text)
        except RaciError:
            user = slack_user_id(text)
            found = self.directory.person_for_user(user, client) if user else None
            if found is None:
                raise
            return found

    def _role_view(self, ownership: Ownership, role: Role, client: WebClient) -> RoleView:
        def holders(handles: list[str]) -> tuple[Holder, ...]:
            return tuple(self.directory.resolve_holder(holder_of(ownership.people[h], role), client) for h in handles)

        teams = tuple((t.name, holders(t.members[role.key])) for t in ownership.doc.teams if role.key in t.members)
        return RoleView(key=role.key, name=role.name, description=role.description,
                        slack_usergroup=role.slack_usergroup, holders=holders(role.members), team_holders=teams)


def _row(ownership: Ownership, activity: Activity) -> ActivityRow:
    def names(letter: str) -> tuple[str, ...]:
        return tuple(("@" + h) if (h := person_ref(ref)) else ownership.roles[ref].name
                     for ref in activity.refs(letter))

    return ActivityRow(activity.name, names("R"), names("A"))


def _profile(ownership: Ownership, person: Person) -> Profile:
    return Profile(
        name=person.name,
        involvements=tuple(ownership.involvements(person)),
        roles=tuple((role.key, team) for role, team in ownership.roles_of(person)),
        role_names={r.key: r.name for r in ownership.doc.roles},
        team_names={t.key: t.name for t in ownership.doc.teams},
    )
