"""A Slack handle per role: each role's slack_usergroup kept equal to its org-wide holders (+ active delegates)."""
