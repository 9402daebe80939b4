"""Numbers that decide how away periods behave, and why."""

from __future__ import annotations

from datetime import timedelta

# The longest away period: a year covers parental leave and sabbaticals; beyond that, edit the matrix.
MAX_AWAY = timedelta(days=366)
# A date phrase longer than this is not a date (the parser's work limit).
MAX_DATE_TEXT = 60
# A Slack status is read at most once per person in this long (one call per holder per answer at most;
# a status set a few minutes ago showing late is acceptable, Slack's users.profile.get is Tier 4).
STATUS_CACHE_SECONDS = 300.0
# Slack statuses that mean "away" (emoji exactly; text by case-insensitive word match).
AWAY_EMOJI = frozenset({":palm_tree:", ":airplane:", ":face_with_thermometer:", ":beach_with_umbrella:"})
AWAY_WORDS = ("out of office", "ooo", "vacation", "holiday", "on leave", "sick")
# A status with no expiration counts as away for this long from when it is read (re-read after the cache).
STATUS_WITHOUT_EXPIRY = timedelta(days=1)
