"""An import that would remove more than half of the activities needs --allow-mass-removal, and says why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app import load_matrix
from bot.cli import main
from bot.ownership.matrix import MassRemoval, export_store
from bot.raci_file import dump_csv, dump_yaml, load_file
from bot.settings import Settings
from bot.store.db import Store
from tests.conftest import REPO

DEFAULT = REPO / "data" / "raci.yaml"  # 11 activities
SMALL = REPO / "tests" / "fixtures" / "org.yaml"  # 4 activities


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _keeping(source: Path, keep: int, path: Path) -> Path:
    """`source` with only its first `keep` activities, written to `path` (YAML or CSV by suffix)."""
    doc, _ = load_file(source)
    doc = dataclasses.replace(doc, activities=doc.activities[:keep])
    path.write_text(dump_csv(doc) if path.suffix == ".csv" else dump_yaml(doc), encoding="utf-8")
    return path


@pytest.fixture
def default_org(cli_env: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert _run(capsys, "import", str(DEFAULT))[0] == 0
    return cli_env


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_removing_most_activities_is_refused_then_allowed_with_the_flag(
    default_org: str, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _keeping(DEFAULT, 2, tmp_path / f"short{suffix}")
    before = _run(capsys, "export")[1]
    code, out, err = _run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert "would remove 9 of the store's 11 activities" in err and "--allow-mass-removal" in err
    assert "Traceback" not in err and _run(capsys, "export")[1] == before
    code, out, err = _run(capsys, "import", "--allow-mass-removal", str(path))
    assert code == 0, err
    assert "9 removed" in out
    assert _run(capsys, "export")[1].count("  - name:") == 2


@pytest.mark.parametrize(("keep", "refused"), [(6, False), (5, True)])
def test_half_may_go_more_than_half_may_not(
    default_org: str, tmp_path: Path, keep: int, refused: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "import", str(_keeping(DEFAULT, keep, tmp_path / "part.yaml")))
    assert (code == 1) is refused, err
    assert ("--allow-mass-removal" in err) is refused


def test_a_small_matrix_may_be_replaced_wholesale(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "import", str(SMALL))[0] == 0
    code, _, err = _run(capsys, "import", str(_keeping(SMALL, 1, tmp_path / "one.yaml")))
    assert code == 0, err


def test_sync_on_start_refuses_a_mass_removal_and_keeps_the_store(default_org: str, tmp_path: Path) -> None:
    path = _keeping(DEFAULT, 1, tmp_path / "truncated.yaml")
    store = Store.open(default_org)
    with store.session() as session:
        before = export_store(session=session)
    settings = Settings.from_env({"DATABASE_URL": default_org, "RACI_FILE": str(path), "RACI_SYNC_ON_START": "true"})
    with pytest.raises(MassRemoval, match="would remove 10 of the store's 11 activities"):
        load_matrix(store, settings)
    with store.session() as session:
        assert export_store(session=session) == before
    store.close()



def test_the_first_import_may_replace_the_matrix_the_store_loaded_by_itself(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `raci ask` on a fresh store loads RACI_FILE (the 11-activity starter); the team's own file replaces it whole.
    assert _run(capsys, "ask", "feature store")[0] == 0
    assert _run(capsys, "export")[1].count("  - name:") == 11
    code, out, err = _run(capsys, "import", str(_keeping(DEFAULT, 2, tmp_path / "ours.yaml")))
    assert code == 0, err
    assert "9 removed" in out
    # Once the team has imported on purpose, the guard is back.
    assert _run(capsys, "import", str(DEFAULT))[0] == 0
    code, _out, err = _run(capsys, "import", str(tmp_path / "ours.yaml"))
    assert code == 1 and "--allow-mass-removal" in err
