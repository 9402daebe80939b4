"""Where to suggest a change to an activity's owners (the one place to switch to the change flow when it exists)."""

from __future__ import annotations

from bot.raci_file.model import OrgSettings


def suggest_change_text(settings: OrgSettings, activity: str) -> str:
    """What "Suggest a change" answers: a link to the RACI file when settings.changes.file_url names one,
    otherwise how to change the file (the ownership-changes flow replaces this once it exists)."""
    url = getattr(getattr(settings, "changes", None), "file_url", None)  # settings.changes arrives with issue 13
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return f"Suggest the change to {activity} in the RACI file: <{url}|open it>."
    admins = ", ".join(f"@{a}" for a in settings.admins)
    who = f" or ask an admin ({admins})" if admins else ""
    return (f"To change who owns {activity}, edit the RACI file (`raci export`, change it, `raci import`){who}.")
