"""`/raci matrix`: the grid as a PNG in the asker's DM (files cannot be ephemeral), with the page when it is cut.

Uploaded with files_upload_v2 (files.getUploadURLExternal, the upload, files.completeUploadExternal).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.matrix_view.picture import MatrixPicture, matrix_picture
from bot.ownership.live import OwnershipService
from bot.slack.blocks.kit import Message, escape, section
from bot.slack.blocks.notes import note_message

log = logging.getLogger(__name__)

ON_ITS_WAY = Message("Drawing the matrix: it will arrive in your direct messages with me.",
                     [section(":frame_with_picture: Drawing the matrix: it will arrive in your direct messages "
                              "with me (files can't be sent privately here).")])


class MatrixFiles:
    """Renders the picture and uploads it to the asker's DM; returns what to tell the asker where they asked."""

    def __init__(self, service: OwnershipService) -> None:
        self.service = service

    def send(self, text: str, *, user: str, client: WebClient, now: datetime | None = None) -> Message:
        picture = matrix_picture(self.service.current, text, now=now or datetime.now(UTC))
        try:
            channel = client.conversations_open(users=user)["channel"]["id"]
            client.files_upload_v2(file_uploads=_uploads(picture), channel=channel, initial_comment=comment(picture))
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else "unknown"
            log.warning("matrix picture for %s not sent: %s", user, error)
            return note_message(f"I couldn't send you the matrix picture (Slack said: {error}). Please try again.")
        return Message("The matrix picture is in your direct messages with me.",
                       [section(":white_check_mark: The matrix picture is in your direct messages with me.")])


def _uploads(picture: MatrixPicture) -> list[dict[str, object]]:
    described = f"RACI matrix, {picture.scope}: {picture.activities} activities by {picture.columns} roles"
    files: list[dict[str, object]] = [{"file": picture.png, "filename": "raci-matrix.png",
                                       "title": f"RACI matrix · {picture.scope}", "alt_txt": described}]
    if picture.page is not None:
        files.append({"file": picture.page.encode("utf-8"), "filename": "raci-matrix.html",
                      "title": "RACI matrix (the whole page: open it in a browser)"})
    return files


def comment(picture: MatrixPicture) -> str:
    """The DM's text: what the image shows, and what it leaves out (mrkdwn; user text escaped)."""
    what = f"*RACI matrix* · {escape(picture.scope)}"
    if picture.filter:
        what += f" · matching “{escape(picture.filter)}”"
    lines = [what, f"{picture.activities} of {picture.matching} activities, {picture.columns} of "
             f"{picture.matching_columns} roles. ! marks an ownership gap or a vacant role."]
    if picture.page is not None:
        left = []
        if picture.more:
            left.append(f"{picture.more} more {'activity' if picture.more == 1 else 'activities'}")
        if picture.columns < picture.matching_columns:
            left.append(f"{picture.matching_columns - picture.columns} more roles")
        lines.append(f"{' and '.join(left)} did not fit in one picture: the attached *raci-matrix.html* has the "
                     "whole matrix (download it and open it in a browser; filter and team switcher included), or "
                     "narrow it down with `/raci matrix <filter>`.")
    return "\n".join(lines)
