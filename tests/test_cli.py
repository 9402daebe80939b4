"""The `raci` CLI as an admin uses it: answers, JSON fields, team scope, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import REPO

ORG = Path(__file__).resolve().parent / "fixtures" / "org.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ask_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, "ask", "--json", *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def org(cli_env: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = run(capsys, "import", str(ORG))
    assert code == 0, err
    return cli_env


def test_ask_json_has_every_field(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ask_json(capsys, "feature store mgmt")
    assert set(answer) == {"query", "status", "activity", "score", "team", "responsible", "accountable",
                           "consulted", "informed", "candidates", "via", "truncated"}
    assert answer["status"] == "match" and answer["activity"] == "Feature store mgmt"
    assert answer["via"] == "name" and answer["truncated"] is False
    assert answer["team"] is None and answer["query"] == "feature store mgmt"
    assert answer["responsible"] == [{"handle": "omar", "name": "Omar Haddad", "slack_id": "U01OMARH06",
                                      "email": "omar@example.com", "role": "de"}]
    assert [p["handle"] for p in answer["consulted"]] == ["ana", "lena"]
    assert [p["role"] for p in answer["informed"]] == ["mlops"]


def test_ask_json_says_why_and_when_a_question_was_cut(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_json(capsys, "who owns the feature store?")["via"] == "alias"
    assert ask_json(capsys, "pizza")["via"] is None
    long = ask_json(capsys, "who owns feature store mgmt " + "lol " * 30_000)
    assert (long["status"], long["activity"], long["truncated"]) == ("match", "Feature store mgmt", True)


def test_ask_team_scope_replaces_role_members(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ask_json(capsys, "--team", "search", "Feature store mgmt")
    assert answer["team"] == "search"
    assert [(p["handle"], p["role"]) for p in answer["consulted"]] == [("bea", "ds"), ("carl", "mle")]
    assert [p["handle"] for p in answer["responsible"]] == ["omar"]  # the team does not staff de


def test_ask_vacant_role_and_direct_assignment(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ask_json(capsys, "release testing")
    assert answer["responsible"] == [{"handle": None, "role": "qa", "vacant": True}]
    assert answer["accountable"] == [{"handle": "raj", "name": "Raj Patel", "slack_id": None,
                                      "email": "raj@example.com", "role": None}]


def test_ask_exact_ignores_case_spacing_and_punctuation(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    for query in ("DOCKER   packaging!!", "docker-packaging", "Feature Store?"):
        answer = ask_json(capsys, query)
        assert answer["status"] == "match", query


def test_ask_unknown_is_none(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ask_json(capsys, "who owns the coffee machine")
    assert answer["status"] == "none" and answer["activity"] is None and answer["responsible"] == []


def test_ask_text_is_short_and_readable(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "who", "owns", "docker", "packaging?")
    assert code == 0
    assert out.splitlines()[0] == "Docker packaging"
    assert "Responsible: Lena Berg (@lena, ML Engineer)" in out
    assert "Accountable: Raj Patel (@raj, MLOps Engineer)" in out


def test_ask_stdin_answers_every_line_in_order(org: str, tmp_path: Path) -> None:
    queries = "docker packaging\n\nfeature store mgmt\nlunch menu\n"
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", "-"], input=queries,
                          capture_output=True, text=True, env=dict(os.environ), cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["query"] for a in answers] == ["docker packaging", "", "feature store mgmt", "lunch menu"]
    assert [a["status"] for a in answers] == ["match", "none", "match", "none"]


def test_unknown_team_is_one_clear_line(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ask", "--team", "serch", "docker")
    assert code == 1 and out == ""
    assert err == "raci: error: team 'serch' is not defined (did you mean 'search'?)\n"


def test_who_lists_everything_through_roles_teams_and_directly(
    org: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "who", "--json", "raj")
    assert code == 0
    who = json.loads(out)
    got = {(i["activity"], i["letter"], i["role"]) for i in who["involvements"]}
    assert got == {("Feature store mgmt", "I", "mlops"), ("Docker packaging", "A", "mlops"),
                   ("Model training code", "I", "mlops"), ("Release testing", "A", None)}
    code, out, _ = run(capsys, "who", "U01BEASA02")
    assert code == 0 and "Bea Santos" in out and "Data Scientist in team search" in out
    assert "Feature store mgmt (Data Scientist, team search)" in out
    code, _, err = run(capsys, "who", "nobody")
    assert code == 1 and err.startswith("raci: error: 'nobody' is not in the RACI matrix")


def test_empty_store_loads_the_default_file(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = ask_json(capsys, "feature store mgmt")
    assert answer["status"] == "match"
    assert [p["handle"] for p in answer["responsible"]] == ["omar"]


def test_check_exit_codes(cli_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(REPO / "data" / "raci.yaml"))
    assert code == 0, out
    gap = tmp_path / "gap.yaml"
    gap.write_text("activities:\n  - name: Orphan\n    raci: {C: []}\n")
    code, out, _ = run(capsys, "check", str(gap))
    assert code == 1 and 'activity "Orphan"' in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles:\n  - {key: ds, name: DS, members: [ghost]}\n")
    code, out, _ = run(capsys, "check", str(bad))
    assert code == 1 and "ghost" in out and ":2:" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "missing.yaml"], "missing.yaml"),
        (["import", "notes.txt"], "notes.txt"),
        (["ask", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "x"], "cannot use database"),
        (["ask", "--db", "nonsense", "x"], "DATABASE_URL"),
    ],
)
def test_user_mistakes_are_one_line_without_traceback(tmp_path: Path, argv: list[str], expected: str) -> None:
    """A whole process, so nothing but the CLI's own words reaches stderr (the mistakes come before any database
    work, so one backend is enough)."""
    (tmp_path / "notes.txt").write_text("hello")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'raci.db'}"}
    env.pop("RACI_FILE", None)
    proc = subprocess.run([sys.executable, "-m", "bot.cli", *argv], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert expected in proc.stderr


def test_bad_yaml_lists_the_line_and_changes_nothing(
    org: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("people:\n  - {handle: x, name: X\n")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1 and "broken.yaml:" in err and "Traceback" not in err
    assert ask_json(capsys, "feature store mgmt")["status"] == "match"


def test_import_prints_changes_and_export_writes_files(
    org: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "import", str(ORG))
    assert code == 0 and "no changes" in out
    target = tmp_path / "out.csv"
    code, _, _ = run(capsys, "export", "--format", "csv", "-o", str(target))
    assert code == 0 and target.read_text().startswith("Activity,")
    code, out, _ = run(capsys, "history", "Docker packaging")
    assert code == 0 and "+ activity Docker packaging" in out


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["import"], ["export"], ["check"], ["ask"], ["who"], ["history"]):
        with pytest.raises(SystemExit) as info:
            main([*argv, "--help"])
        assert info.value.code == 0
        assert "usage: raci" in capsys.readouterr().out
