"""Timeouts and repeats: the activity's own, else the organisation's, else 15 minutes and 1."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.escalations.policy import format_duration, policy_for, step_letter, step_level, step_round
from bot.raci_file.model import Activity, EscalationPolicy, OrgSettings


def test_defaults_then_org_then_activity() -> None:
    assert policy_for(None, OrgSettings()).ack_timeout == timedelta(minutes=15)
    assert policy_for(None, OrgSettings()).repeats == 1
    org = OrgSettings(escalation=EscalationPolicy(ack_timeout="1h", repeats=3))
    assert (policy_for(Activity(name="x"), org).ack_timeout, policy_for(Activity(name="x"), org).repeats) == (
        timedelta(hours=1), 3)
    own = Activity(name="x", escalation=EscalationPolicy(ack_timeout="5m"))
    assert (policy_for(own, org).ack_timeout, policy_for(own, org).repeats) == (timedelta(minutes=5), 3)
    zero = Activity(name="x", escalation=EscalationPolicy(repeats=0))
    assert policy_for(zero, org).repeats == 0 and policy_for(zero, org).steps == 2


def test_steps_alternate_responsible_and_accountable() -> None:
    assert [(step_level(s), step_round(s), step_letter(s)) for s in range(4)] == [
        (1, 0, "R"), (2, 0, "A"), (1, 1, "R"), (2, 1, "A")]


@pytest.mark.parametrize(("seconds", "text"), [(900, "15 min"), (7200, "2 h"), (86400, "1 d"), (45, "45 s"),
                                              (277, "4 min 37 s"), (3900, "1 h 5 min")])
def test_durations_read_as_people_write_them(seconds: int, text: str) -> None:
    assert format_duration(timedelta(seconds=seconds)) == text
