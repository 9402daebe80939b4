"""The outbox's numbers: leases, back-off and deadlines, in one place with how they were chosen."""

from __future__ import annotations

from datetime import timedelta

# A claim lasts this long. One send is at most two Web API calls of 10 s (the client's timeout,
# plus one reconnect by its ConnectionErrorRetryHandler): 60 s covers that with room to spare,
# and a sender that crashed delays its messages by at most a minute.
LEASE = timedelta(seconds=60)
# Renewed before a send when less than this is left (a paced batch waits before its later sends).
RENEW_BEFORE = timedelta(seconds=30)

# Transient failures are retried 2, 4, 8 ... s apart, never more than 5 minutes apart: a Slack
# incident is noticed within 5 minutes of its end, and a day of outage costs ~300 tries a message.
FIRST_BACKOFF = timedelta(seconds=2)
MAX_BACKOFF = timedelta(minutes=5)
# A 429 without a usable Retry-After header waits this long (Slack's usual answer for chat.* is 1-60 s).
DEFAULT_RETRY_AFTER = timedelta(seconds=30)

# How long a message is retried through transient failures before it fails for good.
# A page still matters the next morning; after a day the escalation has been handled some other way.
PAGE_DEADLINE = timedelta(hours=24)
# A digest is retried until its period ends (the next fire time, when a fresher one supersedes it);
# when that is unknown, a week (the usual period).
DIGEST_DEADLINE_FALLBACK = timedelta(days=7)


def backoff(failures: int) -> timedelta:
    """How long to wait after the `failures`-th transient failure in a row (1 -> 2 s ... capped at 5 min)."""
    if failures <= 0:
        return timedelta(0)
    exponent = min(failures - 1, 30)  # 2 s * 2**30 is far past the cap; keeps the number small
    return min(MAX_BACKOFF, FIRST_BACKOFF * (1 << exponent))  # 2**exponent as an int
