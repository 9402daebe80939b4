"""Text normalization: Slack markup, punctuation, case, accents, and the stemmer."""

from __future__ import annotations

import pytest

from bot.matching.normalize import clean_text, stem, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("MODEL REGISTRY!!", ["model", "registry"]),
        ("<@U123> who owns <#C123|general> docker?", ["who", "owns", "docker"]),
        ("<!here> <!subteam^S1> <!channel> k8s", ["k8s"]),
        ("see <http://wiki.example.com/x|the wiki page> for dns", ["see", "for", "dns"]),
        ("hey @bot, who's on it", ["hey", "who", "on", "it"]),
        ("https://example.com/a/b?c=d cdn", ["cdn"]),
        ("ci/cd a/b on-call", ["ci", "cd", "a", "b", "on", "call"]),
        ("Café Résumé", ["cafe", "resume"]),
        ("don\u2019t", ["do", "not"]),
        ("", []),
    ],
)
def test_tokenize_drops_markup_and_punctuation(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_clean_text_keeps_plain_words() -> None:
    assert clean_text("Feature Store") == "feature store"


@pytest.mark.parametrize(
    "forms",
    [
        ("deploy", "deploying", "deployment", "deployments", "deployed"),
        ("label", "labels", "labelling", "labeling", "labelled"),
        ("test", "tests", "testing", "tested"),
        ("package", "packages", "packaging"),
        ("exploration", "exploratory", "explore", "exploring"),
        ("optimization", "optimisation", "optimize", "optimising"),
        ("policy", "policies"),
        ("colour", "color"),
        ("api", "apis"),
        ("renewal", "renewing", "renew"),
        ("update", "updates", "updating"),
    ],
)
def test_word_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize("pair", [("status", "stat"), ("analysis", "analyst"), ("dns", "dn"), ("k8s", "k8")])
def test_stemmer_keeps_distinct_words_apart(pair: tuple[str, str]) -> None:
    assert stem(pair[0]) != stem(pair[1])
