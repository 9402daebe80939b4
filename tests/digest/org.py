"""A matrix built to have every kind of digest finding, and helpers to load it with a past."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from bot.escalations import engine
from bot.escalations.policy import Policy
from bot.escalations.ticker import advance_due
from bot.ownership.index import Ownership
from bot.raci_file import load_yaml
from bot.raci_file.model import RaciDocument
from bot.store import models as m
from bot.store.db import Store
from bot.store.sync import write_document
from tests.sessions import committed

PEOPLE = """
people:
  - {handle: lena, name: Lena Roth, slack_id: U0LENA001}
  - {handle: max, name: Max Ode, slack_id: U0MAX0001}
  - {handle: raj, name: Raj Patel, slack_id: U0RAJ0001}
  - {handle: ana, name: Ana Lima, slack_id: U0ANA0001}
  - {handle: ivo, name: Ivo Berg, slack_id: U0IVO0001}
  - {handle: zoe, name: Zoe Kim, slack_id: U0ZOE0001}
  - {handle: nia, name: Nia Obi}
  - {handle: bea, name: Bea Sol, slack_id: U0BEA0001}
  - {handle: carl, name: Carl Uhl, email: carl@example.com}
  - {handle: ola, name: Ola Ek, slack_id: U0OLA0001}
"""
ROLES = """
roles:
  - {key: mle, name: ML Engineer, members: [lena, max]}
  - {key: mlops, name: MLOps Engineer, members: [raj]}
  - {key: ds, name: Data Scientist, members: [ana]}
  - {key: de, name: Data Engineer, members: [ivo]}
  - {key: qa, name: QA Engineer, members: []}
  - {key: sre, name: SRE, members: [zoe]}
teams:
  - key: search
    name: Search team
    members: {ds: [bea], mlops: []}
"""
ACTIVITIES = """
activities:
  - {name: Docker packaging, raci: {R: [mle], A: [mlops], C: [ds], I: [de]}}
  - {name: Release testing, raci: {R: [qa], A: [mlops]}}
  - {name: Model serving, raci: {R: [mlops], A: [mlops, ds]}}
  - {name: Data quality, raci: {R: [de]}}
  - {name: Dashboards, raci: {A: [ds], I: ["@carl", "@ola"]}}
  - {name: Feature store, raci: {R: [de], A: [de]}}
  - {name: Pipelines, raci: {R: [PIPELINES_R], A: [mlops]}}
  - {name: On-call, raci: {R: [sre], A: [sre]}}
  - {name: Experiments, raci: {R: ["@bea"], A: [ds], C: [mle]}}
"""
SETTINGS = """
settings:
  digest: {schedule: "0 9 * * MON", timezone: Europe/Berlin, channel: C0OWNERS01, direct_messages: true}
"""
# a month ago Pipelines was the ML Engineers' job; this week it moved to the Data Engineer
BEFORE = PEOPLE + ROLES + ACTIVITIES.replace("PIPELINES_R", "mle") + SETTINGS
NOW = PEOPLE + ROLES + ACTIVITIES.replace("PIPELINES_R", "de") + SETTINGS

DEACTIVATED = {"U0IVO0001"}  # Slack says deleted; U0ZOE0001 Slack does not know at all
PROFILES = {uid: {"real_name": uid} for uid in
            ("U0LENA001", "U0MAX0001", "U0RAJ0001", "U0ANA0001", "U0IVO0001", "U0BEA0001", "U0OLA0001")}
CHANNEL = "C0OWNERS01"
POLICY = Policy(ack_timeout=timedelta(minutes=15), repeats=1)


def document(text: str, **settings: object) -> RaciDocument:
    doc, findings = load_yaml(text, source="org.yaml")
    assert not [f for f in findings if f.kind == "error"], findings
    for key, value in settings.items():
        setattr(doc.settings.digest, key, value)
    return doc


def load(store: Store, text: str, *, at: datetime | None = None, **settings: object) -> None:
    """Import `text`; with `at`, its audit entries are dated then (the log always stamps the real time)."""
    with store.session() as session:
        write_document(session, document(text, **settings), actor="alice@laptop", source="org.yaml")
        if at is not None:
            session.execute(update(m.AuditEvent).values(at=at))


def with_history(store: Store, now: datetime, **settings: object) -> None:
    """BEFORE imported a month ago, NOW imported this week, and two escalations this week."""
    load(store, BEFORE, at=now - timedelta(days=30), **settings)
    load(store, NOW, **settings)
    ownership = Ownership(document(NOW))
    raised = now - timedelta(hours=3)
    docker = committed(
        store, engine.raise_escalation, answer=ownership.answer_activity("Docker packaging"),
        problem="image build fails", link=None,
        requester="U0ASKER01", channel=None, thread_ts=None, policy=POLICY, now=raised)
    advance_due(store, now=raised)
    committed(store, engine.acknowledge, escalation_id=docker.id, by="U0LENA001", now=raised + timedelta(minutes=4))
    committed(
        store, engine.raise_escalation, answer=ownership.answer_activity("Release testing"),
        problem="release blocked", link=None,
        requester="U0ASKER01", channel=None, thread_ts=None, policy=POLICY, now=raised)
    for minutes in (0, 15, 30, 45, 60):  # nobody answers: unanswered after two rounds
        advance_due(store, now=raised + timedelta(minutes=minutes))


def big_document(people: int, *, per_role: int = 10) -> RaciDocument:
    """`people` people, each in one of people/per_role roles; every role Responsible for one activity and
    Accountable for the next, so that everyone has something to read."""
    from bot.raci_file.model import Activity, Person, Role

    roles = people // per_role
    doc = RaciDocument(
        people=[Person(f"p{i:05d}", f"Person {i}", slack_id=f"U{i:08d}") for i in range(people)],
        roles=[Role(f"r{j:04d}", f"Role {j}", members=[f"p{i:05d}" for i in range(j * per_role, (j + 1) * per_role)])
               for j in range(roles)],
        activities=[Activity(f"Activity {j}", raci={"R": [f"r{j:04d}"], "A": [f"r{(j + 1) % roles:04d}"]})
                    for j in range(roles)],
    )
    doc.settings.digest.schedule = "0 9 * * MON"
    doc.settings.digest.timezone = "Europe/Berlin"
    doc.settings.digest.channel = CHANNEL
    return doc


def load_document(store: Store, doc: RaciDocument) -> None:
    with store.session() as session:
        write_document(session, doc, actor="alice@laptop", source="big.yaml")
