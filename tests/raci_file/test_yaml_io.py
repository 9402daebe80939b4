"""Loading RACI YAML (structure, lines, structural findings) and dumping it canonically."""

from __future__ import annotations

import pytest

from bot.raci_file.model import (
    Activity,
    DigestSettings,
    EscalationPolicy,
    OrgSettings,
    Person,
    RaciDocument,
    Role,
    Team,
)
from bot.raci_file.rules import check
from bot.raci_file.yaml_io import dump_yaml, load_yaml
from tests.raci_file.helpers import DEV_ORG, SOURCE, brief, load, only

BLOCK = """
people:
  - handle: omar
    name: Omar Haddad
    slack_id: U01OMARH06
    email: omar@example.com
roles:
  - key: de
    name: Data Engineer
    aliases: [DE, data eng]
    members: [omar]
activities:
  - name: Feature store mgmt
    raci:
      R: [de]
      A: [de]
"""

FLOW = """
people:
  - {handle: omar, name: Omar Haddad, slack_id: U01OMARH06, email: omar@example.com}
roles:
  - {key: de, name: Data Engineer, aliases: [DE, data eng], members: [omar]}
activities:
  - {name: Feature store mgmt, raci: {R: [de], A: [de]}}
"""


def test_block_and_flow_style_load_the_same_document() -> None:
    block, block_findings = load(BLOCK)
    flow, flow_findings = load(FLOW)
    assert block_findings == flow_findings == []
    assert block == flow
    assert block.people == [Person("omar", "Omar Haddad", "U01OMARH06", "omar@example.com")]
    assert block.roles[0].aliases == ["DE", "data eng"]
    assert block.activities[0].raci == {"R": ["de"], "A": ["de"]}


def test_items_carry_their_line() -> None:
    doc, _ = load(BLOCK)
    assert (doc.people[0].line, doc.roles[0].line, doc.activities[0].line) == (2, 7, 12)
    flow, _ = load(FLOW)
    assert (flow.people[0].line, flow.roles[0].line, flow.activities[0].line) == (2, 4, 6)


@pytest.mark.skipif(not DEV_ORG.exists(), reason=f"{DEV_ORG} is absent")
def test_dev_org_loads_without_errors() -> None:
    doc, findings = load_yaml(DEV_ORG.read_text(encoding="utf-8"), source=str(DEV_ORG))
    assert findings == []
    assert len(doc.activities) == 30
    assert doc.activities[-1].raci == {"R": ["@ivan"], "A": ["@ivan"]}
    kinds = {finding.kind for finding in check(doc, source=str(DEV_ORG))}
    assert kinds <= {"warning"}


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n# and another\n", "---\n"])
def test_empty_file_is_an_empty_document(text: str) -> None:
    assert load_yaml(text, source=SOURCE) == (RaciDocument(), [])


def test_syntax_error_is_one_finding_with_its_line() -> None:
    doc, findings = load("""
        people:
          - {handle: omar, name: Omar
        roles: []
    """)
    assert doc == RaciDocument()
    assert brief(findings) == [("error", "file", 3)]
    assert "YAML syntax error" in findings[0].message


def test_bad_indentation_reports_the_line() -> None:
    _, findings = load("""
        people:
          - handle: omar
           name: Omar
    """)
    assert brief(findings) == [("error", "file", 3)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\n---\nb: 2\n", 2, "single document"),
        ("people: !!python/object:os.system [x]\n", 1, "unsupported tag"),
        ("people:\n  - {handle: a, name: 2024-13-45}\n", 2, "quote it"),
        ("people: *nowhere\n", 1, "nowhere"),
    ],
)
def test_unreadable_yaml_is_a_finding_not_an_exception(text: str, line: int, words: str) -> None:
    _, findings = load_yaml(text, source=SOURCE)
    assert brief(findings) == [("error", "file", line)]
    assert words in findings[0].message


def test_duplicate_keys_are_errors_with_the_line_and_the_first_is_kept() -> None:
    doc, findings = load("""
        people:
          - handle: omar
            name: Omar Haddad
            name: Omar H.
        roles:
          - {key: de, name: Data Engineer, key: dx}
    """)
    assert brief(findings) == [("error", "person omar", 4), ("error", "role de", 6)]
    assert "duplicate key 'name'" in findings[0].message
    assert "first at line 3" in findings[0].message
    assert doc.people[0].name == "Omar Haddad"


def test_duplicate_top_level_section_is_an_error() -> None:
    _, findings = load("people: []\nroles: []\npeople: []\n")
    assert brief(findings) == [("error", "file", 3)]
    assert "duplicate key 'people'" in findings[0].message


def test_unknown_fields_and_sections_are_warnings_and_the_file_still_loads() -> None:
    doc, findings = load("""
        people:
          - {handle: omar, name: Omar}
        roles:
          - key: de
            name: Data Engineer
            membres: [omar]
        activites: []
        settings:
          digest: {schedul: "0 9 * * MON"}
    """)
    assert brief(findings) == [("warning", "role de", 6), ("warning", "file", 7), ("warning", "settings", 9)]
    assert findings[0].message == "unknown field 'membres' in role de — ignored (did you mean 'members'?)"
    assert "'activites'" in findings[1].message and "'activities'" in findings[1].message
    assert doc.roles == [Role("de", "Data Engineer")]


STRUCTURAL_ERRORS = [
    # (snippet, subject, line, words in the message)
    ("people:\n  - {name: Omar}\n", "person #1", 2, "missing required field 'handle'"),
    ("people:\n  - {handle: omar}\n", "person omar", 2, "missing required field 'name'"),
    ("people:\n  - {handle: Omar, name: Omar}\n", "person Omar", 2, "lowercase letters"),
    ("people:\n  - {handle: omar, name: [Omar]}\n", "person omar", 2, "name must be text"),
    ("people:\n  - {handle: omar, name: yes}\n", "person omar", 2, "quote it"),
    ("people:\n  - {handle: omar, name: ''}\n", "person omar", 2, "must not be empty"),
    ("people:\n  - {handle: omar, name: O, slack_id: X123}\n", "person omar", 2, "Slack user ID"),
    ("people:\n  - {handle: omar, name: O, active: nope}\n", "person omar", 2, "true or false"),
    ("people:\n  - omar\n", "person #1", 2, "must be a mapping"),
    ("people: {omar: 1}\n", "people", 1, "must be a list"),
    ("roles:\n  - {name: Data Engineer}\n", "role #1", 2, "missing required field 'key'"),
    ("roles:\n  - {key: de}\n", "role de", 2, "missing required field 'name'"),
    ("roles:\n  - {key: de name, name: D}\n", "role de name", 2, "lowercase letters"),
    ("roles:\n  - {key: de, name: D, members: omar}\n", "role de", 2, "members must be a list"),
    ("roles:\n  - {key: de, name: D, members: [omar, 3]}\n", "role de", 2, "must hold text"),
    ("roles:\n  - {key: de, name: D, slack_usergroup: G123}\n", "role de", 2, "user group"),
    ("roles:\n  - {key: de, name: D, aliases: [7]}\n", "role de", 2, "must hold text"),
    ("teams:\n  - {name: Search}\n", "team #1", 2, "missing required field 'key'"),
    ("teams:\n  - {key: search}\n", "team search", 2, "missing required field 'name'"),
    ("teams:\n  - key: s\n    name: S\n    channels: [X01]\n", "team s", 4, "channel ID"),
    ("teams:\n  - key: s\n    name: S\n    members: [ds]\n", "team s", 4, "must be a mapping"),
    ("teams:\n  - key: s\n    name: S\n    members: {ds: bea}\n", "team s", 4, "must be a list"),
    ("activities:\n  - {raci: {R: [de]}}\n", "activity #1", 2, "missing required field 'name'"),
    ("activities:\n  - {name: true}\n", "activity #1", 2, "name must be text"),
    ("activities:\n  - name: X\n    raci: [de]\n", 'activity "X"', 3, "raci must be a mapping"),
    ("activities:\n  - name: X\n    raci:\n      Q: [de]\n", 'activity "X"', 4, "not one of R, A, C, I"),
    ("activities:\n  - name: X\n    raci:\n      R: [de]\n      r: [ds]\n", 'activity "X"', 5, "given twice"),
    ("activities:\n  - name: X\n    raci:\n      R: [de, 5]\n", 'activity "X"', 4, "must hold text"),
    ("activities:\n  - name: X\n    escalation: {repeats: -1}\n", 'activity "X"', 3, "0 or more"),
    ("activities:\n  - name: X\n    escalation: {repeats: two}\n", 'activity "X"', 3, "0 or more"),
    ("activities:\n  - name: X\n    escalation: {ack_timeout: 15}\n", 'activity "X"', 3, "duration"),
    ("activities:\n  - name: X\n    escalation: 5m\n", 'activity "X"', 3, "must be a mapping"),
    ("synonyms:\n  - [k8s]\n", "synonyms", 2, "at least two"),
    ("synonyms:\n  - k8s\n", "synonyms", 2, "must be a list"),
    ("synonyms:\n  - [k8s, 8]\n", "synonyms", 2, "must hold text"),
    ("settings:\n  digest:\n    direct_messages: sometimes\n", "settings", 3, "true or false"),
    ("settings:\n  digest:\n    channel: '#owners'\n", "settings", 3, "channel ID"),
    ("settings:\n  escalation:\n    repeats: 1.5\n", "settings", 3, "0 or more"),
    ("settings: [1]\n", "settings", 1, "must be a mapping"),
    ("- people\n", "file", 1, "must be a mapping with sections"),
]


@pytest.mark.parametrize(("text", "subject", "line", "words"), STRUCTURAL_ERRORS)
def test_structural_error_names_the_item_and_line(text: str, subject: str, line: int, words: str) -> None:
    _, findings = load_yaml(text, source=SOURCE)
    assert brief(only(findings, "error")) == [("error", subject, line)]
    assert words in only(findings, "error")[0].message
    assert findings[0].source == SOURCE


def test_liberal_forms_load() -> None:
    doc, findings = load("""
        people:
          - {handle: omar, name: Omar, active: false}
        roles:
          - {key: de, name: Data Engineer, aliases: DE, members: [omar]}
        activities:
          - name: X
            aliases: the x
            raci: {r: de, Accountable: ["@omar"], c: [], i: [de]}
    """)
    assert findings == []
    assert doc.people[0].active is False
    assert doc.roles[0].aliases == ["DE"]
    assert doc.activities[0].aliases == ["the x"]
    assert doc.activities[0].raci == {"R": ["de"], "A": ["@omar"], "C": [], "I": ["de"]}


def test_anchors_and_merge_keys_work() -> None:
    doc, findings = load("""
        roles:
          - &base {key: de, name: Data Engineer, members: [omar]}
          - <<: *base
            key: de2
    """)
    assert only(findings, "error") == []
    assert [(role.key, role.name, role.members) for role in doc.roles] == [
        ("de", "Data Engineer", ["omar"]),
        ("de2", "Data Engineer", ["omar"]),
    ]


def test_a_byte_order_mark_is_tolerated() -> None:
    doc, findings = load_yaml("\ufeffpeople:\n  - {handle: omar, name: Omar}\n", source=SOURCE)
    assert findings == [] and doc.people[0].handle == "omar"


def rich_document() -> RaciDocument:
    """A document using every field of the format."""
    return RaciDocument(
        people=[
            Person("omar", "Omar Haddad", slack_id="U01OMARH06", email="omar@example.com"),
            Person("bea", "Béa Santos", slack_id="W01BEASA02"),
            Person("raj", "Raj: the 'ops' guy", email="raj@example.com", active=False),
        ],
        roles=[
            Role(
                "de",
                "Data Engineer",
                aliases=["DE", "data eng"],
                description="Reliable data pipelines",
                members=["omar"],
                slack_usergroup="S0DATAENG",
            ),
            Role("ds", "Data Scientist", members=["bea", "omar"]),
            Role("qa", "QA Engineer"),
        ],
        teams=[
            Team("search", "Search product team", channels=["C0SEARCH01", "G0PRIV"], members={"ds": ["bea"], "de": []})
        ],
        activities=[
            Activity(
                "Feature store mgmt",
                aliases=["feature store", "yes"],
                description="Feast: online/offline",
                raci={"R": ["de"], "A": ["de"], "C": ["ds", "@bea"], "I": ["qa"]},
                escalation=EscalationPolicy(ack_timeout="5m", repeats=2),
            ),
            Activity(
                "K8s deployment", raci={"A": ["@omar"], "R": ["@raj", "de"]}, escalation=EscalationPolicy(repeats=0)
            ),
            Activity("2024", description="line one\nline two", raci={"A": []}),
            Activity("Empty"),
        ],
        synonyms=[["k8s", "kubernetes"], ["mgmt", "management", "admin"]],
        settings=OrgSettings(
            escalation=EscalationPolicy(ack_timeout="15m", repeats=1),
            digest=DigestSettings(
                schedule="0 9 * * MON", timezone="Europe/Berlin", channel="C0OWNERS01", direct_messages=True
            ),
        ),
    )


def test_dump_then_load_gives_the_same_document_and_a_fixed_point() -> None:
    doc = rich_document()
    text = dump_yaml(doc)
    loaded, findings = load_yaml(text, source=SOURCE)
    assert findings == []
    assert loaded == doc
    assert dump_yaml(loaded) == text


def test_dump_is_canonical_and_readable() -> None:
    text = dump_yaml(rich_document())
    sections = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert sections == ["people:", "roles:", "teams:", "activities:", "synonyms:", "settings:"]
    assert "  - {handle: raj, name: \"Raj: the 'ops' guy\"" in text or "name: 'Raj: the ''ops'' guy'" in text
    assert "active: false" in text and "active: true" not in text
    assert "    members: [omar]\n" in text
    assert "      R: [de]\n      A: [de]\n      C: [ds, '@bea']\n      I: [qa]\n" in text
    assert "      R: ['@raj', de]\n" in text  # letters in R, A, C, I order whatever the input order
    assert "escalation: {ack_timeout: 5m, repeats: 2}" in text
    assert "- name: Empty\n" in text and "qa\n    name: QA Engineer\n" in text
    assert "description: null" not in text


def test_dump_of_an_empty_document_loads_back_empty() -> None:
    assert dump_yaml(RaciDocument()) == ""
    assert load_yaml(dump_yaml(RaciDocument()), source=SOURCE) == (RaciDocument(), [])


AWKWARD_TEXTS = [
    "yes",
    "No",
    "on",
    "null",
    "~",
    "123",
    "1.5",
    "1e3",
    "0x1F",
    "2024-01-01",
    "-",
    "- dash",
    "@ivan",
    "a: b",
    "a:b",
    "x #y",
    "#x",
    "",
    " lead",
    "trail ",
    "multi\nline",
    "it's",
    "'quoted'",
    '"dq"',
    "Zoë Ångström",
    "emoji 😀",
    "tab\there",
    "[x]",
    "{y}",
    "a, b",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "`tick",
    "|pipe",
    ">gt",
    "?q",
    "<<",
    "=",
    "x\u2028y",
    "bell\a",
    "back\\slash",
    "CI/CD (v2) & more",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_awkward_text_round_trips(text: str) -> None:
    doc = RaciDocument(
        roles=[Role("r", text or "x", aliases=[text], description=text)],
        activities=[Activity(text or "x", aliases=[text], raci={"R": [text]})],
        synonyms=[[text, text]],
    )
    loaded, findings = load_yaml(dump_yaml(doc), source=SOURCE)
    assert only(findings, "error") == []
    assert loaded == doc


def big_document(activities: int) -> RaciDocument:
    people = [Person(f"p{i}", f"Person {i}", slack_id=f"U{i:08d}") for i in range(200)]
    roles = [Role(f"r{i}", f"Role {i}", aliases=[f"R{i}"], members=[f"p{i}", f"p{i + 100}"]) for i in range(100)]
    return RaciDocument(
        people=people,
        roles=roles,
        activities=[
            Activity(
                f"Activity number {i}",
                aliases=[f"act {i}"],
                description="Something someone owns",
                raci={"R": [f"r{i % 100}"], "A": [f"r{(i + 1) % 100}"], "C": [f"r{(i + 2) % 100}"], "I": ["@p5"]},
            )
            for i in range(activities)
        ],
    )


def test_a_big_matrix_dumps_and_loads_back_equal() -> None:
    # Timing lives in benchmarks/bench_import.py (import and export of 100,000 activities).
    doc = big_document(5_000)
    loaded, findings = load_yaml(dump_yaml(doc), source=SOURCE)
    assert findings == []
    assert loaded == doc
    lines = [a.line for a in loaded.activities]
    assert len({b - a for a, b in zip(lines, lines[1:], strict=False)}) == 1  # every item knows its own line


def test_an_anchored_section_is_still_read_as_a_tree() -> None:
    text = ("people:\n  - {handle: ana, name: Ana}\nroles: &roles\n  - {key: mle, name: ML, members: [ana]}\n"
            "activities:\n  - name: Deploys\n    raci: {R: [mle], A: [mle]}\n  - name: Deploys\n"
            "    raci: {R: [mle], A: [mle]}\nactivities:\n  - name: Ignored\n")
    doc, findings = load_yaml(text, source=SOURCE)
    assert [r.key for r in doc.roles] == ["mle"]
    assert [(a.name, a.line) for a in doc.activities] == [("Deploys", 6), ("Deploys", 8)]
    assert [(f.line, f.message.split(" (")[0]) for f in findings] == [(10, "duplicate key 'activities' in the file")]
