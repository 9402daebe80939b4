"""Numbers that decide how ownership reviews behave, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Periods are counted from this instant (a Monday, midnight UTC), so that every replica, and a restart,
# computes the same period for the same `settings.review.every` without remembering anything.
EPOCH = datetime(2026, 1, 5, tzinfo=UTC)
# Activities listed in one DM: each takes a section and its buttons (2 blocks); Slack allows 50 blocks.
MAX_LISTED = 20
# Review DMs are spaced this far apart when queued: Slack's chat.postMessage allows about one message per
# second per channel and several hundred a minute per workspace; 0.5 s keeps a 1,000-owner review to ~8 min.
SPACING = timedelta(seconds=0.5)
# A review DM not delivered within this long is dropped (the next period asks again).
DEADLINE = timedelta(days=3)
