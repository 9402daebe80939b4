"""The digest builders: short, within Block Kit's limits whatever the size, long lists counted and pointed to."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.digest.model import (
    ActivityGap,
    EscalationStats,
    GonePerson,
    GroupedInvolvement,
    MatrixChanges,
    OrgSummary,
    OwnershipChange,
    PersonDigest,
    SinglePoint,
    Unreachable,
    VacantRole,
)
from bot.slack.blocks.digest import person_message, preference_reply, summary_message
from tests.slack.block_kit import check_message

PERIOD = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SINCE = PERIOD - timedelta(days=7)


def test_a_huge_person_digest_stays_short_and_valid() -> None:
    held = tuple(GroupedInvolvement(f"Activity {i} " + "x" * 80, "A", ("Data Engineer",), "Search team")
                 for i in range(500))
    changes = tuple(OwnershipChange(SINCE, "alice@laptop", "gained", f"Activity {i}", letter="A") for i in range(300))
    digest = PersonDigest("omar", "Omar", "U0OMAR001", PERIOD, SINCE, accountable=held, responsible=held,
                          consulted=held, informed=held, escalations=EscalationStats(raised=3, acknowledged=2,
                          median_time_to_ack=timedelta(minutes=6), still_open=1),
                          escalated_activities=("Docker <packaging>",), changes=changes)
    message = person_message(digest)
    check_message(message.text, message.blocks)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "*Accountable for* (500)" in text and "_…and 488 more — `/raci who` lists them all_" in text
    assert "_…and 292 more — `raci history` has them all_" in text
    assert "3 raised · 2 acknowledged (median 6 min) · 1 still open" in text
    assert "Docker &lt;packaging&gt;" in text  # matrix text cannot inject mentions or links
    assert "`/raci digest off`" in text
    assert message.text == "Your ownership this week: Accountable for 500, Responsible for 500 activities; " \
                           "3 escalations; 300 changes"


def test_a_huge_summary_counts_and_points_to_raci_check_and_impact() -> None:
    summary = OrgSummary(
        period=PERIOD, since=SINCE, people=10_000, activities=10_000,
        gaps=tuple(ActivityGap(f"Activity {i}", "no_accountable") for i in range(2000)),
        vacancies=tuple(VacantRole(f"r{i}", f"Role {i}", None, (("Activity 1", "R"),) * 9) for i in range(300)),
        gone=tuple(GonePerson(f"p{i}", f"Person {i}", f"U{i}", "deactivated in Slack", ("SRE",), 4, 2)
                   for i in range(100)),
        unreachable=tuple(Unreachable(f"q{i}", f"Q {i}") for i in range(100)),
        single_points=tuple(SinglePoint(f"s{i}", f"S {i}", 5, 5) for i in range(100)),
        escalations=EscalationStats(raised=40, acknowledged=30, acknowledged_in_time=25, unanswered=5,
                                    still_open=7, median_time_to_ack=timedelta(minutes=9)),
        changes=MatrixChanges(added=500, changed=20, removed=3, actors=("alice@laptop",),
                              lines=tuple(f"+ activity Activity {i}" for i in range(20))),
    )
    message = summary_message(summary)
    check_message(message.text, message.blocks)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "2000 ownership gaps · 300 vacant roles · 100 people gone from Slack" in text
    assert "_…and 1992 more — `raci check` lists them all_" in text
    assert "Activity 1 (R) and 5 more without an owner" in text
    assert "`raci impact p0`" in text and "_…and 92 more — `raci impact HANDLE` shows each_" in text
    assert "40 raised · 25 acknowledged within the timeout · 5 unanswered" in text
    assert "_…and 515 more — `raci history` lists them all_" in text


def test_a_healthy_quiet_week_says_so() -> None:
    message = summary_message(OrgSummary(period=PERIOD, since=SINCE, people=3, activities=2))
    check_message(message.text, message.blocks)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert ":white_check_mark: ownership is healthy" in text and "*Escalations this week:* none" in text
    assert message.text == "Ownership health, week of Mon 30 Nov: ownership is healthy"


def test_digest_off_and_on_replies() -> None:
    assert preference_reply(enabled=False, changed=True).text.startswith("Done: no more weekly ownership digests")
    assert "already off" in preference_reply(enabled=False, changed=False).text
    assert "`/raci digest off` stops it" in preference_reply(enabled=True, changed=True).text
