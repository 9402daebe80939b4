"""The grid both pictures draw: activities down, roles (and people assigned directly) across, R/A/C/I cells.

Who holds a role depends on the scope (org-wide, or a team that staffs roles itself), so a grid is built
for one scope; the letters do not depend on it, the members, vacancies and gaps do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.digest.impact import Scopes
from bot.digest.summary import gaps as structural_gaps
from bot.matrix_view.limits import FILTER_MAX_CHARS
from bot.ownership.index import Ownership
from bot.raci_file.model import LETTER_NAMES, LETTERS, Activity, Team, name_key, person_ref

# The letter a cell with several is coloured by: the one that matters most when something breaks.
PRECEDENCE = ("A", "R", "C", "I")
OWNING = ("R", "A")

GAP_TEXT = {
    "no_accountable": "no Accountable: RACI wants exactly one",
    "several_accountable": "several Accountable: RACI wants exactly one",
    "no_responsible": "no Responsible: nobody does the work",
}


@dataclass(frozen=True)
class Column:
    """A role, or a person assigned directly ("@handle"), with who holds it in the grid's scope."""

    key: str
    name: str
    kind: str  # "role" or "person"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # names of the holders in this scope
    problem: str | None = None  # why the column is highlighted: a vacant role, a person who left


@dataclass(frozen=True)
class Row:
    """One activity: its letters per column ("" for none, "RA" for two) and its ownership gaps."""

    activity: str
    aliases: tuple[str, ...]
    cells: tuple[str, ...]
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grid:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    team: str | None = None
    team_name: str | None = None
    revision: int = 0

    @property
    def gap_count(self) -> int:
        return sum(1 for row in self.rows if row.gaps)

    @property
    def problem_columns(self) -> int:
        return sum(1 for column in self.columns if column.problem)


def cell_class(letters: str) -> str:
    """The letter a cell is coloured by ("" for an empty cell)."""
    return next((letter for letter in PRECEDENCE if letter in letters), "")


def build_grid(ownership: Ownership, *, team: str | None = None) -> Grid:
    """The whole matrix in one scope: org-wide (team None) or as a team staffs it."""
    scope = ownership.team(team) if team else None
    keys = _column_keys(ownership)
    index = {key: i for i, key in enumerate(keys)}
    columns = tuple(_column(ownership, key, scope) for key in keys)
    structural: dict[str, list[str]] = {}
    for gap in structural_gaps(ownership):
        structural.setdefault(gap.activity, []).append(GAP_TEXT[gap.problem])
    scopes = Scopes(ownership)
    rows = tuple(_row(a, index, structural.get(a.name, []), _ownerless(scopes, ownership, a, scope))
                 for a in ownership.doc.activities)
    return Grid(columns, rows, team=scope.key if scope else None, team_name=scope.name if scope else None,
                revision=ownership.revision)


def _column_keys(ownership: Ownership) -> list[str]:
    """Roles in file order, then the people assigned directly, in order of first appearance."""
    direct = dict.fromkeys(ref for a in ownership.doc.activities for letter in LETTERS for ref in a.refs(letter)
                           if person_ref(ref) is not None)
    return [role.key for role in ownership.doc.roles] + list(direct)


def _column(ownership: Ownership, key: str, scope: Team | None) -> Column:
    handle = person_ref(key)
    if handle is not None:
        person = ownership.people[handle]
        problem = None if person.active else f"{person.name} has left but is still assigned directly"
        return Column(key, person.name, "person", (handle,), (person.name,), problem)
    role = ownership.roles[key]
    members = tuple(ownership.people[h].name for h in ownership.role_members(key, scope))
    departed = [ownership.people[h].name for h in ownership.role_members(key, scope) if not ownership.people[h].active]
    problem = None
    if not members:
        where = f" in {scope.name}" if scope is not None and key in scope.members else " org-wide"
        problem = f"vacant: {role.name} has no members{where}"
    elif departed:
        problem = f"held by people who left: {', '.join(departed)}"
    return Column(key, role.name, "role", tuple(role.aliases), members, problem)


def _ownerless(scopes: Scopes, ownership: Ownership, activity: Activity, scope: Team | None) -> list[str]:
    """R or A letters that name someone, but nobody active holds them in this scope."""
    found = []
    for letter in OWNING:
        if not activity.refs(letter):
            continue  # a structural gap, said once already
        active = {h for h in scopes.holders(activity, letter, scope) if ownership.people[h].active}
        if not active:
            found.append(f"no {LETTER_NAMES[letter]} holder: its roles are vacant or held by people who left")
    return found


def _row(activity: Activity, index: dict[str, int], structural: list[str], ownerless: list[str]) -> Row:
    cells = [""] * len(index)
    for letter in LETTERS:
        for ref in activity.refs(letter):
            i = index[ref]
            if letter not in cells[i]:
                cells[i] += letter
    return Row(activity.name, tuple(activity.aliases), tuple(cells), tuple(structural + ownerless))


def filter_grid(grid: Grid, text: str) -> Grid:
    """The page's filter box, in Python: activities and columns whose names contain `text`, and what they touch.

    An activity that matches shows with the columns it has letters in; a role or person that matches
    shows with the activities it has letters in. Case and spacing do not matter.
    """
    wanted = name_key(text[:FILTER_MAX_CHARS])
    if not wanted:
        return grid
    row_hit = [any(wanted in name_key(n) for n in (r.activity, *r.aliases)) for r in grid.rows]
    col_hit = [any(wanted in name_key(n) for n in (c.key, c.name, *c.aliases, *c.members)) for c in grid.columns]
    rows = [i for i, r in enumerate(grid.rows)
            if row_hit[i] or any(col_hit[j] and cell for j, cell in enumerate(r.cells))]
    cols = [j for j in range(len(grid.columns))
            if col_hit[j] or any(row_hit[i] and grid.rows[i].cells[j] for i in range(len(grid.rows)))]
    return replace(grid, columns=tuple(grid.columns[j] for j in cols),
                   rows=tuple(replace(grid.rows[i], cells=tuple(grid.rows[i].cells[j] for j in cols)) for i in rows))
