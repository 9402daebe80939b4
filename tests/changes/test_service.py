"""Ownership changes without Slack: propose, decide, accept, apply, expire, staleness, and the DMs queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes.model import ChangeRefused, NewPerson, NothingToChange
from bot.changes.service import Changes
from bot.learning.service import Person
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import history, import_file
from bot.store.db import Store
from bot.store.outbox_models import OutboxMessage

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ORG = """\
people:
  - {handle: omar, name: Omar Haddad, slack_id: U0OMAR001}
  - {handle: dana, name: Dana Lee, slack_id: U0DANA001}
  - {handle: lena, name: Lena Park, slack_id: U0LENA001}
  - {handle: bo, name: Bo Admin, slack_id: U0BO00001}
  - {handle: ivy, name: Ivy Info, slack_id: U0IVY0001}
  - {handle: eve, name: Eve Other, slack_id: U0EVE0001}
roles:
  - {key: ml-lead, name: ML Lead, members: [omar]}
  - {key: ml-eng, name: ML Engineer, members: [dana]}
activities:
  - name: Feature store mgmt
    raci: {R: [ml-eng], A: [ml-lead], I: ["@ivy"]}
  - name: Office plants
    raci: {R: ["@eve"], A: ["@eve"]}
settings:
  admins: [bo]
"""
OMAR, DANA, LENA, BO, EVE = (Person(f"@{h}", h, slack_user=f"U0{h.upper()}") for h in
                             ("omar", "dana", "lena", "bo", "eve"))
FEATURE = "Feature store mgmt"


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "raci.yaml"
    path.write_text(ORG)
    return path


@pytest.fixture
def changes(store: Store, org_file: Path) -> Changes:
    with store.session() as session:
        import_file(session=session, path=org_file, actor="test")
    return Changes(OwnershipService(store))


def kinds(store: Store) -> list[tuple[str, str]]:
    with store.session() as session:
        return [(k, r) for k, r in session.execute(select(OutboxMessage.kind, OutboxMessage.recipient)
                                                     .order_by(OutboxMessage.id))]


def lena_accountable(changes: Changes, by: Person = DANA, *, session: Session):
    return changes.propose(session=session, activity=FEATURE, letters={"R": ["ml-eng"], "A": ["@lena"], "I": ["@ivy"]},
                           reason="Omar moved to the platform team", person=by, now=NOW)


def test_approve_then_accept_applies_and_tells_everyone(changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = lena_accountable(changes, session=session)
    assert proposal.approvers == {"omar": "Accountable", "bo": "admin"}
    assert kinds(store) == [("change_approval", "U0OMAR001"), ("change_approval", "U0BO00001")]
    with store.session() as session:
        approved = changes.decide(session=session, change_id=proposal.change.id, approve=True, person=OMAR, now=NOW)
    assert approved.status == "approved" and approved.awaiting == ("lena",)
    assert changes.service.current.answer_activity(FEATURE).accountable[0].handle == "omar"  # not yet
    with store.session() as session:
        applied = changes.answer(session=session, change_id=proposal.change.id, accept=True, person=LENA, now=NOW)
    assert applied.status == "applied" and applied.accepted == ("lena",)
    assert [h.handle for h in changes.service.current.answer_activity(FEATURE).accountable] == ["lena"]
    sent = kinds(store)
    assert ("change_accept", "U0LENA001") in sent and ("change_fyi", "U0IVY0001") in sent
    assert ("change_outcome", "U0DANA") in sent and ("change_applied", "U0OMAR001") in sent
    with store.session() as session:
        entries = history(session=session, subject=FEATURE)
        applied_entry = next(e for e in entries if e.action == "slack_change" and e.subject_type == "change_request")
        assert applied_entry.details["approved_by"] == "@omar" and applied_entry.details["acceptors"] == ["lena"]
        assert applied_entry.details["reason"] == "Omar moved to the platform team"
        activity_entry = next(e for e in entries if e.action == "slack_change" and e.subject_type == "activity")
        assert activity_entry.actor == "@dana, approved by @omar"


def test_an_apply_rolled_back_by_the_caller_changes_neither_the_store_nor_the_answers(
        changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = lena_accountable(changes, session=session)
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=BO, now=NOW)
    with pytest.raises(RuntimeError), store.session() as session:
        applied = changes.answer(session=session, change_id=proposal.change.id, accept=True, person=LENA, now=NOW)
        assert applied.status == "applied"
        raise RuntimeError("the caller fails after the service returned")
    assert [h.handle for h in changes.service.current.answer_activity(FEATURE).accountable] == ["omar"]
    with store.session() as session:
        assert changes.get(session=session, change_id=proposal.change.id).status == "approved"
    changes.service.refresh(force=True)
    assert [h.handle for h in changes.service.current.answer_activity(FEATURE).accountable] == ["omar"]


def test_a_stranger_cannot_decide_and_nothing_changes(changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = lena_accountable(changes, session=session)
    with pytest.raises(ChangeRefused, match="Only an Accountable holder of Feature store mgmt or an admin"), \
            store.session() as session:
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=EVE, now=NOW)
    with store.session() as session:
        assert changes.get(session=session, change_id=proposal.change.id).status == "pending"
    with pytest.raises(ChangeRefused, match="does not wait for your answer"), store.session() as session:
        changes.answer(session=session, change_id=proposal.change.id, accept=True, person=EVE, now=NOW)


def test_a_decline_closes_it(changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = lena_accountable(changes, session=session)
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=BO, now=NOW)
    with store.session() as session:
        declined = changes.answer(session=session, change_id=proposal.change.id, accept=False, person=LENA, now=NOW)
    assert declined.status == "declined" and "declined to become Accountable" in (declined.closing_note or "")
    assert [h.handle for h in changes.service.current.answer_activity(FEATURE).accountable] == ["omar"]


def test_a_gap_needs_an_admin(changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = changes.propose(session=session, activity=FEATURE, letters={"A": ["ml-lead"]},
                                   reason="nobody does it", person=DANA, now=NOW)
    assert proposal.change.admins_only
    with pytest.raises(ChangeRefused, match="Only an admin"), store.session() as session:
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=OMAR, now=NOW)
    with store.session() as session:
        decided = changes.decide(session=session, change_id=proposal.change.id, approve=True, person=BO, now=NOW)
    assert decided.status == "applied"
    assert changes.service.current.answer_activity(FEATURE).responsible == ()


def test_a_stale_proposal_is_refused(changes: Changes, store: Store) -> None:
    with store.session() as session:
        first = lena_accountable(changes, session=session)
        second = changes.propose(session=session, activity=FEATURE,
                                 letters={"R": ["ml-eng", "@eve"], "A": ["ml-lead"], "I": ["@ivy"]},
                                 reason="eve helps", person=DANA, now=NOW)
        changes.decide(session=session, change_id=second.change.id, approve=True, person=OMAR, now=NOW)
    with store.session() as session:
        assert changes.answer(session=session, change_id=second.change.id, accept=True, person=EVE,
                              now=NOW).status == "applied"
    with store.session() as session:
        stale = changes.decide(session=session, change_id=first.change.id, approve=True, person=OMAR, now=NOW)
    assert stale.status == "stale" and "changed since it was proposed" in (stale.closing_note or "")


def test_no_difference_and_bad_input_change_nothing(changes: Changes, store: Store) -> None:
    with pytest.raises(NothingToChange), store.session() as session:
        changes.propose(session=session, activity=FEATURE, letters={"R": ["ml-eng"], "A": ["ml-lead"], "I": ["@ivy"]},
                        reason="x", person=DANA, now=NOW)
    with pytest.raises(ChangeRefused, match="Say why"), store.session() as session:
        changes.propose(session=session, activity=FEATURE, letters={"A": ["@lena"], "R": ["ml-eng"]}, reason="  ",
                        person=DANA, now=NOW)
    with pytest.raises(ChangeRefused, match="NUL"), store.session() as session:
        changes.propose(session=session, activity=FEATURE, letters={"A": ["@lena"], "R": ["ml-eng"]},
                        reason="a\x00b", person=DANA, now=NOW)
    with pytest.raises(ChangeRefused, match="neither a role nor a person"), store.session() as session:
        changes.propose(session=session, activity=FEATURE, letters={"A": ["@nobody"], "R": ["ml-eng"]}, reason="r",
                        person=DANA, now=NOW)
    with store.session() as session:
        assert changes.listing(session=session) == []


def test_a_new_person_is_added_with_their_slack_id(changes: Changes, store: Store) -> None:
    newcomer = NewPerson("sam", "Sam New", "U0SAM0001")
    with store.session() as session:
        proposal = changes.propose(session=session, activity="Office plants", letters={"R": ["@sam"], "A": ["@eve"]},
                                   reason="sam waters", person=EVE, now=NOW, new_people=[newcomer])
        decided = changes.decide(session=session, change_id=proposal.change.id, approve=True, person=EVE, now=NOW)
    assert decided.status == "approved"
    with store.session() as session:
        assert changes.answer(session=session, change_id=proposal.change.id, accept=True, person=Person("@sam", "sam"),
                              now=NOW).status == "applied"
    assert changes.service.current.people["sam"].slack_id == "U0SAM0001"


def test_open_requests_expire(changes: Changes, store: Store) -> None:
    with store.session() as session:
        proposal = lena_accountable(changes, session=session)
        assert changes.expire(session=session, now=NOW + timedelta(days=6)) == 0
    with store.session() as session:
        assert changes.expire(session=session, now=NOW + timedelta(days=8)) == 1
    with store.session() as session:
        assert changes.get(session=session, change_id=proposal.change.id).status == "expired"


def test_the_weekly_digest_lists_an_applied_change_by_proposer_and_approver(changes: Changes, store: Store) -> None:
    from bot.digest.runs import audit_since
    from bot.digest.summary import matrix_changes

    with store.session() as session:
        proposal = changes.propose(session=session, activity=FEATURE,
                                   letters={"R": ["ml-eng", "@eve"], "A": ["ml-lead"], "I": ["@ivy"]},
                                   reason="eve helps", person=DANA, now=NOW)
        changes.decide(session=session, change_id=proposal.change.id, approve=True, person=OMAR, now=NOW)
        changes.answer(session=session, change_id=proposal.change.id, accept=True, person=EVE, now=NOW)
    with store.session() as session:
        week = audit_since(session, NOW - timedelta(days=30), NOW + timedelta(days=30))
    lines = matrix_changes(week).lines
    assert lines[0] == "~ activity Feature store mgmt (by @dana, approved by @omar)"
    assert not any("change_request" in line for line in lines)
