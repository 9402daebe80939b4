"""The format's rules: each error, ownership gap and warning, with the item and line it names."""

from __future__ import annotations

import pytest

from bot.raci_file.model import Activity, Person, RaciDocument, Role, Team
from bot.raci_file.rules import check
from tests.raci_file.helpers import SOURCE, brief, findings_of, only

HEALTHY = """
people:
  - {handle: omar, name: Omar Haddad, slack_id: U01OMARH06}
  - {handle: bea, name: Bea Santos, email: bea@example.com}
roles:
  - {key: de, name: Data Engineer, members: [omar]}
  - {key: ds, name: Data Scientist, members: [bea]}
teams:
  - {key: search, name: Search, channels: [C0SEARCH01], members: {ds: [bea]}}
activities:
  - name: Feature store mgmt
    aliases: [feature store, Feature Store Mgmt, feature store]
    raci: {R: [de], A: [de], C: [ds], I: ["@bea"]}
settings:
  escalation: {ack_timeout: 15m, repeats: 1}
  digest: {schedule: "0 9 * * MON", timezone: Europe/Berlin, channel: C0OWNERS01, direct_messages: true}
"""


def test_a_healthy_file_has_no_findings() -> None:
    assert findings_of(HEALTHY) == []


def test_utc_is_a_time_zone() -> None:
    assert findings_of(HEALTHY.replace("Europe/Berlin", "UTC")) == []


ERRORS = [
    # (text replaced in HEALTHY, replacement, subject, line, words)
    (
        "members: [omar]}",
        "members: [omr]}",
        "role de",
        5,
        "person 'omr' (in members) is not defined (did you mean 'omar'?)",
    ),
    ("members: {ds: [bea]}", "members: {dx: [bea]}", "team search", 8, "role 'dx' (in members) is not defined"),
    ("members: {ds: [bea]}", "members: {ds: [bee]}", "team search", 8, "person 'bee' (in members of role ds)"),
    (
        "R: [de]",
        "R: [dee]",
        'activity "Feature store mgmt"',
        10,
        "role 'dee' (in raci R) is not defined (did you mean 'de'?)",
    ),
    ('I: ["@bea"]', 'I: ["@ben"]', 'activity "Feature store mgmt"', 10, "person 'ben' (in raci I) is not defined"),
    (
        "C: [ds]",
        "C: [Data Scientist]",
        'activity "Feature store mgmt"',
        10,
        "did you mean 'ds', the key of Data Scientist?",
    ),
    ("C: [ds]", "C: [bea]", 'activity "Feature store mgmt"', 10, "did you mean '@bea', the person?"),
    ("ack_timeout: 15m", "ack_timeout: 15 minutes", "settings", None, "settings.escalation.ack_timeout"),
    ("ack_timeout: 15m", "ack_timeout: 0m", "settings", None, "greater than 0"),
    ("ack_timeout: 15m", "ack_timeout: 1.5h", "settings", None, "whole number"),
    ('schedule: "0 9 * * MON"', 'schedule: "0 9 * MON"', "settings", None, "five-field"),
    ('schedule: "0 9 * * MON"', 'schedule: "0 25 * * MON"', "settings", None, "hour field"),
    ("timezone: Europe/Berlin", "timezone: Europe/Berln", "settings", None, "did you mean 'Europe/Berlin'?"),
    ("timezone: Europe/Berlin", "timezone: CEST", "settings", None, "is not an IANA time zone"),
]


@pytest.mark.parametrize(("old", "new", "subject", "line", "words"), ERRORS)
def test_error(old: str, new: str, subject: str, line: int | None, words: str) -> None:
    assert old in HEALTHY
    findings = findings_of(HEALTHY.replace(old, new))
    assert brief(only(findings, "error")) == [("error", subject, line)]
    assert words in only(findings, "error")[0].message


def test_definitions_twice_are_errors_on_the_second() -> None:
    findings = findings_of("""
        people:
          - {handle: omar, name: Omar, slack_id: U01OMARH06}
          - {handle: omar, name: Omar again, slack_id: U01OMARH07}
        roles:
          - {key: de, name: Data Engineer, members: [omar]}
          - {key: de, name: Data Eng, members: [omar]}
        teams:
          - {key: t, name: T}
          - {key: t, name: T2}
        activities:
          - {name: X, raci: {R: [de], A: [de]}}
    """)
    assert brief(only(findings, "error")) == [
        ("error", "person omar", 3),
        ("error", "role de", 6),
        ("error", "team t", 9),
    ]
    assert "first at line 2" in findings[0].message


def test_activity_names_and_aliases_are_unique_ignoring_case_and_spacing() -> None:
    findings = findings_of("""
        roles:
          - {key: de, name: Data Engineer, members: [omar]}
        people:
          - {handle: omar, name: Omar, slack_id: U01OMARH06}
        activities:
          - {name: Data pipeline, aliases: [ETL, etl], raci: {R: [de], A: [de]}}
          - {name: "data  PIPELINE", raci: {R: [de], A: [de]}}
          - {name: Warehouse, aliases: [Etl], raci: {R: [de], A: [de]}}
    """)
    assert brief(findings) == [("error", 'activity "data  PIPELINE"', 7), ("error", 'activity "Warehouse"', 8)]
    assert findings[0].message == 'name "data  PIPELINE" is already used by activity "Data pipeline" (line 6)'
    assert findings[1].message == 'alias "Etl" is already used by activity "Data pipeline" (line 6)'


def test_a_channel_claimed_by_two_teams_is_an_error() -> None:
    findings = findings_of("""
        teams:
          - {key: search, name: Search, channels: [C0SHARED1]}
          - {key: ads, name: Ads, channels: [C0ADS0001, C0SHARED1]}
    """)
    assert brief(only(findings, "error")) == [("error", "team ads", 3)]
    assert "C0SHARED1 is already the channel of team search" in findings[0].message


def test_activity_escalation_override_is_checked_with_the_activity_line() -> None:
    findings = findings_of(HEALTHY.replace("raci: {R: [de]", "escalation: {ack_timeout: 5 m}\n    raci: {R: [de]"))
    assert brief(only(findings, "error")) == [("error", 'activity "Feature store mgmt"', 10)]
    assert "escalation.ack_timeout" in findings[0].message


GAPS = [
    ("A: [de]", "A: []", "no Accountable"),
    ("A: [de], ", "", "no Accountable"),
    ("A: [de]", "A: [de, ds]", "2 Accountable (de, ds)"),
    ("A: [de]", 'A: [de, "@bea"]', "2 Accountable (de, @bea)"),
    ("R: [de], ", "", "no Responsible"),
    ("R: [de]", "R: []", "no Responsible"),
]


@pytest.mark.parametrize(("old", "new", "words"), GAPS)
def test_gap(old: str, new: str, words: str) -> None:
    findings = findings_of(HEALTHY.replace(old, new))
    assert brief(findings) == [("gap", 'activity "Feature store mgmt"', 10)]
    assert words in findings[0].message


def test_a_role_with_several_members_is_one_holder() -> None:
    findings = findings_of(HEALTHY.replace("members: [omar]}", "members: [omar, bea]}"))
    assert findings == []


def test_an_activity_without_raci_has_both_gaps() -> None:
    findings = findings_of(HEALTHY.replace("settings:", "  - {name: Orphan}\nsettings:"))
    assert [(f.kind, f.subject, f.line, f.message.split(":")[0]) for f in findings] == [
        ("gap", 'activity "Orphan"', 13, "no Accountable"),
        ("gap", 'activity "Orphan"', 13, "no Responsible"),
    ]


def test_a_role_without_members_is_a_warning_naming_its_activities() -> None:
    findings = findings_of(
        HEALTHY.replace("members: [omar]}", "members: []}").replace(
            "slack_id: U01OMARH06", "slack_id: U01OMARH06, active: false"
        )
    )
    assert brief(findings) == [("warning", "role de", 5)]
    assert findings[0].message == (
        'has no members, org-wide or in any team: nobody holds its part in "Feature store mgmt" (R/A)'
    )


def test_a_role_staffed_only_in_a_team_is_not_vacant() -> None:
    findings = findings_of(HEALTHY.replace("members: [bea]}\n", "members: []}\n", 1))
    assert findings == []


def test_people_warnings() -> None:
    findings = findings_of("""
        people:
          - {handle: omar, name: Omar, slack_id: U01OMARH06}
          - {handle: ghost, name: Ghost}
          - {handle: left, name: Left, active: false}
          - {handle: direct, name: Direct, email: d@example.com}
        roles:
          - {key: de, name: Data Engineer, members: [omar]}
        activities:
          - {name: X, raci: {R: [de], A: ["@direct"]}}
    """)
    assert brief(findings) == [("warning", "person ghost", 3), ("warning", "person ghost", 3)]
    assert "neither slack_id nor email" in findings[0].message
    assert "holds nothing" in findings[1].message


def test_findings_are_ordered_errors_gaps_warnings_and_carry_the_source() -> None:
    findings = findings_of("""
        people:
          - {handle: ghost, name: Ghost}
        roles:
          - {key: de, name: Data Engineer, members: [nobody]}
        activities:
          - {name: X}
    """)
    assert [f.kind for f in findings] == ["error", "gap", "gap", "warning", "warning"]
    assert {f.source for f in findings} == {SOURCE}


def test_documents_without_lines_are_checked_too() -> None:
    doc = RaciDocument(
        people=[Person("omar", "Omar", slack_id="U1")],
        roles=[Role("de", "Data Engineer", members=["omar"])],
        teams=[Team("t", "T", members={"ds": ["omar"]})],
        activities=[Activity("X", raci={"R": ["de"], "A": ["de"]})],
    )
    findings = check(doc)
    assert [(f.kind, f.subject, f.line, f.source) for f in findings] == [("error", "team t", None, None)]
    assert str(findings[0]) == "error: team t: role 'ds' (in members) is not defined"
