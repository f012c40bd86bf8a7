"""A scripted OpenAI-compatible server over real HTTP, for tests and benchmarks.

    with FakeOpenAIServer(schema_responder, faults=["503", "schema"]) as server:
        client = LLMClient(LLMConfig(base_url=server.base_url, model="fake", ...))
        ...
        assert server.count == 3

The responder gets the request body (a dict) and returns the assistant content: a dict (sent as
JSON) or a string (sent as is). Faults replace the normal answer, chosen per request either by a
script (a list of fault names in request order, "ok" for a normal answer; requests past its end are
answered normally), by rate (a {fault: probability} mapping drawn with a seeded RNG), or by the request
itself (``fault_for(body)`` returns a fault name, or None to leave it to the script or rates):

    429 500 502 503   HTTP errors with an OpenAI-style error body (429 carries Retry-After)
    reset             close the connection without answering
    slow              sleep ``slow_seconds`` (longer than the client's timeout), then answer
    malformed         content that is not JSON
    schema            JSON that violates the requested schema
    length            half of the real answer, finish_reason "length"
    refusal           message.refusal set, content null
    empty             "choices": []
    html              a 200 with a web page instead of JSON (a proxy, or a base URL pointing at a web UI)
    truncated         a 200 whose JSON body stops half way (its Content-Length says so: the cut is in the body)

Structured-output dialects: ``supports_json_schema=False`` refuses ``json_schema`` (HTTP
``json_schema_error_status``); ``accepts_schema_key=False`` also refuses ``json_object`` with a ``schema``
key (a strict JSON-mode-only server); ``dialect="llamacpp"`` answers as llama-cpp-python 0.3 does (measured
on 0.3.36): ``json_schema`` gets HTTP 500 with its pydantic error, ``json_object`` + ``schema`` is honoured
(its grammar), and /v1/models lists the model alias and nothing about the context window.
``accepts_response_format=False`` refuses any ``response_format`` (a server with no JSON mode); a request
without one (text mode) is answered as a small model answers, its JSON fenced after a sentence.
``model_info`` adds fields to the /v1/models entry (``{"max_model_len": 4096}``, ``{"meta": {...}}``) and
``props`` is served at GET /props (llama.cpp's server; 404 otherwise). ``dialect="reasoning"`` answers as
OpenAI does for o-series and gpt-5* models: a request with ``temperature`` or ``max_tokens`` gets HTTP 400
naming it (``max_completion_tokens`` is the one it takes), and a budget under REASONING_TOKENS plus the
answer gets an empty answer cut off for length, as a model that thinks before it answers gives.

The Batch API is scripted too (``/v1/files``, ``/v1/batches``, ``/v1/files/{id}/content``): an uploaded
JSONL file of chat requests becomes a batch that is ``validating``, then ``in_progress``, and ``completed``
after ``batch_polls`` polls, when every line is answered by the responder (``batch_lines`` counts them;
``requests`` holds only direct chat requests). ``batch_fail`` names custom_ids answered with an error line;
``batch_status`` forces a terminal status (``failed``, ``expired``) instead of ``completed``.

Run it by hand:  python tests/fake_openai_server.py --port 8765 [--faults 503,ok,schema] [--llamacpp]
"""
from __future__ import annotations

import argparse
import email.policy
import json
import math
import random
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("429", "500", "502", "503", "reset", "slow", "malformed", "schema", "length", "refusal", "empty", "html",
          "truncated")

Responder = Callable[[dict], "dict | str"]

# What llama.cpp's server answered before it learned json_schema (vLLM and others word it similarly).
JSON_SCHEMA_UNSUPPORTED = 'response_format type must be one of "text" or "json_object", but got: json_schema'
# What llama-cpp-python 0.3.36's server answers to json_schema: HTTP 500, this message (path shortened).
LLAMACPP_JSON_SCHEMA_ERROR = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
    "'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File \"llama_cpp/server/app.py\", line 376, "
    "in create_chat_completion\n    POST /v1/chat/completions")
# What a server without any JSON mode answers to a response_format.
RESPONSE_FORMAT_UNSUPPORTED = "Unrecognized request argument supplied: response_format"

REASONING_TOKENS = 64  # hidden reasoning a scripted reasoning model spends before its answer
# What OpenAI answers a reasoning model's request (o1/o3/o4-mini, gpt-5*) that carries these parameters.
REASONING_REFUSALS = {
    "temperature": "Unsupported value: 'temperature' does not support 0.0 with this model. Only the default (1) "
                   "value is supported.",
    "max_tokens": "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                  "'max_completion_tokens' instead.",
}

# What a JSON-mode-only server with strict request validation answers to a schema key.
SCHEMA_KEY_UNSUPPORTED = "Unrecognized request argument supplied: schema"


# --- responders -----------------------------------------------------------------------------------

def request_schema(request: dict) -> dict | None:
    """The JSON Schema a request asks for, whichever structured mode sent it."""
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    if fmt.get("schema"):
        return fmt["schema"]  # llama.cpp's json_object + schema
    for message in request.get("messages", []):
        if message.get("role") == "system":
            text = message.get("content") or ""
            at = text.find("JSON Schema: ")
            if at >= 0:
                return json.JSONDecoder().raw_decode(text, at + len("JSON Schema: "))[0]
    return None


def minimal_instance(schema: dict, root: dict | None = None) -> object:
    """The smallest value valid against a (simple) JSON Schema: required properties only, empty
    arrays, first enum value, first anyOf branch."""
    root = root if root is not None else schema
    if "$ref" in schema:
        node: object = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]  # type: ignore[index]
        return minimal_instance(node, root)  # type: ignore[arg-type]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return minimal_instance(schema["anyOf"][0], root)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {k: minimal_instance(props[k], root) for k in schema.get("required", []) if k in props}
    return {"array": [], "string": "x", "integer": 0, "number": 0, "boolean": False, "null": None}[kind]


def schema_responder(request: dict) -> dict:
    """Answers a minimal valid instance of whatever schema the request asks for."""
    schema = request_schema(request)
    return minimal_instance(schema) if schema else {}  # type: ignore[return-value]


class ScriptedResponder:
    """Answers from a queue, in request order, then falls back to ``then``. Each queued answer is
    content (dict or str) or a responder to call with the request."""

    def __init__(self, answers: Sequence[object], *, then: Responder = schema_responder):
        self._answers = list(answers)
        self._then = then
        self._lock = threading.Lock()

    def __call__(self, request: dict) -> dict | str:
        with self._lock:
            answer = self._answers.pop(0) if self._answers else self._then
        return answer(request) if callable(answer) else answer  # type: ignore[return-value]


# --- the server -----------------------------------------------------------------------------------

class FakeOpenAIServer:
    def __init__(
        self,
        responder: Responder = schema_responder,
        *,
        latency: float = 0.0,
        faults: Sequence[str | None] | Mapping[str, float] | None = None,
        seed: int = 0,
        supports_json_schema: bool = True,
        json_schema_error_status: int = 400,
        accepts_schema_key: bool = True,
        accepts_response_format: bool = True,
        dialect: str = "openai",
        model_info: Mapping[str, object] | None = None,
        props: Mapping[str, object] | None = None,
        lists_models: bool = True,
        slow_seconds: float = 2.0,
        retry_after: float = 0.0,
        api_key: str | None = None,
        model: str = "fake-model",
        fault_for: Callable[[dict], "str | None"] | None = None,
        prompt_cache_quirk: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        unknown = set(faults or ()) - set(FAULTS) - {"ok", None}
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown, key=str)}; known: {FAULTS}")
        self.responder = responder
        self.latency = latency
        self.script = list(faults) if faults is not None and not isinstance(faults, Mapping) else None
        self.rates = dict(faults) if isinstance(faults, Mapping) else {}
        if dialect not in ("openai", "llamacpp", "reasoning"):
            raise ValueError(f"unknown dialect {dialect!r}: openai, llamacpp or reasoning")
        self.dialect = dialect
        self.supports_json_schema = supports_json_schema and dialect != "llamacpp"
        self.json_schema_error_status = 500 if dialect == "llamacpp" else json_schema_error_status
        self.accepts_schema_key = accepts_schema_key
        self.accepts_response_format = accepts_response_format
        self.model_info = dict(model_info or {})
        self.props = dict(props) if props is not None else None
        # llama.cpp's prompt cache, as measured on llama-cpp-python: a request whose prompt is the very one the
        # server read last (a retry of a reply lost on the way) is evaluated from another batch layout and may
        # answer otherwise; here its last item's statement comes out in other words
        self.prompt_cache_quirk = prompt_cache_quirk
        self._last_prompt: str | None = None
        self.quirky_answers = 0
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.api_key = api_key  # when set, other keys get a 401
        self.fault_for = fault_for  # picks a fault from the request itself (None: the script or rates decide)
        self.model = model
        self.requests: list[dict] = []  # chat request bodies, in arrival order
        self.gets: list[str] = []  # paths of GET requests (/v1/models, /props), in arrival order
        self.lists_models = lists_models
        self.faults_served: list[str] = []  # the fault (or "ok") each of those got
        self.rejected_params: list[str] = []  # reasoning dialect: the parameters it refused, in order
        self.in_flight = 0
        self.max_in_flight = 0
        # the Batch API
        self.batch_polls = 2  # polls before a batch completes
        self.batch_fail: set[str] = set()  # custom_ids answered with an error line
        self.batch_status = "completed"  # or "failed" / "expired": how every batch ends
        self.files: dict[str, dict] = {}
        self.batches: dict[str, dict] = {}
        self.batch_lines: list[dict] = []  # request bodies answered inside batches
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._httpd = _QuietServer((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def start(self) -> FakeOpenAIServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _admit(self, body: dict) -> str:
        """Record a request and pick its fault."""
        with self._lock:
            n = len(self.requests)
            self.requests.append(body)
            chosen = self.fault_for(body) if self.fault_for is not None else None
            if chosen is not None:
                fault = chosen
            elif self.script is not None:
                fault = (self.script[n] if n < len(self.script) else None) or "ok"
            else:
                fault, draw = "ok", self._rng.random()
                for name, rate in self.rates.items():
                    if draw < rate:
                        fault = name
                        break
                    draw -= rate
            self.faults_served.append(fault)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return fault

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def completion(self, body: dict, fault: str) -> dict:
        """The response body for a request that got through (fault is a content-level one or ok)."""
        finish, refusal, content = "stop", None, None
        choices_empty = fault == "empty"
        if fault == "malformed":
            content = "Sure! Here is the JSON you asked for: {claims: [statement: 'unterminated"
        elif fault == "schema":
            content = json.dumps({"unexpected": "this object does not follow the schema"})
        elif fault == "refusal":
            refusal = "I'm sorry, but I can't help with that request."
        elif not choices_empty:
            answer = self.responder(body)
            prompt = json.dumps(body.get("messages"), sort_keys=True)
            with self._lock:
                repeated, self._last_prompt = prompt == self._last_prompt, prompt
            if self.prompt_cache_quirk and repeated and isinstance(answer, dict) and answer.get("items"):
                last = {**answer["items"][-1]}
                last["statement"] = "On a second reading, " + str(last.get("statement", ""))
                answer = {**answer, "items": [*answer["items"][:-1], last]}
                with self._lock:
                    self.quirky_answers += 1
            content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
            if not body.get("response_format") and not isinstance(answer, str):
                # asked without JSON mode, a small model talks around its JSON and fences it
                content = f"Here is the JSON:\n```json\n{json.dumps(answer, ensure_ascii=False, indent=2)}\n```\n"
            if fault == "length":
                content, finish = content[: len(content) // 2], "length"
            if self.dialect == "reasoning" and body.get("max_completion_tokens") is not None and \
                    body["max_completion_tokens"] < REASONING_TOKENS + math.ceil(len(content) / 4):
                # a reasoning model spends its budget thinking first: too small a budget leaves no answer
                content, finish = "", "length"
        prompt_chars = sum(len(m.get("content") or "") for m in body.get("messages", []))
        completion_tokens = math.ceil(len(content or refusal or "") / 4)
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": refusal},
            "finish_reason": finish,
            "logprobs": None,
        }
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [] if choices_empty else [choice],
            "usage": {
                "prompt_tokens": math.ceil(prompt_chars / 4),
                "completion_tokens": completion_tokens,
                "total_tokens": math.ceil(prompt_chars / 4) + completion_tokens,
            },
        }


    # --- the Batch API ----------------------------------------------------------------------------

    def add_file(self, data: bytes, filename: str, purpose: str) -> dict:
        with self._lock:
            fid = f"file-fake-{len(self.files) + 1}"
            self.files[fid] = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                               "filename": filename, "purpose": purpose, "status": "processed", "data": data}
        return self.file_object(fid)

    def file_object(self, fid: str) -> dict:
        return {k: v for k, v in self.files[fid].items() if k != "data"}

    def create_batch(self, body: dict) -> tuple[int, dict]:
        fid = body.get("input_file_id")
        if fid not in self.files:
            return 400, _error_body(400, f"No such file: {fid}", "invalid_request_error")
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            return 400, _error_body(400, "endpoint must be /v1/chat/completions and completion_window 24h",
                                    "invalid_request_error")
        lines = [json.loads(x) for x in self.files[fid]["data"].decode("utf-8").splitlines() if x.strip()]
        ids = [x.get("custom_id") for x in lines]
        if len(set(ids)) != len(ids) or not all(ids) or any(x.get("url") != "/v1/chat/completions" for x in lines):
            return 400, _error_body(400, "every line needs a unique custom_id and url /v1/chat/completions",
                                    "invalid_request_error")
        with self._lock:
            bid = f"batch_fake_{len(self.batches) + 1}"
            self.batches[bid] = {
                "id": bid, "object": "batch", "endpoint": body["endpoint"], "errors": None, "input_file_id": fid,
                "completion_window": "24h", "status": "validating", "output_file_id": None, "error_file_id": None,
                "created_at": int(time.time()), "metadata": body.get("metadata"),
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0}, "_polls": 0, "_lines": lines}
        return 200, self.batch_object(bid)

    def batch_object(self, bid: str) -> dict:
        return {k: v for k, v in self.batches[bid].items() if not k.startswith("_")}

    def poll_batch(self, bid: str) -> dict:
        with self._lock:
            b = self.batches[bid]
            b["_polls"] += 1
            finish = b["status"] not in ("completed", "failed", "expired", "cancelled") and b["_polls"] >= self.batch_polls
            if not finish and b["status"] == "validating":
                b["status"] = "in_progress"
        if finish:
            self._run_batch(b)
        return self.batch_object(bid)

    def _run_batch(self, b: dict) -> None:
        if self.batch_status != "completed":
            with self._lock:
                b["status"] = self.batch_status
            return
        out, err = [], []
        for n, line in enumerate(b["_lines"], start=1):
            cid = line["custom_id"]
            if cid in self.batch_fail:
                err.append({"id": f"batch_req_{n}", "custom_id": cid, "response": None,
                            "error": {"code": "server_error", "message": "scripted failure"}})
                continue
            with self._lock:
                self.batch_lines.append(line["body"])
            out.append({"id": f"batch_req_{n}", "custom_id": cid, "error": None,
                        "response": {"status_code": 200, "request_id": f"req_{n}",
                                     "body": self.completion(line["body"], "ok")}})
        # results come back in any order: the client must match them by custom_id
        out.reverse()
        dump = (lambda rows: ("\n".join(json.dumps(r) for r in rows) + "\n").encode("utf-8"))
        output = self.add_file(dump(out), "batch_output.jsonl", "batch_output")["id"] if out else None
        errors = self.add_file(dump(err), "batch_errors.jsonl", "batch_output")["id"] if err else None
        with self._lock:
            b.update(status="completed", output_file_id=output, error_file_id=errors,
                     request_counts={"total": len(b["_lines"]), "completed": len(out), "failed": len(err)})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # dropped connections are the point of some faults; don't spray tracebacks


def _error_body(status: int, message: str, kind: str, code: object = None) -> dict:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like real servers
        timeout = 10  # idle keep-alive connections go away eventually

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def send_json(self, status: int, body: dict, headers: Mapping[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                self.close_connection = True

        def authorised(self) -> bool:
            if server.api_key is None or self.headers.get("Authorization") == f"Bearer {server.api_key}":
                return True
            given = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            # echo the key back, as some servers do, so tests can check the client redacts it
            self.send_json(401, _error_body(401, f"Incorrect API key provided: {given}.",
                                            "invalid_request_error", "invalid_api_key"))
            return False

        def do_GET(self) -> None:
            path = self.path.rstrip("/")
            m = re.fullmatch(r"/v1/(batches|files)/([\w-]+)(/content)?", path)
            if m:
                if not self.authorised():
                    return
                kind, oid, content = m.groups()
                store = server.batches if kind == "batches" else server.files
                if oid not in store or (content and kind != "files"):
                    self.send_json(404, _error_body(404, f"No such object: {oid}", "invalid_request_error"))
                elif kind == "batches":
                    self.send_json(200, server.poll_batch(oid))
                elif content:
                    data = server.files[oid]["data"]
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    self.send_json(200, server.file_object(oid))
                return
            with server._lock:
                server.gets.append(path)
            if path == "/props" and server.props is not None:
                self.send_json(200, server.props)
            elif path != "/v1/models" or not server.lists_models:
                self.send_json(404, _error_body(404, f"Not found: {self.path}", "not_found_error"))
            elif self.authorised():
                entry = ({"id": server.model, "object": "model", "owned_by": "me", "permissions": []}
                         if server.dialect == "llamacpp" else
                         {"id": server.model, "object": "model", "created": 0, "owned_by": "fake"})
                self.send_json(200, {"object": "list", "data": [{**entry, **server.model_info}]})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.rstrip("/") in ("/v1/files", "/v1/batches"):
                if self.authorised():
                    self.batch_api(self.path.rstrip("/"), raw)
                return
            if self.path.rstrip("/") != "/v1/chat/completions":
                self.send_json(404, _error_body(404, f"Not found: {self.path}", "not_found_error"))
                return
            if not self.authorised():
                return
            body = self.json_body(raw)
            if body is None:
                return
            fault = server._admit(body)
            try:
                self.answer(body, fault)
            finally:
                server._done()

        def json_body(self, raw: bytes):
            """The request's JSON, or None after answering 400 as the real API does."""
            try:
                return json.loads(raw)
            except ValueError:
                self.send_json(400, _error_body(400, "request body is not JSON", "invalid_request_error"))
                return None

        def batch_api(self, path: str, raw: bytes) -> None:
            if path == "/v1/files":
                # multipart/form-data: the stdlib's email parser reads it
                msg = BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + (self.headers.get("Content-Type") or "").encode() + b"\r\n\r\n" + raw)
                fields = {part.get_param("name", header="content-disposition"): part for part in msg.iter_parts()}
                if "file" not in fields or "purpose" not in fields:
                    self.send_json(400, _error_body(400, "file and purpose are required", "invalid_request_error"))
                    return
                purpose = fields["purpose"].get_content().strip()
                upload = fields["file"]
                self.send_json(200, server.add_file(upload.get_payload(decode=True), upload.get_filename() or "file",
                                                    purpose))
                return
            body = self.json_body(raw)
            if body is None:
                return
            status, answer = server.create_batch(body)
            self.send_json(status, answer)

        def answer(self, body: dict, fault: str) -> None:
            if server.latency:
                time.sleep(server.latency)
            fmt = body.get("response_format") or {}
            if server.dialect == "reasoning" and ("temperature" in body or "max_tokens" in body):
                param = "temperature" if "temperature" in body else "max_tokens"
                with server._lock:
                    server.rejected_params.append(param)
                self.send_json(400, _error_body(400, REASONING_REFUSALS[param], "invalid_request_error",
                                                "unsupported_value" if param == "temperature" else
                                                "unsupported_parameter"))
            elif fmt.get("type") == "json_schema" and not server.supports_json_schema:
                status = server.json_schema_error_status
                if server.dialect == "llamacpp":
                    self.send_json(500, _error_body(500, LLAMACPP_JSON_SCHEMA_ERROR, "internal_server_error"))
                else:
                    self.send_json(status, {"error": {"code": status, "message": JSON_SCHEMA_UNSUPPORTED,
                                                      "type": "invalid_request_error"}})
            elif fmt and not server.accepts_response_format:
                self.send_json(400, _error_body(400, RESPONSE_FORMAT_UNSUPPORTED, "invalid_request_error"))
            elif "schema" in fmt and not server.accepts_schema_key:
                self.send_json(400, _error_body(400, SCHEMA_KEY_UNSUPPORTED, "invalid_request_error"))
            elif fault == "429":
                self.send_json(429, _error_body(429, "Rate limit reached for requests", "requests",
                                                "rate_limit_exceeded"),
                               {"retry-after": str(math.ceil(server.retry_after)),
                                "retry-after-ms": str(int(server.retry_after * 1000))})
            elif fault in ("500", "502", "503"):
                self.send_json(int(fault), _error_body(int(fault), f"The server had an error ({fault})",
                                                       "server_error"))
            elif fault == "html":
                page = b"<!doctype html><html><body>Welcome to the web UI</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            elif fault == "truncated":
                data = json.dumps(server.completion(body, "ok")).encode("utf-8")
                data = data[: len(data) // 2]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif fault == "reset":
                # SO_LINGER 0: close() sends a TCP RST instead of a polite FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
            else:
                if fault == "slow":
                    time.sleep(server.slow_seconds)
                self.send_json(200, server.completion(body, fault))

    return Handler


def main(argv: Sequence[str] | None = None, responder: Responder = schema_responder) -> None:
    parser = argparse.ArgumentParser(description="Scripted OpenAI-compatible server for briefsmith tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--faults", help="comma-separated script, e.g. 503,ok,schema")
    parser.add_argument("--fault-rate", help="comma-separated rates, e.g. 503=0.1,reset=0.05")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-json-schema", action="store_true", help="reject response_format json_schema")
    parser.add_argument("--llamacpp", action="store_true",
                        help="answer like llama-cpp-python: json_schema refused (HTTP 500), json_object + schema honoured")
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--api-key", help="require this key")
    args = parser.parse_args(argv)
    faults: Sequence[str] | Mapping[str, float] | None = None
    if args.faults:
        faults = args.faults.split(",")
    elif args.fault_rate:
        faults = {k: float(v) for k, v in (pair.split("=") for pair in args.fault_rate.split(","))}
    server = FakeOpenAIServer(
        responder, latency=args.latency, faults=faults, seed=args.seed,
        supports_json_schema=not args.no_json_schema, slow_seconds=args.slow_seconds,
        dialect="llamacpp" if args.llamacpp else "openai",
        api_key=args.api_key, host=args.host, port=args.port,
    )
    with server:
        print(f"fake OpenAI server at {server.base_url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
