"""Imports compare, write and audit activities in batches: the result is the same as one big step.

The files here are a little over two batches (bot/store/batching.py), so the first and last
activity of each batch, and a batch of one, are all crossed.
"""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.cli import TerminalProgress
from bot.ownership.matrix import export_store, history, import_file
from bot.raci_file import load_yaml
from bot.raci_file.model import Activity, EscalationPolicy, Person, RaciDocument, Role
from bot.raci_file.yaml_io import dump_yaml
from bot.store import models as m
from bot.store.batching import ACTIVITY_BATCH
from bot.store.db import Store

SIZE = 2 * ACTIVITY_BATCH + 1
EDGES = (0, ACTIVITY_BATCH - 1, ACTIVITY_BATCH, 2 * ACTIVITY_BATCH - 1, 2 * ACTIVITY_BATCH)


def matrix(size: int = SIZE) -> RaciDocument:
    people = [Person(f"p{i}", f"Person {i}", email=f"p{i}@example.com") for i in range(20)]
    roles = [Role(f"r{i}", f"Role {i}", members=[f"p{i}"]) for i in range(10)]
    activities = [
        Activity(f"Activity {i}", aliases=[f"act {i}"] if i % 3 == 0 else [],
                 description=f"Unit {i}" if i % 4 == 0 else None,
                 raci={"R": [f"r{i % 10}", f"@p{i % 20}"], "A": [f"r{(i + 1) % 10}"], "I": [f"r{(i + 2) % 10}"]},
                 escalation=EscalationPolicy(ack_timeout="30m") if i % 5 == 0 else None)
        for i in range(size)
    ]
    return RaciDocument(people=people, roles=roles, activities=activities)


def write(tmp_path: Path, name: str, doc: RaciDocument) -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml(doc), encoding="utf-8")
    return path


def activity_ids(store: Store) -> dict[str, int]:
    with store.session() as session:
        return dict(session.execute(select(m.Activity.name, m.Activity.id)).all())


def audit_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(m.AuditEvent)) or 0


def test_a_batched_import_stores_the_file_and_audits_every_activity(store: Store, tmp_path: Path) -> None:
    doc = matrix()
    with store.session() as session:
        report = import_file(session=session, path=write(tmp_path, "m.yaml", doc), actor="tester")
    with store.session() as session:
        exported, findings = load_yaml(export_store(session=session), source="export")
    assert exported == doc and not [f for f in findings if f.kind == "error"]
    assert sum(1 for c in report.changes if c.subject_type == "activity") == SIZE
    assert audit_count(store) == len(report.changes)
    for i in EDGES:
        with store.session() as session:
            events = history(session=session, subject=f"Activity {i}")
        assert [(e.change, e.actor) for e in events] == [("added", "tester")]
        assert events[0].details["raci"] == doc.activities[i].raci


def test_a_batched_reimport_changes_only_what_differs_and_keeps_ids(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=write(tmp_path, "v1.yaml", matrix()), actor="alice")
    ids = activity_ids(store)
    doc = matrix()
    for i in EDGES[1:3]:  # the last of one batch and the first of the next
        doc.activities[i].raci["A"] = ["@p7"]
    removed = doc.activities.pop(2 * ACTIVITY_BATCH)  # the batch of one
    doc.activities[0], doc.activities[1] = doc.activities[1], doc.activities[0]  # order alone is no change
    doc.activities.append(Activity("Brand new", raci={"R": ["r1"], "A": ["r2"]}))
    before = audit_count(store)
    with store.session() as session:
        report = import_file(session=session, path=write(tmp_path, "v2.yaml", doc), actor="bob")
    assert [(c.subject, c.change) for c in report.changes] == [
        (f"Activity {ACTIVITY_BATCH - 1}", "changed"), (f"Activity {ACTIVITY_BATCH}", "changed"),
        ("Brand new", "added"), (removed.name, "removed"),
    ]
    assert report.changes[0].details == {"raci": [matrix().activities[ACTIVITY_BATCH - 1].raci,
                                                  doc.activities[ACTIVITY_BATCH - 1].raci]}
    assert audit_count(store) == before + 4
    with store.session() as session:
        assert [e.change for e in history(session=session, subject=removed.name)] == ["removed", "added"]
    after = activity_ids(store)
    assert all(after[name] == ids[name] for name in after if name != "Brand new")
    with store.session() as session:
        exported, _ = load_yaml(export_store(session=session), source="export")
    assert exported == doc
    with store.session() as session:
        assert import_file(session=session, path=write(tmp_path, "v3.yaml", doc), actor="bob").changes == []


def _fail_on_insert(store: Store, name: str) -> None:
    """A database trigger that rejects one activity: a failure in the middle of the writing."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "postgresql":
            conn.execute(text(f"""CREATE FUNCTION reject() RETURNS trigger AS $$ BEGIN
                IF NEW.name = '{name}' THEN RAISE EXCEPTION 'rejected'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"""))
            conn.execute(text("CREATE TRIGGER reject BEFORE INSERT ON activities "
                              "FOR EACH ROW EXECUTE FUNCTION reject()"))
        else:
            conn.execute(text(f"""CREATE TRIGGER reject BEFORE INSERT ON activities WHEN NEW.name = '{name}'
                BEGIN SELECT RAISE(ABORT, 'rejected'); END"""))


def test_a_failure_in_a_later_batch_rolls_back_the_whole_import(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=write(tmp_path, "v1.yaml", matrix(ACTIVITY_BATCH)), actor="alice")
    with store.session() as session:
        before, audited = export_store(session=session), audit_count(store)
    doc = matrix()
    doc.people.pop()  # removing a person cascades to assignments: rolled back too
    for activity in doc.activities:
        activity.raci["R"] = [ref for ref in activity.raci["R"] if ref != "@p19"]
    doc.activities[0].description = "changed in the first batch"
    _fail_on_insert(store, f"Activity {2 * ACTIVITY_BATCH}")
    # COPY reports psycopg's own error
    with pytest.raises((DBAPIError, psycopg.Error), match="rejected"), store.session() as session:
        import_file(session=session, path=write(tmp_path, "v2.yaml", doc), actor="bob")
    with store.session() as session:
        assert export_store(session=session) == before
    assert audit_count(store) == audited


def test_progress_counts_batches_and_shows_only_on_a_terminal(store: Store, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    shown, silent = TerminalProgress(terminal), TerminalProgress(pipe)
    path = write(tmp_path, "m.yaml", matrix())
    with store.session() as session:
        import_file(session=session, path=path, actor="tester", progress=lambda phase: (shown(phase), silent(phase)))
    shown.close()
    silent.close()
    assert pipe.getvalue() == ""
    lines = terminal.getvalue()
    assert lines.endswith("\n") and lines.count("\n") == 1  # one line, rewritten in place
    assert f"comparing activities {ACTIVITY_BATCH}/{SIZE}" in lines
    assert f"writing activities {SIZE}/{SIZE}" in lines
