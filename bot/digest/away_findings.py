"""Who is away and which R/A holdings nobody covers meanwhile, for the digest summary (pure)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.away.store import Away
from bot.digest.impact import OWNING, Scopes
from bot.digest.model import AwayPerson, UncoveredHolding
from bot.ownership.index import Ownership


def away_people(ownership: Ownership, away: Mapping[str, Away]) -> list[AwayPerson]:
    """The matrix's people away now, soonest back first."""
    people = ownership.people
    found = [AwayPerson(a.handle, people[a.handle].name, a.until,
                        people[a.delegate].name if a.delegate in people else None)
             for a in away.values() if a.handle in people]
    return sorted(found, key=lambda p: (p.until, p.name))


def uncovered(ownership: Ownership, away: Mapping[str, Away], scopes: Scopes) -> list[UncoveredHolding]:
    """Org-wide R/A holdings whose holders are all away, none with a delegate who is here."""
    if not away:
        return []
    people = ownership.people
    found = []
    for activity in ownership.doc.activities:
        for letter in OWNING:
            holders = sorted(scopes.holders(activity, letter, None))
            if holders and all(_uncovered(away.get(h), away, ownership) for h in holders):
                found.append(UncoveredHolding(activity.name, letter,
                                              tuple(people[h].name if h in people else h for h in holders)))
    return found


def _uncovered(found: Away | None, away: Mapping[str, Away], ownership: Ownership) -> bool:
    if found is None:
        return False
    delegate = ownership.people.get(found.delegate or "")
    return delegate is None or not delegate.active or delegate.handle in away
