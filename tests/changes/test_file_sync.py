"""The file stays the source of truth: imports that would undo Slack changes refuse, `raci diff`, sync on start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import load_matrix
from bot.changes.file_sync import SlackChangesWouldBeUndone
from bot.changes.service import Changes
from bot.cli import main
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import import_file
from bot.settings import Settings
from bot.store.db import Store
from tests.changes.test_service import DANA, FEATURE, OMAR, ORG, lena_accountable


@pytest.fixture
def applied(store: Store, tmp_path: Path) -> tuple[Changes, Path]:
    """The organisation imported from a file, then Lena made Accountable in Slack (approved by Omar)."""
    path = tmp_path / "raci.yaml"
    path.write_text(ORG)
    with store.session() as session:
        import_file(session=session, path=path, actor="test")
    changes = Changes(OwnershipService(store))
    now = datetime.now(UTC)  # after the import: the change is one made since
    lena = type(OMAR)("@lena", "lena")
    with store.session() as session:
        proposal = lena_accountable(changes, DANA, session=session)
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=OMAR, now=now)
        assert changes.answer(session=session, change_id=proposal.change.id, accept=True, person=lena,
                              now=now).status == "applied"
    return changes, path


def accountable(changes: Changes) -> list[str]:
    changes.service.refresh(force=True)
    return [h.handle for h in changes.service.current.answer_activity(FEATURE).accountable]


def test_importing_the_old_file_refuses_and_lists_the_slack_change(store: Store, applied: tuple[Changes, Path]) -> None:
    changes, path = applied
    with pytest.raises(SlackChangesWouldBeUndone) as refused, store.session() as session:
        import_file(session=session, path=path, actor="ci")
    assert [(u.activity, u.letter, u.approved_by) for u in refused.value.undone] == [(FEATURE, "A", "@omar")]
    assert "Feature store mgmt: Accountable (change #1, approved by @omar on" in str(refused.value)
    assert accountable(changes) == ["lena"]
    with store.session() as session:
        import_file(session=session, path=path, actor="ci", discard_slack_changes=True)
    assert accountable(changes) == ["omar"]


def test_a_file_that_carries_the_change_imports(store: Store, applied: tuple[Changes, Path]) -> None:
    changes, path = applied
    path.write_text(ORG.replace("A: [ml-lead], I:", 'A: ["@lena"], I:') + "  # committed\n")
    with store.session() as session:
        import_file(session=session, path=path, actor="ci")
    assert accountable(changes) == ["lena"]


def test_cli_import_diff_and_changes(store: Store, applied: tuple[Changes, Path], db_url: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    _, path = applied
    assert main(["import", str(path), "--db", db_url]) == 1
    assert "would undo 1 ownership change(s) made in Slack" in capsys.readouterr().err
    assert main(["diff", str(path), "--db", db_url]) == 1
    shown = capsys.readouterr().out
    assert "~ activity Feature store mgmt: raci" in shown and "@lena" in shown
    assert main(["changes", "--db", db_url]) == 0
    assert "#1 applied  Feature store mgmt: Accountable +@lena -ml-lead" in capsys.readouterr().out
    assert main(["history", "--db", db_url]) == 0
    assert "applied, proposed by @dana, approved by @omar, accepted by @lena" in capsys.readouterr().out


def test_sync_on_start_keeps_the_slack_change_when_the_file_is_unchanged(
    store: Store, applied: tuple[Changes, Path], db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    changes, path = applied
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RACI_FILE", str(path))
    monkeypatch.setenv("RACI_SYNC_ON_START", "1")
    assert load_matrix(store, Settings.from_env()) is None
    assert accountable(changes) == ["lena"]
    path.write_text(ORG.replace("Office plants", "Office plant care"))  # changed, and it would undo the change
    warning = load_matrix(store, Settings.from_env())
    assert warning and "would undo 1 ownership change(s)" in warning
    assert accountable(changes) == ["lena"]
