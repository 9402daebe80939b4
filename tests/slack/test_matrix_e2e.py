"""`/raci matrix`: the picture arrives by DM through the v2 upload flow; beyond 60 activities the page comes too."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from slack_sdk import WebClient

from bot.matrix_view import limits
from bot.matrix_view.grid import build_grid
from bot.ownership.index import Ownership
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import import_file
from bot.raci_file import load_file
from bot.raci_file.yaml_io import dump_yaml
from bot.slack.matrix_files import MatrixFiles
from bot.store.db import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import unique
from tests.matrix_view.big_matrix import big_ownership
from tests.slack.conftest import BOT_TOKEN, ORG_FILE
from tests.slack.in_process import InProcessApp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def expected_size(activities: int, columns: int) -> tuple[int, int]:
    """The PNG's pixels, from the fixed layout in limits.py."""
    width = max(limits.PNG_NAME_WIDTH_IN + columns * limits.PNG_CELL_WIDTH_IN + 0.3, limits.PNG_MIN_WIDTH_IN)
    height = limits.PNG_HEADER_HEIGHT_IN + 0.5 + activities * limits.PNG_ROW_HEIGHT_IN + 0.4
    return round(width * limits.PNG_DPI), round(height * limits.PNG_DPI)


def matrix_command(app: InProcessApp, text: str, *, user: str) -> list[str]:
    """Run `/raci matrix …`; the ephemeral texts posted to its response URL, in order."""
    name = unique("matrix")
    assert app.sender().command(f"matrix {text}".strip(), response_url=app.slack.response_url(name),
                                user=user).status == 200
    first = app.slack.response(name)
    replies = app.slack.response(name, count=2, timeout=30) if "Drawing" in first[0].params["text"] else first
    for reply in replies:
        assert reply.params["response_type"] == "ephemeral"
    return [r.params["text"] for r in replies]


def test_the_picture_arrives_by_dm_as_a_png_that_the_message_references(bolt_app: InProcessApp) -> None:
    replies = matrix_command(bolt_app, "", user="U0PICTURE1")
    assert replies == ["Drawing the matrix: it will arrive in your direct messages with me.",
                       "The matrix picture is in your direct messages with me."]
    [opened] = bolt_app.slack.calls("conversations.open", lambda c: c.params.get("users") == "U0PICTURE1")
    [upload] = bolt_app.slack.calls("files.getUploadURLExternal")[-1:]
    assert upload.params["filename"] == "raci-matrix.png"
    [png] = [f for f in bolt_app.slack.uploaded() if f.channel == "D0PICTURE1"]
    assert png.data.startswith(PNG_SIGNATURE) and png.filename == "raci-matrix.png"
    [complete] = bolt_app.slack.calls("files.completeUploadExternal",
                                         lambda c: c.params["channel_id"] == "D0PICTURE1")
    assert complete.params["files"][0]["id"] == png.id  # the shared message is the one carrying this file
    assert png.initial_comment.startswith("*RACI matrix* · Org-wide")
    image = Image.open(io.BytesIO(png.data))
    image.verify()
    grid = build_grid(Ownership(load_file(ORG_FILE)[0]))
    assert f"{len(grid.rows)} of {len(grid.rows)} activities" in png.initial_comment
    assert Image.open(io.BytesIO(png.data)).size == expected_size(len(grid.rows), len(grid.columns))
    assert opened.params["users"] == "U0PICTURE1"


def test_a_filter_that_matches_nothing_is_said_and_nothing_is_uploaded(bolt_app: InProcessApp) -> None:
    before = len(bolt_app.slack.uploaded())
    replies = matrix_command(bolt_app, "<!channel> zzz", user="U0PICTURE2")
    # the user's text comes back escaped: it can never ping the channel
    assert replies[-1].startswith("no activity, role or person matches '&lt;!channel&gt; zzz'")
    assert len(bolt_app.slack.uploaded()) == before


@pytest.fixture
def big_store(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "big.yaml"
    path.write_text(dump_yaml(big_ownership(75, 8).doc), encoding="utf-8")
    with store.session() as session:
        import_file(session=session, path=path, actor="test")
    return store


def test_beyond_sixty_activities_it_says_how_many_more_and_attaches_the_page(big_store: Store) -> None:
    with FakeSlackApi() as slack:
        client = WebClient(token=BOT_TOKEN, base_url=slack.base_url)
        message = MatrixFiles(OwnershipService(big_store)).send("", user="U0BIG0001", client=client,
                                                                now=datetime(2025, 3, 3, 9, tzinfo=UTC))
        png, page = slack.uploaded()
    assert message.text == "The matrix picture is in your direct messages with me."
    assert Image.open(io.BytesIO(png.data)).size == expected_size(60, 8)
    assert page.filename == "raci-matrix.html" and b"<!DOCTYPE html>" in page.data
    assert "15 more activities did not fit in one picture" in png.initial_comment
    assert png.channel == page.channel == "D0BIG0001"
