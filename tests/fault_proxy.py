"""A fault-injecting HTTP proxy for an OpenAI-compatible server: real sockets, nothing patched.

    with FakeOpenAIServer(newsroom) as upstream, FaultProxy(upstream.base_url, rates={"truncated": 0.2}) as proxy:
        run_pipeline(..., base_url=proxy.base_url)

Every request is forwarded to the upstream server; some answers are spoiled on the way back:

    429 500 503   an error status with an OpenAI-style body (the upstream is not asked)
    drop          the connection closed with a TCP reset once the upstream has answered
    truncated     the upstream's body cut in half, Content-Length matching the cut (a body that ends mid-JSON)
    off_schema    a chat completion whose content is JSON off any schema
    length        a chat completion whose content is cut in half, finish_reason "length"
    empty         a chat completion with no choices

The status and drop faults hit any request (chat, the model list, the Batch API's uploads and polls); the
other four spoil chat completions only, and on other requests fall back to `truncated`. The fault of a
request is drawn from a generator seeded by (seed, the request's logical call, its attempt number), so the
same calls get the same faults whatever order the threads send them in. A logical call is a chat request's
first two messages (re-asks and retries repeat them), or a request's method, path and body. Only the first
``max_faulty`` attempts of a call may be spoiled, so no call outlasts the client's retries unless
``always`` says it should (a function of the request that names a fault for every attempt).
"""
from __future__ import annotations

import hashlib
import http.client
import json
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

KINDS = ("429", "500", "503", "drop", "truncated", "off_schema", "length", "empty")
CHAT_ONLY = {"off_schema", "length", "empty"}


def call_key(method: str, path: str, body: bytes) -> str:
    """One logical call: a chat request's first two messages, else the whole request."""
    try:
        messages = json.loads(body)["messages"][:2]
        text = "\x00".join(m.get("content") or "" for m in messages)
    except (ValueError, KeyError, TypeError, AttributeError):
        text = f"{method} {path}\x00{body.decode('utf-8', 'replace')}"
    return hashlib.sha256(text.encode()).hexdigest()


class FaultProxy:
    def __init__(self, upstream: str, *, rates: Mapping[str, float] | None = None, seed: int = 0,
                 max_faulty: int = 2, always: Callable[[str, dict | None], str | None] | None = None,
                 upstream_timeout: float = 900.0):
        # a real model's merge call takes minutes: a shorter wait here would drop it, a fault nobody injected
        self.upstream_timeout = upstream_timeout
        unknown = set(rates or {}) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {KINDS}")
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/").removesuffix("/v1")
        self.rates = dict(rates or {})
        self.seed = seed
        self.max_faulty = max_faulty
        self.always = always  # (path, chat body or None) -> a fault for every attempt, or None
        self.attempts: Counter[str] = Counter()
        self.served: list[tuple[str, str, dict | None]] = []  # (path, fault or "ok", chat body) per request
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda *a: None  # dropped connections are the point

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def faults(self) -> Counter:
        with self._lock:
            return Counter(f for _, f, _ in self.served if f != "ok")

    def pick(self, method: str, path: str, raw: bytes) -> str:
        """The fault for this request (or "ok"), by its call and attempt."""
        chat = None
        try:
            chat = json.loads(raw) if path.endswith("/chat/completions") else None
        except ValueError:
            pass
        key = call_key(method, path, raw)
        with self._lock:
            self.attempts[key] += 1
            attempt = self.attempts[key]
        fault = self.always(path, chat) if self.always else None
        if fault is None and attempt <= self.max_faulty:
            draw = random.Random(f"{self.seed}:{key}:{attempt}").random()
            for name, rate in self.rates.items():
                if draw < rate:
                    fault = name
                    break
                draw -= rate
        if fault in CHAT_ONLY and chat is None:
            fault = "truncated"
        fault = fault or "ok"
        with self._lock:
            self.served.append((path, fault, chat))
        return fault

    def forward(self, method: str, path: str, headers, raw: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=self.upstream_timeout)
        try:
            keep = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection", "content-length")}
            conn.request(method, self.prefix + path, body=raw if method == "POST" else None,
                         headers={**keep, "Content-Length": str(len(raw))} if method == "POST" else keep)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def start(self) -> FaultProxy:
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def spoil(fault: str, data: bytes) -> bytes:
    """A chat completion's body with the content-level fault applied."""
    body = json.loads(data)
    if fault == "empty":
        body["choices"] = []
    elif body.get("choices"):
        message = body["choices"][0]["message"]
        if fault == "off_schema":
            message["content"] = json.dumps({"unexpected": "this object follows no schema"})
        elif fault == "length":
            content = message.get("content") or ""
            message["content"] = content[: len(content) // 2]
            body["choices"][0]["finish_reason"] = "length"
    return json.dumps(body).encode("utf-8")


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.relay("GET", b"")

        def do_POST(self) -> None:
            self.relay("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def send(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
            self.send_response(status)
            for k, v in headers:
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def relay(self, method: str, raw: bytes) -> None:
            fault = proxy.pick(method, self.path, raw)
            if fault in ("429", "500", "503"):
                error = {"error": {"message": f"injected {fault}", "type": "server_error", "param": None,
                                   "code": None}}
                self.send(int(fault), [("Content-Type", "application/json"), ("retry-after", "0")],
                          json.dumps(error).encode())
                return
            status, headers, data = proxy.forward(method, self.path, self.headers, raw)
            if fault == "drop":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if fault == "truncated":
                data = data[: len(data) // 2]
            elif fault in CHAT_ONLY and status == 200:
                data = spoil(fault, data)
            self.send(status, headers, data)

    return Handler
