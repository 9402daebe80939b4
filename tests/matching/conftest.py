"""Matchers built once per test session: building is pure, so tests cannot disturb each other."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.matching import ActivityText, Matcher

DATA = Path(__file__).parent / "data"

# The chapter's fixture organisation (ML delivery), as issue 3 lists it.
CHAPTER_ACTIVITIES = (
    ActivityText("Define business problem"),
    ActivityText("Data exploration"),
    ActivityText("Feature engineering"),
    ActivityText("Model training code"),
    ActivityText("Unit tests for model"),
    ActivityText("CI/CD pipeline"),
    ActivityText("Docker packaging"),
    ActivityText("K8s deployment"),
    ActivityText("Monitoring setup"),
    ActivityText("Data pipeline"),
    ActivityText("Feature store mgmt", aliases=("feature store",)),
)


def load_matcher(path: Path) -> Matcher:
    """A Matcher for the activities and synonyms of a RACI YAML file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    activities = [
        ActivityText(item["name"], tuple(item.get("aliases") or ()), item.get("description"))
        for item in document["activities"]
    ]
    return Matcher(activities, document.get("synonyms") or ())


def read_rows(path: Path) -> list[tuple[str, str, list[str], str]]:
    """(query, expect, activities, category) rows of a query TSV file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("#") and len(parts) == 4:
            query, expect, wanted, category = parts
            rows.append((query, expect, [w for w in wanted.split("|") if w], category))
    return rows


@pytest.fixture(scope="session")
def chapter() -> Matcher:
    """The chapter's fixture organisation."""
    return Matcher(CHAPTER_ACTIVITIES)
