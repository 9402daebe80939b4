"""`settings.changes`: validated with line numbers, stored, exported, and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import InvalidRaciFile
from bot.ownership.matrix import export_store, import_file, read_file
from bot.raci_file.model import RaciDocument
from bot.store.db import Store
from tests.changes.test_service import ORG

SETTINGS = """\
  changes:
    from_slack: false
    expire_after: 3d
    file_url: https://git.example.com/org/raci/blob/main/raci.yaml
"""


def test_bad_values_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "raci.yaml"
    path.write_text(ORG + "  changes:\n    from_slack: sometimes\n    expire_after: soon\n"
                    "    file_url: not a url\n    colour: blue\n")
    with pytest.raises(InvalidRaciFile) as failed:
        read_file(path, current=RaciDocument())
    shown = [str(f) for f in failed.value.findings]
    assert any("from_slack must be true or false" in s and ":19:" in s for s in shown), shown
    assert any("settings.changes.expire_after" in s and ":20:" in s for s in shown), shown
    assert any("file_url 'not a url' is not a web address" in s and ":21:" in s for s in shown), shown


def test_settings_survive_import_and_export(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "raci.yaml"
    path.write_text(ORG + SETTINGS)
    with store.session() as session:
        import_file(session=session, path=path, actor="test")
    with store.session() as session:
        exported = export_store(session=session)
    assert "  changes:\n    from_slack: false\n    expire_after: 3d\n    file_url: 'https://git.example.com" in exported
