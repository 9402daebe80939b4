"""Score the matcher on an organisation file and a query file, judged like shared/eval/score_matching.py.

Loads the RACI YAML with pyyaml directly (no store, no CLI), builds one Matcher, and
prints accuracy per category, every miss, and a summary line.

    .venv/bin/python benchmarks/eval_matcher.py                       # the shared dev set
    .venv/bin/python benchmarks/eval_matcher.py --org ORG.yaml --queries QUERIES.tsv [--min 0.95]
    .venv/bin/python benchmarks/eval_matcher.py --calibrate   # threshold sweep over every query set

`--calibrate` scores the dev set and the organisations under tests/matching/data once, then
replays only the decision step for each value of MATCH_MIN, MARGIN and MIN_EVIDENCE (one at
a time, the others held at their values in bot/matching/thresholds.py) and prints the range
of each that keeps every set at its accuracy bar with no confident wrong answer.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.matching import (  # noqa: E402
    ActivityText,
    Matcher,
    MatchResult,
    thresholds,
)
from bot.matching.scoring import fit_activity, query_slots  # noqa: E402

SHARED_EVAL = REPO.parent / "shared" / "eval"
OWN_DATA = REPO / "tests" / "matching" / "data"
SWEEPS = {
    "MATCH_MIN": [round(0.30 + 0.025 * i, 3) for i in range(21)],
    "MARGIN": [round(0.0 + 0.01 * i, 3) for i in range(26)],
    "MIN_EVIDENCE": [round(0.0 + 0.05 * i, 3) for i in range(21)],
}


def load_org(path: Path) -> Matcher:
    """Build a Matcher from a RACI YAML file's activities and synonyms."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    activities = [
        ActivityText(item["name"], tuple(item.get("aliases") or ()), item.get("description"))
        for item in document.get("activities") or []
    ]
    return Matcher(activities, document.get("synonyms") or ())


def read_queries(path: Path) -> list[tuple[str, str, list[str], str]]:
    """Rows of (query, expect, wanted activities, category) from a tab-separated file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 4:
            query, expect, wanted, category = parts
            rows.append((query, expect, [w for w in wanted.split("|") if w], category))
    return rows


def judge(expect: str, wanted: list[str], result: MatchResult) -> tuple[bool, bool]:
    """(correct, confident wrong answer), exactly as shared/eval/score_matching.py judges."""
    activity = (result.activity or "").casefold()
    candidates = {c.activity.casefold() for c in result.candidates}
    wanted_cf = [w.casefold() for w in wanted]
    if expect == "match":
        ok = result.status == "match" and activity == wanted_cf[0]
        return ok, result.status == "match" and not ok
    if expect == "ambiguous":
        hits = sum(1 for w in wanted_cf if w in candidates)
        return result.status == "ambiguous" and hits >= min(2, len(wanted_cf)), result.status == "match"
    return result.status != "match", result.status == "match"


def evaluate(matcher: Matcher, rows: list[tuple[str, str, list[str], str]]) -> tuple[float, int, list[str]]:
    """Accuracy, confident wrong answers, and printable report lines."""
    per_category: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    wrong_total = 0
    misses = []
    for query, expect, wanted, category in rows:
        result = matcher.match(query)
        ok, wrong = judge(expect, wanted, result)
        per_category[category][0] += ok
        per_category[category][1] += 1
        wrong_total += wrong
        if not ok:
            got = result.activity or [c.activity for c in result.candidates][:3]
            misses.append(f"  {'WRONG' if wrong else 'miss '} {query!r}: expected {expect} {wanted or ''}, "
                          f"got {result.status} {got} ({result.score:.2f})")
    lines = [f"{category:12s} {ok:3d}/{n:<3d}" for category, (ok, n) in sorted(per_category.items())]
    correct = sum(ok for ok, _ in per_category.values())
    accuracy = correct / len(rows) if rows else 0.0
    lines += misses
    lines.append(f"accuracy {accuracy:.3f} ({correct}/{len(rows)}), confident wrong answers {wrong_total}")
    return accuracy, wrong_total, lines


def query_sets() -> list[tuple[str, Path, Path]]:
    """The dev set and every organisation/query pair under tests/matching/data."""
    sets = [("dev", SHARED_EVAL / "dev_org.yaml", SHARED_EVAL / "dev_queries.tsv")]
    for org in sorted(OWN_DATA.glob("*_org.yaml")):
        label = org.stem.removesuffix("_org")
        sets.append((label, org, org.with_name(f"{label}_queries.tsv")))
    return sets


def calibrate(bar: float) -> None:
    """Sweep each decision threshold alone and print where every set stays correct."""
    prepared = []
    for label, org, queries in query_sets():
        matcher = load_org(org)
        rows = []
        for query, expect, wanted, _ in read_queries(queries):
            # Scores do not depend on the decision thresholds, so compute them once.
            rows.append((matcher, _fits(matcher, query), expect, wanted))
        prepared.append((label, rows))
    for name, values in SWEEPS.items():
        kept = getattr(thresholds, name)
        passing = []
        for value in values:
            setattr(thresholds, name, value)
            if all(_passes(rows, bar) for _, rows in prepared):
                passing.append(value)
        setattr(thresholds, name, kept)
        span = f"{passing[0]}..{passing[-1]}" if passing else "none"
        print(f"{name:13s} now {kept:<6} passes on {span}  ({len(passing)}/{len(values)} grid values)")


def _fits(matcher: Matcher, query: str) -> list:
    index = matcher._index
    slots = query_slots(index.analyzer.terms(query, query=True), index)
    if not slots:
        return []
    fits = [fit_activity(number, slots, index) for number in matcher._candidates(slots)]
    fits = [fit for fit in fits if fit.score > 0]
    return sorted(fits, key=lambda fit: (-fit.score, index.names[fit.activity]))


def _passes(rows: list, bar: float) -> bool:
    correct = wrong = 0
    for matcher, fits, expect, wanted in rows:
        ok, bad = judge(expect, wanted, matcher._decide(fits))
        correct += ok
        wrong += bad
    return wrong == 0 and correct >= bar * len(rows)


def main() -> int:
    """Run the evaluation; exit 1 below --min or on any confident wrong answer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", type=Path, default=SHARED_EVAL / "dev_org.yaml")
    parser.add_argument("--queries", type=Path, default=SHARED_EVAL / "dev_queries.tsv")
    parser.add_argument("--min", type=float, default=0.0, help="lowest accuracy that passes")
    parser.add_argument("--calibrate", action="store_true", help="sweep the decision thresholds")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.min or 0.95)
        return 0
    accuracy, wrong, lines = evaluate(load_org(args.org), read_queries(args.queries))
    print("\n".join(lines))
    return 0 if accuracy >= args.min and wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
