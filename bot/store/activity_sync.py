"""Sync the store's activities to a document's, ACTIVITY_BATCH activities at a time.

The store's activities are never read whole: each batch of the file's activities is compared
with the same activities of the store (by id), so an import holds one batch of the store, its
assignment rows and its inserts at a time. Comparing (plan) finishes before anything is written,
because deleting a person or role cascades to assignments the comparison still has to read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.raci_file.diff import Change, diff_activities
from bot.raci_file.model import LETTERS, Activity, name_key
from bot.store import models as m
from bot.store.audit import AuditWriter
from bot.store.batching import ACTIVITY_BATCH, IN_LIST
from bot.store.bulk import Row, batches, insert_rows, reserve_ids
from bot.store.snapshot import Names, read_activities

Progress = Callable[[str], None]

_ACTIVITY_COLUMNS = ("name", "name_key", "aliases", "description", "ack_timeout", "repeats", "position")
_ASSIGNMENT_COLUMNS = ("activity_id", "letter", "position", "role_id", "person_id")


@dataclass
class ActivityPlan:
    """What an import does to activities: the changes known only by comparing with the store, and the rows to touch.

    Additions need no comparing: write_activities makes their changes as it writes them, while
    PostgreSQL is still busy with the batches before.
    """

    changed: dict[str, Change] = field(default_factory=dict)  # name key -> how a stored activity changed
    removals: list[Change] = field(default_factory=list)  # in store order
    moved: set[str] = field(default_factory=set)  # unchanged, but at another position in the file
    removed: list[int] = field(default_factory=list)  # ids
    keys: list[str] = field(default_factory=list)  # the name key of each of the file's activities


def _numbered(activities: Sequence[Activity], keys: list[str]) -> Iterator[list[tuple[int, str, Activity]]]:
    """(position, name key, activity) in batches of ACTIVITY_BATCH."""
    return batches(zip(itertools.count(), keys, activities), ACTIVITY_BATCH)


def plan_activities(session: Session, *, names: Names, existing: dict[str, int],
                    activities: Sequence[Activity], progress: Progress) -> ActivityPlan:
    """Compare the file's activities with the store's (`existing`: name key -> id, in store order)."""
    plan = ActivityPlan(keys=[name_key(a.name) for a in activities])
    done = 0
    for batch in _numbered(activities, plan.keys):
        old = read_activities(session, names, [existing[k] for _, k, _ in batch if k in existing])
        changes = diff_activities((activity for _, activity in old.values()), (a for _, k, a in batch if k in existing))
        plan.changed.update((name_key(c.subject), c) for c in changes)
        for position, key, _ in batch:
            if key in existing and key not in plan.changed and old[existing[key]][0] != position:
                plan.moved.add(key)
        done += len(batch)
        progress(f"comparing activities {done}/{len(activities)}")
    wanted = set(plan.keys)
    plan.removed = [aid for key, aid in existing.items() if key not in wanted]
    for ids in batches(plan.removed, IN_LIST):
        old = read_activities(session, names, ids)
        plan.removals += diff_activities((old[aid][1] for aid in ids), ())
    return plan


def write_activities(session: Session, *, plan: ActivityPlan, existing: dict[str, int],
                     activities: Sequence[Activity], people: dict[str, int], roles: dict[str, int],
                     audit: AuditWriter, progress: Progress) -> list[Change]:
    """Carry out `plan`: delete, update, insert activities, rewrite assignments and audit, batch by batch.

    Returns the changes: added and changed activities in file order, then removed ones.
    """
    for ids in batches(plan.removed, IN_LIST):
        session.execute(delete(m.Activity).where(m.Activity.id.in_(ids)))  # assignments cascade
    # ids for the new activities up front: no batch waits to read its ids back before its assignments
    new_ids = iter(reserve_ids(session, m.Activity.__table__, sum(1 for k in plan.keys if k not in existing)))
    changes: list[Change] = []
    done = 0
    for batch in _numbered(activities, plan.keys):
        _update(session, plan, existing, batch)
        old_keys = {k for _, k, _ in batch if k in existing}
        added = [(next(new_ids), i, k, a) for i, k, a in batch if k not in old_keys]
        existing.update((k, aid) for aid, _, k, _ in added)
        insert_rows(session, m.Activity.__table__, ("id", *_ACTIVITY_COLUMNS),
                    ((aid, *_activity_row(i, k, a)) for aid, i, k, a in added))
        changed_ids = [existing[k] for _, k, _ in batch if k in plan.changed]
        if changed_ids:
            session.execute(delete(m.Assignment).where(m.Assignment.activity_id.in_(changed_ids)))
        rows = [row for _, k, a in batch if k in plan.changed or k not in old_keys
                for row in _assignment_rows(existing[k], a, people, roles)]
        insert_rows(session, m.Assignment.__table__, _ASSIGNMENT_COLUMNS, rows)
        changes += _audited(audit, plan, old_keys, batch)
        done += len(batch)
        progress(f"writing activities {done}/{len(activities)}")
    audit.write(plan.removals)
    return changes + plan.removals


def _audited(audit: AuditWriter, plan: ActivityPlan, old_keys: set[str],
             batch: list[tuple[int, str, Activity]]) -> list[Change]:
    """The batch's added and changed activities in file order, written to the audit log."""
    added = iter(diff_activities((), (a for _, k, a in batch if k not in old_keys)))
    changes = [plan.changed[k] if k in old_keys else next(added) for _, k, _ in batch
               if k in plan.changed or k not in old_keys]
    audit.write(changes)
    return changes


def _update(session: Session, plan: ActivityPlan, existing: dict[str, int],
            batch: list[tuple[int, str, Activity]]) -> None:
    """Rewrite the rows of changed activities; only the position of moved ones."""
    changed = [dict(zip(("id", *_ACTIVITY_COLUMNS), (existing[k], *_activity_row(i, k, a)), strict=True))
               for i, k, a in batch if k in plan.changed]
    if changed:
        session.execute(update(m.Activity), changed)
    moved = [{"id": existing[k], "position": i} for i, k, _ in batch if k in plan.moved]
    if moved:
        session.execute(update(m.Activity), moved)


def _activity_row(position: int, key: str, activity: Activity) -> Row:
    esc = activity.escalation
    return (activity.name, key, list(activity.aliases), activity.description,
            esc.ack_timeout if esc else None, esc.repeats if esc else None, position)


def _assignment_rows(activity_id: int, activity: Activity, people: dict[str, int],
                     roles: dict[str, int]) -> list[Row]:
    """One row per distinct holder of each letter, numbered across letters as the file lists them."""
    rows: list[Row] = []
    raci = activity.raci
    for letter in LETTERS:
        refs = raci.get(letter)
        if not refs:
            continue
        for ref in refs if len(refs) == 1 else dict.fromkeys(refs):
            if ref.startswith("@"):  # a person assigned directly (model.person_ref)
                rows.append((activity_id, letter, len(rows), None, people[ref[1:]]))
            else:
                rows.append((activity_id, letter, len(rows), roles[ref], None))
    return rows
