"""Keep the RACI file and Slack changes from silently undoing each other.

The store remembers each imported file's content hash (`file_imports`). Slack changes applied
since the newest import are what a re-import of an older file would undo: `raci import` refuses
then (unless told to discard them), and RACI_SYNC_ON_START imports only a file that changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes.model import normalized
from bot.errors import RaciError
from bot.raci_file.model import LETTER_NAMES, RaciDocument, name_key
from bot.store import change_models as cm
from bot.store import models as m
from bot.store.snapshot import read_activities, read_names
from bot.store.times import aware

_HASH_CHUNK = 1 << 20


def content_hash(path: str | Path) -> str:
    """SHA-256 of the file's bytes: the same file imports to the same store."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def last_import(session: Session) -> cm.FileImport | None:
    """The newest recorded import of a file."""
    return session.scalar(select(cm.FileImport).order_by(cm.FileImport.id.desc()).limit(1))


def record_import(session: Session, *, source: str, digest: str, now: datetime) -> None:
    session.add(cm.FileImport(at=now, source=source, content_hash=digest))


def unchanged_since_last_import(session: Session, path: str | Path) -> bool:
    """True when `path` is byte for byte the file imported last."""
    found = last_import(session)
    try:
        return found is not None and found.content_hash == content_hash(path)
    except OSError:
        return False  # unreadable: the import that follows says why, in one line


@dataclass(frozen=True)
class Undone:
    """One letter of one activity that an import would set back, and the Slack change that set it."""

    change: int
    activity: str
    letter: str
    approved_by: str | None
    applied_at: datetime | None

    def __str__(self) -> str:
        when = f"{self.applied_at:%Y-%m-%d %H:%M}" if self.applied_at else "?"
        return (f"{self.activity}: {LETTER_NAMES[self.letter]} (change #{self.change}, approved by "
                f"{self.approved_by or '?'} on {when})")


class SlackChangesWouldBeUndone(RaciError):
    """An import would revert ownership changes made in Slack since the last import."""

    def __init__(self, source: str, undone: list[Undone]) -> None:
        self.undone = undone
        listed = "; ".join(str(u) for u in undone[:10]) + (f"; and {len(undone) - 10} more" if len(undone) > 10
                                                           else "")
        super().__init__(f"{source} would undo {len(undone)} ownership change(s) made in Slack since the last "
                         f"import: {listed}. Nothing was changed. Put them in the file (`raci diff {source}` shows "
                         "the patch, `raci export` writes the current matrix), or import with "
                         "--discard-slack-changes to drop them")


def slack_changes_since_import(session: Session) -> list[cm.ChangeRequest]:
    """Slack changes applied after the newest import (all applied ones when no import is recorded), newest first."""
    found = last_import(session)
    query = select(cm.ChangeRequest).where(cm.ChangeRequest.status == cm.APPLIED)
    if found is not None:
        query = query.where(cm.ChangeRequest.applied_at > found.at)
    return list(session.scalars(query.order_by(cm.ChangeRequest.id.desc())))


def undone_by(session: Session, doc: RaciDocument) -> list[Undone]:
    """The letters of Slack changes since the last import that importing `doc` would set to something else."""
    changes = slack_changes_since_import(session)
    if not changes:
        return []
    in_file = {name_key(a.name): normalized(a.raci) for a in doc.activities}
    stored = _stored_letters(session, {c.activity_key for c in changes})
    undone: list[Undone] = []
    seen: set[tuple[str, str]] = set()
    for change in changes:  # newest first: a letter changed twice is listed once, by its newest change
        before, after = normalized(change.before), normalized(change.after)
        for letter in (x for x in LETTER_NAMES if before.get(x) != after.get(x)):
            if (change.activity_key, letter) in seen:
                continue
            seen.add((change.activity_key, letter))
            now_stored = stored.get(change.activity_key, {}).get(letter)
            file_letters = in_file.get(change.activity_key)
            if file_letters is None or file_letters.get(letter) != now_stored:
                undone.append(Undone(change.id, change.activity, letter, change.approved_by,
                                     aware(change.applied_at)))
    return undone


def _stored_letters(session: Session, keys: set[str]) -> dict[str, dict[str, list[str]]]:
    ids = dict(session.execute(select(m.Activity.id, m.Activity.name_key).where(m.Activity.name_key.in_(keys))).all())
    if not ids:
        return {}
    found = read_activities(session, read_names(session), list(ids))
    return {ids[aid]: normalized(activity.raci) for aid, (_, activity) in found.items()}
