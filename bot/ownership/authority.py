"""The one home of "may this person decide for this activity": its Accountable holders and the admins.

Learned phrases (bot/learning/) and ownership changes (bot/changes/) both ask here, so the rule
cannot drift between features.
"""

from __future__ import annotations

from bot.ownership.index import Ownership


def accountable_handles(ownership: Ownership, activity: str) -> list[str]:
    """Handles of the Accountable holders of an activity, org-wide and in every team, in order."""
    found = ownership.activity(activity)
    if found is None:
        return []
    scopes = [None, *ownership.doc.teams]
    handles = [h.handle for team in scopes for h in ownership.holders(found, "A", team) if h.handle]
    return list(dict.fromkeys(handles))


def is_admin(ownership: Ownership, handle: str | None) -> bool:
    """True when the handle is listed in `settings.admins`."""
    return handle is not None and handle in ownership.doc.settings.admins


def may_decide(ownership: Ownership, handle: str | None, activity: str, *, admins_only: bool = False) -> bool:
    """True for an admin, or (unless `admins_only`) an Accountable holder of the activity."""
    if handle is None:
        return False
    if is_admin(ownership, handle):
        return True
    return not admins_only and handle in accountable_handles(ownership, activity)
