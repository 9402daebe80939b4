"""A fake Slack Web API on 127.0.0.1 for tests: records every call and answers as Slack does.

    with FakeSlackApi(directory={"raj@example.com": "U0RAJ0001"}) as slack:
        env["SLACK_API_URL"] = slack.base_url            # WebClient base_url, ends with '/'
        form["response_url"] = slack.response_url("c1")  # POSTs there are recorded as method "response"
        ...
        [call] = slack.wait_for("chat.postMessage", lambda c: c.params["channel"] == "C1")

Answers: auth.test, chat.postMessage/postEphemeral/update, views.publish/open, users.lookupByEmail
(from `directory`, else users_not_found), users.info (from `profiles`; a profile's "tz" is the user's
time zone), users.profile.get (the same profiles: status_emoji, status_text, status_expiration),
usergroups.users.update (recorded, ok), apps.connections.open (returns `socket_url`), conversations.open,
and the file upload flow of files_upload_v2: files.getUploadURLExternal
answers an upload URL on this server, the bytes POSTed there are kept, files.completeUploadExternal shares
them (`uploaded()` lists the files with their bytes, title and where they were shared).
`rate_limit(method, times)` answers the next calls with 429 and
Retry-After; `fail(method, error)` answers them with ok=false.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

RESPONSE_URL_METHOD = "response"
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "files")
UPLOAD_METHOD = "upload"  # the POST of a file's bytes to the URL files.getUploadURLExternal gave


@dataclass
class UploadedFile:
    """A file the app uploaded: its bytes, and once completed, its title and the channel it was shared in."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None


@dataclass(frozen=True)
class Call:
    """One request the app made: the Web API method (or "response"), its params, its Authorization header."""

    method: str
    path: str
    params: dict[str, Any]
    auth: str | None
    at: float = field(default_factory=time.monotonic)

    def blocks_text(self) -> str:
        """Every string in the message's blocks (or view), joined: what a user would read."""
        source = self.params.get("blocks") or (self.params.get("view") or {}).get("blocks") or []
        return "\n".join(_strings(source))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("action_id", "block_id", "type") for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


class FakeSlackApi:
    """The fake server; use as a context manager or call start() and stop()."""

    def __init__(self, *, directory: dict[str, str] | None = None, profiles: dict[str, dict[str, Any]] | None = None,
                 bot_user_id: str = "U0RACIBOT", team_id: str = "T0TEST001",
                 socket_url: str = "ws://127.0.0.1:9/link") -> None:
        self.directory = dict(directory or {})  # email -> user id, for users.lookupByEmail
        self.profiles = dict(profiles or {})  # user id -> profile (email, real_name), for users.info
        self.bot_user_id = bot_user_id
        self.team_id = team_id
        self.socket_url = socket_url
        self._calls: list[Call] = []
        self._changed = threading.Condition()
        self._limited: dict[str, tuple[int, int]] = {}  # method -> (calls left, Retry-After seconds)
        self._failing: dict[str, list[str]] = {}  # method -> errors to answer, in order
        self._ts = itertools.count(1)
        self._files: dict[str, UploadedFile] = {}
        self._file_ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # a short poll: shutdown() waits for the serving loop to look, and every test stops a fake
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-slack", daemon=True)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # -- what the app did ------------------------------------------------------------------------

    def calls(self, method: str | None = None, where: Callable[[Call], bool] | None = None) -> list[Call]:
        with self._changed:
            found = [c for c in self._calls if method in (None, c.method)]
        return [c for c in found if where is None or where(c)]

    def wait_for(self, method: str, where: Callable[[Call], bool] | None = None, *, count: int = 1,
                 timeout: float = 5.0) -> list[Call]:
        """The first `count` matching calls, waiting up to `timeout` seconds; AssertionError if they never come."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self._calls if c.method == method and (where is None or where(c))]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls[-10:]]
                    raise AssertionError(f"{count} {method} call(s) expected within {timeout}s, got {len(found)}; "
                                         f"last calls: {seen}")
                self._changed.wait(left)

    def response(self, name: str, *, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The POSTs to response_url(name)."""
        return self.wait_for(RESPONSE_URL_METHOD, lambda c: c.path == f"/response/{name}", count=count,
                             timeout=timeout)

    def uploaded(self) -> list[UploadedFile]:
        """Files uploaded and shared (files.completeUploadExternal), in upload order."""
        with self._changed:
            return [f for f in self._files.values() if f.channel is not None]

    # -- how it answers --------------------------------------------------------------------------

    def rate_limit(self, method: str, times: int = 1, *, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After."""
        with self._changed:
            self._limited[method] = (times, retry_after)

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with {"ok": false, "error": error}."""
        with self._changed:
            self._failing.setdefault(method, []).extend([error] * times)

    def _record(self, call: Call) -> tuple[int, dict[str, str], Any]:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()
            left, retry_after = self._limited.get(call.method, (0, 0))
            if left > 0:
                self._limited[call.method] = (left - 1, retry_after)
                return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
            failing = self._failing.get(call.method)
            if failing:
                return 200, {}, {"ok": False, "error": failing.pop(0)}
        if call.method == RESPONSE_URL_METHOD:
            return 200, {}, "ok"
        if call.method == UPLOAD_METHOD:
            return self._receive_upload(call)
        return 200, {}, self._answer(call.method, call.params)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        answers: dict[str, Callable[[], dict[str, Any]]] = {
            "auth.test": lambda: {"url": "https://fake.slack.test/", "team": "Test", "user": "raci",
                                  "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": "B0RACIBOT"},
            "chat.postMessage": lambda: {"channel": params.get("channel"), "ts": ts,
                                         "message": {"text": params.get("text"), "ts": ts}},
            "chat.postEphemeral": lambda: {"message_ts": ts},
            "chat.update": lambda: {"channel": params.get("channel"), "ts": params.get("ts"),
                                    "text": params.get("text")},
            "views.publish": lambda: {"view": {"id": "V" + ts.replace(".", ""), **(params.get("view") or {})}},
            "views.open": lambda: {"view": {"id": "V" + ts.replace(".", ""), **(params.get("view") or {})}},
            "users.lookupByEmail": lambda: self._lookup(params.get("email", "")),
            "users.info": lambda: self._user(params.get("user", "")),
            "users.profile.get": lambda: {"profile": self._user(params.get("user", ""))["user"]["profile"]},
            "usergroups.users.update": lambda: {"usergroup": {"id": params.get("usergroup"),
                                                              "users": str(params.get("users", "")).split(",")}},
            "users.list": lambda: self._users_page(int(params.get("limit") or 200), params.get("cursor") or "0"),
            "apps.connections.open": lambda: {"url": self.socket_url},
            "files.getUploadURLExternal": lambda: self._upload_url(params),
            "files.completeUploadExternal": lambda: self._complete_upload(params),
            "conversations.open": lambda: {"channel": {"id": "D" + str(params.get("users", "X")).split(",")[0][1:]}},
        }
        if method not in answers:
            return {"ok": False, "error": "unknown_method"}
        return {"ok": True, **answers[method]()}

    def _upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._file_ids):08d}"
        with self._changed:
            self._files[file_id] = UploadedFile(file_id, str(params.get("filename")), int(params.get("length") or 0))
        return {"file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}

    def _receive_upload(self, call: Call) -> tuple[int, dict[str, str], Any]:
        """Like Slack's upload URL: 200 "OK - <length>", or 404 for a URL it never gave."""
        file_id = call.path.rsplit("/", 1)[-1]
        with self._changed:
            found = self._files.get(file_id)
            if found is None:
                return 404, {}, "not found"
            found.data = call.params["body"]
        return 200, {}, f"OK - {len(found.data)}"

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        shared = []
        with self._changed:
            for item in params.get("files") or []:
                found = self._files.get(item.get("id"))
                if found is None or found.data is None:
                    raise _SlackError("file_not_found")  # completed before its bytes arrived
                if len(found.data) != found.length:
                    raise _SlackError("file_upload_size_mismatch")
                found.title = item.get("title") or found.filename
                found.channel = params.get("channel_id") or params.get("channels")
                found.initial_comment = params.get("initial_comment")
                shared.append({"id": found.id, "name": found.filename, "title": found.title, "size": found.length})
        return {"files": shared}

    def _lookup(self, email: str) -> dict[str, Any]:
        user_id = self.directory.get(email.casefold())
        if user_id is None:
            raise _SlackError("users_not_found")
        return {"user": {"id": user_id, "team_id": self.team_id, "profile": {"email": email}}}

    def _users_page(self, limit: int, cursor: str) -> dict[str, Any]:
        """users.list: everyone in `profiles`, `limit` a page, the next offset as the cursor."""
        ids = sorted(self.profiles)
        start = int(cursor)
        members = [self._user(uid)["user"] for uid in ids[start:start + limit]]
        following = str(start + limit) if start + limit < len(ids) else ""
        return {"members": members, "response_metadata": {"next_cursor": following}}

    def _user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self.profiles:
            raise _SlackError("user_not_found")
        profile = dict(self.profiles[user_id])
        tz = {"tz": profile["tz"]} if "tz" in profile else {}  # Slack puts the time zone beside the profile
        return {"user": {"id": user_id, "team_id": self.team_id, "profile": profile, **tz}}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                path = self.path.split("?")[0]
                body = self._body()
                if path.startswith("/upload/"):
                    self._send(*fake._record(Call(UPLOAD_METHOD, path, {"body": body}, None)))
                    return
                params = _params(self.headers.get("Content-Type", ""), body)
                if path.startswith("/api/"):
                    method = path.removeprefix("/api/")
                elif path.startswith("/response/"):
                    method = RESPONSE_URL_METHOD
                else:
                    self._send(404, {}, {"ok": False, "error": "not_found"})
                    return
                token = params.pop("token", None)
                auth = self.headers.get("Authorization") or (f"Bearer {token}" if token else None)
                try:
                    status, headers, body = fake._record(Call(method, path, params, auth))
                except _SlackError as exc:
                    status, headers, body = 200, {}, {"ok": False, "error": exc.error}
                self._send(status, headers, body)

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
                raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                content_type = "text/plain" if isinstance(body, str) else "application/json; charset=utf-8"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)

        return Handler


class _SlackError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    params = json.loads(body) if "json" in content_type else dict(parse_qsl(body.decode(), keep_blank_values=True))
    for key in _JSON_FIELDS:
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params
