"""Importing makes the store equal to the file; a bad file changes nothing; every change is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.errors import InvalidRaciFile
from bot.ownership.matrix import check_store, export_store, history, import_file, load_ownership
from bot.store import models as m
from bot.store.db import Store
from tests.conftest import REPO

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORG = FIXTURES / "org.yaml"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_loads_everything_and_reimport_changes_nothing(store: Store) -> None:
    with store.session() as session:
        report = import_file(session=session, path=ORG, actor="tester")
    assert {c.change for c in report.changes if c.subject_type != "settings"} == {"added"}
    assert {c.subject for c in report.changes if c.subject_type == "settings"} == {"escalation", "digest"}
    assert sum(1 for c in report.changes if c.subject_type == "activity") == 4
    with store.session() as session:
        again = import_file(session=session, path=ORG, actor="tester")
    assert again.changes == []
    with store.session() as session:
        ownership = load_ownership(session=session)
    assert [a.name for a in ownership.doc.activities][:2] == ["Feature store mgmt", "Docker packaging"]
    assert ownership.roles["mle"].slack_usergroup == "S0MLENG01"
    assert ownership.teams["search"].members == {"ds": ["bea"], "mle": ["carl"]}


def test_import_is_a_sync_removing_what_the_file_no_longer_has(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    text = ORG.read_text()
    text = text.replace("  - name: Model training code\n    raci: {R: [ds], A: [mle], I: [mlops, de]}\n", "")
    text = text.replace("members: [ana]", "members: [ana, bea]")
    with store.session() as session:
        report = import_file(session=session, path=_write(tmp_path, "org.yaml", text), actor="tester")
    summary = {(c.subject_type, c.subject, c.change) for c in report.changes}
    assert summary == {("activity", "Model training code", "removed"), ("role", "ds", "changed")}
    ds_change = next(c for c in report.changes if c.subject == "ds")
    assert ds_change.details == {"members": [["ana"], ["ana", "bea"]]}
    with store.session() as session:
        doc = load_ownership(session=session).doc
    assert "Model training code" not in [a.name for a in doc.activities]
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(m.Assignment)) == 5 + 4 + 2


def test_every_change_goes_to_the_audit_log(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="alice@laptop")
    changed = ORG.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [de]")
    with store.session() as session:
        import_file(session=session, path=_write(tmp_path, "v2.yaml", changed), actor="bob@laptop")
    with store.session() as session:
        events = history(session=session, subject="docker packaging")
    assert [(e.actor, e.change) for e in events] == [("bob@laptop", "changed"), ("alice@laptop", "added")]
    assert events[0].source.endswith("v2.yaml")
    assert events[0].details == {"raci": [
        {"R": ["mle"], "A": ["mlops"], "C": ["ds"], "I": ["de"]},
        {"R": ["mle"], "A": ["de"], "C": ["ds"], "I": ["de"]},
    ]}


def test_a_file_with_any_error_changes_nothing(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    with store.session() as session:
        before = export_store(session=session)
    bad = ORG.read_text().replace("A: [mlops]", "A: [mlopz]").replace("members: [omar]", "members: [omr]")
    bad = bad.replace("synonyms:", "  - name: Feature Store MGMT\n    raci: {R: [de], A: [de]}\nsynonyms:")
    with pytest.raises(InvalidRaciFile) as info, store.session() as session:
        import_file(session=session, path=_write(tmp_path, "bad.yaml", bad), actor="tester")
    messages = "\n".join(str(f) for f in info.value.findings)
    assert "mlopz" in messages and "omr" in messages and "Feature Store MGMT" in messages
    assert all(f.line is not None for f in info.value.findings)
    with store.session() as session:
        assert export_store(session=session) == before
    with store.session() as session:
        assert len(history(session=session, limit=1000)) == len(history(session=session, subject=None, limit=1000))


def test_export_import_export_is_a_fixed_point(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    with store.session() as session:
        first = export_store(session=session)
    for needle in ("U01OMARH06", "S0MLENG01", "C0SEARCH01", "'@raj'", "ack_timeout: 5m", "feature registry",
                   "Europe/Berlin", "Feast registry", "data eng", "repeats: 2"):
        assert needle in first
    path = _write(tmp_path, "export.yaml", first)
    with store.session() as session:
        assert import_file(session=session, path=path, actor="tester").changes == []
    with store.session() as session:
        assert export_store(session=session) == first
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        with fresh.session() as session:
            import_file(session=session, path=path, actor="tester")
        with fresh.session() as session:
            assert export_store(session=session) == first
    finally:
        fresh.close()


def test_csv_export_round_trips(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    with store.session() as session:
        csv_text = export_store(session=session, fmt="csv")
    assert csv_text.splitlines()[0].startswith("Activity,Data Scientist,ML Engineer")
    with store.session() as session:
        before = export_store(session=session)
    with store.session() as session:
        assert import_file(session=session, path=_write(tmp_path, "m.csv", csv_text), actor="tester").changes == []
    with store.session() as session:
        assert export_store(session=session) == before


def test_csv_import_of_the_chapter_table(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=REPO / "data" / "raci.yaml", actor="tester")
    with store.session() as session:
        people_before = load_ownership(session=session).doc.people
    with store.session() as session:
        report = import_file(session=session, path=FIXTURES / "chapter.csv", actor="tester")
    with store.session() as session:
        doc = load_ownership(session=session).doc
    assert doc.people == people_before  # a CSV leaves people and role members alone
    raci = {a.name: a.raci for a in doc.activities}
    assert len(raci) == 11
    assert raci["Define business problem"] == {"R": ["ds"], "A": ["ds"], "C": ["mle"], "I": ["mlops", "de"]}
    assert raci["Docker packaging"] == {"R": ["mle"], "A": ["mlops"], "C": ["ds"], "I": ["de"]}
    assert raci["Data pipeline"] == {"R": ["de"], "A": ["de"], "C": ["mlops"], "I": ["ds", "mle"]}
    # the default file is the chapter's table exactly: the CSV changes no letter
    assert report.changes == []


def test_csv_creates_unknown_roles_and_keeps_aliases(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    csv_text = "Activity,DS,mle,Security Engineer\nFeature store mgmt,C,R/A,I\nNew thing,R,A,\n"
    with store.session() as session:
        import_file(session=session, path=_write(tmp_path, "m.csv", csv_text), actor="tester")
    with store.session() as session:
        ownership = load_ownership(session=session)
    assert ownership.roles["security-engineer"].members == []
    assert [a.name for a in ownership.doc.activities] == ["Feature store mgmt", "New thing"]
    fs = ownership.activity("feature store mgmt")
    assert fs is not None and fs.aliases == ["feature store"] and fs.raci == {
        "R": ["mle"], "A": ["mle"], "C": ["ds"], "I": ["security-engineer"]}


def test_check_store_reports_gaps_and_warnings(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="tester")
    with store.session() as session:
        findings = check_store(session=session)
    kinds = {(f.kind, f.subject) for f in findings}
    assert ("warning", "role qa") in kinds
    assert ("warning", "person bea") not in kinds  # bea has a Slack ID
    text = ORG.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [mlops, de]")
    with store.session() as session:
        import_file(session=session, path=_write(tmp_path, "gap.yaml", text), actor="tester")
    with store.session() as session:
        assert any(f.kind == "gap" and "Docker packaging" in f.subject for f in check_store(session=session))


def test_replicas_starting_together_migrate_and_import_once(empty_db_url: str) -> None:
    """Two processes' worth of startup at the same moment: one does the work, the other waits, then serves."""
    import threading

    from bot.ownership.matrix import ensure_loaded

    barrier = threading.Barrier(3)
    reports: list[object] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            replica = Store.open(empty_db_url)  # migrates under an advisory lock on PostgreSQL
            reports.append(ensure_loaded(replica, ORG, actor="replica"))
            replica.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(1 for r in reports if r is not None) == 1  # loaded once; the others found it loaded
    check = Store.open(empty_db_url)
    try:
        with check.session() as session:
            assert len(load_ownership(session=session).doc.activities) == 4
    finally:
        check.close()
