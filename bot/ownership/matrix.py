"""Matrix services: import a file into the store, export it, check it, and load the ownership index.

They run in the caller's session (keyword-only `session`): the edge (CLI, app) opens the
transaction and commits it. `ensure_loaded` alone takes the Store: it is two transactions by
design (a lock-free "is it empty?", then a locked load), so that asking never waits for an import.
"""

from __future__ import annotations

import dataclasses
import getpass
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.changes import file_sync
from bot.errors import InvalidRaciFile, RaciError
from bot.learning import store as learned_store
from bot.memory import cycle_collector_paused
from bot.ownership.index import Ownership
from bot.raci_file import CSV_SUFFIXES, limits, load_file
from bot.raci_file.csv_io import CsvMatrix, dump_csv
from bot.raci_file.diff import Change, diff_documents
from bot.raci_file.findings import Finding
from bot.raci_file.model import Activity, RaciDocument, name_key
from bot.raci_file.rules import check
from bot.raci_file.yaml_io import dump_yaml
from bot.store import models as m
from bot.store.audit import record_changes
from bot.store.db import PER_SCHEMA_LOCK, Store
from bot.store.snapshot import is_empty, stored_document
from bot.store.sync import write_document

# Imports in several processes (replicas syncing on start, an admin's CLI) run one at a time.
IMPORT_LOCK_ID = 0x7261_6369_696D_70  # "raciimp"


@dataclass(frozen=True)
class ImportReport:
    source: str
    changes: list[Change]
    findings: list[Finding]  # ownership gaps and warnings of the imported matrix

    @property
    def gaps(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "gap"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "warning"]


class MassRemoval(RaciError):
    """An import would remove most of the store's activities and was not told that is intended."""


_NAMED_REMOVALS = 5  # the refusal names this many of the activities it would remove


FIRST_LOAD = "first_load"  # the audit action of a store filled by itself from RACI_FILE


def guard_mass_removal(stored: list[str], new: RaciDocument, *, source: str) -> None:
    """Raise MassRemoval when `new` drops more than half of the `stored` activity names (limits.py says why)."""
    kept = {name_key(activity.name) for activity in new.activities}
    removed = [name for name in stored if name_key(name) not in kept]
    total = len(stored)
    if total < limits.MASS_REMOVAL_MIN_ACTIVITIES or len(removed) <= limits.MASS_REMOVAL_SHARE * total:
        return
    named = ", ".join(f'"{name}"' for name in removed[:_NAMED_REMOVALS])
    more = f" and {len(removed) - _NAMED_REMOVALS} more" if len(removed) > _NAMED_REMOVALS else ""
    raise MassRemoval(
        f"{source} would remove {len(removed)} of the store's {total} activities ({named}{more}); "
        "more than half usually means a truncated file, the wrong sheet or a stray quote, so nothing "
        "was changed. If it is what you mean, import it with `raci import --allow-mass-removal`"
    )


def _stored_activity_names(session: Session) -> list[str]:
    """The store's activity names in file order: all the mass-removal guard needs (an import streams the rest)."""
    return list(session.scalars(select(m.Activity.name).order_by(m.Activity.position, m.Activity.id)))


def default_actor() -> str:
    """Who is changing the matrix from this process, for the audit log."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _lock_imports(session: Session) -> None:
    """Imports run one at a time, held until this transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({PER_SCHEMA_LOCK})"), {"id": IMPORT_LOCK_ID})
    elif dialect == "sqlite":
        # A write that changes nothing takes SQLite's write lock now, before we read what is there.
        session.execute(text("DELETE FROM org_settings WHERE 1 = 0"))


lock_imports = _lock_imports  # the public name: a Slack change is applied under the same lock


def merge_csv(current: RaciDocument, matrix: CsvMatrix) -> RaciDocument:
    """The store with its matrix replaced by a CSV's: activities and letters; people and members stay."""
    existing = {name_key(a.name): a for a in current.activities}
    activities = []
    for row in matrix.activities:
        old = existing.get(name_key(row.name))
        if old is None:
            activities.append(Activity(name=row.name, raci=row.raci, line=row.line))
        else:
            activities.append(dataclasses.replace(old, name=row.name, raci=row.raci, line=row.line))
    return dataclasses.replace(current, roles=current.roles + matrix.new_roles, activities=activities)


Progress = Callable[[str], None]


def _quiet(_phase: str) -> None:
    pass


def read_file(
    path: str | Path, *, current: RaciDocument, progress: Progress = _quiet
) -> tuple[RaciDocument, list[Finding]]:
    """Load and validate a YAML or CSV file; raises InvalidRaciFile listing every error."""
    source = str(path)
    progress(f"reading {source}")
    loaded, findings = load_file(path, roles=current.roles)
    doc = merge_csv(current, loaded) if isinstance(loaded, CsvMatrix) else loaded
    progress(f"checking {len(doc.activities)} activities")
    findings = findings + check(doc, source=source)
    errors = [f for f in findings if f.kind == "error"]
    if errors:
        raise InvalidRaciFile(source, errors)
    return doc, findings


def import_file(
    *, session: Session, path: str | Path, actor: str | None = None, progress: Progress = _quiet,
    allow_mass_removal: bool = False, discard_slack_changes: bool = False,
) -> ImportReport:
    """Make the store equal to the file in the caller's transaction; a file with any error changes nothing.

    Refused (SlackChangesWouldBeUndone) when it would revert ownership changes made in Slack since
    the last import, unless `discard_slack_changes`.
    """
    with cycle_collector_paused():  # the document, its diff and its rows: millions of acyclic objects
        return _import_file(session=session, path=path, actor=actor, progress=progress,
                            allow_mass_removal=allow_mass_removal, discard_slack_changes=discard_slack_changes)


def _import_file(
    *, session: Session, path: str | Path, actor: str | None, progress: Progress,
    allow_mass_removal: bool, discard_slack_changes: bool,
) -> ImportReport:
    _lock_imports(session)
    progress("reading the store")
    doc, findings = read_file(path, current=_current(session, path), progress=progress)
    digest = file_sync.content_hash(path)  # after reading: a missing file is read_file's clear error
    stored = _stored_activity_names(session)
    if not allow_mass_removal and not _only_first_loaded(session):
        guard_mass_removal(stored, doc, source=str(path))
    if not discard_slack_changes:
        undone = file_sync.undone_by(session, doc)
        if undone:
            raise file_sync.SlackChangesWouldBeUndone(str(path), undone)
    changes = _write(session, stored, doc, actor=actor or default_actor(), source=str(path), progress=progress)
    file_sync.record_import(session, source=str(path), digest=digest, now=datetime.now(UTC))
    return ImportReport(source=str(path), changes=changes, findings=findings)


def _current(session: Session, path: str | Path) -> RaciDocument:
    """What reading `path` needs of the store: all of it for a CSV (merged into it), else no activities."""
    return stored_document(session, activities=Path(path).suffix.lower() in CSV_SUFFIXES)


def _write(session: Session, stored: list[str], doc: RaciDocument, *, actor: str, source: str,
           action: str = "import", progress: Progress = _quiet) -> list[Change]:
    """Write the document, then its learned phrases; the phrases of removed activities are reported."""
    kept = {name_key(a.name) for a in doc.activities} if stored else set()
    gone = learned_store.active_phrases_of(session, [name for name in stored if name_key(name) not in kept])
    changes = write_document(session, doc, actor=actor, source=source, action=action, progress=progress)
    learned = learned_store.sync_learned(session, doc, key_of=lambda: Ownership(doc).matcher.phrase_key, gone=gone)
    record_changes(session, learned, actor=actor, source=source, action=action)
    return changes + learned


def ensure_loaded(store: Store, path: str | Path, *, actor: str | None = None) -> ImportReport | None:
    """Load `path` when the store holds no matrix yet, so a fresh checkout answers at once."""
    with store.session() as session:
        if not is_empty(session):
            return None
    with store.session() as session, cycle_collector_paused():
        _lock_imports(session)
        if not is_empty(session):  # another process loaded it while we waited for the lock
            return None
        doc, findings = read_file(path, current=_current(session, path))
        digest = file_sync.content_hash(path)
        changes = _write(session, [], doc, actor=actor or default_actor(), source=str(path), action=FIRST_LOAD)
        file_sync.record_import(session, source=str(path), digest=digest, now=datetime.now(UTC))
    return ImportReport(source=str(path), changes=changes, findings=findings)


def _only_first_loaded(session: Session) -> bool:
    """The store holds only the matrix loaded by itself on first use (RACI_FILE, e.g. the starter matrix): replacing
    it wholesale is the expected first import, not a mistake to guard against."""
    return session.scalar(select(m.AuditEvent.id).where(m.AuditEvent.action != FIRST_LOAD,
                                                        m.AuditEvent.subject_type == "activity").limit(1)) is None


def export_store(*, session: Session, fmt: str = "yaml") -> str:
    """The store in the file format: import -> export -> import -> export is a fixed point."""
    doc = stored_document(session)
    return dump_csv(doc) if fmt == "csv" else dump_yaml(doc)


def diff_file(*, session: Session, path: str | Path) -> list[Change]:
    """What importing `path` would change in the store (the patch to commit, read the other way)."""
    doc, _ = read_file(path, current=_current(session, path))
    return diff_documents(stored_document(session), doc)


def check_store(*, session: Session) -> list[Finding]:
    """The format's rules applied to what the store holds."""
    return check(stored_document(session), source="store")


# audit actions that change what the index answers
MATRIX_ACTIONS = ("import", "slack_id_learned", learned_store.ACTIVE_ACTION, "slack_change")


def store_revision(session: Session) -> int:
    """A number that grows with every change to the matrix (its newest audit entry), not with escalations."""
    return session.scalar(select(func.coalesce(func.max(m.AuditEvent.id), 0))
                          .where(m.AuditEvent.action.in_(MATRIX_ACTIONS))) or 0


def load_ownership(*, session: Session) -> Ownership:
    """Build the in-memory ownership index from the store."""
    return Ownership(stored_document(session), revision=store_revision(session))


def history(*, session: Session, subject: str | None = None, limit: int = 50) -> list[m.AuditEvent]:
    """The newest audit entries, optionally about one subject (activity name, key or handle)."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.id.desc()).limit(limit)
    if subject:
        query = query.where(func.lower(m.AuditEvent.subject) == subject.strip().lower())
    return list(session.scalars(query))
