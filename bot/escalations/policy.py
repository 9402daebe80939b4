"""The escalation policy, taken from the RACI matrix: Responsible first, Accountable next, repeated.

Pure: given an activity's owners and its policy, which step pages whom. Steps are numbered
from 0: step 2k pages the Responsible holders (level 1) of round k, step 2k+1 the Accountable
holder (level 2). After the last step times out the escalation is unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.raci_file.model import Activity, EscalationPolicy, OrgSettings
from bot.raci_file.schedule import parse_duration

DEFAULT_ACK_TIMEOUT = timedelta(minutes=15)
DEFAULT_REPEATS = 1
LEVELS = ("R", "A")  # level 1 pages R, level 2 pages A


@dataclass(frozen=True)
class Policy:
    ack_timeout: timedelta
    repeats: int

    @property
    def steps(self) -> int:
        """How many paging steps there are in all."""
        return step_count(self.repeats)


def policy_for(activity: Activity | None, settings: OrgSettings) -> Policy:
    """The activity's own escalation settings, else the organisation's, else 15 minutes and 1 repeat."""
    own = activity.escalation if activity and activity.escalation else EscalationPolicy()
    org = settings.escalation
    timeout = own.ack_timeout or org.ack_timeout
    repeats = own.repeats if own.repeats is not None else org.repeats
    return Policy(
        ack_timeout=parse_duration(timeout) if timeout else DEFAULT_ACK_TIMEOUT,
        repeats=DEFAULT_REPEATS if repeats is None else repeats,
    )


def step_count(repeats: int) -> int:
    """How many paging steps a policy has: R and A, once plus `repeats` more times."""
    return len(LEVELS) * (repeats + 1)


def step_level(step: int) -> int:
    """1 for a Responsible step, 2 for an Accountable step."""
    return 1 + step % 2


def step_round(step: int) -> int:
    """Which repetition of the R -> A policy a step belongs to (0 first)."""
    return step // 2


def step_letter(step: int) -> str:
    return LEVELS[step % 2]


def format_duration(delta: timedelta) -> str:
    """"15 min", "2 h", "1 d", "30 s": how a person reads a timeout."""
    seconds = round(delta.total_seconds())
    if seconds and seconds % 86400 == 0:
        return f"{seconds // 86400} d"
    if seconds and seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min"
