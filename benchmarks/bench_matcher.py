"""Matcher benchmark: per-query cost against a naive rapidfuzz scan, build time and memory, hit rates.

Generates matrices of 10,000 and 100,000 realistic activity names (qualifier + object +
action word combinations, some with aliases and descriptions), then in one process
measures the marginal per-query cost of `Matcher.match` over a mix of exact, partial,
typo and unrelated queries, and of the naive `process.extract(q, names, WRatio)` scan over
the same names. Prints a table; this is a benchmark, not a test.

    .venv/bin/python benchmarks/bench_matcher.py                 # 10k and 100k
    .venv/bin/python benchmarks/bench_matcher.py --sizes 10000 --queries 1000
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching import ActivityText, Matcher
from bot.matching.normalize import stem

QUALIFIERS = """
emea amer apac latam mobile web desktop partner merchant customer vendor employee internal public
enterprise consumer marketplace wholesale retail checkout storefront warehouse logistics
finance legal growth marketing sales support identity platform analytics media streaming
gaming advertising travel insurance lending crypto banking healthcare education
""".split()
OBJECTS = """
payments ledger invoice refunds chargebacks payouts subscriptions pricing discounts coupons
catalog inventory orders shipping returns carts wishlist reviews ratings recommendations
search ranking autocomplete indexing crawler sitemap translations localization currency
notifications email sms push webhooks api gateway sdk cli docs onboarding signup login
sessions passwords tokens permissions roles audit logs metrics traces alerts dashboards
postgres mysql redis kafka rabbitmq elasticsearch snowflake bigquery spark airflow dbt
kubernetes terraform helm docker registry artifacts builds releases deployments canary
firewall certificates secrets encryption backups snapshots replicas failover dns cdn
loadbalancer vpn bastion laptops licenses contracts vendors budgets forecasts reports
experiments features flags models embeddings labels datasets pipelines schemas queues
""".split()
ACTIONS = """
reconciliation migration monitoring rollout audit review approval testing tuning scaling
upgrades maintenance cleanup retention archival rotation provisioning deprovisioning
configuration integration optimization forecasting reporting alerting triage escalation
compliance certification renewal benchmarking profiling hardening patching deduplication
validation enrichment ingestion export import sync backfill replay versioning governance
training evaluation labeling sampling capacity planning budgeting
""".split()
UNRELATED = """
lunch menu|coffee machine|parking garage|team offsite|holiday calendar|birthday cake|
printer toner|yoga class|fantasy football|office plants|vacation days|gym membership|
book club|wine tasting|bike storage|fire drill schedule|ski trip|karaoke night|
asdfgh|qwerty uiop|zxcvbn|lorem ipsum dolor|hjkl|plmokn
""".replace("\n", "").split("|")


def make_activities(count: int, rng: random.Random) -> list[ActivityText]:
    """Unique activity names; about 10% with an alias, 20% with a description."""
    names: dict[frozenset[str], str] = {}
    while len(names) < count:
        shape = rng.random()
        qualifier, obj, action = rng.choice(QUALIFIERS), rng.choice(OBJECTS), rng.choice(ACTIONS)
        if shape < 0.85:
            words = [qualifier, obj, action]
        elif shape < 0.95:
            words = [obj, action]
        else:
            words = [qualifier, obj]
        # Names must stay distinct once read: "labels labeling" is one word twice, and
        # "search ranking" and "ranking search" read the same.
        key = frozenset(stem(word) for word in words)
        if len(key) < len(words):
            continue
        if key not in names:
            names[key] = " ".join(words).capitalize()
    activities = []
    for name in names.values():
        roll = rng.random()
        # An alias says the same words another way; dropping one would make it another
        # activity's name, which a RACI file rejects.
        words = name.lower().split()
        aliases = (f"{words[-1]} of {' '.join(words[:-1])}",) if roll < 0.1 else ()
        description = (f"Owns {' and '.join(rng.sample(OBJECTS, 2))} for the {rng.choice(QUALIFIERS)} side"
                       if 0.1 <= roll < 0.3 else None)
        activities.append(ActivityText(name, aliases, description))
    return activities


def swap_adjacent(name: str, rng: random.Random) -> str | None:
    """The name with one pair of neighbouring letters swapped in a word of 5+ letters."""
    words = name.split()
    choices = [i for i, word in enumerate(words) if len(word) >= 5]
    if not choices:
        return None
    i = rng.choice(choices)
    word = words[i]
    positions = [p for p in range(len(word) - 1) if word[p] != word[p + 1]]
    p = rng.choice(positions)
    words[i] = word[:p] + word[p + 1] + word[p] + word[p + 2 :]
    return " ".join(words)


def make_queries(activities: list[ActivityText], count: int, rng: random.Random) -> dict[str, list[str]]:
    """Queries by kind: exact names, two-word parts of names, one swapped letter pair, unrelated."""
    names = [activity.name for activity in activities]
    exact = rng.sample(names, count)
    partial = [" ".join(name.split()[-2:]) for name in rng.sample(names, count)]
    typo = [q for q in (swap_adjacent(name, rng) for name in rng.sample(names, count)) if q]
    # Unrelated: everyday phrases, plus keyboard mash that shares no word with any name.
    unrelated = [rng.choice(UNRELATED) if i % 2 else _mash(rng) for i in range(count)]
    return {"exact": exact, "partial": partial, "typo": typo, "unrelated": unrelated}


def _mash(rng: random.Random) -> str:
    return " ".join("".join(rng.choice("qwrtzpsdfghjklxcvbnm") for _ in range(rng.randint(4, 9)))
                    for _ in range(rng.randint(1, 2)))


def rss_mb() -> float:
    """Current resident set size in MB (Linux)."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def per_query_ms(run: Callable[[str], object], queries: list[str]) -> float:
    """Mean wall time of one call, in milliseconds."""
    start = time.perf_counter()
    for query in queries:
        run(query)
    return (time.perf_counter() - start) * 1000 / len(queries)


def measure(size: int, queries_per_kind: int, naive_queries: int, seed: int) -> dict[str, float]:
    """All numbers for one matrix size."""
    rng = random.Random(seed)
    activities = make_activities(size, rng)
    names = [activity.name for activity in activities]
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    matcher = Matcher(activities)
    build_s = time.perf_counter() - start
    rss_delta = rss_mb() - before
    tracemalloc.start()
    traced = Matcher(activities)
    traced_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del traced
    gc.collect()

    by_kind = make_queries(activities, queries_per_kind, rng)
    mixed = [q for kind in by_kind.values() for q in kind]
    rng.shuffle(mixed)
    ours_ms = per_query_ms(matcher.match, mixed)
    naive_sample = rng.sample(mixed, naive_queries)
    naive_ms = per_query_ms(
        lambda q: process.extract(q, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=5),
        naive_sample,
    )
    swapped_from = {}
    for name in rng.sample(names, queries_per_kind):
        swapped = swap_adjacent(name, rng)
        if swapped:
            swapped_from[swapped] = name
    return {
        "size": size,
        "ours_ms": ours_ms,
        "naive_ms": naive_ms,
        "build_s": build_s,
        "rss_mb": rss_delta,
        "traced_mb": traced_mb,
        # Every name, not a sample: each one must come back as itself.
        "exact": _rate(matcher, {name: name for name in names}),
        "swapped": _rate(matcher, swapped_from),
        "refused": _share(matcher, by_kind["unrelated"], lambda status: status != "match"),
        "partial_answered": _share(matcher, by_kind["partial"], lambda status: status != "none"),
    }


def _share(matcher: Matcher, queries: list[str], wanted: Callable[[str], bool]) -> float:
    return sum(wanted(matcher.match(query).status) for query in queries) / len(queries)


def _rate(matcher: Matcher, expected: dict[str, str]) -> float:
    hits = 0
    for query, name in expected.items():
        result = matcher.match(query)
        hits += result.status == "match" and result.activity == name
    return hits / len(expected)


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000, help="queries of each kind")
    parser.add_argument("--naive-queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = [measure(size, args.queries, args.naive_queries, args.seed) for size in args.sizes]
    header = (f"{'activities':>10} {'ours ms/q':>9} {'naive ms/q':>10} {'ratio':>7} {'build s':>7} "
              f"{'RSS MB':>7} {'traced MB':>9} {'exact':>6} {'swapped':>7} {'refused':>7} {'partial*':>8}")
    print(header)
    for row in rows:
        print(f"{row['size']:>10,} {row['ours_ms']:>9.3f} {row['naive_ms']:>10.2f} "
              f"{row['naive_ms'] / row['ours_ms']:>6.0f}x {row['build_s']:>7.2f} {row['rss_mb']:>7.0f} "
              f"{row['traced_mb']:>9.0f} {row['exact']:>6.1%} {row['swapped']:>7.1%} {row['refused']:>7.1%} "
              f"{row['partial_answered']:>8.1%}")
    print("ratio = naive / ours. exact (every name), swapped: share answered with a match of the right\n"
          "activity. refused: unrelated queries not answered with a match. partial*: two-word parts\n"
          "answered with a match or ambiguous (informational: most are shared by many activities).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
