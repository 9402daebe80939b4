"""The weekly digest end to end below Slack's edge: real store, real Web API client, fake Slack server.

Time is a FakeTime: sleeps (pacing, Retry-After) pass at once, and leases expire when a test says so.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.digest.job import Digests
from bot.digest.pacing import Pacer
from bot.digest.preferences import digest_enabled, set_digest_enabled
from bot.digest.sender import OutgoingDigest
from bot.escalations.views import Delivery
from bot.slack.blocks.digest import BlockKitRenderer
from bot.slack.digest_sender import SlackDigestTransport
from bot.slack.directory import SlackDepartureCheck
from bot.store.db import Store
from bot.store.digest_models import DigestDelivery, DigestRun
from tests.digest.fakes import DigestSlackApi, FakeTime
from tests.digest.org import CHANNEL, DEACTIVATED, NOW, PROFILES, big_document, load, load_document, with_history
from tests.sessions import committed
from tests.slack.block_kit import check_message

DMS = {"U0LENA001", "U0RAJ0001", "U0ANA0001", "U0BEA0001", "U0MAX0001"}


@pytest.fixture
def slack() -> Iterator[DigestSlackApi]:
    with DigestSlackApi(profiles=PROFILES, deactivated=DEACTIVATED) as fake:
        yield fake


@pytest.fixture
def client(slack: DigestSlackApi) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.base_url)


@pytest.fixture
def time() -> FakeTime:
    # after the imports the tests make, which the audit log stamps with the real time
    return FakeTime(datetime.now(UTC) + timedelta(minutes=1))


def digests(store: Store, client: WebClient, time: FakeTime, **kwargs: object) -> Digests:
    options: dict = {"budget": None, "late_limit": None, "directory": SlackDepartureCheck(client), **kwargs}
    return Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(),
                   pacer=Pacer(monotonic=time.monotonic, sleep=time.sleep), **options)


def posts(slack: DigestSlackApi, channel: str) -> list:
    return slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)


def test_each_owner_gets_one_dm_and_the_channel_the_summary(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime
) -> None:
    with_history(store, time.now())
    report = digests(store, client, time).run(time.now)
    assert report.start.status == "started" and report.sent.failed == 0 and report.pending == 0
    # ivo is deactivated, zoe unknown to Slack, carl has no Slack ID, nia and ola have nothing to read
    assert slack.delivered() == Counter({**dict.fromkeys(DMS, 1), CHANNEL: 1})
    for call in slack.calls("chat.postMessage"):
        check_message(call.params["text"], call.params["blocks"])
    (lena,) = posts(slack, "U0LENA001")
    text = lena.blocks_text()
    assert "*Responsible for* (1)\n• *Docker packaging* — as ML Engineer" in text
    assert "1 raised · 1 acknowledged (median 4 min) · 1 still open" in text
    assert "No longer Responsible for Pipelines — _alice@laptop," in text
    assert "*Consulted on* (1): Experiments" in text
    (raj,) = posts(slack, "U0RAJ0001")
    assert "*Accountable for* (4)" in raj.blocks_text() and "1 unanswered" in raj.blocks_text()
    (summary,) = posts(slack, CHANNEL)
    text = summary.blocks_text()
    for expected in ("• *Model serving*: 2 Accountable (MLOps Engineer, Data Scientist)",
                     "• *Data quality*: no Accountable", "• *Dashboards*: no Responsible",
                     "• *QA Engineer* (org-wide): leaves Release testing (R) without an owner",
                     "• *MLOps Engineer* (in Search team)",
                     "*Ivo Berg* (@ivo, deactivated in Slack): Data Engineer; last owner of 3 activities",
                     "*Zoe Kim* (@zoe, unknown to Slack)", "• Nia Obi (@nia)",
                     "*Raj Patel* (@raj): only Responsible for 1, only Accountable for 3 — `raci impact raj`",
                     "2 raised · 1 acknowledged within the timeout · 1 unanswered",
                     "Slowest: Release testing (1 of 1 unanswered); Docker packaging (median 4 min)",
                     "`~ activity Pipelines`"):
        assert expected in text, expected
    assert digests(store, client, time).run(time.now).sent.sent == 0  # the period has gone out
    assert len(slack.calls("chat.postMessage")) == 6


def test_opted_out_people_get_nothing_until_they_opt_back_in(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime
) -> None:
    with_history(store, time.now())
    assert committed(store, set_digest_enabled, slack_user_id="U0MAX0001", enabled=False, now=time.now())
    assert not committed(store, set_digest_enabled, slack_user_id="U0MAX0001", enabled=False, now=time.now())
    load(store, NOW)  # an import leaves the choice alone
    assert not committed(store, digest_enabled, slack_user_id="U0MAX0001")
    step = digests(store, client, time)
    step.run(time.now)
    assert posts(slack, "U0MAX0001") == [] and len(posts(slack, "U0LENA001")) == 1
    committed(store, set_digest_enabled, slack_user_id="U0MAX0001", enabled=True, now=time.now())
    time.advance(timedelta(days=7))
    step.run(time.now)
    assert len(posts(slack, "U0MAX0001")) == 1 and len(posts(slack, "U0LENA001")) == 2


def test_turning_it_off_after_the_run_was_prepared_still_counts(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime
) -> None:
    with_history(store, time.now())
    step = digests(store, client, time, budget=0.0)  # prepare, send nothing yet
    assert step.run(time.now).start.status == "started"
    committed(store, set_digest_enabled, slack_user_id="U0RAJ0001", enabled=False, now=time.now())
    report = digests(store, client, time).run(time.now)
    assert report.sent.skipped == 1 and posts(slack, "U0RAJ0001") == []


@pytest.mark.parametrize(("settings", "expected"), [
    ({"schedule": None}, set()),
    ({"channel": None}, DMS),
    ({"direct_messages": False}, {CHANNEL}),
])
def test_settings_decide_who_gets_what(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime, settings: dict, expected: set
) -> None:
    with_history(store, time.now(), **settings)
    report = digests(store, client, time).run(time.now)
    assert set(slack.delivered()) == expected
    assert report.start.status == ("unscheduled" if settings.get("schedule", "x") is None else "started")


def test_a_period_found_a_day_late_is_skipped_unless_sent_on_request(
    store: Store, slack: DigestSlackApi, client: WebClient
) -> None:
    load(store, NOW)
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    late = FakeTime(monday + timedelta(hours=25))
    step = digests(store, client, late, late_limit=timedelta(hours=24))
    assert step.run(late.now).start.status == "too_late"
    assert slack.calls("chat.postMessage") == []
    report = step.run(late.now, send_late=True)
    assert report.start.status == "started" and report.start.period == monday
    assert report.sent.sent == len(slack.calls("chat.postMessage")) > 0


def test_a_fire_time_from_before_the_schedule_existed_is_not_sent_at_startup(
    store: Store, slack: DigestSlackApi, client: WebClient
) -> None:
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    load(store, NOW, at=monday + timedelta(minutes=10))  # installed just after this week's fire time
    started = FakeTime(monday + timedelta(minutes=20))
    step = digests(store, client, started, late_limit=timedelta(hours=24))
    assert step.run(started.now).start.status == "too_late"
    assert slack.calls("chat.postMessage") == []
    next_week = FakeTime(monday + timedelta(days=7, minutes=5))
    step = digests(store, client, next_week, late_limit=timedelta(hours=24))
    assert step.run(next_week.now).start.status == "started"
    assert slack.calls("chat.postMessage")


class Crash(BaseException):
    """The process dies."""


class DiesAfter:
    """Sends `count` messages, then the process dies before the next one reaches Slack."""

    def __init__(self, inner: SlackDigestTransport, count: int) -> None:
        self.inner, self.left = inner, count

    def send(self, message: OutgoingDigest) -> Delivery:
        if self.left == 0:
            raise Crash
        self.left -= 1
        return self.inner.send(message)


def test_a_crash_halfway_resumes_without_repeating_anyone(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime
) -> None:
    load_document(store, big_document(60))
    step = digests(store, client, time, directory=None)
    step.transport = DiesAfter(SlackDigestTransport(client), 20)
    with pytest.raises(Crash):
        step.run(time.now)
    assert sum(slack.delivered().values()) == 20
    survivor = digests(store, client, time, directory=None)
    time.advance(timedelta(seconds=10))
    assert survivor.run(time.now).sent.sent == 36  # the dead sender still holds 5 of its batch of 25
    time.advance(timedelta(minutes=3))
    report = survivor.run(time.now)
    assert report.sent.sent == 5 and report.pending == 0  # its lease ran out
    assert slack.delivered() == Counter({**{f"U{i:08d}": 1 for i in range(60)}, CHANNEL: 1})


@pytest.mark.postgres
def test_two_concurrent_senders_send_each_digest_once(
    db_url: str, slack: DigestSlackApi, client: WebClient, time: FakeTime
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("concurrent senders are a PostgreSQL deployment")
    stores = [Store.open(db_url) for _ in range(2)]
    load_document(stores[0], big_document(300))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    reports = []

    def run(store: Store) -> None:
        try:
            pacer = Pacer(messages_per_second=0)  # real time, no pacing: make them race
            step = Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(),
                           directory=None, pacer=pacer, budget=None, late_limit=None)
            barrier.wait()
            reports.append(step.run(time.now))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert sorted(r.start.status for r in reports) == ["exists", "started"]
        assert all(r.sent.sent > 0 for r in reports)  # both helped sending
        assert slack.delivered() == Counter({**{f"U{i:08d}": 1 for i in range(300)}, CHANNEL: 1})
        with stores[0].session() as session:
            assert session.scalar(select(func.count()).select_from(DigestRun)) == 1
            states = Counter(session.scalars(select(DigestDelivery.state)))
        assert states == {"sent": 301}
    finally:
        for s in stores:
            s.close()


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'raci.db'}")
    yield s
    s.close()


def test_six_hundred_people_get_one_dm_each_through_429s(sqlite_store: Store, time: FakeTime) -> None:
    """Many people and many 429s in one run (scale itself is benchmarks/bench_digest.py's: 10,000 people)."""
    load_document(sqlite_store, big_document(600))
    with DigestSlackApi(limit_every=37, retry_after=3) as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        step = digests(sqlite_store, client, time, directory=None)
        report = step.run(time.now)
        assert report.sent.failed == 0 and report.pending == 0
        assert report.sent.sent == 601 and report.sent.rate_limited == len(slack.limited) > 15
        assert slack.delivered() == Counter({**{f"U{i:08d}": 1 for i in range(600)}, CHANNEL: 1})
    assert sum(1 for s in time.sleeps if s >= 3) >= len(slack.limited)  # every Retry-After was waited out
    with sqlite_store.session() as session:
        assert Counter(session.scalars(select(DigestDelivery.state))) == {"sent": 601}
