"""Learned phrases without Slack: picks, approvals, teach/forget, imports, exports, the CLI and the file rules."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.cli import main
from bot.errors import InvalidRaciFile
from bot.learning.service import Learning, LearningRefused, Person
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import export_store, history, import_file
from bot.store.db import Store
from tests.sessions import committed

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ORG = """\
people:
  - {handle: ana, name: Ana Silva, slack_id: U0ANA0001}
  - {handle: pat, name: Pat Quinn, slack_id: U0PAT0001}
  - {handle: bo, name: Bo Admin, slack_id: U0BO00001}
  - {handle: eve, name: Eve Other, slack_id: U0EVE0001}
roles:
  - {key: sre, name: SRE, members: [ana]}
  - {key: it, name: IT, members: [pat]}
activities:
  - name: PagerDuty rotation mgmt
    raci: {R: [sre], A: [sre]}
  - name: Laptop provisioning
    aliases: [new laptops]
    raci: {R: [it], A: [it]}
  - name: Office plants
    raci: {R: [it], A: ["@eve"]}
settings:
  admins: [bo]
"""
QUESTION = "who gets paged at night"
ANA, PAT, BO, EVE = (Person(f"@{h}", h) for h in ("ana", "pat", "bo", "eve"))
STRANGER = Person("U0STRANGE1")
T = TypeVar("T")


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "raci.yaml"
    path.write_text(ORG)
    return path


@pytest.fixture
def learning(store: Store, org_file: Path) -> Learning:
    with store.session() as session:
        import_file(session=session, path=org_file, actor="test")
    return Learning(OwnershipService(store))


def run(learning: Learning, flow: Callable[..., T], /, **kwargs: Any) -> T:
    """One learning flow as the edges run it: in its own transaction, committed when it returns."""
    return committed(learning.service.store, flow, **kwargs)


def pick(learning: Learning, person: Person, question: str = QUESTION,
         activity: str = "PagerDuty rotation mgmt"):
    return run(learning, learning.pick, question=question, activity=activity, person=person, source="C0TEST", now=NOW)


def answer(learning: Learning, question: str):
    return learning.service.current.answer(question)


def test_two_different_pickers_make_a_phrase_active_and_filler_does_not_matter(learning: Learning) -> None:
    assert answer(learning, QUESTION).status == "none"
    first = pick(learning, PAT)
    assert first.proposed and not first.activated and first.phrase.status == "pending"
    assert pick(learning, PAT, "Who gets paged at night??").phrase.pickers == ("@pat",)  # same person twice: one
    assert answer(learning, QUESTION).status == "none"
    second = pick(learning, STRANGER, "hey who gets paged at night?")
    assert second.activated and second.phrase.status == "active"
    for asked in (QUESTION, "hey, who gets PAGED at night?"):
        found = answer(learning, asked)
        assert (found.status, found.activity, found.via) == ("match", "PagerDuty rotation mgmt", "learned")


def test_an_accountable_holders_pick_or_approval_activates_and_a_strangers_changes_nothing(learning: Learning) -> None:
    pending = pick(learning, PAT).phrase
    with pytest.raises(LearningRefused, match="Only an Accountable holder of PagerDuty rotation mgmt"):
        run(learning, learning.decide, phrase_id=pending.id, approve=True, person=EVE, now=NOW)
    assert run(learning, learning.phrase, phrase_id=pending.id).status == "pending"
    assert run(learning, learning.decide, phrase_id=pending.id, approve=True, person=ANA, now=NOW).decided_by == "@ana"
    assert answer(learning, QUESTION).via == "learned"
    assert pick(learning, ANA, "who hands out new computers", "Laptop provisioning").phrase.status == "pending"
    assert pick(learning, BO, "who hands out new computers", "Laptop provisioning").activated  # admin


def test_a_rejected_phrase_is_never_proposed_again_for_that_activity(learning: Learning) -> None:
    pending = pick(learning, PAT).phrase
    assert run(learning, learning.decide, phrase_id=pending.id, approve=False, person=ANA, now=NOW).status == "rejected"
    again = pick(learning, EVE)
    assert not again.proposed and not again.activated and again.phrase.status == "rejected"
    assert pick(learning, STRANGER).phrase.status == "rejected"
    assert answer(learning, QUESTION).status == "none"


def test_teach_and_forget_need_an_admin_or_accountable_and_names_win(learning: Learning) -> None:
    with pytest.raises(LearningRefused, match="Only an Accountable holder"):
        run(learning, learning.teach, phrase_text=QUESTION, activity_query="PagerDuty rotation mgmt", person=PAT,
            now=NOW)
    with pytest.raises(LearningRefused, match="already the name or an alias of Laptop provisioning"):
        run(learning, learning.teach, phrase_text="New Laptops!", activity_query="PagerDuty rotation mgmt", person=BO,
            now=NOW)
    with pytest.raises(LearningRefused, match="NUL"):
        run(learning, learning.teach, phrase_text="who\x00 pages", activity_query="PagerDuty rotation mgmt",
            person=BO, now=NOW)
    assert run(learning, learning.teach, phrase_text=QUESTION, activity_query="pagerduty rotation", person=ANA,
               now=NOW).status == "active"
    assert answer(learning, QUESTION).activity == "PagerDuty rotation mgmt"
    with pytest.raises(LearningRefused, match="Only an Accountable holder"):
        run(learning, learning.forget, phrase_text=QUESTION, person=PAT)
    assert [p.activity for p in run(learning, learning.forget, phrase_text="Who gets paged at night?",
                                    person=BO)] == ["PagerDuty rotation mgmt"]
    assert answer(learning, QUESTION).status == "none"


def test_one_phrase_learned_for_two_activities_is_ambiguous(learning: Learning) -> None:
    run(learning, learning.teach, phrase_text="the thing upstairs", activity_query="PagerDuty rotation mgmt",
        person=BO, now=NOW)
    run(learning, learning.teach, phrase_text="the thing upstairs", activity_query="Office plants", person=BO, now=NOW)
    found = answer(learning, "the thing upstairs?")
    assert found.status == "ambiguous"
    assert {c.activity for c in found.candidates} == {"PagerDuty rotation mgmt", "Office plants"}


def test_history_tells_who_proposed_confirmed_approved_rejected_and_forgot(learning: Learning, store: Store) -> None:
    pick(learning, PAT)
    pick(learning, STRANGER)
    other = pick(learning, PAT, "who waters the ficus", "Office plants").phrase
    run(learning, learning.decide, phrase_id=other.id, approve=False, person=EVE, now=NOW)
    run(learning, learning.forget, phrase_text=QUESTION, person=ANA)
    with store.session() as session:
        entries = [(e.actor, e.change, e.details["phrase"]) for e in history(session=session)
                   if e.subject_type == "learned"]
    assert entries[::-1] == [
        ("@pat", "proposed", QUESTION), ("U0STRANGE1", "confirmed", QUESTION), ("U0STRANGE1", "confirmed", QUESTION),
        ("@pat", "proposed", "who waters the ficus"), ("@eve", "rejected", "who waters the ficus"),
        ("@ana", "forgot", QUESTION)]


def test_phrases_survive_a_silent_import_export_as_learned_and_a_file_sets_them(
    learning: Learning, store: Store, org_file: Path, tmp_path: Path
) -> None:
    run(learning, learning.teach, phrase_text=QUESTION, activity_query="PagerDuty rotation mgmt", person=BO, now=NOW)
    with store.session() as session:
        import_file(session=session, path=org_file, actor="test")
    with store.session() as session:
        exported = export_store(session=session)
    assert "learned: [who gets paged at night]" in exported
    edited = tmp_path / "edited.yaml"
    edited.write_text(exported.replace("learned: [who gets paged at night]", "learned: [who is on call tonight]"))
    with store.session() as session:
        report = import_file(session=session, path=edited, actor="test")
    assert sorted((c.change, c.details["phrase"]) for c in report.changes if c.subject_type == "learned") == [
        ("added", "who is on call tonight"), ("removed", QUESTION)]
    service = OwnershipService(store)
    assert service.current.answer("who is on call tonight?").via == "learned"
    assert service.current.answer(QUESTION).status == "none"


def test_an_activity_removed_by_import_takes_its_phrases_and_the_report_says_so(
    learning: Learning, store: Store, tmp_path: Path
) -> None:
    run(learning, learning.teach, phrase_text=QUESTION, activity_query="PagerDuty rotation mgmt", person=BO, now=NOW)
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(ORG.replace("  - name: PagerDuty rotation mgmt\n    raci: {R: [sre], A: [sre]}\n", ""))
    with store.session() as session:
        report = import_file(session=session, path=smaller, actor="test")
    [removed] = [c for c in report.changes if c.subject_type == "learned"]
    assert (removed.subject, removed.change, removed.details["phrase"]) == ("PagerDuty rotation mgmt", "removed",
                                                                            QUESTION)
    assert committed(store, Learning(OwnershipService(store)).phrases) == []


@pytest.mark.parametrize(("settings", "message", "line"), [
    ("settings:\n  admins: [nobody]\n", "person 'nobody' (in settings.admins) is not defined", 18),
    ("settings:\n  learning: {confirmations: 0}\n", "settings.learning.confirmations must be a whole number", 18),
    ("settings:\n  learning: {channel: general}\n", "is not a Slack channel ID", 18),
])
def test_learning_settings_are_validated_with_their_line(tmp_path: Path, store: Store, settings: str, message: str,
                                                         line: int) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(ORG.replace("settings:\n  admins: [bo]\n", settings))
    with pytest.raises(InvalidRaciFile) as raised, store.session() as session:
        import_file(session=session, path=path, actor="test")
    [finding] = raised.value.findings
    assert message in finding.message and finding.line == line


def test_learned_in_a_file_refuses_nul_and_another_activitys_name(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(ORG.replace("    raci: {R: [sre], A: [sre]}\n",
                                '    learned: ["new laptops", "a\\0b"]\n    raci: {R: [sre], A: [sre]}\n'))
    with pytest.raises(InvalidRaciFile) as raised, store.session() as session:
        import_file(session=session, path=path, actor="test")
    messages = sorted(f.message for f in raised.value.findings)
    assert any("NUL" in m for m in messages)
    assert any('learned "new laptops" is the name or an alias of activity "Laptop provisioning"' in m
               for m in messages)
    assert all(f.line == 11 for f in raised.value.findings)


def test_cli_lists_approves_and_forgets(learning: Learning, cli_env: str, capsys: pytest.CaptureFixture[str],
                                        org_file: Path) -> None:
    assert main(["import", str(org_file)]) == 0
    pick(learning, PAT)
    capsys.readouterr()
    assert main(["learned", "--pending", "--json"]) == 0
    [listed] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (listed["phrase"], listed["status"], listed["confirmations"]) == (QUESTION, "pending", 1)
    assert main(["learned", "approve", "Who gets paged at night?"]) == 0
    assert "active: “who gets paged at night” -> PagerDuty rotation mgmt" in capsys.readouterr().out
    assert main(["ask", "--json", "hey who gets paged at night"]) == 0
    assert json.loads(capsys.readouterr().out)["via"] == "learned"
    assert main(["learned", "forget", QUESTION]) == 0
    assert main(["learned", "approve", QUESTION]) == 1
    assert "no learned phrase" in capsys.readouterr().err


def test_another_replica_answers_a_newly_active_phrase_after_its_reload_period(learning: Learning,
                                                                             store: Store) -> None:
    now = [0.0]
    replica = OwnershipService(store, reload_seconds=30, clock=lambda: now[0])
    assert replica.current.answer(QUESTION).status == "none"
    pick(learning, PAT)
    now[0] = 31.0
    assert replica.current.answer(QUESTION).status == "none"  # pending phrases answer nothing
    run(learning, learning.teach, phrase_text=QUESTION, activity_query="PagerDuty rotation mgmt", person=BO, now=NOW)
    now[0] = 45.0
    assert replica.current.answer(QUESTION).status == "none"  # not yet checked again: the old index serves
    now[0] = 62.0
    assert replica.current.answer(QUESTION).via == "learned"


def test_concurrent_picks_of_one_question_by_different_people_all_count(learning: Learning) -> None:
    people = [Person(f"U0RACE{i:04d}") for i in range(4)]
    start = threading.Barrier(len(people))
    results = []

    def race(person: Person) -> None:
        start.wait()
        results.append(pick(learning, person, "who refills the printer paper", "Office plants"))

    threads = [threading.Thread(target=race, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.phrase is not None for r in results)
    [phrase] = run(learning, learning.phrases)
    assert phrase.status == "active" and len(phrase.pickers) >= 2
    assert sum(r.proposed for r in results) == 1  # one DM round, not one per racer


def test_a_pick_in_a_transaction_the_caller_rolls_back_leaves_no_phrase_and_the_index_as_it_was(
    learning: Learning, store: Store
) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        picked = learning.pick(session=session, question=QUESTION, activity="PagerDuty rotation mgmt", person=BO,
                               source="C0TEST", now=NOW)
        assert picked.activated  # an admin's pick: active at once, if the edge commits
        raise RuntimeError("the edge fails after the flow")
    assert run(learning, learning.phrases) == []
    assert answer(learning, QUESTION).status == "none"
    assert run(learning, learning.pick, question=QUESTION, activity="PagerDuty rotation mgmt", person=BO,
               source="C0TEST", now=NOW).activated
    assert answer(learning, QUESTION).via == "learned"  # committed: the live index was rebuilt
