"""The decision rules: descriptions, margins between activities, weak words, suggestions, the API."""

from __future__ import annotations

import dataclasses

import pytest

from bot.matching import ActivityText, Candidate, Matcher, MatchResult

STORES = ActivityText("Feature store mgmt", aliases=("feature store",),
                      description="Feast registry, online/offline stores")


def test_description_is_searched() -> None:
    matcher = Matcher([STORES, ActivityText("Model registry"), ActivityText("Docker packaging")])
    result = matcher.match("who owns feast?")
    assert (result.status, result.activity) == ("match", "Feature store mgmt")


def test_description_word_never_outweighs_a_name() -> None:
    # "registry" is in the Feature store's description and in Model registry's name.
    matcher = Matcher([STORES, ActivityText("Model registry"), ActivityText("Docker packaging")])
    result = matcher.match("registry")
    assert (result.status, result.activity) == ("match", "Model registry")


def test_description_word_ranks_below_a_long_name_word() -> None:
    matcher = Matcher([
        ActivityText("Quarterly vendor invoice approval workflow"),
        ActivityText("Payroll", description="monthly invoice checks"),
        ActivityText("Office move"),
    ])
    result = matcher.match("invoice")
    assert result.candidates and (result.activity or result.candidates[0].activity).startswith("Quarterly")


def test_aliases_of_one_activity_are_not_competitors() -> None:
    # Name and both aliases fit "feature store" equally; there is still one activity.
    matcher = Matcher([
        ActivityText("Feature store mgmt", aliases=("feature store", "feature store ops")),
        ActivityText("Docker packaging"),
    ])
    result = matcher.match("feature store")
    assert (result.status, result.activity) == ("match", "Feature store mgmt")
    assert all(candidate.activity != "Feature store mgmt" for candidate in result.candidates)


def test_distinct_activities_fitting_equally_are_ambiguous() -> None:
    matcher = Matcher([ActivityText("Database backups"), ActivityText("Backup restore drills"),
                       ActivityText("Docker packaging")])
    result = matcher.match("backups")
    assert result.status == "ambiguous"
    assert [c.activity for c in result.candidates] == ["Database backups", "Backup restore drills"]


def test_one_weak_shared_word_is_not_enough() -> None:
    names = ("Revenue report", "Docker packaging", "Log retention")
    matcher = Matcher([ActivityText(name) for name in names])
    assert matcher.match("report").status == "none"
    assert matcher.match("team report for the offsite").status == "none"
    assert matcher.match("revenue report").activity == "Revenue report"


def test_a_common_word_weighs_less_than_a_rare_one() -> None:
    activities = [ActivityText(f"Billing {topic}") for topic in ("exports", "alerts", "disputes", "audits")]
    matcher = Matcher([*activities, ActivityText("Search relevance tuning")])
    assert matcher.match("billing").status != "match"
    assert matcher.match("billing disputes").activity == "Billing disputes"


def test_unrelated_query_gets_close_suggestions() -> None:
    matcher = Matcher([ActivityText("TLS certificate renewal"), ActivityText("Docker packaging")])
    result = matcher.match("certificate of deposit")
    assert result.status == "none" and result.activity is None
    assert [c.activity for c in result.candidates] == ["TLS certificate renewal"]
    assert 0 < result.score < 1


def test_empty_query() -> None:
    matcher = Matcher([ActivityText("Docker packaging")])
    assert matcher.match("") == MatchResult("none", None, 0.0, ())
    assert matcher.match("who owns?") == MatchResult("none", None, 0.0, ())


def test_empty_matrix() -> None:
    matcher = Matcher([])
    assert len(matcher) == 0
    assert matcher.match("docker").status == "none"


def test_result_types_are_frozen_and_names_kept_exactly() -> None:
    matcher = Matcher([ActivityText("CI/CD Pipeline")])
    result = matcher.match("ci cd pipeline")
    assert result.activity == "CI/CD Pipeline" and 0.0 <= result.score <= 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "none"  # type: ignore[misc]
    assert Candidate("x", 0.5) == Candidate("x", 0.5)


def test_names_must_be_unique_ignoring_case() -> None:
    with pytest.raises(ValueError, match="given twice"):
        Matcher([ActivityText("Docker packaging"), ActivityText("docker Packaging")])


def test_typos_match_raw_and_stemmed_forms() -> None:
    matcher = Matcher([ActivityText("Deployment approvals"), ActivityText("Docker packaging")])
    assert matcher.match("deploymnet approvals").activity == "Deployment approvals"
    assert matcher.match("deploying aprovals").activity == "Deployment approvals"


@pytest.mark.parametrize(
    ("query", "activity"),
    [
        ("our cdn is slow", "CDN configuration"),
        ("docker packaging is failing, can someone fix it?", "Docker packaging"),
        ("incident response is broken", "Incident response"),
        ("tls cert expired", "TLS certificate renewal"),
    ],
)
def test_words_saying_what_is_wrong_do_not_block_a_match(query: str, activity: str) -> None:
    matcher = Matcher([ActivityText(name) for name in (
        "CDN configuration", "Docker packaging", "Incident response", "TLS certificate renewal", "Bug triage")])
    assert (matcher.match(query).status, matcher.match(query).activity) == ("match", activity)


def test_a_situation_word_alone_or_with_an_unknown_topic_is_no_match() -> None:
    matcher = Matcher([ActivityText(name) for name in ("CDN configuration", "Bug triage", "Docker packaging")])
    assert matcher.match("the printer is broken").status == "none"
    assert matcher.match("something is slow").status == "none"
    # a word that names an activity counts in full
    assert matcher.match("bugs").activity == "Bug triage"
