"""Who is the last Responsible or Accountable holder of what: single points of failure and `raci impact`.

An activity is looked at org-wide and in every team that staffs one of its R or A roles itself,
since a team's members replace the role's org-wide members there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bot.digest.model import Impact, Seat, SinglePoint
from bot.ownership.index import Ownership
from bot.raci_file.model import Activity, Person, Team, person_ref

OWNING = ("R", "A")
SINGLE_POINT_MIN = 3  # someone is a single point of failure from this many activities on


class Scopes:
    """The holders of R and A of each activity, org-wide and per team that staffs one of its roles."""

    def __init__(self, ownership: Ownership) -> None:
        self.ownership = ownership
        self.teams_of_role: dict[str, list[Team]] = defaultdict(list)
        for team in ownership.doc.teams:
            for key in team.members:
                self.teams_of_role[key].append(team)

    def scopes(self, activity: Activity, letter: str) -> list[Team | None]:
        """None (org-wide) and each team whose own members change who holds `letter` of `activity`."""
        teams: dict[str, Team] = {}
        for ref in activity.refs(letter):
            if person_ref(ref) is None:
                teams.update((t.key, t) for t in self.teams_of_role.get(ref, ()))
        return [None, *teams.values()]

    def holders(self, activity: Activity, letter: str, team: Team | None) -> set[str]:
        """Handles holding `letter` for `activity` in `team` (None: org-wide); vacant roles add nobody."""
        out: set[str] = set()
        for ref in activity.refs(letter):
            handle = person_ref(ref)
            if handle is not None:
                out.add(handle)
            elif ref in self.ownership.roles:
                out.update(self.ownership.role_members(ref, team))
        return out

    def sole_holders(self) -> Iterator[tuple[Activity, str, Team | None, str]]:
        """(activity, letter, scope, handle) wherever one person alone holds R or A."""
        for activity in self.ownership.doc.activities:
            for letter in OWNING:
                for team in self.scopes(activity, letter):
                    holders = self.holders(activity, letter, team)
                    if len(holders) == 1:
                        yield activity, letter, team, next(iter(holders))


def single_points(ownership: Ownership, *, minimum: int = SINGLE_POINT_MIN,
                  scopes: Scopes | None = None) -> list[SinglePoint]:
    """People who alone hold R or A of at least `minimum` activities, the most exposed first."""
    only: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"R": set(), "A": set()})
    for activity, letter, _team, handle in (scopes or Scopes(ownership)).sole_holders():
        only[handle][letter].add(activity.name)
    found = []
    for handle, letters in only.items():
        if len(letters["R"]) + len(letters["A"]) >= minimum and handle in ownership.people:
            person = ownership.people[handle]
            found.append(SinglePoint(handle, person.name, len(letters["R"]), len(letters["A"])))
    return sorted(found, key=lambda s: (-s.total, s.handle))


def impact(ownership: Ownership, person: Person, *, scopes: Scopes | None = None) -> Impact:
    """What if `person` leaves: the activities that lose their last R or A holder, and the seats to refill."""
    scopes = scopes or Scopes(ownership)
    involvements = ownership.involvements(person)
    owned = dict.fromkeys(i.activity for i in involvements if i.letter in OWNING)
    last: dict[str, list[tuple[str, str | None]]] = {"R": [], "A": []}
    for name in owned:
        activity = ownership.activity(name)
        if activity is None:
            continue
        for letter in OWNING:
            for team in scopes.scopes(activity, letter):
                if scopes.holders(activity, letter, team) == {person.handle}:
                    last[letter].append((activity.name, team.name if team else None))
    seats = tuple(
        Seat(role.key, role.name, team_key and ownership.teams[team_key].name,
             sole=ownership.role_members(role.key, ownership.teams[team_key] if team_key else None)
             == [person.handle])
        for role, team_key in ownership.roles_of(person)
    )
    direct = tuple(dict.fromkeys((i.activity, i.letter) for i in involvements if i.role is None))
    return Impact(handle=person.handle, name=person.name, last_responsible=tuple(last["R"]),
                  last_accountable=tuple(last["A"]), seats=seats, direct=direct,
                  involvements=len({i.activity for i in involvements}))
