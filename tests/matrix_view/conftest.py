"""The seed matrix (data/raci.yaml) plus two activities a careless or hostile editor might write."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.ownership.index import Ownership
from bot.raci_file import load_file
from bot.raci_file.model import Activity

SEED = Path(__file__).resolve().parents[2] / "data" / "raci.yaml"
HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def seed_ownership() -> Ownership:
    doc, _ = load_file(SEED)
    return Ownership(doc, revision=7)


@pytest.fixture
def seed() -> Ownership:
    return seed_ownership()


@pytest.fixture
def hostile() -> Ownership:
    """The seed with an activity named to break out of the page, and one with no Accountable (a gap)."""
    doc, _ = load_file(SEED)
    doc = dataclasses.replace(doc, activities=[
        *doc.activities,
        Activity(name=HOSTILE, raci={"R": ["qa"], "A": ["qa"]}),
        Activity(name="Release notes", raci={"R": ["@pat"]}),
    ])
    return Ownership(doc, revision=8)
