"""manifest.yaml is a valid Slack app manifest and declares what the code listens to, with the least scopes."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import REPO, SHARED

SCHEMA = SHARED / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yaml").read_text())


def test_manifest_matches_slacks_published_schema(manifest: dict) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent (it lives in ../shared/slack beside the repository)")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_manifest_declares_the_command_events_interactivity_and_app_home(manifest: dict) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/raci" and command["should_escape"] is True
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened"}
    assert settings["interactivity"]["is_enabled"] is True
    urls = {command["url"], settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            settings["interactivity"]["message_menu_options_url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_manifest_asks_for_the_least_bot_scopes(manifest: dict) -> None:
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted([
        "commands", "app_mentions:read", "chat:write", "im:history", "users:read", "users:read.email",
        "files:write", "im:write", "users.profile:read", "usergroups:write"])
