"""Matrix services: import a file into the store, export it, check it, and load the ownership index."""

from __future__ import annotations

import dataclasses
import getpass
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.changes import Change
from bot.errors import InvalidRaciFile
from bot.learning import store as learned_store
from bot.ownership import Ownership
from bot.raci_file import load_file
from bot.raci_file.csv_io import CsvMatrix, dump_csv
from bot.raci_file.findings import Finding
from bot.raci_file.model import Activity, RaciDocument, name_key
from bot.raci_file.rules import check
from bot.raci_file.yaml_io import dump_yaml
from bot.store import models as m
from bot.store.db import Store
from bot.store.snapshot import is_empty, read_document
from bot.store.sync import record_changes, write_document

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
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": IMPORT_LOCK_ID})
    elif dialect == "sqlite":
        # A write that changes nothing takes SQLite's write lock now, before we read what is there.
        session.execute(text("DELETE FROM org_settings WHERE 1 = 0"))


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
    store: Store, path: str | Path, *, actor: str | None = None, progress: Progress = _quiet
) -> ImportReport:
    """Make the store equal to the file, in one transaction; a file with any error changes nothing."""
    with store.session() as session:
        _lock_imports(session)
        progress("reading the store")
        current = read_document(session)
        doc, findings = read_file(path, current=current, progress=progress)
        progress("writing the changes")
        changes = _write(session, current, doc, actor=actor or default_actor(), source=str(path))
        progress("committing")
    return ImportReport(source=str(path), changes=changes, findings=findings)


def _write(session: Session, current: RaciDocument, doc: RaciDocument, *, actor: str, source: str) -> list[Change]:
    """Write the document, then its learned phrases; the phrases of removed activities are reported."""
    kept = {name_key(a.name) for a in doc.activities}
    gone = learned_store.active_phrases_of(session, [a.name for a in current.activities
                                                     if name_key(a.name) not in kept])
    changes = write_document(session, doc, actor=actor, source=source)
    learned = learned_store.sync_learned(session, doc, key_of=lambda: Ownership(doc).matcher.phrase_key, gone=gone)
    record_changes(session, learned, actor=actor, source=source, action="import")
    return changes + learned


def ensure_loaded(store: Store, path: str | Path, *, actor: str | None = None) -> ImportReport | None:
    """Load `path` when the store holds no matrix yet, so a fresh checkout answers at once."""
    with store.session() as session:
        if not is_empty(session):
            return None
    with store.session() as session:
        _lock_imports(session)
        if not is_empty(session):  # another process loaded it while we waited for the lock
            return None
        current = read_document(session)
        doc, findings = read_file(path, current=current)
        changes = _write(session, current, doc, actor=actor or default_actor(), source=str(path))
    return ImportReport(source=str(path), changes=changes, findings=findings)


def export_store(store: Store, *, fmt: str = "yaml") -> str:
    """The store in the file format: import -> export -> import -> export is a fixed point."""
    with store.session() as session:
        doc = read_document(session)
    return dump_csv(doc) if fmt == "csv" else dump_yaml(doc)


def check_store(store: Store) -> list[Finding]:
    """The format's rules applied to what the store holds."""
    with store.session() as session:
        return check(read_document(session), source="store")


# audit actions that change what the index answers
MATRIX_ACTIONS = ("import", "slack_id_learned", learned_store.ACTIVE_ACTION)


def store_revision(session: Session) -> int:
    """A number that grows with every change to the matrix (its newest audit entry), not with escalations."""
    return session.scalar(select(func.coalesce(func.max(m.AuditEvent.id), 0))
                          .where(m.AuditEvent.action.in_(MATRIX_ACTIONS))) or 0


def load_ownership(store: Store) -> Ownership:
    """Build the in-memory ownership index from the store."""
    with store.session() as session:
        revision = store_revision(session)
        doc = read_document(session)
    return Ownership(doc, revision=revision)


def history(store: Store, *, subject: str | None = None, limit: int = 50) -> list[m.AuditEvent]:
    """The newest audit entries, optionally about one subject (activity name, key or handle)."""
    with store.session() as session:
        query = select(m.AuditEvent).order_by(m.AuditEvent.id.desc()).limit(limit)
        if subject:
            query = query.where(func.lower(m.AuditEvent.subject) == subject.strip().lower())
        return list(session.scalars(query))
