"""Load and soak: two replicas on PostgreSQL under steady /raci and @raci traffic while escalations tick.

Two `python app.py` replicas (HTTP mode, gunicorn) share a fresh schema of the local PostgreSQL and the
fake Slack Web API from the tests, which runs in a process of its own. A client sends signed requests on
a fixed schedule (open loop: a slow answer never delays the next request), alternating replicas as a load
balancer would: mostly slash commands, the rest mentions. Meanwhile `--escalations` open escalations come
due during the run and walk their whole policy (R, A, R again, A again, unanswered), paged by the
replicas' tickers. Only loopback addresses are used.

It reports ack latency (p50/p99), errors, whether every request was answered exactly once (replies to
each response_url, and to each mention's thread, counted at the fake Slack), ticker lag (the age of the
oldest due escalation step or outbox message, sampled every few seconds; target under 2 ticks), each
replica's resident memory after the first minute and at the end (target: under 10% growth), and the
database connections the replicas hold.

    python benchmarks/soak.py                  # 50 requests/s for 10 minutes, 1,000 escalations
    python benchmarks/soak.py --minutes 2      # shorter
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fakes.slack_api import FakeSlackApi  # noqa: E402 - after the path is set
from tests.fakes.slack_requests import app_mention, command_form, event_callback, signature  # noqa: E402
from tests.pg_schemas import drop_schema, new_schema  # noqa: E402

SECRET = "soak-signing-secret"
TOKEN = "xoxb-soak-token"
ORG = REPO / "tests" / "slack" / "fixtures" / "slack_org.yaml"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUERIES = ["who owns the feature store?", "docker packaging", "model training code for search", "monitoring",
           "list", "who owns the pizza oven?", "role ML Engineer", "help"]
MENTION_CHANNEL = "C0SOAKMEN"  # mentions are answered in threads here
ESCALATION_CHANNEL = "C0SOAKESC"  # where the seeded escalations were raised: their status messages
REQUESTER = "U0SOAKREQ"


# -- the fake Slack, in its own process ------------------------------------------------------------

def serve_fake() -> None:
    """The fake Slack Web API: prints its base URL, then answers `report` lines on stdin with counts."""
    with FakeSlackApi() as slack:
        print(slack.base_url, flush=True)
        for line in sys.stdin:
            if line.strip() == "report":
                print(json.dumps(fake_report(slack)), flush=True)


def fake_report(slack: FakeSlackApi) -> dict[str, object]:
    """What the app sent: replies per response URL and per mention thread, and escalation messages."""
    calls = slack.calls()
    posts = [c for c in calls if c.method == "chat.postMessage"]
    return {
        "methods": Counter(c.method for c in calls),
        "responses": Counter(c.path.removeprefix("/response/") for c in calls if c.method == "response"),
        "threads": Counter(c.params.get("thread_ts") for c in posts if c.params.get("channel") == MENTION_CHANNEL),
        "dms": sum(1 for c in posts if str(c.params.get("channel", "")).startswith("U")),
        "status_posts": sum(1 for c in posts if c.params.get("channel") == ESCALATION_CHANNEL),
        "status_updates": sum(1 for c in calls if c.method == "chat.update"
                              and c.params.get("channel") == ESCALATION_CHANNEL),
    }


class FakeSlack:
    def __enter__(self) -> FakeSlack:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve-fake"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.base_url = self.process.stdout.readline().strip()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.process.kill()
        self.process.wait()

    def response_url(self, name: str) -> str:
        return self.base_url.removesuffix("api/") + f"response/{name}"

    def report(self) -> dict[str, object]:
        self.process.stdin.write("report\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


# -- the database and the replicas -----------------------------------------------------------------

@dataclass
class Replica:
    name: str
    application_name: str  # how its database connections are told apart in pg_stat_activity
    port: int
    process: subprocess.Popen
    log: Path

    def pids(self) -> dict[str, int]:
        """The gunicorn master (this process) and its worker(s)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return {"master": self.process.pid, **{f"worker{i}": int(p) for i, p in enumerate(children)}}

    def rss_mib(self) -> dict[str, float]:
        out = {}
        for role, pid in self.pids().items():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[role] = int(line.split()[1]) / 1024
        return out


def start_replica(name: str, port: int, *, db_url: str, schema: str, slack: FakeSlack, workdir: Path,
                  tick_seconds: int) -> Replica:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RACI_", "DATABASE_URL"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.base_url, PORT=str(port),
               DATABASE_URL=f"{db_url}&application_name=soak-{schema}-{name}", RACI_FILE=str(ORG),
               RACI_TICK_SECONDS=str(tick_seconds), LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=workdir, stdout=out,
                                   stderr=subprocess.STDOUT)
    replica = Replica(name, f"soak-{schema}-{name}", port, process, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}:\n{log.read_text()}")
        if probe(port, "/readyz") == 200 or probe(port, "/healthz") == 200 and probe(port, "/readyz") == 404:
            return replica
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{name} did not become ready:\n{log.read_text()}")


def probe(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def seed_escalations(db_url: str, count: int) -> None:
    """`count` open escalations of one activity, parked far in the future until `schedule` sets their times."""
    from bot.escalations.engine import raise_escalation
    from bot.escalations.policy import Policy
    from bot.ownership.matrix import ensure_loaded, load_ownership
    from bot.store.db import Store

    store = Store.open(db_url)
    ensure_loaded(store, ORG, actor="soak")
    with store.session() as session:
        answer = load_ownership(session=session).answer("docker packaging")
    parked = datetime(2999, 1, 1, tzinfo=UTC)
    with store.session() as session:
        for i in range(count):
            raise_escalation(session=session, answer=answer, problem=f"soak problem {i}", link=None,
                             requester=REQUESTER, channel=ESCALATION_CHANNEL, thread_ts=None,
                             policy=Policy(timedelta(hours=1), 1), now=parked)
    store.close()


def schedule(engine: sa.Engine, *, start: datetime, spread: float, ack_timeout: float) -> None:
    """First steps due evenly over `spread` seconds from `start`, each next step `ack_timeout` later."""
    with engine.begin() as conn:
        first, n = conn.execute(sa.text("SELECT min(id), count(*) FROM escalations")).one()
        gap = spread / max(n - 1, 1)
        conn.execute(sa.text("UPDATE escalations SET ack_timeout_seconds = :timeout, created_at = :start, next_due_at "
                             "= :start + make_interval(secs => (id - :first) * CAST(:gap AS double precision))"),
                     {"timeout": int(ack_timeout), "start": start, "first": first, "gap": gap})


# -- the load --------------------------------------------------------------------------------------

@dataclass
class Load:
    slack: FakeSlack
    ports: list[int]
    mention_share: float
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    commands: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    late: float = 0.0  # how far behind its schedule the client fell, at worst (s)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, i: int) -> None:
        """Request i, to replica i % 2: a slash command, or (`mention_share` of them) a mention."""
        body, content_type, sent, key = self.mention(i) if i % 10 < round(self.mention_share * 10) else self.command(i)
        started = time.perf_counter()
        status = post(self.ports[i % len(self.ports)], body, content_type)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            sent.append(key)
            if status == 200:
                self.latencies.append(elapsed)
            else:
                self.errors[f"ack {status}"] += 1

    def mention(self, i: int) -> tuple[str, str, list[str], str]:
        """An app_mention event, answered in the thread `ts`."""
        ts = f"1700000000.{i:06d}"
        event = app_mention(QUERIES[i % len(QUERIES)], channel=MENTION_CHANNEL, ts=ts, user=f"U0SOAK{i % 7:03d}")
        return json.dumps(event_callback(event, event_id=f"EvSOAK{i:08d}")), "application/json", self.mentions, ts

    def command(self, i: int) -> tuple[str, str, list[str], str]:
        """A /raci command, answered at its own response URL."""
        name = f"soak{i}"
        form = command_form(QUERIES[i % len(QUERIES)], response_url=self.slack.response_url(name),
                            user=f"U0SOAK{i % 7:03d}", channel="C0SOAKCMD")
        return urlencode(form), "application/x-www-form-urlencoded", self.commands, name

    def run(self, *, rate: float, seconds: float) -> None:
        total = int(rate * seconds)
        with ThreadPoolExecutor(max_workers=64) as pool:
            start = time.monotonic()
            for i in range(total):
                due = start + i / rate
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                else:
                    self.late = max(self.late, -wait)
                pool.submit(self.request, i)


def post(port: int, body: str, content_type: str) -> int | str:
    """Sign and send one request as Slack does, on a new connection; the HTTP status or the error's name."""
    ts = str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": signature(SECRET, ts, body)}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError as exc:
        return type(exc).__name__
    finally:
        conn.close()


# -- sampling --------------------------------------------------------------------------------------

LAG_SQL = """
SELECT extract(epoch FROM now() - (SELECT min(next_due_at) FROM escalations
                                   WHERE status = 'open' AND next_due_at <= now())),
       extract(epoch FROM now() - (SELECT min(next_attempt_at) FROM escalation_notifications
                                   WHERE state = 'pending' AND next_attempt_at <= now()))
"""
CONNECTIONS_SQL = "SELECT application_name, state FROM pg_stat_activity WHERE application_name = ANY(:names)"


@dataclass
class Sample:
    at: float  # seconds since the load started
    step_lag: float
    outbox_lag: float
    connections: Counter
    rss: dict[str, dict[str, float]]


def sample(engine: sa.Engine, replicas: list[Replica], at: float) -> Sample:
    with engine.connect() as conn:
        step_lag, outbox_lag = conn.execute(sa.text(LAG_SQL)).one()
        rows = conn.execute(sa.text(CONNECTIONS_SQL), {"names": [r.application_name for r in replicas]}).all()
    names = {r.application_name: r.name for r in replicas}
    return Sample(at, float(step_lag or 0), float(outbox_lag or 0), Counter(f"{names[a]} {s}" for a, s in rows),
                  {r.name: r.rss_mib() for r in replicas})


def sampler(engine: sa.Engine, replicas: list[Replica], every: float, stop: threading.Event,
            out: list[Sample]) -> None:
    start = time.monotonic()
    while not stop.wait(0 if not out else every - (time.monotonic() - start) % every):
        out.append(sample(engine, replicas, time.monotonic() - start))


# -- the report ------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(p * 10) - 1] if len(values) > 1 else 0.0


def wait_quiet(slack: FakeSlack, engine: sa.Engine, load: Load, timeout: float) -> dict[str, object]:
    """Wait until every request has its reply and the outbox is empty (or `timeout`); the fake's counts."""
    deadline = time.monotonic() + timeout
    while True:
        report = slack.report()
        with engine.connect() as conn:
            pending = conn.scalar(sa.text("SELECT count(*) FROM escalation_notifications WHERE state = 'pending'"))
            due = conn.scalar(sa.text("SELECT count(*) FROM escalations WHERE status = 'open'"))
        answered = (all(report["responses"].get(n) for n in load.commands)
                    and all(report["threads"].get(t) for t in load.mentions))
        if (answered and not pending and not due) or time.monotonic() > deadline:
            return report
        time.sleep(1)


def exactly_once(report: dict[str, object], load: Load) -> dict[str, int]:
    replies = [report["responses"].get(n, 0) for n in load.commands] + [report["threads"].get(t, 0)
                                                                         for t in load.mentions]
    return {"requests": len(replies), "once": replies.count(1), "never": replies.count(0),
            "twice or more": sum(1 for r in replies if r > 1)}


def escalation_figures(engine: sa.Engine, report: dict[str, object]) -> dict[str, object]:
    with engine.connect() as conn:
        statuses = dict(conn.execute(sa.text("SELECT status, count(*) FROM escalations GROUP BY status")).all())
        sent = dict(conn.execute(sa.text("SELECT kind, count(*) FROM escalation_notifications "
                                         "WHERE state = 'sent' GROUP BY kind")).all())
        states = dict(conn.execute(sa.text("SELECT state, count(*) FROM escalation_notifications "
                                           "GROUP BY state")).all())
    dms_sent = sum(v for k, v in sent.items() if k != "status")
    return {"escalations": statuses, "outbox": states, "DMs sent (db)": dms_sent, "DMs at Slack": report["dms"],
            "status sent (db)": sent.get("status", 0),
            "status at Slack (post+update)": report["status_posts"] + report["status_updates"]}


def log_errors(replicas: list[Replica]) -> int:
    return sum(1 for r in replicas for line in r.log.read_text(errors="replace").splitlines()
               if " ERROR " in line or "Traceback" in line or '"level": "error"' in line.lower())


def print_report(args: argparse.Namespace, load: Load, samples: list[Sample], last: Sample, once: dict[str, int],
                 escalations: dict[str, object], replicas: list[Replica], methods: dict[str, int]) -> None:
    ticks = [max(s.step_lag, s.outbox_lag) / args.tick_seconds for s in samples]
    warm = next((s for s in samples if s.at >= min(60, last.at / 2)), samples[0])
    exited = [r.name for r in replicas if r.process.poll() is not None]
    errors = (sum(load.errors.values()) + once["never"] + once["twice or more"] + log_errors(replicas)
              + len(exited))
    print(f"\nsoak: {len(replicas)} replicas, {args.rate:g} requests/s for {args.minutes:g} min "
          f"({len(load.commands)} commands, {len(load.mentions)} mentions), {args.escalations} escalations, "
          f"tick {args.tick_seconds} s")
    print(f"ack latency ms:      p50 {percentile(load.latencies, 50):.1f}  p99 {percentile(load.latencies, 99):.1f}"
          f"  max {max(load.latencies, default=0):.1f}   (client fell behind its schedule by at most "
          f"{load.late * 1000:.0f} ms)")
    print(f"errors:              {errors} (target 0): acks {dict(load.errors) or 0}, replies missing "
          f"{once['never']}, duplicated {once['twice or more']}, ERROR lines in the replicas' logs "
          f"{log_errors(replicas)}, replicas that exited {exited or 0}")
    print(f"replies:             {once['once']} of {once['requests']} requests answered exactly once")
    print(f"escalations:         {escalations}")
    print(f"ticker lag:          max {max(ticks, default=0):.2f} ticks, p50 {statistics.median(ticks or [0]):.2f}"
          f" (oldest due step or message, sampled every {args.sample_seconds:g} s; target < 2)")
    for replica in replicas:
        for role in last.rss[replica.name]:
            before, after = warm.rss[replica.name].get(role, 0), last.rss[replica.name][role]
            print(f"memory {replica.name} {role:<7} {before:6.1f} MiB at {warm.at / 60:.1f} min, {after:6.1f} MiB at "
                  f"{last.at / 60:.1f} min: {100 * (after - before) / before:+.1f}% (target < 10%)")
    total = max((sum(s.connections.values()) for s in samples), default=0)
    per_replica = {r.name: max(sum(n for k, n in s.connections.items() if k.startswith(r.name + " "))
                               for s in samples) for r in replicas}
    active = max((sum(n for k, n in s.connections.items() if not k.endswith(" idle")) for s in samples), default=0)
    print(f"db connections:      at most {total} open at once (per replica at most {per_replica}), "
          f"at most {active} not idle")
    print(f"slack calls:         {dict(sorted(methods.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second, both replicas together")
    parser.add_argument("--escalations", type=int, default=1000)
    parser.add_argument("--mentions", type=float, default=0.3, help="share of requests that are mentions")
    parser.add_argument("--tick-seconds", type=int, default=5)
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--postgres", default=os.environ.get("RACI_TEST_POSTGRES_URL") or DEFAULT_POSTGRES)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:
        serve_fake()
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    seconds = args.minutes * 60
    schema, db_url = new_schema(args.postgres, prefix="soak_")
    sampler_engine = sa.create_engine(db_url + "&application_name=soak-sampler", poolclass=sa.pool.NullPool)
    replicas: list[Replica] = []
    try:
        with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            seed_escalations(db_url, args.escalations)
            print(f"seeded {args.escalations} escalations in {time.monotonic() - started:.1f} s (schema {schema})")
            ports = [free_port() for _ in range(2)]
            for n, port in enumerate(ports, 1):
                replicas.append(start_replica(f"r{n}", port, db_url=db_url, schema=schema, slack=slack,
                                              workdir=Path(tmp), tick_seconds=args.tick_seconds))
            load = Load(slack, ports, args.mentions)
            # steps come due over the first half; the last (unanswered) is due by 90% of the run
            schedule(sampler_engine, start=datetime.now(UTC), spread=seconds * 0.5, ack_timeout=seconds * 0.1)
            samples: list[Sample] = []
            stop = threading.Event()
            watcher = threading.Thread(target=sampler, args=(sampler_engine, replicas, args.sample_seconds, stop,
                                                             samples), daemon=True)
            watcher.start()
            load.run(rate=args.rate, seconds=seconds)
            end = sample(sampler_engine, replicas, seconds)
            report = wait_quiet(slack, sampler_engine, load, timeout=60)
            stop.set()
            watcher.join()
            print_report(args, load, samples, end, exactly_once(report, load),
                         escalation_figures(sampler_engine, report), replicas, report["methods"])
    finally:
        stop_replicas(replicas)
        sampler_engine.dispose()
        drop_schema(args.postgres, schema)


def stop_replicas(replicas: list[Replica]) -> None:
    """SIGTERM, as Kubernetes sends it: how long each replica takes to drain and exit (it should be <= 10 s)."""
    started = time.monotonic()
    for replica in replicas:
        replica.process.terminate()
    for replica in replicas:
        try:
            replica.process.wait(timeout=30)
            print(f"{replica.name} exited {time.monotonic() - started:.1f} s after SIGTERM")
        except subprocess.TimeoutExpired:
            replica.process.kill()
            print(f"{replica.name} did not exit within 30 s of SIGTERM: killed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
