"""The app's ownership index follows imports made by other processes, and nothing else."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.escalations import engine as escalations
from bot.escalations.policy import Policy
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import history, import_file
from bot.store.db import Store
from tests.sessions import committed

ORG = Path(__file__).resolve().parents[1] / "fixtures" / "org.yaml"


def test_index_reloads_after_another_process_imports(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    now = [0.0]
    index = OwnershipService(store, reload_seconds=30, clock=lambda: now[0])
    assert index.answer("docker packaging").accountable[0].handle == "raj"
    changed = tmp_path / "org.yaml"
    changed.write_text(ORG.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [de]"))
    with store.session() as session:
        import_file(session=session, path=changed, actor="other replica")
    now[0] = 29.0
    assert index.answer("docker packaging").accountable[0].handle == "raj"  # not checked again yet
    now[0] = 31.0
    assert index.answer("docker packaging").accountable[0].handle == "omar"


def test_escalations_do_not_rebuild_the_index(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    index = OwnershipService(store)
    answer = index.current.answer_activity("Docker packaging")
    committed(store, escalations.raise_escalation, answer=answer, problem="down", link=None, requester="U1",
              channel=None, thread_ts=None, policy=Policy(timedelta(minutes=5), 0), now=datetime.now(UTC))
    assert index.refresh() is False


def test_a_learned_slack_id_is_kept_and_audited(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    index = OwnershipService(store)
    index.learn_slack_id("raj", "U0RAJ0001")
    assert index.current.person("U0RAJ0001").handle == "raj"
    assert index.refresh() is True  # other replicas see it too: it is a change to the matrix
    assert index.current.people["raj"].slack_id == "U0RAJ0001"


def test_the_app_reloads_in_the_background_not_on_the_request_path(store: Store, tmp_path: Path) -> None:
    import time

    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    index = OwnershipService(store, reload_seconds=0.05)
    stop = index.start_reloader()
    try:
        changed = tmp_path / "org.yaml"
        changed.write_text(ORG.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [de]"))
        with store.session() as session:
            import_file(session=session, path=changed, actor="other replica")
        deadline = time.monotonic() + 10
        while index.current.answer_activity("Docker packaging").accountable[0].handle != "omar":
            assert time.monotonic() < deadline, "the reloader never picked the import up"
            time.sleep(0.02)
    finally:
        stop.set()


def test_a_learned_slack_id_survives_reimporting_the_file(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    OwnershipService(store).learn_slack_id("raj", "U0RAJ0001")
    with store.session() as session:  # nothing to forget, nothing to ask again
        assert import_file(session=session, path=ORG, actor="sync on start").changes == []
    assert OwnershipService(store).current.people["raj"].slack_id == "U0RAJ0001"
    moved = tmp_path / "org.yaml"
    moved.write_text(ORG.read_text().replace("raj@example.com", "raj@elsewhere.example"))
    with store.session() as session:  # another email: another person as far as Slack knows
        report = import_file(session=session, path=moved, actor="t")
    assert [(c.subject, c.details.get("slack_id")) for c in report.changes] == [("raj", ["U0RAJ0001", None])]


def test_learning_a_slack_id_leaves_the_snapshot_readers_hold_untouched(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    index = OwnershipService(store)
    before = index.current
    index.learn_slack_id("raj", "U0RAJ0001")
    assert before.people["raj"].slack_id is None and "U0RAJ0001" not in before.by_slack_id
    assert index.current.person("U0RAJ0001").handle == "raj"
    assert index.current.answer("docker packaging").accountable[0].slack_id == "U0RAJ0001"


def test_a_slack_id_another_replica_learned_first_is_not_audited_again(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    first, second = OwnershipService(store), OwnershipService(store)
    first.learn_slack_id("raj", "U0RAJ0001")
    first.refresh()
    second.learn_slack_id("raj", "U0RAJ0001")  # found by email at the same time, a moment later
    assert second.current.person("U0RAJ0001").handle == "raj"
    with store.session() as session:
        assert [e.action for e in history(session=session, subject="raj", limit=10)].count("slack_id_learned") == 1
    assert first.refresh() is False  # nothing changed in the matrix: no replica rebuilds its index


def test_a_forced_refresh_waits_for_a_rebuild_under_way_and_then_sees_our_write(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    index = OwnershipService(store)
    changed = tmp_path / "org.yaml"
    changed.write_text(ORG.read_text().replace("R: [mle], A: [mlops]", "R: [mle], A: [de]"))
    index._lock.acquire()  # the background reloader is rebuilding from what it read before our write
    with store.session() as session:
        import_file(session=session, path=changed, actor="this replica")
    forced = threading.Thread(target=index.refresh, kwargs={"force": True})
    forced.start()  # it waits for the rebuild under way instead of giving up on it...
    index._lock.release()
    forced.join()
    assert index.answer("docker packaging").accountable[0].handle == "omar"  # ...then answers with the write
