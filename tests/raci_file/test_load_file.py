"""load_file: the format by extension, decoding, and clear errors for files it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import RaciError
from bot.raci_file import CsvMatrix, load_file
from bot.raci_file.model import RaciDocument, Role


@pytest.mark.parametrize("name", ["raci.yaml", "raci.yml", "RACI.YAML"])
def test_yaml_by_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("people:\n  - {handle: zoe, name: Zoë}\n", encoding="utf-8")
    doc, findings = load_file(path)
    assert isinstance(doc, RaciDocument) and doc.people[0].name == "Zoë"
    assert findings == []


def test_yaml_findings_carry_the_path_as_source(tmp_path: Path) -> None:
    path = tmp_path / "raci.yaml"
    path.write_text("people: [\n", encoding="utf-8")
    _, findings = load_file(str(path))
    assert [(f.kind, f.source) for f in findings] == [("error", str(path))]


def test_csv_by_extension_with_a_bom_and_the_stores_roles(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_bytes("Activity,DE,QA\r\nX,R/A,I\r\n".encode("utf-8-sig"))
    matrix, findings = load_file(path, roles=[Role("de", "Data Engineer", aliases=["DE"])])
    assert isinstance(matrix, CsvMatrix) and findings == []
    assert matrix.activities[0].raci == {"R": ["de"], "A": ["de"], "I": ["qa"]}
    assert [role.key for role in matrix.new_roles] == ["qa"]


def test_unknown_extension_names_the_file_and_the_accepted_ones(tmp_path: Path) -> None:
    path = tmp_path / "raci.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(RaciError, match=r"raci\.json: .*\.yaml, \.yml, \.csv"):
        load_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RaciError, match=r"nope\.yaml: no such file"):
        load_file(tmp_path / "nope.yaml")


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(RaciError, match="is a directory"):
        load_file(tmp_path / "dir.yaml")


def test_non_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Activity,Ingénieur\n".encode("latin-1"))
    with pytest.raises(RaciError, match=r"latin1\.csv: not UTF-8 text"):
        load_file(path)
