"""The matrix as CSV: the chapter's table, cell spellings, new roles, errors and the round trip."""

from __future__ import annotations

import pytest

from bot.raci_file.csv_io import dump_csv, load_csv, role_key_for
from bot.raci_file.model import Activity, Person, RaciDocument, Role
from tests.raci_file.helpers import brief

ROLES = [
    Role("ds", "Data Scientist", aliases=["DS"], members=["ana"]),
    Role("mle", "ML Engineer", aliases=["MLE"], members=["ben"]),
    Role("mlops", "MLOps Engineer", members=["chloe"]),
    Role("de", "Data Engineer", aliases=["DE", "data eng"], members=["eli"]),
]

CHAPTER = """\
Activity,Data Scientist,ML Engineer,MLOps Engineer,Data Engineer
Define business problem,R/A,C,I,I
Data exploration,R/A,C,I,C
Feature engineering,R,A,I,C
Model training code,R,A,I,I
Unit tests for model,C,R/A,I,I
CI/CD pipeline,I,C,R/A,I
Docker packaging,C,R,A,I
K8s deployment,I,C,R/A,I
Monitoring setup,I,C,R/A,I
Data pipeline,I,I,C,R/A
Feature store mgmt,C,C,I,R/A
"""

# activity -> letters of (ds, mle, mlops, de)
CHAPTER_LETTERS = {
    "Define business problem": ("RA", "C", "I", "I"),
    "Data exploration": ("RA", "C", "I", "C"),
    "Feature engineering": ("R", "A", "I", "C"),
    "Model training code": ("R", "A", "I", "I"),
    "Unit tests for model": ("C", "RA", "I", "I"),
    "CI/CD pipeline": ("I", "C", "RA", "I"),
    "Docker packaging": ("C", "R", "A", "I"),
    "K8s deployment": ("I", "C", "RA", "I"),
    "Monitoring setup": ("I", "C", "RA", "I"),
    "Data pipeline": ("I", "I", "C", "RA"),
    "Feature store mgmt": ("C", "C", "I", "RA"),
}


def letters_by_role(activity: Activity) -> tuple[str, ...]:
    return tuple(
        "".join(letter for letter in "RACI" if key in activity.refs(letter)) for key in ("ds", "mle", "mlops", "de")
    )


def test_the_chapters_table_loads_to_the_right_letters() -> None:
    matrix, findings = load_csv(CHAPTER, source="chapter.csv", roles=ROLES)
    assert findings == []
    assert matrix.new_roles == []
    assert matrix.columns == ["ds", "mle", "mlops", "de"]
    assert {a.name: letters_by_role(a) for a in matrix.activities} == CHAPTER_LETTERS
    docker = next(a for a in matrix.activities if a.name == "Docker packaging")
    assert docker.raci == {"R": ["mle"], "A": ["mlops"], "C": ["ds"], "I": ["de"]}
    assert docker.line == 8


@pytest.mark.parametrize("cell", ["R/A", "R, A", "R A", "r/a", "RA", "a/r", " R / A ", "R,A"])
def test_cell_spellings_of_two_letters(cell: str) -> None:
    matrix, findings = load_csv(f'Activity,DE\nX,"{cell}"\n', source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.activities[0].raci == {"R": ["de"], "A": ["de"]}


def test_headers_match_key_name_or_alias_in_any_case() -> None:
    matrix, findings = load_csv("Task,ds,ml engineer,MLOPS ENGINEER,data eng\nX,R,A,C,I\n", source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.columns == ["ds", "mle", "mlops", "de"]


def test_an_unknown_header_is_a_new_role_without_members() -> None:
    matrix, findings = load_csv("Activity,Platform/Infra Engineer,DE\nX,R/A,I\n", source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.new_roles == [Role("platform-infra-engineer", "Platform/Infra Engineer")]
    assert matrix.activities[0].raci == {
        "R": ["platform-infra-engineer"],
        "A": ["platform-infra-engineer"],
        "I": ["de"],
    }


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Platform/Infra Engineer", "platform-infra-engineer"),
        ("Ingénieur Qualité", "ingenieur-qualite"),
        ("SRE (on-call)", "sre-on-call"),
    ],
)
def test_role_key_for_a_header(header: str, key: str) -> None:
    assert role_key_for(header) == key


def test_a_handle_column_assigns_a_person_directly() -> None:
    matrix, findings = load_csv("Activity,DE,@Ivan\nOnboarding docs,C,R/A\n", source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.columns == ["de", "@ivan"]
    assert matrix.activities[0].raci == {"R": ["@ivan"], "A": ["@ivan"], "C": ["de"]}


def test_a_bad_cell_is_an_error_naming_row_activity_and_column() -> None:
    text = "Activity,Data Scientist,ML Engineer\nGood,R,A\n\nDocker packaging,C,X\n"
    matrix, findings = load_csv(text, source="m.csv", roles=ROLES)
    assert brief(findings) == [("error", 'activity "Docker packaging"', 4)]
    assert findings[0].message.startswith("column \"ML Engineer\": 'X' is not R, A, C or I")
    assert str(findings[0]).startswith('m.csv:4: error: activity "Docker packaging"')
    assert [a.name for a in matrix.activities] == ["Good", "Docker packaging"]


def test_duplicate_activities_are_errors_ignoring_case_and_spacing() -> None:
    text = "Activity,DE\nData pipeline,R/A\ndata   PIPELINE,I\n"
    matrix, findings = load_csv(text, source="m.csv", roles=ROLES)
    assert brief(findings) == [("error", 'activity "data PIPELINE"', 3)]
    assert "first at line 2" in findings[0].message
    assert len(matrix.activities) == 1


def test_two_headers_naming_one_role_is_an_error() -> None:
    _, findings = load_csv("Activity,DE,Data Engineer\nX,R,A\n", source="m.csv", roles=ROLES)
    assert brief(findings) == [("error", "role de", 1)]
    assert 'columns "DE" and "Data Engineer"' in findings[0].message


def test_letters_without_a_header_or_an_activity_are_errors() -> None:
    _, findings = load_csv("Activity,DE,\nX,R,A\n,R\n", source="m.csv", roles=ROLES)
    assert brief(findings) == [("error", 'activity "X"', 2), ("error", "row 3", 3)]


def test_blank_rows_and_a_byte_order_mark_are_tolerated() -> None:
    matrix, findings = load_csv("\ufeffActivity,DE\n\n,\nX,R/A\n\n", source="m.csv", roles=ROLES)
    assert findings == []
    assert [(a.name, a.line) for a in matrix.activities] == [("X", 4)]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_sniffed(delimiter: str) -> None:
    text = CHAPTER.replace(",", delimiter)
    matrix, findings = load_csv(text, source="m.csv", roles=ROLES)
    assert findings == []
    assert {a.name: letters_by_role(a) for a in matrix.activities} == CHAPTER_LETTERS


def test_semicolon_file_with_comma_separated_letters() -> None:
    matrix, findings = load_csv("Activity;DE;DS\nX;R, A;C\n", source="m.csv", roles=ROLES)
    assert findings == []
    assert matrix.activities[0].raci == {"R": ["de"], "A": ["de"], "C": ["ds"]}


def test_empty_text_is_an_empty_matrix() -> None:
    matrix, findings = load_csv("", source="m.csv", roles=ROLES)
    assert (matrix.activities, matrix.new_roles, findings) == ([], [], [])


def test_dump_csv_round_trips_the_raci() -> None:
    roles = [*ROLES, Role("qa", "QA Engineer"), Role("mle2", "DS")]  # "DS" names ds, so mle2 uses its key
    doc = RaciDocument(
        people=[Person("ivan", "Ivan")],
        roles=roles,
        activities=[
            Activity("Define business problem", raci={"R": ["ds"], "A": ["ds"], "C": ["mle"], "I": ["mlops", "de"]}),
            Activity("Onboarding, docs", aliases=["onboarding"], raci={"R": ["@ivan", "mle2"], "A": ["@ivan"]}),
            Activity("Nobody"),
        ],
    )
    text = dump_csv(doc)
    assert (
        text.splitlines()[0]
        == "Activity,Data Scientist,ML Engineer,MLOps Engineer,Data Engineer,QA Engineer,mle2,'@ivan"
    )  # "@" starts a formula in a spreadsheet: the header is quoted (csv_formula.py), read back as @ivan
    assert text.splitlines()[1] == "Define business problem,R/A,C,I,I,,,"
    assert text.splitlines()[2] == '"Onboarding, docs",,,,,,R,R/A'
    matrix, findings = load_csv(text, source="export.csv", roles=roles)
    assert findings == [] and matrix.new_roles == []
    assert [(a.name, a.raci) for a in matrix.activities] == [
        ("Define business problem", doc.activities[0].raci),
        ("Onboarding, docs", {"R": ["mle2", "@ivan"], "A": ["@ivan"]}),  # within a letter: column order
        ("Nobody", {}),
    ]


def test_dump_csv_of_the_chapter_gives_the_chapter() -> None:
    matrix, _ = load_csv(CHAPTER, source="chapter.csv", roles=ROLES)
    assert dump_csv(RaciDocument(roles=ROLES, activities=matrix.activities)) == CHAPTER
