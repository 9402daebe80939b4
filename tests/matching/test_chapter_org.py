"""Query -> answer over the chapter's fixture organisation."""

from __future__ import annotations

import pytest

from bot.matching import Matcher

MATCHES = [
    # exact, any case and punctuation
    ("Feature store mgmt", "Feature store mgmt"),
    ("DOCKER PACKAGING!!", "Docker packaging"),
    ("ci/cd pipeline", "CI/CD pipeline"),
    # part of a name, and the alias
    ("feature store", "Feature store mgmt"),
    ("docker", "Docker packaging"),
    ("business problem", "Define business problem"),
    ("monitoring", "Monitoring setup"),
    # questions and Slack markup
    ("hey who do I talk to about docker packaging please", "Docker packaging"),
    ("who is accountable for the data pipeline?", "Data pipeline"),
    ("<@U123> who owns <#C1|ml> the feature store <!here>", "Feature store mgmt"),
    ("see <http://wiki/x|runbook> - who handles k8s deployment?", "K8s deployment"),
    # typos
    ("dokcer packaging", "Docker packaging"),
    ("monitering", "Monitoring setup"),
    ("feature enginering", "Feature engineering"),
    ("kubernets deployment", "K8s deployment"),
    # abbreviations and spellings
    ("kubernetes deployment", "K8s deployment"),
    ("cicd", "CI/CD pipeline"),
    ("feature store management", "Feature store mgmt"),
    # word forms
    ("deploying to k8s", "K8s deployment"),
    ("packaging docker images", "Docker packaging"),
    ("unit testing the model", "Unit tests for model"),
    ("data pipelines", "Data pipeline"),
    ("defining the business problem", "Define business problem"),
    ("exploring the data", "Data exploration"),
    ("retraining code for the model", "Model training code"),
]

AMBIGUOUS = [
    ("feature", {"Feature engineering", "Feature store mgmt"}),
    ("pipeline", {"CI/CD pipeline", "Data pipeline"}),
]

NONE = ["lunch menu", "who owns the coffee machine", "asdfgh", "certificate of deposit", "", "   ",
        "<@U123> <!here>", "who owns this?", "model", "data", "parking garage"]


@pytest.mark.parametrize(("query", "activity"), MATCHES)
def test_match(chapter: Matcher, query: str, activity: str) -> None:
    result = chapter.match(query)
    assert (result.status, result.activity) == ("match", activity), result


@pytest.mark.parametrize(("query", "activities"), AMBIGUOUS)
def test_ambiguous(chapter: Matcher, query: str, activities: set[str]) -> None:
    result = chapter.match(query)
    assert result.status == "ambiguous" and result.activity is None
    assert activities <= {candidate.activity for candidate in result.candidates}
    scores = [candidate.score for candidate in result.candidates]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", NONE)
def test_none(chapter: Matcher, query: str) -> None:
    result = chapter.match(query)
    assert result.status == "none" and result.activity is None
    assert len(result.candidates) <= 3


def test_len(chapter: Matcher) -> None:
    assert len(chapter) == 11
