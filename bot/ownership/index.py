"""Who owns what: an in-memory view of one RACI document, with the matcher built once over it.

Answering a question touches no database: the index is built at startup and rebuilt after an
import, so a Slack handler can answer well within its 3-second budget.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import defaultdict

from bot.errors import UnknownPerson, UnknownRole, UnknownTeam
from bot.matching import ActivityText, Matcher
from bot.ownership.answers import Answer, Holder, Involvement, Suggestion, holder_of
from bot.raci_file.model import LETTERS, Activity, Person, RaciDocument, Role, Team, name_key, person_ref
from bot.slack_syntax import mentioned_user


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Ownership:
    """Answers "who owns X?" and "what does P own?" from one RACI document."""

    def __init__(self, doc: RaciDocument, *, revision: int = 0) -> None:
        self.doc = doc
        self.revision = revision
        self.people: dict[str, Person] = {p.handle: p for p in doc.people}
        self.by_slack_id: dict[str, Person] = {p.slack_id: p for p in doc.people if p.slack_id}
        self.roles: dict[str, Role] = {r.key: r for r in doc.roles}
        self.teams: dict[str, Team] = {t.key: t for t in doc.teams}
        self.team_by_channel: dict[str, Team] = {c: t for t in doc.teams for c in t.channels}
        self.activities: dict[str, Activity] = {name_key(a.name): a for a in doc.activities}
        self.matcher = Matcher(
            (ActivityText(a.name, tuple(a.aliases), a.description, tuple(a.learned or ())) for a in doc.activities),
            [tuple(group) for group in doc.synonyms],
        )
        self._involvements: dict[str, list[Involvement]] | None = None

    def with_slack_id(self, handle: str, slack_id: str) -> Ownership:
        """A copy where `handle` has this Slack ID; this snapshot, shared by readers, stays as it was."""
        person = self.people.get(handle)
        if person is None or person.slack_id == slack_id:
            return self
        learned = dataclasses.replace(person, slack_id=slack_id)
        copy = object.__new__(Ownership)
        copy.__dict__.update(self.__dict__)  # the matcher and the other maps are shared: they do not change
        copy.doc = dataclasses.replace(self.doc, people=[learned if p is person else p for p in self.doc.people])
        copy.people = {**self.people, handle: learned}
        copy.by_slack_id = {k: v for k, v in self.by_slack_id.items() if v is not person} | {slack_id: learned}
        return copy

    # -- lookups ---------------------------------------------------------------------------------

    def team(self, key: str) -> Team:
        """The team with this key (or name, ignoring case); UnknownTeam otherwise."""
        if key in self.teams:
            return self.teams[key]
        for team in self.doc.teams:
            if name_key(team.name) == name_key(key) or team.key == key.casefold():
                return team
        raise UnknownTeam(f"team {key!r} is not defined{_did_you_mean(key, list(self.teams))}")

    def person(self, text: str) -> Person:
        """A person by handle, @handle, Slack ID or Slack mention (<@U123>)."""
        raw = text.strip()
        slack_id = mentioned_user(raw) or raw
        if slack_id in self.by_slack_id:
            return self.by_slack_id[slack_id]
        handle = raw.removeprefix("@").casefold()
        if handle in self.people:
            return self.people[handle]
        raise UnknownPerson(f"{raw!r} is not in the RACI matrix{_did_you_mean(handle, list(self.people))}")

    def role(self, text: str) -> Role:
        """A role by key, name or alias, ignoring case and spacing."""
        wanted = name_key(text)
        for role in self.doc.roles:
            if wanted in {role.key, name_key(role.name), *(name_key(a) for a in role.aliases)}:
                return role
        names = [r.key for r in self.doc.roles] + [r.name for r in self.doc.roles]
        raise UnknownRole(f"role {text!r} is not defined{_did_you_mean(text, names)}")

    def activity(self, name: str) -> Activity | None:
        return self.activities.get(name_key(name))

    def role_members(self, role_key: str, team: Team | None = None) -> list[str]:
        """Handles holding a role: the team's own where it defines them, else org-wide."""
        if team is not None and role_key in team.members:
            return team.members[role_key]
        return self.roles[role_key].members

    # -- answers ---------------------------------------------------------------------------------

    def answer(self, query: str, *, team: str | None = None) -> Answer:
        """Match free text to an activity and say who holds each letter."""
        scope = self.team(team) if team else None
        result = self.matcher.match(query)
        candidates = tuple(Suggestion(c.activity, c.score) for c in result.candidates)
        if result.status != "match" or result.activity is None:
            return Answer(query=query, status=result.status, score=result.score, candidates=candidates,
                          team=scope.key if scope else None, team_name=scope.name if scope else None,
                          truncated=result.truncated)
        answer = self.answer_activity(result.activity, team=scope.key if scope else None, query=query,
                                      score=result.score, candidates=candidates)
        return dataclasses.replace(answer, via=result.via, truncated=result.truncated)

    def answer_activity(
        self, name: str, *, team: str | None = None, query: str | None = None, score: float = 1.0,
        candidates: tuple[Suggestion, ...] = (),
    ) -> Answer:
        """The owners of one activity known by name (a button click, an escalation)."""
        activity = self.activity(name)
        if activity is None:
            return Answer(query=query or name, status="none")
        scope = self.team(team) if team else None
        letters = {letter: self.holders(activity, letter, scope) for letter in LETTERS}
        return Answer(
            query=query if query is not None else name, status="match", activity=activity.name,
            description=activity.description, score=score,
            team=scope.key if scope else None, team_name=scope.name if scope else None,
            responsible=letters["R"], accountable=letters["A"], consulted=letters["C"], informed=letters["I"],
            candidates=candidates,
        )

    def holders(self, activity: Activity, letter: str, team: Team | None = None) -> tuple[Holder, ...]:
        """Everyone holding `letter` for `activity`, role by role; a vacant role appears once."""
        out: list[Holder] = []
        seen: set[tuple[str | None, str | None]] = set()
        for ref in activity.refs(letter):
            handle = person_ref(ref)
            if handle is not None:
                if (None, handle) not in seen:
                    seen.add((None, handle))
                    out.append(holder_of(self.people[handle], None))
                continue
            role = self.roles[ref]
            members = self.role_members(ref, team)
            # The role's user group is its org-wide holders: not the people of a team that staffs it.
            group = None if team is not None and ref in team.members else role.slack_usergroup
            if not members:
                out.append(Holder(role=role.key, role_name=role.name, slack_usergroup=group, vacant=True))
            for h in members:
                if (role.key, h) not in seen:
                    seen.add((role.key, h))
                    out.append(holder_of(self.people[h], role, usergroup=group))
        return tuple(out)

    # -- reverse lookup --------------------------------------------------------------------------

    def involvements(self, person: Person) -> list[Involvement]:
        """Everything a person is R, A, C or I for, through roles (org-wide or in a team) and directly."""
        if self._involvements is None:
            self._involvements = self._index_involvements()
        return list(self._involvements.get(person.handle, []))

    def _index_involvements(self) -> dict[str, list[Involvement]]:
        index: dict[str, list[Involvement]] = defaultdict(list)
        team_holders: dict[str, list[tuple[str, str]]] = defaultdict(list)  # role -> [(team, handle)]
        for team in self.doc.teams:
            for role_key, handles in team.members.items():
                team_holders[role_key].extend((team.key, h) for h in handles)
        for activity in self.doc.activities:
            for letter in LETTERS:
                for ref in activity.refs(letter):
                    handle = person_ref(ref)
                    if handle is not None:
                        index[handle].append(Involvement(activity.name, letter, None))
                        continue
                    for h in self.roles[ref].members:
                        index[h].append(Involvement(activity.name, letter, ref))
                    for team_key, h in team_holders.get(ref, []):
                        index[h].append(Involvement(activity.name, letter, ref, team_key))
        return index

    def roles_of(self, person: Person) -> list[tuple[Role, str | None]]:
        """The roles a person holds: (role, None) org-wide, (role, team key) within a team."""
        held: list[tuple[Role, str | None]] = [(r, None) for r in self.doc.roles if person.handle in r.members]
        for team in self.doc.teams:
            held += [(self.roles[k], team.key) for k, hs in team.members.items() if person.handle in hs]
        return held
