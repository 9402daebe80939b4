"""Property tests: any text through the analyzer and the matcher, no exception, same answer twice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching import ActivityText, Matcher

MATCHER = Matcher([ActivityText(name, aliases, description) for name, aliases, description in (
    ("Warehouse Wi-Fi", ("wifi",), "Access points in the DC"), ("Review model ownership", (), None),
    ("SOC 2 audit", (), "Yearly audit"), ("K8s deployment", ("kubernetes deploys",), None),
    ("Device batch cleanup", (), None), ("Batch device cleanup", (), None),
)])
# Deterministic and small, so CI stays fast; bounded work is shown by benchmarks/bench_matcher.py.
PROFILE = settings(max_examples=60, derandomize=True, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1_000, max_size=5_000),
    st.builds(lambda word, times: word * times, st.text(min_size=1, max_size=20), st.integers(1, 100_000 // 20)),
    st.lists(st.sampled_from(["wifi", "wi-fi", "<@U1>", "@ana", "SOC", "2", "and", "ownership", "🙃", "!!!",
                              "deploymnet", "x" * 60, "of", ",", "K8S"]), max_size=40).map(" ".join),
)


@PROFILE
@given(TEXT)
def test_analyzer_takes_any_text(text: str) -> None:
    terms = MATCHER._index.analyzer.terms(text, query=True)
    assert all(term.concepts for term in terms)


@PROFILE
@given(TEXT)
def test_matcher_answers_any_text_the_same_way_twice(text: str) -> None:
    first = MATCHER.match(text)
    assert first.status in {"match", "ambiguous", "none"}
    assert 0.0 <= first.score <= 1.0
    assert first == MATCHER.match(text)
    assert first.truncated == (len(text) > 1000)
