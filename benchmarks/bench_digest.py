"""The weekly digest at scale: preparing 10,000 people's digests, and the send rate Slack's limits allow.

1. Preparation: a matrix of 10,000 people and 10,000 activities (1,000 roles of 10, two teams
   re-staffing 50 roles each) freshly imported, so the audit log holds 10,000+ changes for the
   week. Timed: reading the store into an Ownership, computing every digest and the summary,
   rendering them to Block Kit, and the claim transaction that writes a delivery per recipient.
2. Sending: the fake Slack Web API from the tests, enforcing one message per second per channel
   (a message too soon gets HTTP 429 with Retry-After). One run of 200 DMs and the summary, then
   five periods in a row whose summaries all go to the same channel. Reported: messages per
   second, 429s, failures and duplicates (there should be none of the last three).

    python benchmarks/bench_digest.py                 # SQLite in a temporary directory
    python benchmarks/bench_digest.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench  # an empty database
    python benchmarks/bench_digest.py --rate 10       # workspace-wide messages per second (default 4)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from slack_sdk import WebClient  # noqa: E402 - after the path is set

from bot.digest.job import Digests  # noqa: E402
from bot.digest.pacing import MESSAGES_PER_SECOND, Pacer  # noqa: E402
from bot.digest.period import schedule_of  # noqa: E402
from bot.digest.runs import digest_settings, prepare, read_week, start_run  # noqa: E402
from bot.ownership.index import Ownership  # noqa: E402
from bot.ownership.matrix import load_ownership  # noqa: E402
from bot.raci_file.model import Activity, Person, RaciDocument, Role, Team  # noqa: E402
from bot.slack.blocks.digest import BlockKitRenderer  # noqa: E402
from bot.slack.digest_sender import SlackDigestTransport  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.sync import write_document  # noqa: E402
from tests.digest.fakes import DigestSlackApi  # noqa: E402

CHANNEL = "C0OWNERS01"


def matrix(people: int, activities: int, *, per_role: int = 10, direct: bool = True) -> RaciDocument:
    roles = max(4, people // per_role)
    doc = RaciDocument(
        people=[Person(f"p{i:05d}", f"Person {i}", slack_id=f"U{i:08d}") for i in range(people)],
        roles=[Role(f"r{j:04d}", f"Role {j}", members=[f"p{i:05d}" for i in range(j * per_role, (j + 1) * per_role)
                                                        if i < people]) for j in range(roles)],
        teams=[Team(f"t{t}", f"Team {t}", members={f"r{j:04d}": [f"p{(j * 7 + t) % people:05d}"]
                                                   for j in range(t * 50, t * 50 + 50) if j < roles})
               for t in range(2)],
        activities=[Activity(f"Activity {j}", raci={"R": [f"r{j % roles:04d}"], "A": [f"r{(j + 1) % roles:04d}"],
                                                    "C": [f"r{(j + 2) % roles:04d}"], "I": [f"r{(j + 3) % roles:04d}"]})
                    for j in range(activities)],
    )
    doc.settings.digest.schedule = "0 9 * * MON"
    doc.settings.digest.timezone = "Europe/Berlin"
    doc.settings.digest.channel = CHANNEL
    doc.settings.digest.direct_messages = direct
    return doc


def _load(store: Store) -> Ownership:
    with store.session() as session:
        return load_ownership(session=session)


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    print(f"  {label:<52} {time.perf_counter() - started:7.2f} s", flush=True)
    return result


def bench_preparation(url: str, people: int, activities: int) -> None:
    print(f"Preparation: {people:,} people, {activities:,} activities ({url.split(':')[0]})")
    store = Store.open(url)
    doc = matrix(people, activities)
    with store.session() as session:
        timed("import (not part of the digest)", lambda: write_document(session, doc, actor="bench", source="bench"))
    now = datetime.now(UTC) + timedelta(seconds=1)
    renderer = BlockKitRenderer()
    ownership = timed("read the store into an Ownership", lambda: _load(store))
    with store.session() as session:
        schedule = schedule_of(digest_settings(session))
    assert schedule is not None
    with store.session() as session:
        week = read_week(session=session, ownership=ownership, schedule=schedule, period=schedule.period(now),
                         now=now)
    prepared = timed("compute every digest and the summary", lambda: prepare(
        ownership, week, schedule=schedule, period=schedule.period(now), directory=None))
    timed(f"render {len(prepared.recipients):,} DMs and the summary to Block Kit",
          lambda: ([renderer.person(d) for d in prepared.recipients], renderer.summary(prepared.summary)))
    started = time.perf_counter()
    run = start_run(store, now=now, renderer=renderer, directory=None, late_limit=None)
    total = time.perf_counter() - started
    print(f"  {'start_run: all of the above + the claim transaction':<52} {total:7.2f} s "
          f"({run.deliveries:,} deliveries, {len(prepared.summary.changes.lines)} change lines, "
          f"{len(prepared.summary.single_points):,} single points of failure)")
    store.close()


def bench_sending(url: str, dms: int, periods: int, rate: float) -> None:
    print(f"Sending: {dms} DMs + summary, then {periods} summary-only periods to one channel; fake Slack "
          f"enforcing 1 message/s per channel; pacing {rate:g} messages/s workspace-wide")
    store = Store.open(url)
    with store.session() as session:
        write_document(session, matrix(dms, dms // 10), actor="bench", source="bench")
    clock_base = datetime.now(UTC) + timedelta(seconds=1)
    with DigestSlackApi(per_channel_seconds=1.0, retry_after=1) as slack:
        client = WebClient(token="xoxb-bench", base_url=slack.base_url)
        step = Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(),
                       directory=None, pacer=Pacer(messages_per_second=rate), budget=None, late_limit=None)
        started = time.perf_counter()
        first = step.run(lambda: clock_base)
        with store.session() as session:
            write_document(session, matrix(dms, dms // 10, direct=False), actor="bench", source="bench")
        reports = [step.run(lambda k=k: clock_base + timedelta(weeks=k)) for k in range(1, periods + 1)]
        elapsed = time.perf_counter() - started
        accepted = slack.delivered()
    sent = first.sent.sent + sum(r.sent.sent for r in reports)
    failed = first.sent.failed + sum(r.sent.failed for r in reports)
    duplicates = sum(n - 1 for channel, n in accepted.items() if channel != CHANNEL and n > 1)
    print(f"  {sent} messages in {elapsed:.1f} s = {sent / elapsed:.2f} messages/s "
          f"(DMs of the first run: {first.sent.sent - 1} in one pass)")
    print(f"  429s answered: {len(slack.limited)}, failed: {failed}, duplicate DMs: {duplicates}, "
          f"summaries in the channel: {accepted[CHANNEL]} (expected {1 + periods}), "
          f"DM recipients: {sum(1 for c in accepted if c != CHANNEL)} (expected {dms})")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an empty database URL (default: SQLite in a temporary directory)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--dms", type=int, default=200)
    parser.add_argument("--periods", type=int, default=5)
    parser.add_argument("--rate", type=float, default=MESSAGES_PER_SECOND)
    parser.add_argument("--skip-send", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_preparation(args.db or f"sqlite:///{tmp}/prepare.db", args.people, args.activities)
        if not args.skip_send:
            # sending is bound by Slack's pacing, not the database: an embedded one will do
            bench_sending(f"sqlite:///{tmp}/send.db", args.dms, args.periods, args.rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
