"""The adversarial HTTP probes of issue 10, against the real `python app.py` (gunicorn) and the fake Slack API.

For each probe: the HTTP status, the outbound calls the app made within a short settle time (any Web API
method or response_url POST), the request's wall time, and for the 100 MB body the worker's RSS growth.

    python benchmarks/security_probes.py            # prints a Markdown table
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fakes.slack_api import FakeSlackApi  # noqa: E402 - after the path is set
from tests.fakes.slack_requests import command_form, event_callback  # noqa: E402
from tests.slack.conftest import ORG_FILE, SIGNING_SECRET, app_env, free_port  # noqa: E402

SETTLE_SECONDS = 1.5  # long enough for a background answer to reach the fake Slack on an idle machine
BIG_BODY_BYTES = 100 * 1024 * 1024


def peak_rss_kib(pid: int) -> int:
    """The peak resident set (VmHWM) of the gunicorn worker(s) under `pid`, in KiB."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    total = 0
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return total


def send(port: int, body: bytes, headers: dict[str, str], *, chunked: bool = False) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        if chunked:
            conn.putrequest("POST", "/slack/events")
            for key, value in headers.items():
                conn.putheader(key, value)
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            step = 1 << 20
            try:
                for start in range(0, len(body), step):
                    piece = body[start:start + step]
                    conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                conn.send(b"0\r\n\r\n")
            except OSError:
                pass  # the server answered and closed before the whole body was sent
        else:
            with contextlib.suppress(OSError):  # as above: the answer may come before the whole body
                conn.request("POST", "/slack/events", body=body, headers=headers)
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def form_probe(slack: FakeSlackApi, timestamp: str, sig: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = urlencode(command_form("who owns docker packaging", response_url=slack.response_url("probe"),
                                  user="U0ASKER01", channel="C0PROBE01")).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp,
                  "X-Slack-Signature": sig or "v0=forged"}


def signed(raw: bytes, content_type: str) -> tuple[bytes, dict[str, str]]:
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def probes(slack: FakeSlackApi) -> list[tuple[str, Callable[[], tuple[bytes, dict[str, str]]], bool]]:
    event = json.dumps(event_callback({"type": "app_mention", "user": "U0ASKER01", "text": "<@U0RACIBOT> docker",
                                       "ts": "1.1", "channel": "C0PROBE01", "event_ts": "1.1"}, event_id="EvProbe"))
    json_headers = {"Content-Type": "application/json", "X-Slack-Signature": "v0=forged"}
    rows: list[tuple[str, Callable[[], tuple[bytes, dict[str, str]]], bool]] = []
    for ts in ("abc", "1e3", "", "now"):
        rows.append((f"form, timestamp {ts!r}", lambda ts=ts: form_probe(slack, ts), False))
        rows.append((f"JSON event, timestamp {ts!r}", lambda ts=ts: (
            event.encode(), {**json_headers, "X-Slack-Request-Timestamp": ts}), False))
    rows.append(("form, no Slack headers", lambda: (form_probe(slack, "0")[0],
                                                     {"Content-Type": "application/x-www-form-urlencoded"}), False))
    for name, raw, ctype in (("broken JSON", b'{"type": ', "application/json"), ("[1]", b"[1]", "application/json"),
                             ("null", b"null", "application/json"),
                             ("payload= not JSON", b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
                             ("binary", bytes(range(256)) * 4, "application/octet-stream")):
        rows.append((f"signed {name}", lambda raw=raw, ctype=ctype: signed(raw, ctype), False))
        rows.append((f"unsigned {name}", lambda raw=raw, ctype=ctype: (
            raw, {"Content-Type": ctype, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=x"}), False))
    big = b"a=" + b"x" * BIG_BODY_BYTES
    rows.append(("unsigned 100 MB body", lambda: (big, {"Content-Type": "application/x-www-form-urlencoded"}), False))
    rows.append(("unsigned 100 MB body, chunked",
                 lambda: (big, {"Content-Type": "application/x-www-form-urlencoded"}), True))
    return rows


def main() -> int:
    with FakeSlackApi() as slack, tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = app_env(db_url=f"sqlite:///{work}/probe.db", slack=slack, port=port, LOG_LEVEL="WARNING")
        env["RACI_FILE"] = str(ORG_FILE)
        log = Path(work) / "app.log"
        with log.open("wb") as out:
            app = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=work, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            print("| probe | status | outbound calls | time (s) | peak RSS growth (MiB) | traceback lines |")
            print("|---|---|---|---|---|---|")
            for name, build, chunked in probes(slack):
                body, headers = build()
                before_calls, before_rss = len(slack.calls()), peak_rss_kib(app.pid)
                before_log = log.read_text(errors="replace").count("Traceback")
                started = time.monotonic()
                status = send(port, body, headers, chunked=chunked)
                took = time.monotonic() - started
                rss = (peak_rss_kib(app.pid) - before_rss) / 1024
                time.sleep(SETTLE_SECONDS)
                calls = [c.method for c in slack.calls()[before_calls:] if c.method != "auth.test"]
                tracebacks = log.read_text(errors="replace").count("Traceback") - before_log
                print(f"| {name} | {status} | {len(calls)} {calls if calls else ''} | {took:.3f} | {rss:.0f} | "
                      f"{tracebacks} |")
        finally:
            app.terminate()
            app.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
