"""usergroups.users.update for the user-group sync: every failure comes back as text, never an exception."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.usergroups.limits import TRANSIENT

# Failures that retrying cannot fix (the free plan, a missing scope, a group that does not exist…):
# recorded and tried again only when the members change or a day has passed.
PERMANENT = frozenset({"paid_teams_only", "missing_scope", "not_allowed_token_type", "no_such_subteam",
                       "permission_denied", "invalid_users", "plan_upgrade_required", "not_authed",
                       "invalid_auth", "account_inactive", "token_revoked", "restricted_action"})


class SlackUsergroups:
    """The UsergroupWriter over Slack's Web API."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def set_members(self, usergroup: str, members: list[str]) -> str | None:
        """Set the group's members; None when done, else the error (marked transient when it may pass)."""
        try:
            self.client.usergroups_users_update(usergroup=usergroup, users=members)
            return None
        except SlackApiError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            error = str(exc.response.get("error") or f"http_{status}") if exc.response is not None else "unknown"
            return error if error in PERMANENT else f"{TRANSIENT}{error}"
        except (OSError, ValueError) as exc:
            return f"{TRANSIENT}{type(exc).__name__}"
