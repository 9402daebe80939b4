"""Ack latency of `/raci` over HTTP: this app against a bare Bolt app that only acks, served the same way.

Both run as their own process behind the same gunicorn configuration (bot/slack/server.py), against
the fake Slack Web API from the tests (no network, in a process of its own so that our app's answers
do not slow the measuring client down). The client signs each request as Slack does and times from
sending it to reading the ack. Our app then answers in the background through the response URL, so
its acks compete with real work; the bare app does nothing after acking.

    python benchmarks/bench_ack.py                    # 2,000 sequential and 4,000 concurrent requests each
    python benchmarks/bench_ack.py --requests 500     # quicker
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fakes.slack_api import FakeSlackApi  # noqa: E402 - after the path is set
from tests.fakes.slack_requests import command_form, signature  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
ORG = REPO / "tests" / "slack" / "fixtures" / "slack_org.yaml"
QUERIES = ["who owns the feature store?", "docker packaging", "model training code for search", "monitoring",
           "list", "who owns the pizza oven?"]


def serve_bare(port: int) -> None:
    """The baseline: a Bolt app whose /raci only acks, behind the same server as ours."""
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.slack.server import gunicorn_options, serve, wsgi_app

    app = App(client=WebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"]), signing_secret=SECRET,
              process_before_response=False)
    app.command("/raci")(lambda ack: ack())
    serve(wsgi_app(app, signing_secret=SECRET), gunicorn_options(port=port, log_level="warning"))


def serve_fake() -> None:
    """The fake Slack Web API, in its own process: prints its base URL, then serves until killed."""
    with FakeSlackApi() as slack:
        print(slack.base_url, flush=True)
        threading.Event().wait()


class FakeSlack:
    """The fake Slack Web API in a subprocess."""

    def __enter__(self) -> FakeSlack:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve-fake"], stdout=subprocess.PIPE, text=True)
        self.base_url = self.process.stdout.readline().strip()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.process.kill()
        self.process.wait()

    def response_url(self, name: str) -> str:
        return self.base_url.removesuffix("api/") + f"response/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(kind: str, port: int, slack: FakeSlack, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.base_url,
           "PORT": str(port), "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "RACI_FILE": str(ORG),
           "LOG_LEVEL": "WARNING"}
    args = [sys.executable, str(REPO / "app.py")] if kind == "raci-bot" else [sys.executable, __file__, "--serve-bare",
                                                                              str(port)]
    process = subprocess.Popen(args, env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{kind} did not start")


def timed_requests(port: int, count: int, slack: FakeSlack, offset: int) -> list[float]:
    """Send `count` signed /raci requests over one keep-alive connection; the ack latencies in ms."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies = []
    for i in range(count):
        form = command_form(QUERIES[(offset + i) % len(QUERIES)], response_url=slack.response_url(f"b{offset + i}"),
                            user="U0BENCH01", channel="C0BENCH01")
        body = urlencode(form)
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": signature(SECRET, ts, body)}
        started = time.perf_counter()
        conn.request("POST", "/slack/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, response.status
    conn.close()
    return latencies


def concurrent(port: int, total: int, clients: int, slack: FakeSlack) -> list[float]:
    results: list[list[float]] = [[] for _ in range(clients)]

    def run(i: int) -> None:
        results[i] = timed_requests(port, total // clients, slack, offset=i * 100_000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for r in results for x in r]


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(p * 10) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="sequential requests per app")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return
    if args.serve_fake:
        serve_fake()
        return
    rows = []
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        for kind in ("bare Bolt", "raci-bot"):
            port = free_port()
            workdir = Path(tmp) / kind.replace(" ", "-")
            workdir.mkdir()
            process = start(kind, port, slack, workdir)
            try:
                timed_requests(port, 100, slack, offset=0)  # warm-up
                sequential = timed_requests(port, args.requests, slack, offset=1000)
                parallel = concurrent(port, args.requests * 2, args.clients, slack)
            finally:
                process.terminate()
                process.wait(timeout=30)
            for mode, values in (("sequential", sequential), (f"{args.clients} clients", parallel)):
                rows.append((kind, mode, len(values), percentile(values, 50), percentile(values, 99)))
    print(f"{'app':<10} {'mode':<12} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, mode, n, p50, p99 in rows:
        print(f"{kind:<10} {mode:<12} {n:>8} {p50:>8.2f} {p99:>8.2f}")
    for mode_index, mode in ((0, "sequential"), (1, f"{args.clients} clients")):
        bare, ours = rows[mode_index], rows[2 + mode_index]
        print(f"p99 ratio raci-bot / bare, {mode}: {ours[4] / bare[4]:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
