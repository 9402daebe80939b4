"""Every number that bounds what a RACI file may hold or make us do, with how it was chosen."""

from __future__ import annotations

from datetime import timedelta

# -- what the store can hold (bot/store/models.py; tests/raci_file/test_storable.py keeps them equal) --
# PostgreSQL enforces VARCHAR(n) and SQLite does not: without these, a file that `raci check`
# passes and SQLite imports would fail on PostgreSQL mid-import, without a line.
HANDLE_OR_KEY_CHARS = 100  # people.handle, roles.key, teams.key
NAME_CHARS = 200  # people.name, roles.name, teams.name
ACTIVITY_NAME_CHARS = 300  # activities.name and its case-folded name_key ("ß" folds to "ss")
SLACK_ID_CHARS = 32  # people.slack_id, roles.slack_usergroup
EMAIL_CHARS = 320  # people.email: RFC 5321's 64 + 1 + 255
DURATION_CHARS = 32  # activities.ack_timeout
REPEATS_MAX = 2**31 - 1  # activities.repeats is a PostgreSQL integer

# A duration longer than this is a typo (365d for 365m?), and a huge one overflowed datetime
# arithmetic in the ticker; no escalation waits a year for an acknowledgement.
DURATION_MAX = timedelta(days=366)

# -- work a file may cause --------------------------------------------------------------------------
# YAML aliases (*name) reuse a node without copying it, but everything after the parser walks
# the expanded tree: a 269 KB file whose activities all alias one 6,000-item list expands to
# 30 million nodes (21 s in `raci check`). Honest reuse (a shared raci or escalation block)
# expands a file by a small factor; 10x its own nodes leaves ample room. The floor lets a small
# file alias freely: 10,000 nodes are read in milliseconds.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_FLOOR = 10_000

# -- imports that destroy much at once -----------------------------------------------------------------
# An import that removes more than this share of the store's activities needs --allow-mass-removal:
# a stray quote, a wrong sheet or a truncated file looks exactly like that. Below the minimum the
# store is a sample or a matrix being set up, replaced wholesale on purpose, and the report lists
# every removal anyway.
MASS_REMOVAL_SHARE = 0.5
MASS_REMOVAL_MIN_ACTIVITIES = 10
