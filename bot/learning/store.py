"""Learned phrases in the store: find, add, decide, and keep them in step with an imported file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from bot.raci_file.diff import Change
from bot.raci_file.model import RaciDocument, name_key
from bot.store import learning_models as lm
from bot.store import models as m
from bot.store.audit import record_changes
from bot.store.batching import IN_LIST

# Audit actions: "learned" changes what the index answers (so replicas reload on it);
# "learned_pending" is bookkeeping of phrases not yet active.
ACTIVE_ACTION = "learned"
PENDING_ACTION = "learned_pending"

KeyOf = Callable[[str], str]
PhraseDecision = Literal["proposed", "confirmed", "approved", "rejected", "forgot", "taught"]


@dataclass(frozen=True, slots=True)
class PhraseAudit:
    """An audit entry about a learned phrase: what happened to it is no file diff's added/changed/removed."""

    subject_type: str
    subject: str
    change: PhraseDecision
    details: dict[str, Any]


def audit(session: Session, *, phrase: lm.LearnedPhrase, activity: str, change: PhraseDecision, actor: str,
          source: str | None, active: bool) -> None:
    """One audit entry about a phrase: proposed, confirmed, approved, rejected, forgot, taught."""
    details = {"phrase": phrase.phrase, "status": phrase.status, "pickers": list(phrase.pickers or [])}
    record_changes(session, [PhraseAudit("learned", activity, change, details)],
                   actor=actor, source=source, action=ACTIVE_ACTION if active else PENDING_ACTION)


def activity_id(session: Session, name: str) -> int | None:
    """The store id of an activity by name (ignoring case and spacing)."""
    return session.scalar(select(m.Activity.id).where(m.Activity.name_key == name_key(name)))


def write_lock(session: Session) -> None:
    """On SQLite, take the write lock before reading what we will change (PostgreSQL locks the row instead).

    Two picks of one phrase at once then queue, so neither confirmation is lost and neither fails on a
    stale snapshot.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM learned_phrases WHERE 1 = 0"))


def find(session: Session, *, activity: int, key: str, lock: bool = False) -> lm.LearnedPhrase | None:
    """The phrase with this key for this activity, locked for update when asked."""
    query = select(lm.LearnedPhrase).where(lm.LearnedPhrase.activity_id == activity,
                                           lm.LearnedPhrase.phrase_key == key)
    return session.scalar(query.with_for_update() if lock else query)


def by_key(session: Session, key: str) -> list[tuple[lm.LearnedPhrase, str]]:
    """Every phrase with this key, with its activity's name."""
    return [(row, name) for row, name in session.execute(
        select(lm.LearnedPhrase, m.Activity.name).join(m.Activity, m.Activity.id == lm.LearnedPhrase.activity_id)
        .where(lm.LearnedPhrase.phrase_key == key).order_by(lm.LearnedPhrase.id))]


def listing(session: Session, *, pending_only: bool = False) -> list[tuple[lm.LearnedPhrase, str]]:
    """Phrases with their activity's name, pending first, then by activity and phrase."""
    query = select(lm.LearnedPhrase, m.Activity.name).join(m.Activity, m.Activity.id == lm.LearnedPhrase.activity_id)
    if pending_only:
        query = query.where(lm.LearnedPhrase.status == lm.PENDING)
    rows = [(row, name) for row, name in session.execute(query)]
    order = {lm.PENDING: 0, lm.ACTIVE: 1, lm.REJECTED: 2}
    return sorted(rows, key=lambda row: (order[row[0].status], row[1].casefold(), row[0].phrase.casefold()))


def now() -> datetime:
    return datetime.now(UTC)


def sync_learned(session: Session, doc: RaciDocument, *, key_of: Callable[[], KeyOf],
                 gone: dict[str, list[str]]) -> list[Change]:
    """Make each activity whose file lists `learned:` have exactly those active phrases.

    Activities the file is silent about keep theirs. `gone` (activity -> its active phrases)
    are the phrases of activities the import removed: reported, since the cascade deleted them.
    """
    changes = [Change("learned", name, "removed", {"phrase": p, "reason": "activity removed"})
               for name, phrases in gone.items() for p in phrases]
    changes += _drop_shadowed(session, doc)
    listed = [a for a in doc.activities if a.learned is not None]
    if not listed:
        return changes
    key = key_of()
    ids = dict(session.execute(select(m.Activity.name_key, m.Activity.id)).all())
    for activity in listed:
        changes += _sync_activity(session, ids[name_key(activity.name)], activity.name,
                                  activity.learned or [], key)
    return changes


def _sync_activity(session: Session, activity: int, name: str, phrases: list[str], key: KeyOf) -> list[Change]:
    wanted = {key(p): p for p in phrases}
    wanted.pop("", None)  # a phrase of filler only ("who owns this?") can never be asked apart
    stored = {row.phrase_key: row for row in session.scalars(
        select(lm.LearnedPhrase).where(lm.LearnedPhrase.activity_id == activity))}
    changes: list[Change] = []
    for k, row in stored.items():
        if row.status == lm.ACTIVE and k not in wanted:
            session.execute(delete(lm.LearnedPhrase).where(lm.LearnedPhrase.id == row.id))
            changes.append(Change("learned", name, "removed", {"phrase": row.phrase}))
    for k, phrase in wanted.items():
        known = stored.get(k)
        if known is None:
            session.add(lm.LearnedPhrase(activity_id=activity, phrase=phrase, phrase_key=k, status=lm.ACTIVE,
                                         pickers=[], proposed_by="import", proposed_at=now(), source="import"))
        elif known.status != lm.ACTIVE:
            known.status, known.decided_by, known.decided_at = lm.ACTIVE, "import", now()
        else:
            continue
        changes.append(Change("learned", name, "added", {"phrase": phrase}))
    session.flush()
    return changes


def _drop_shadowed(session: Session, doc: RaciDocument) -> list[Change]:
    """Phrases that became another activity's name or alias go: a name or alias always wins."""
    named = {name_key(n): a.name for a in doc.activities for n in (a.name, *a.aliases)}
    changes = []
    for row, activity in listing(session):
        other = named.get(name_key(row.phrase))
        if other is not None and name_key(other) != name_key(activity):
            session.execute(delete(lm.LearnedPhrase).where(lm.LearnedPhrase.id == row.id))
            changes.append(Change("learned", activity, "removed",
                                  {"phrase": row.phrase, "reason": f'now a name or alias of "{other}"'}))
    return changes


def active_phrases_of(session: Session, names: list[str]) -> dict[str, list[str]]:
    """Active phrases of the named activities (before an import removes them)."""
    if not names:
        return {}
    keys = {name_key(n): n for n in names}
    found: dict[str, list[str]] = {}
    wanted = list(keys)
    for start in range(0, len(wanted), IN_LIST):  # a mass removal must not exceed the drivers' parameter limits
        for activity_key, phrase in session.execute(
            select(m.Activity.name_key, lm.LearnedPhrase.phrase).join(
                lm.LearnedPhrase, lm.LearnedPhrase.activity_id == m.Activity.id)
            .where(m.Activity.name_key.in_(wanted[start:start + IN_LIST]), lm.LearnedPhrase.status == lm.ACTIVE)
        ):
            found.setdefault(keys[activity_key], []).append(phrase)
    return found


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(lm.LearnedPhrase)) or 0
