"""The numbers that decide how ownership changes from Slack behave, each with how it was chosen."""

from __future__ import annotations

from datetime import timedelta

# A proposal nobody decides on closes after this, when `settings.changes.expire_after` is unset:
# a working week plus a weekend covers holidays and part-timers (the default).
DEFAULT_EXPIRE_AFTER = timedelta(days=7)

# The "why": long enough for a paragraph and a link, short enough for one Slack section (3,000).
MAX_REASON_CHARS = 1000

# Holders per letter in one proposal: a real activity has a handful; 50 bounds the work a forged
# submission can cause and keeps every DM within Slack's 3,000-character sections.
MAX_HOLDERS_PER_LETTER = 50

# Slack caps a static select at 100 options; beyond that the modal's role pickers load options
# as one types (an external select served by app.options), 50 at a time.
MAX_STATIC_OPTIONS = 100
MAX_TYPED_OPTIONS = 50

# Change requests `raci changes` and `/raci changes` list at most (newest first).
MAX_LISTED = 50

# Change requests App Home shows waiting for the viewer (to decide or to accept): each takes up to
# three blocks of the view's 100, beside pending phrases and away; the rest are one line away.
MAX_HOME_WAITING = 10
