"""The digests' content, pure: an Ownership, the week's escalations and audit entries in, plain values out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.digest.content import person_digests
from bot.digest.impact import impact, single_points
from bot.digest.model import AuditEntry, OwnershipChange, PersonDigest
from bot.digest.summary import org_summary
from bot.escalations.views import EscalationView
from bot.ownership.answers import Holder
from bot.ownership.index import Ownership
from tests.digest.org import NOW, document

PERIOD = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SINCE = PERIOD - timedelta(days=7)


def escalation(id_: int, activity: str, *, owners: dict[str, list[str]], status: str,
               ack_after: timedelta | None = None, team: str | None = None) -> EscalationView:
    created = SINCE + timedelta(days=1, hours=id_)
    return EscalationView(
        id=id_, activity=activity, team=team, problem="broken", link=None, requester="U0ASKER01", channel=None,
        thread_ts=None, status_ts=None, status=status, step=1, ack_timeout=timedelta(minutes=15), repeats=1,
        owners={k: tuple(Holder(role=None, handle=h, name=h) for h in v) for k, v in owners.items()}, notes=(),
        next_due_at=None, created_at=created, acknowledged_at=created + ack_after if ack_after else None,
        acknowledged_by=None, closed_at=None, closed_by=None)


WEEK = [
    escalation(1, "Docker packaging", owners={"R": ["lena", "max"], "A": ["raj"]}, status="acknowledged",
               ack_after=timedelta(minutes=4)),
    escalation(2, "Docker packaging", owners={"R": ["lena", "max"], "A": ["raj"]}, status="resolved",
               ack_after=timedelta(minutes=40)),
    escalation(3, "Release testing", owners={"A": ["raj"]}, status="unanswered"),
]
AUDIT = [
    AuditEntry(SINCE + timedelta(days=2), "alice@laptop", "import", "activity", "Pipelines", "changed",
               {"raci": [{"R": ["mle"], "A": ["mlops"]}, {"R": ["de"], "A": ["mlops"]}]}),
    AuditEntry(SINCE + timedelta(days=2), "alice@laptop", "import", "role", "ds", "changed",
               {"members": [["ana", "max"], ["ana"]]}),
    AuditEntry(SINCE + timedelta(days=3), "alice@laptop", "import", "team", "search", "changed",
               {"members": [{"ds": ["bea"]}, {"ds": ["bea"], "mlops": []}]}),
    AuditEntry(SINCE + timedelta(days=3), "raci-bot", "escalation", "escalation", "#3 Release testing", "changed",
               {"status": ["open", "unanswered"]}),
    # added and taken back within the week: nets out to nothing
    AuditEntry(SINCE + timedelta(days=4), "bob@ci", "import", "role", "qa", "changed", {"members": [[], ["ola"]]}),
    AuditEntry(SINCE + timedelta(days=5), "bob@ci", "import", "role", "qa", "changed", {"members": [["ola"], []]}),
]


@pytest.fixture(scope="module")
def ownership() -> Ownership:
    return Ownership(document(NOW))


@pytest.fixture(scope="module")
def digests(ownership: Ownership) -> dict[str, PersonDigest]:
    found = person_digests(ownership, escalations=WEEK, audit=AUDIT, period=PERIOD, since=SINCE)
    return {d.handle: d for d in found}


def test_a_person_sees_what_they_own_how_and_where(digests: dict[str, PersonDigest]) -> None:
    raj = digests["raj"]
    assert [h.activity for h in raj.accountable] == ["Docker packaging", "Release testing", "Model serving",
                                                     "Pipelines"]
    assert [(h.activity, h.via) for h in raj.responsible] == [("Model serving", ("MLOps Engineer",))]
    bea = digests["bea"]
    assert [(h.activity, h.via, h.team) for h in bea.accountable] == [
        ("Model serving", ("Data Scientist",), "Search team"), ("Dashboards", ("Data Scientist",), "Search team"),
        ("Experiments", ("Data Scientist",), "Search team")]
    assert [(h.activity, h.via) for h in bea.responsible] == [("Experiments", ("directly",))]
    assert [h.activity for h in digests["lena"].consulted] == ["Experiments"]
    assert [h.activity for h in digests["ivo"].informed] == ["Docker packaging"]


def test_escalations_about_their_activities_with_median_time_to_acknowledge(
    digests: dict[str, PersonDigest],
) -> None:
    raj = digests["raj"].escalations
    assert (raj.raised, raj.acknowledged, raj.unanswered, raj.still_open) == (3, 2, 1, 2)
    assert raj.median_time_to_ack == timedelta(minutes=22)  # median of 4 and 40
    assert digests["raj"].escalated_activities == ("Docker packaging", "Release testing")
    lena = digests["lena"].escalations
    assert (lena.raised, lena.acknowledged_in_time) == (2, 1)
    assert digests["ana"].escalations.raised == 0  # Consulted only: not about her activities


def test_changes_since_the_last_digest_come_from_the_audit_log(digests: dict[str, PersonDigest]) -> None:
    assert [c.describe() for c in digests["lena"].changes] == ["No longer Responsible for Pipelines"]
    assert [c.describe() for c in digests["ivo"].changes] == ["Now Responsible for Pipelines"]
    assert [c.describe() for c in digests["max"].changes] == [
        "No longer Responsible for Pipelines", "No longer holds role Data Scientist"]
    assert digests["ola"].changes == ()  # joined and left QA within the week: nothing to say
    assert digests["raj"].changes == ()
    change = digests["ivo"].changes[0]
    assert (change.actor, change.at) == ("alice@laptop", SINCE + timedelta(days=2))


def test_nothing_to_say_means_no_message(digests: dict[str, PersonDigest]) -> None:
    assert digests["raj"].has_news and digests["lena"].has_news
    assert not digests["ola"].has_news  # Informed of one activity, nothing changed, no escalation
    assert not digests["nia"].has_news  # holds nothing


def test_summary_names_every_kind_of_finding(ownership: Ownership) -> None:
    summary = org_summary(ownership, escalations=WEEK, audit=AUDIT, period=PERIOD, since=SINCE,
                          gone={"U0IVO0001": "deleted", "U0ZOE0001": "unknown"})
    assert [(g.activity, g.problem, g.holders) for g in summary.gaps] == [
        ("Model serving", "several_accountable", ("MLOps Engineer", "Data Scientist")),
        ("Data quality", "no_accountable", ()), ("Dashboards", "no_responsible", ())]
    vacant = {(v.role, v.team): v.ownerless for v in summary.vacancies}
    assert vacant[("qa", None)] == (("Release testing", "R"),)
    assert vacant[("mlops", "Search team")] == (("Docker packaging", "A"), ("Release testing", "A"),
                                                ("Model serving", "R"), ("Pipelines", "A"))
    gone = {g.handle: g for g in summary.gone}
    assert gone["ivo"].reason == "deactivated in Slack" and gone["ivo"].roles == ("Data Engineer",)
    assert gone["ivo"].last_owner_of == 3  # Data quality, Feature store, Pipelines
    assert gone["zoe"].reason == "unknown to Slack" and gone["zoe"].last_owner_of == 1
    assert [u.handle for u in summary.unreachable] == ["nia"]
    assert {p.handle: (p.only_responsible, p.only_accountable) for p in summary.single_points} == {
        "raj": (1, 3), "ivo": (3, 1), "bea": (1, 3)}  # ana shares Model serving with raj
    e = summary.escalations
    assert (e.raised, e.acknowledged_in_time, e.unanswered) == (3, 1, 1)
    assert [s.activity for s in summary.slowest] == ["Release testing", "Docker packaging"]
    assert (summary.changes.added, summary.changes.changed, summary.changes.removed) == (0, 5, 0)
    assert summary.changes.actors == ("alice@laptop", "bob@ci")
    assert not summary.healthy


def test_impact_lists_what_loses_its_last_owner_and_the_roles_to_refill(ownership: Ownership) -> None:
    raj = impact(ownership, ownership.person("raj"))
    assert raj.last_accountable == (("Docker packaging", None), ("Release testing", None), ("Pipelines", None))
    assert raj.last_responsible == (("Model serving", None),)
    assert [(s.role_name, s.team, s.sole) for s in raj.seats] == [("MLOps Engineer", None, True)]
    lena = impact(ownership, ownership.person("lena"))
    assert lena.last_responsible == () and lena.last_accountable == ()  # max is ML Engineer too
    assert [(s.role_name, s.sole) for s in lena.seats] == [("ML Engineer", False)]
    bea = impact(ownership, ownership.person("bea"))
    assert ("Experiments", None) in bea.last_responsible and bea.direct == (("Experiments", "R"),)


def test_single_points_threshold(ownership: Ownership) -> None:
    assert [p.handle for p in single_points(ownership, minimum=5)] == []
    assert {p.handle for p in single_points(ownership, minimum=1)} >= {"raj", "ivo", "zoe", "bea", "ana"}


def test_change_descriptions_name_the_team() -> None:
    change = OwnershipChange(PERIOD, "x", "role_left", "MLOps Engineer", team="Search team")
    assert change.describe() == "No longer holds role MLOps Engineer in Search team"
