"""A fake Slack Socket Mode server: one WebSocket on 127.0.0.1 that sends envelopes and records the app's acks.

    with FakeSocketMode() as socket_mode:
        slack_api.socket_url = socket_mode.url       # what apps.connections.open hands out
        socket_mode.wait_connected()
        envelope_id = socket_mode.send("slash_commands", command_form(...))
        socket_mode.wait_ack(envelope_id)
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_ids = itertools.count(1)


class FakeSocketMode:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._received: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._send_lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="fake-socket-mode", daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake"

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed = True
        for sock in (self._conn, self._listener):
            if sock is not None:
                sock.close()

    def wait_connected(self, timeout: float = 10.0) -> None:
        self._wait(lambda: self._conn is not None, timeout, "the app never connected")

    def send(self, kind: str, payload: dict[str, Any]) -> str:
        """Send an envelope (events_api, slash_commands, interactive) and return its id."""
        envelope_id = f"env-{next(_ids)}"
        self._send_text(json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": kind != "events_api", "retry_attempt": 0}))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        found: list[dict[str, Any]] = []

        def acked() -> bool:
            found[:] = [m for m in self._received if m.get("envelope_id") == envelope_id]
            return bool(found)

        self._wait(acked, timeout, f"envelope {envelope_id} was never acknowledged")
        return found[0]

    def _wait(self, condition: Any, timeout: float, message: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(message)
                self._changed.wait(left)

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
            self._handshake(conn)
        except OSError:
            return
        with self._changed:
            self._conn = conn
            self._changed.notify_all()
        self._send_text(json.dumps({"type": "hello", "num_connections": 1}))
        while not self._closed:
            try:
                opcode, data = _read_frame(conn)
            except (OSError, ConnectionError):
                return
            if opcode == 0x9:  # ping
                self._send_frame(0xA, data)
            elif opcode == 0x1:
                with self._changed:
                    self._received.append(json.loads(data))
                    self._changed.notify_all()
            elif opcode == 0x8:
                return

    def _handshake(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            request += chunk
        headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
        key = {k.lower(): v for k, v in headers.items()}["sec-websocket-key"].strip()
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())

    def _send_text(self, text: str) -> None:
        self._send_frame(0x1, text.encode())

    def _send_frame(self, opcode: int, data: bytes) -> None:
        assert self._conn is not None
        n = len(data)
        head = bytes([0x80 | opcode]) + (bytes([n]) if n < 126 else
                                         struct.pack("!BH", 126, n) if n < 65536 else struct.pack("!BQ", 127, n))
        with self._send_lock:
            self._conn.sendall(head + data)


def _read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(conn: socket.socket) -> tuple[int, bytes]:
    b0, b1 = _read_exact(conn, 2)
    length = b1 & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exact(conn, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exact(conn, 8))
    mask = _read_exact(conn, 4) if b1 & 0x80 else b"\0\0\0\0"
    payload = _read_exact(conn, length)
    return b0 & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
