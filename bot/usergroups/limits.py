"""Numbers that decide how user groups are synced, and why."""

from __future__ import annotations

from datetime import timedelta

# A group whose members are what we last set is set again this often anyway: someone may have edited
# it in Slack (drift). A failed group (free plan, missing scope) is tried again only this often, or when
# its members change: never in a loop.
REPAIR_EVERY = timedelta(days=1)
# A failure that may pass (Slack down, rate limited, a timeout) is tried again after this long instead.
RETRY_TRANSIENT = timedelta(minutes=5)
TRANSIENT = "retrying: "  # how such a failure is marked on its row
# A process re-checks which groups are due at least this often even when nothing changed (the daily repair).
CHECK_EVERY_SECONDS = 3600.0
# usergroups.users.update takes every member in one comma-separated form field; a role held by more
# people than this is refused here with a clear error instead of sending a request of unbounded size.
MAX_MEMBERS = 1000
