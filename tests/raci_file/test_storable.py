"""`raci check` and `raci import` agree on both databases: NUL, control characters, lengths, numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.raci_file import limits
from bot.raci_file.findings import Finding
from bot.store import models as m
from tests.raci_file.helpers import brief, findings_of, only

BASE = """\
people:
  - {handle: omar, name: Omar, email: omar@example.com}
roles:
  - {key: de, name: Data Engineer, members: [omar]}
activities:
  - name: Data pipeline
    raci: {R: [de], A: [de]}
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("snippet", "subject", "line", "said"),
    [
        ('  - name: "Feature\\0store"\n    raci: {R: [de], A: [de]}\n', 'activity "Feature\x00store"', 8, "NUL"),
        ('  - name: "Bell\\a"\n    raci: {R: [de], A: [de]}\n', 'activity "Bell\x07"', 8, "U+0007"),
        ('  - name: "CSI \\x9b"\n    raci: {R: [de], A: [de]}\n', 'activity "CSI \x9b"', 8, "U+009B"),
        ("  - name: Long\n    aliases: [\"a\\x1bb\"]\n    raci: {R: [de], A: [de]}\n", 'activity "Long"', 8,
         "alias contains a control character (U+001B)"),
        (f"  - name: {'ß' * 160}\n    raci: {{R: [de], A: [de]}}\n", f'activity "{"ß" * 160}"', 8, "320 characters"),
    ],
)
def test_text_the_store_cannot_hold_is_an_error_with_its_line(snippet: str, subject: str, line: int, said: str) -> None:
    errors = only(findings_of(BASE + snippet), "error")
    assert [(kind, sub, at) for kind, sub, at in brief(errors)] == [("error", subject, line)]
    assert said in errors[0].message


def test_a_description_may_span_lines_and_hold_tabs() -> None:
    text = BASE.replace("  - name: Data pipeline\n", '  - name: Data pipeline\n    description: "one\\n\\ttwo"\n')
    assert only(findings_of(text), "error") == []


def test_long_people_names_and_numbers_beyond_the_store_are_errors() -> None:
    text = BASE.replace("name: Omar,", f"name: {'O' * 201},") + "    escalation: {repeats: 2147483648}\n"
    errors = only(findings_of(text), "error")
    assert brief(errors) == [("error", "person omar", 2), ("error", 'activity "Data pipeline"', 6)]
    assert "201 characters long; at most 200 fit" in errors[0].message
    assert "repeats must be at most 2147483647" in errors[1].message


@pytest.mark.parametrize("timeout", ["99999999999999d", "367d", "9999999999999999999999s"])
def test_an_absurd_duration_is_an_error_not_a_traceback(timeout: str) -> None:
    errors = only(findings_of(BASE + f"settings:\n  escalation:\n    ack_timeout: {timeout}\n"), "error")
    assert [f.message for f in errors] == [f"settings.escalation.ack_timeout: {timeout!r} is too long: at most 366d"]


def test_findings_show_control_characters_escaped() -> None:
    finding = Finding("error", 'activity "a\x00\x1b[31m"', "x", 3, "raci.yaml")
    assert str(finding) == 'raci.yaml:3: error: activity "a\\x00\\x1b[31m": x'


def test_limits_match_the_store_columns() -> None:
    lengths = {
        (m.Person.handle, limits.HANDLE_OR_KEY_CHARS), (m.Role.key, limits.HANDLE_OR_KEY_CHARS),
        (m.Team.key, limits.HANDLE_OR_KEY_CHARS), (m.Person.name, limits.NAME_CHARS), (m.Role.name, limits.NAME_CHARS),
        (m.Team.name, limits.NAME_CHARS), (m.Activity.name, limits.ACTIVITY_NAME_CHARS),
        (m.Activity.name_key, limits.ACTIVITY_NAME_CHARS), (m.Person.slack_id, limits.SLACK_ID_CHARS),
        (m.Role.slack_usergroup, limits.SLACK_ID_CHARS), (m.Person.email, limits.EMAIL_CHARS),
        (m.Activity.ack_timeout, limits.DURATION_CHARS),
    }
    assert {(column.key, column.type.length, limit) for column, limit in lengths} == {
        (column.key, limit, limit) for column, limit in lengths
    }
    assert isinstance(m.Activity.repeats.type, sa.Integer) and limits.REPEATS_MAX == 2**31 - 1


BAD_FILES = {
    "nul.yaml": BASE + '  - name: "Feature\\0store"\n    raci: {R: [de], A: [de]}\n',
    "long.yaml": BASE.replace("name: Omar,", f"name: {'O' * 250},"),
    "repeats.yaml": BASE + "    escalation: {repeats: 9999999999}\n",
    "nul.csv": "Activity,de\nData pipeline,R/A\nFeature\x00store,R/A\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_check_fails_exactly_where_import_refuses_on_each_database(
    name: str, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / name
    good.write_text(BASE, encoding="utf-8")
    bad.write_text(BAD_FILES[name], encoding="utf-8")
    assert _run(capsys, "import", str(good))[0] == 0
    before = _run(capsys, "export")[1]
    code, out, _ = _run(capsys, "check", str(bad))
    checked = [line for line in out.splitlines() if ": error: " in line]
    assert code == 1 and checked
    code, _, err = _run(capsys, "import", str(bad))
    refused = [line for line in err.splitlines() if ": error: " in line and not line.startswith("raci:")]
    assert code == 1 and refused == checked
    assert all(line.startswith(f"{bad}:") for line in refused)  # file and line
    assert "Traceback" not in err and _run(capsys, "export")[1] == before
