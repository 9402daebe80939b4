"""Numbers that decide which HTTP requests reach Bolt at all, and how they were chosen."""

from __future__ import annotations

# Slack's own payloads are far smaller: a view_submission of a full 100-block modal or a block_actions click
# on a 50-block message carrying its blocks is tens of KB. 1 MiB leaves a wide margin for them and keeps
# a hostile body to 1/500 of the pod's 512Mi memory limit. Larger bodies get 413 before they are read.
MAX_BODY_BYTES = 1024 * 1024

# Slack's documented replay window (and Bolt's): a signed request older or newer than this is refused.
MAX_SIGNATURE_AGE_SECONDS = 5 * 60

# A Unix time in seconds has 10 digits until 2286; 11 leaves room and keeps int() away from huge strings.
MAX_TIMESTAMP_DIGITS = 11
