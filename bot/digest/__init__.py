"""The weekly ownership digests: what each person owns and where ownership is broken (issue 6).

`content`, `summary` and `impact` are pure (an Ownership, the week's escalations and audit entries
in, plain values out); `period` reads the schedule; `runs` claims a period once in the store;
`sender` delivers under a lease with pacing. Nothing here imports Slack.
"""
