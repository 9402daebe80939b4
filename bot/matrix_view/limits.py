"""Numbers that decide what the matrix pictures show, with how they were chosen."""

from __future__ import annotations

# One PNG holds at most this many activities: at 60 rows of 0.3 in at 100 dpi the image is ~1,900 px
# tall, still legible on a laptop once Slack scales it; the issue asks for "at most 60 per image".
PNG_MAX_ACTIVITIES = 60

# Columns (roles and people) one PNG shows before it says how many more: 40 columns of 0.45 in is
# ~2,000 px wide at 100 dpi; the HTML page has no such limit.
PNG_MAX_COLUMNS = 40

# The resolution and the size per cell of the PNG: fixed so that the same matrix gives the same pixels.
PNG_DPI = 100
PNG_CELL_WIDTH_IN = 0.45
PNG_ROW_HEIGHT_IN = 0.3
PNG_NAME_WIDTH_IN = 3.2  # the activity names' column; longer names are cut with "…"
PNG_HEADER_HEIGHT_IN = 1.6  # rotated role names
PNG_MIN_WIDTH_IN = 7.5  # room for the title and the footnote of a narrow selection

# Names longer than this are cut with "…" in the PNG (the page shows them whole and wraps them).
PNG_NAME_CHARS = 40
PNG_HEADER_CHARS = 24

# A filter typed in Slack is user input: longer text cannot name anything in a sane matrix.
FILTER_MAX_CHARS = 200

# The digest's health chart: the last 12 weekly runs (the "last 12 weeks"), and none below 2.
TREND_WEEKS = 12
TREND_MIN_RUNS = 2
