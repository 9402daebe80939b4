"""The built-in synonym table, joined/split words, and the RACI file's own synonyms."""

from __future__ import annotations

import pytest

from bot.matching import ActivityText, Matcher
from bot.matching.analyzer import Lexicon, phrase_key
from bot.matching.lexicon import BUILTIN_SYNONYMS


def test_builtin_groups_do_not_merge_into_each_other() -> None:
    lexicon = Lexicon(BUILTIN_SYNONYMS)
    concepts = {lexicon.concept_of[phrase_key(group[0])] for group in BUILTIN_SYNONYMS}
    assert len(concepts) == len(BUILTIN_SYNONYMS)


def test_builtin_table_is_broad() -> None:
    assert len(BUILTIN_SYNONYMS) >= 60


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("K8s rollout", "kubernetes rollout"),
        ("Kubernetes rollout", "k8s rollout"),
        ("Secrets mgmt", "secrets management"),
        ("Secrets management", "secrets mgmt"),
        ("CI/CD runners", "cicd runners"),
        ("CICD runners", "ci-cd runners"),
        ("A/B experiments", "ab experiments"),
        ("Database upgrades", "db upgrades"),
        ("Dev environment", "dev env"),
        ("Infra config", "infrastructure configuration"),
        ("Dependency bumps", "deps bumps"),
        ("API documentation", "api docs"),
        ("Vuln triage", "vulnerability triage"),
        ("Perf regressions", "performance regressions"),
        ("TLS certificates", "tls certs"),
        ("Penetration testing", "pentest"),
        ("Pentest", "pen testing"),
        ("Repo permissions", "repository permissions"),
        ("Auth service", "authentication service"),
        ("BigQuery costs", "big query costs"),
        ("Big query costs", "bigquery costs"),
        ("On-call schedule", "oncall schedule"),
        ("Oncall schedule", "on call schedule"),
        ("Post-mortem reviews", "postmortem reviews"),
        ("Postmortem reviews", "post mortem reviews"),
        ("Data labelling", "data labeling"),
        ("Cost optimisation", "cost optimization"),
    ],
)
def test_synonyms_and_spellings_work_both_ways(name: str, query: str) -> None:
    others = [ActivityText("Quarterly budget review"), ActivityText("Office move")]
    matcher = Matcher([ActivityText(name), *others])
    result = matcher.match(query)
    assert (result.status, result.activity) == ("match", name)


def test_file_synonyms_extend_the_table() -> None:
    activities = [ActivityText("Vault policies"), ActivityText("Office move")]
    assert Matcher(activities).match("secret store policies").status != "match"
    matcher = Matcher(activities, synonyms=[["vault", "secret store"]])
    result = matcher.match("secret store policies")
    assert (result.status, result.activity) == ("match", "Vault policies")


def test_file_synonyms_join_a_builtin_group() -> None:
    activities = [ActivityText("K8s upgrades"), ActivityText("Office move")]
    matcher = Matcher(activities, synonyms=[["kubernetes", "kube cluster"]])
    assert matcher.match("kube cluster upgrades").activity == "K8s upgrades"
    assert matcher.match("kubernetes upgrades").activity == "K8s upgrades"
