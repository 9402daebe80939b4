"""The grid model and the page's text, without a browser: letters, gaps, vacancies, filter, escaping."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import UnknownTeam
from bot.matrix_view.grid import build_grid, filter_grid
from bot.matrix_view.html import render_page
from bot.ownership.index import Ownership
from tests.matrix_view.conftest import HOSTILE, SEED

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_grid_has_roles_then_direct_people_and_letters_per_cell(hostile: Ownership) -> None:
    grid = build_grid(hostile)
    names = [c.name for c in grid.columns]
    assert names[:6] == ["Data Scientist", "ML Engineer", "MLOps Engineer", "Data Engineer",
                         "Platform/Infrastructure Engineer", "QA Engineer"]
    assert names[6:] == ["Pat Example"]  # assigned directly to "Release notes"
    row = next(r for r in grid.rows if r.activity == "Define business problem")
    assert dict(zip(names, row.cells, strict=True))["Data Scientist"] == "RA"
    notes = next(r for r in grid.rows if r.activity == "Release notes")
    assert notes.gaps == ("no Accountable: RACI wants exactly one",)


def test_a_team_that_staffs_a_role_with_nobody_makes_it_vacant_there_and_leaves_activities_ownerless(
        seed: Ownership) -> None:
    seed.teams["search"].members["mlops"] = []
    grid = build_grid(seed, team="search")
    mlops = next(c for c in grid.columns if c.key == "mlops")
    assert mlops.problem == "vacant: MLOps Engineer has no members in Search product team"
    k8s = next(r for r in grid.rows if r.activity == "K8s deployment")
    assert any("no Responsible holder" in g for g in k8s.gaps)
    assert not any(c.problem for c in build_grid(seed).columns)  # org-wide, Raj holds it


def test_filter_grid_matches_the_pages_rule(seed: Ownership) -> None:
    docker = filter_grid(build_grid(seed), "  DOCKER ")
    assert [r.activity for r in docker.rows] == ["Docker packaging"]
    assert [c.key for c in docker.columns] == ["ds", "mle", "mlops", "de"]
    by_role = filter_grid(build_grid(seed), "data engineer")
    assert [c.key for c in by_role.columns] == ["de"] and len(by_role.rows) == 11
    assert filter_grid(build_grid(seed), "") == build_grid(seed)


def test_names_cannot_break_out_of_the_page(hostile: Ownership) -> None:
    page = render_page(hostile, now=NOW)
    assert "window.pwned" in page  # the name is there...
    assert page.count("</script>") == 2  # ...but only our own two scripts close
    assert "<img src=x" not in page
    data = re.search(r'<script type="application/json" id="raci-data">(.*?)</script>', page, re.S).group(1)
    assert HOSTILE in [row["name"] for row in json.loads(data)["rows"]]


def test_page_is_self_contained_and_names_its_revision_and_time(seed: Ownership) -> None:
    page = render_page(seed, now=NOW)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from anywhere
    assert "default-src 'none'" in page
    assert "Generated 2025-03-03 09:00 UTC · matrix revision 7 · 11 activities" in page
    assert '<option value="1">Search product team</option>' in page


def test_unknown_team_is_a_clear_error(seed: Ownership) -> None:
    with pytest.raises(UnknownTeam, match="team 'serch' is not defined .did you mean 'search'"):
        render_page(seed, team="serch", now=NOW)


def test_cli_writes_the_page_for_a_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'raci.db'}"
    assert main(["import", str(SEED), "--db", db]) == 0
    out = tmp_path / "matrix.html"
    assert main(["export", "--format", "html", "--team", "search", "-o", str(out), "--db", db]) == 0
    assert '<option value="1" selected>Search product team</option>' in out.read_text(encoding="utf-8")
    assert main(["export", "--format", "html", "--team", "nope", "--db", db]) == 1
    assert "raci: error: team 'nope' is not defined" in capsys.readouterr().err
