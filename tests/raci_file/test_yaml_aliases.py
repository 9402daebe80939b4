"""YAML aliases: honest reuse loads; a file whose aliases expand past the limit is refused at a line, at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app import load_matrix
from bot.cli import main
from bot.errors import InvalidRaciFile
from bot.ownership.matrix import export_store, import_file
from bot.raci_file.limits import ALIAS_EXPANSION_FACTOR
from bot.raci_file.yaml_io import load_yaml
from bot.settings import Settings
from bot.store.db import Store
from tests.raci_file.bombs import alias_bomb
from tests.raci_file.helpers import brief, load

ORG = Path(__file__).resolve().parents[1] / "fixtures" / "org.yaml"


def _refusal(text: str) -> tuple[int, str]:
    doc, findings = load_yaml(text, source="bomb.yaml")
    assert doc.activities == [] and [(f.kind, f.subject) for f in findings] == [("error", "file")]
    assert "aliases (*name) expand this file" in findings[0].message
    assert findings[0].line is not None
    return findings[0].line, findings[0].message


def test_honest_reuse_of_a_raci_block_and_a_merge_key_loads() -> None:
    activities = "".join(f"  - {{name: Job {index}, raci: *standard}}\n" for index in range(200))
    text = textwrap.dedent("""\
        roles:
          - &base {key: de, name: Data Engineer, members: [omar]}
          - {<<: *base, key: ds, name: Data Scientist}
        people:
          - {handle: omar, name: Omar}
        activities:
          - name: Data pipeline
            raci: &standard {R: [de, ds], A: [de], C: [ds], I: [de]}
        """) + activities
    doc, findings = load_yaml(text, source="raci.yaml")
    assert findings == [] and len(doc.activities) == 201
    assert doc.activities[-1].raci == {"R": ["de", "ds"], "A": ["de"], "C": ["ds"], "I": ["de"]}
    assert doc.roles[1].members == ["omar"]


def test_activities_aliasing_one_big_list_are_refused_at_the_alias_that_crosses_the_limit() -> None:
    text = alias_bomb(1_000, 40).replace("[r", "[role-name-", 1).replace(", r", ", role-name-")
    line, message = _refusal(text)
    assert "*big" in text.splitlines()[line - 1]
    assert f"{ALIAS_EXPANSION_FACTOR}x its own" in message


@pytest.mark.parametrize(("items", "activities"), [(6_000, 6_000), (20_000, 20_000)])
def test_the_probes_bombs_are_refused_without_expanding_them(items: int, activities: int) -> None:
    line, _ = _refusal(alias_bomb(items, activities))
    assert line < 1_000  # refused early in the file: the rest was never even parsed


def test_nested_aliases_a_billion_laughs_are_refused() -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    _refusal("\n".join(levels) + "\n")


def test_an_alias_inside_the_node_it_names_is_refused() -> None:
    _, findings = load("""\
        activities: &loop
          - name: X
            aliases: *loop
        """)
    assert brief(findings) == [("error", "file", 3)] and "expand forever" in findings[0].message


def test_import_check_and_sync_on_start_refuse_the_bomb_and_leave_the_store_alone(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(6_000, 6_000), encoding="utf-8")
    store = Store.open(cli_env)
    with store.session() as session:
        import_file(session=session, path=ORG)
    with store.session() as session:
        before = export_store(session=session)
    assert main(["check", str(bomb)]) == 1
    checked = capsys.readouterr().out
    assert main(["import", str(bomb)]) == 1
    refused = capsys.readouterr().err
    assert f"{bomb}:" in checked and checked.splitlines()[0] in refused
    settings = Settings.from_env({"DATABASE_URL": cli_env, "RACI_FILE": str(bomb), "RACI_SYNC_ON_START": "true"})
    with pytest.raises(InvalidRaciFile):
        load_matrix(store, settings)
    with store.session() as session:
        assert export_store(session=session) == before
    store.close()
