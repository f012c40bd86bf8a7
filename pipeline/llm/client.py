"""Structured calls to any OpenAI-compatible endpoint: validate, re-ask, retry, cache, log.

Two kinds of failure, handled apart:
- transient faults (429, 5xx, timeouts, dropped connections) are retried with backoff by tenacity,
  bounded by ``max_retries`` and ``max_retry_seconds``;
- invalid outputs (truncated, refused, empty, not JSON, not matching the schema) are re-asked: the
  bad reply and the validation error go back to the model, up to ``reasks`` times.
Anything else (401, 404, a 400 that is not about response_format) fails at once.

In auto mode a server that refuses a structured-output mode is asked in the next weaker one (modes.py):
json_schema, then llama.cpp's json_object + schema (grammar-constrained), then plain json_object. With no
model configured, the model the server lists (served.py) names the requests and keys the cache.
"""
from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, Optional, TypeVar

import jsonschema
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

from ..models import BriefError, Usage
from .prompts import Prompt
from .replies import REPLIES
from .strict import schema_digest, strict_schema
from . import observe
from .cache import DiskCache, cache_key
from .config import PLACEHOLDER_KEY, LLMConfig
from .modes import NEXT_MODE, downgrade_warning, refused, response_format, weaker
from .redact import redact
from .served import DEFAULT_CONTEXT_TOKENS, context_window

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
RETRY_AFTER_CAP = 60.0  # seconds: the longest Retry-After we honour
MAX_BACKOFF = 30.0

REASK = (
    "Your previous reply could not be used: {error}\n"
    "Reply again with only the JSON object, complete and matching the required schema."
)
# Unfenced: a small model shown the schema in a ```json fence fences (and indents) its answers too.
SCHEMA_IN_PROMPT = "\n\nReply with one line: the JSON object alone (no code fence), valid against this JSON Schema: {schema}"


def pasted_schema(schema: dict) -> str:
    """The schema as the modes without json_schema paste it into the system prompt: compact and unfenced,
    since a model mimics the layout it is shown (an indented, fenced schema got indented, fenced answers:
    80 tokens for a 54-token merge answer on the local 1.5B model)."""
    return SCHEMA_IN_PROMPT.format(schema=json.dumps(schema, separators=(",", ":"), ensure_ascii=False))


class LLMError(BriefError):
    """One LLM call (or a batch of them) failed for good."""

    def __init__(self, message: str, *, stage: str, label: str):
        super().__init__(" ".join(message.split()))  # one line, always
        self.stage = stage
        self.label = label


class CallRecord(BaseModel):
    """One logical call: every attempt it took, or the cache hit that replaced them."""
    label: str
    stage: str
    prompt_id: str
    cache_hit: bool
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    outcome: Literal["ok", "cached", "invalid", "error"]
    error: Optional[str] = None
    mode: Optional[str] = None  # the structured-output mode of the answer (of the last attempt if none)


def _salvage(data: Any, validator: jsonschema.protocols.Validator, output: type) -> tuple[dict, list] | None:
    """The reply without its entries that are off the schema, when the output's entries stand on their own
    (`output.each`) and at least one is valid; else None, and the whole reply is re-asked."""
    key = output.each
    if not key or not isinstance(data, dict) or not isinstance(data.get(key), list):
        return None
    good, bad = [], []
    for n, entry in enumerate(data[key]):
        error = jsonschema.exceptions.best_match(validator.iter_errors({**data, key: [entry]}))
        if error is None:
            good.append(entry)
        else:
            where = "/".join(map(str, list(error.absolute_path)[2:])) or "the entry"
            bad.append((entry, f"{key}/{n} at {where}: {error.message[:200]}"))
    rest = {**data, key: good}
    if not good or jsonschema.exceptions.best_match(validator.iter_errors(rest)) is not None:
        return None
    return rest, bad


class _Invalid(Exception):
    """The server answered, but not with a usable output."""

    def __init__(self, reason: str, content: str | None):
        super().__init__(reason)
        self.reason = reason
        self.content = content


class _NotACompletion(ValueError):
    """A 200 whose body is not a chat completion: a web page, a proxy, a wrong base URL."""


# what one request can fail with; openai raises JSONDecodeError for a 200 with a broken JSON body
_REQUEST_ERRORS = (openai.OpenAIError, json.JSONDecodeError, _NotACompletion)


class _FormatRejected(Exception):
    def __init__(self, error: openai.APIStatusError, mode: str):
        super().__init__(str(error))
        self.error = error
        self.mode = mode


class _Reply(NamedTuple):
    completion: Any  # openai ChatCompletion
    messages: list[dict]  # as sent
    mode: str
    seconds: float


class _Call:
    """Per-call tallies (the client-wide ones live in LLMClient.usage)."""

    def __init__(self) -> None:
        self.attempts = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.mode: str | None = None


def _attempts(call: _Call) -> str:
    return f"{call.attempts} attempt{'' if call.attempts == 1 else 's'}"


@lru_cache(maxsize=None)
def _compiled(output: type[BaseModel]) -> tuple[dict, str, jsonschema.protocols.Validator]:
    schema = strict_schema(output)
    return schema, schema_digest(schema), jsonschema.Draft202012Validator(schema)


def stage_name(output: type[BaseModel]) -> str:
    """The registry name of an output model ("extraction", "merge"...), used in errors and as the
    json_schema name."""
    return next((name for name, model in REPLIES.items() if model is output), output.__name__)


def _format(mode: str, schema: dict, stage: str) -> dict:
    rf = response_format(mode, schema, stage)
    return {} if rf is None else {"response_format": rf}


_FENCE = r"```(?:json)?\s*\n(.*?)\n?```"  # a markdown code block, as models without JSON mode wrap their JSON


def _strip_fences(content: str) -> str:
    m = re.fullmatch(rf"\s*{_FENCE}\s*", content, re.DOTALL)
    return m.group(1) if m else content


def _json_values(content: str, limit: int = 20):
    """The JSON objects a reply may hold, in order: the whole reply, each fenced block, then each object that
    starts at a '{' (a model without JSON mode talks around its JSON, drafts, or adds a note after it)."""
    decoder = json.JSONDecoder()
    texts = [_strip_fences(content)] + re.findall(_FENCE, content, re.DOTALL)
    for text in texts:
        try:
            yield json.loads(text)
        except json.JSONDecodeError:
            pass
    at = content.find("{")
    while at >= 0 and limit > 0:
        limit -= 1
        try:
            value, end = decoder.raw_decode(content, at)
            yield value
            at = content.find("{", end)
        except json.JSONDecodeError:
            at = content.find("{", at + 1)


def _retry_after(exc: BaseException | None) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
    except (TypeError, ValueError):
        return None


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code in TRANSIENT_STATUS


class LLMClient:
    def __init__(self, config: LLMConfig, *, log_path: Path | None = None):
        key = config.key()
        if key is None:
            raise BriefError("no API key: set OPENAI_API_KEY or --api-key, or point --base-url at a local server")
        self.config = config
        self.usage = Usage()
        self.records: list[CallRecord] = []
        self._warnings: list[str] = []
        # auto starts with json_schema and steps down (modes.NEXT_MODE) when refused, for the rest of the run
        self.mode = "json_schema" if config.structured_mode == "auto" else config.structured_mode
        self.cache = DiskCache(config.cache_dir) if config.use_cache else None
        self.log_path = log_path
        self._served_model: str | None = None
        self._served_entry: dict = {}  # the server's /v1/models entry for that model
        self._context: int | None = None
        self._model_lock = threading.Lock()
        self._secrets = () if key == PLACEHOLDER_KEY else (key,)
        self._lock = threading.Lock()
        self._openai = openai.OpenAI(
            base_url=config.base_url, api_key=key, timeout=config.timeout, max_retries=0
        )
        self.endpoint = redact(str(self._openai.base_url).rstrip("/"))

    @property
    def warnings(self) -> list[str]:
        """Things the brief's reader should know: a mode downgrade, cache entries found corrupt."""
        with self._lock:
            return [*self._warnings, *(self.cache.warnings if self.cache else [])]

    def __repr__(self) -> str:
        return f"LLMClient(model={self.config.model!r}, endpoint={self.endpoint!r}, mode={self.mode!r})"

    def model_name(self) -> str:
        """The configured model, else the first one the server lists (llama.cpp, vLLM and LM Studio serve
        one model and some insist on its exact name), asked once. It names the requests, keys the cache
        (a server swapped to another model gets a cold cache) and goes into the brief's header."""
        if self.config.model:
            return self.config.model
        with self._model_lock:
            if self._served_model is None:
                self._served_model, self._served_entry = self._list_model()
            return self._served_model

    def context_tokens(self, default: int = DEFAULT_CONTEXT_TOKENS) -> int:
        """The context window (tokens) the server reports for its model, else ``default``. Asks the
        server at most once (its model list, and llama.cpp's /props when the list does not say)."""
        self.model_name()
        with self._model_lock:
            if self._context is None:
                entry = self._served_entry or self._entry_for(self.config.model)
                window = context_window(entry)
                if window is None or "meta" in entry:  # llama.cpp: its /props has the served window
                    window = context_window(entry, self._props()) or window
                self._context = window or 0
            return self._context or default

    def close(self) -> None:
        self._openai.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the one public call ----------------------------------------------------------------------

    def structured(self, prompt: Prompt, variables: dict, output: type[T], *, label: str) -> T:
        """Ask for one ``output`` object; return it validated, from the cache when possible."""
        stage = stage_name(output)
        schema, digest, validator = _compiled(output)
        base = prompt.render(**variables)
        started = time.monotonic()
        key = cache_key(
            model=self.model_name(), base_url=self.endpoint, prompt=prompt.id, schema=digest,
            mode=self.config.structured_mode, messages=base, temperature=self.config.temperature,
            seed=self.config.seed, max_tokens=self.config.max_tokens,
        )
        cached, cached_mode = self._from_cache(key, output)
        if cached is not None:
            with self._lock:
                self.usage.cache_hits += 1
            hit = _Call()
            hit.mode = cached_mode
            self._count_answer(cached_mode)
            self._record(label, stage, prompt, hit, started, "cached", cache_hit=True)
            if (watcher := observe.current()) is not None:
                watcher.cache_hit()
            return cached
        if (watcher := observe.current()) is not None:  # a night's budget, or its batch, may hold the call back
            watcher.before_call(client=self, key=key, body=self.request_body(base, schema, stage), output=output,
                                prompt_id=prompt.id, label=label)

        call = _Call()
        turns: list[dict] = []
        for ask in range(self.config.reasks + 1):
            try:
                reply = self._complete(base, turns, schema, stage, label, prompt, call)
            except LLMError as e:
                self._record(label, stage, prompt, call, started, "error", error=str(e))
                raise
            try:
                result = self._validate(reply.completion, validator, output)
            except _Invalid as bad:
                self._log(label, stage, prompt, call, reply, error=bad.reason)
                with self._lock:
                    self.usage.failed_attempts += 1
                    if ask < self.config.reasks:
                        self.usage.reasks += 1
                reason = bad.reason
                # always answer with an assistant turn: some chat templates insist roles alternate
                turns += [
                    {"role": "assistant", "content": bad.content or "(no content)"},
                    {"role": "user", "content": REASK.format(error=reason)},
                ]
                continue
            self._log(label, stage, prompt, call, reply)
            self.cache_answer(key, prompt.id, result, reply.mode)
            self._count_answer(reply.mode)
            self._record(label, stage, prompt, call, started, "ok")
            return result

        message = f"{stage} failed for {label} after {_attempts(call)}: invalid output: {reason}"
        self._record(label, stage, prompt, call, started, "invalid", error=message)
        raise LLMError(redact(message, self._secrets), stage=stage, label=label)

    def cache_answer(self, key: str, prompt_id: str, result: BaseModel, mode: str | None) -> None:
        """Store a validated answer (a direct one, or one a batch brought) under its call's key."""
        if self.cache is not None:
            self.cache.put(key, {"prompt": prompt_id, "model": self.model_name(), "mode": mode,
                                 "output": result.model_dump(mode="json")})

    def request_body(self, base: list[dict], schema: dict, stage: str) -> dict:
        """The chat request the next attempt of this call would send (a batch file's line carries it)."""
        mode = self.mode
        return {
            "model": self.model_name(),
            "messages": self._messages(base, schema, mode),
            **_format(mode, schema, stage),
            "temperature": self.config.temperature,
            **({"seed": self.config.seed} if self.config.seed is not None else {}),
            **({"max_tokens": self.config.max_tokens} if self.config.max_tokens else {}),
        }

    def map(self, fn: Callable[[Any], R], items: Iterable[Any], *, label: str) -> list[R]:
        """``fn`` over ``items`` with at most ``concurrency`` in flight; results in input order.
        On failure the other calls still finish (so their answers are cached), then the first
        error is raised."""
        items = list(items)
        done = [0]

        def tick(_future) -> None:  # progress for people watching (the CLI shows it on a terminal)
            with self._lock:
                done[0] += 1
                n = done[0]
            progress.info("%s: %d of %d calls done", label, n, len(items))

        with ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="llm") as pool:
            futures = [pool.submit(fn, item) for item in items]
            for f in futures:
                f.add_done_callback(tick)
        # leaving the block waited for every call, failed or not
        failed = [(i, f.exception()) for i, f in enumerate(futures) if f.exception() is not None]
        if not failed:
            return [f.result() for f in futures]
        i, first = failed[0]
        more = f" ({len(failed) - 1} more {label} calls failed)" if len(failed) > 1 else ""
        if isinstance(first, LLMError):
            raise LLMError(f"{first}{more}", stage=first.stage, label=first.label) from first
        message = f"{label} failed for item {i}: {type(first).__name__}: {first}{more}"
        raise LLMError(redact(message, self._secrets), stage=label, label=f"{label}[{i}]") from first

    # --- one request, with transient retries ------------------------------------------------------

    def _complete(self, base: list[dict], turns: list[dict], schema: dict, stage: str, label: str,
                  prompt: Prompt, call: _Call) -> _Reply:
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.config.max_retries + 1) | stop_before_delay(self.config.max_retry_seconds),
            wait=self._wait,
            before_sleep=self._count_retry,
            reraise=True,
        )
        while True:
            try:
                return retrying(self._attempt, base, turns, schema, stage, label, prompt, call)
            except _FormatRejected as rejected:
                self._downgrade(rejected.error, rejected.mode)  # then resend at once in the next mode
            except _REQUEST_ERRORS as e:
                message = f"{stage} failed for {label} after {_attempts(call)}: {self._describe(e)}"
                raise LLMError(redact(message, self._secrets), stage=stage, label=label) from None

    def _attempt(self, base: list[dict], turns: list[dict], schema: dict, stage: str, label: str,
                 prompt: Prompt, call: _Call) -> _Reply:
        model = self.model_name()
        mode = self.mode
        messages = self._messages(base, schema, mode) + turns
        call.attempts += 1
        call.mode = mode
        with self._lock:
            self.usage.calls += 1
        t0 = time.monotonic()
        try:
            completion = self._openai.chat.completions.create(
                model=model,
                messages=messages,
                **_format(mode, schema, stage),
                temperature=self.config.temperature,
                **({"seed": self.config.seed} if self.config.seed is not None else {}),
                **({"max_tokens": self.config.max_tokens} if self.config.max_tokens else {}),
            )
            if not isinstance(completion, ChatCompletion):  # openai hands back non-JSON bodies as str
                raise _NotACompletion(" ".join(str(completion).split())[:120])
        except _REQUEST_ERRORS as e:
            seconds = time.monotonic() - t0
            with self._lock:
                self.usage.failed_attempts += 1
            self._log(label, stage, prompt, call, _Reply(None, messages, mode, seconds), error=self._describe(e))
            if (self.config.structured_mode == "auto" and mode in NEXT_MODE and isinstance(e, openai.APIStatusError)
                    and refused(mode, e.status_code, self._server_message(e))):
                raise _FormatRejected(e, mode) from e
            raise
        usage = completion.usage
        if usage is not None:
            call.prompt_tokens += usage.prompt_tokens or 0
            call.completion_tokens += usage.completion_tokens or 0
            with self._lock:
                self.usage.prompt_tokens += usage.prompt_tokens or 0
                self.usage.completion_tokens += usage.completion_tokens or 0
        if (watcher := observe.current()) is not None:
            watcher.after_call((usage.prompt_tokens or 0) if usage else 0, (usage.completion_tokens or 0) if usage else 0)
        return _Reply(completion, messages, mode, time.monotonic() - t0)

    # --- what the server says about itself -----------------------------------------------------------

    def _models(self) -> list[dict]:
        """The server's /v1/models entries, with transient faults retried like any request.
        (llama-cpp-python answers it only between completions: it can wait up to ``timeout``.)"""
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.config.max_retries + 1) | stop_before_delay(self.config.max_retry_seconds),
            wait=self._wait, before_sleep=self._count_retry, reraise=True,
        )
        page = retrying(self._openai.models.list)
        return [m.model_dump() for m in page.data]

    def _list_model(self) -> tuple[str, dict]:
        try:
            entries = self._models()
        except openai.APIStatusError as e:
            if e.status_code not in (404, 405, 501):  # 401, a 5xx that outlasted the retries...
                raise LLMError(self._no_model(self._describe(e)), stage="models", label="the model list") from None
            entries = []  # a server without a model list: it takes any name
        except openai.APIConnectionError as e:
            raise LLMError(self._no_model(self._describe(e)), stage="models", label="the model list") from None
        except (*_REQUEST_ERRORS, AttributeError, TypeError):
            entries = []  # answered, but not with a model list
        first = next((m for m in entries if isinstance(m.get("id"), str) and m["id"]), None)
        if first is None:
            with self._lock:
                self._warnings.append(f"{self.endpoint} lists no model; sending model 'default' "
                                      "(give --model to name it; cached answers are keyed to that name)")
            log.warning(self._warnings[-1])
            return "default", {}
        return first["id"], first

    def _no_model(self, why: str) -> str:
        return redact(f"cannot ask {self.endpoint} which model it serves ({why}); give --model to name it "
                      "(cached answers are keyed to the model)", self._secrets)

    def _entry_for(self, model: str | None) -> dict:
        """The /v1/models entry of a configured model, for its context window; {} when not listed."""
        try:
            return next((m for m in self._models() if m.get("id") == model), {})
        except (*_REQUEST_ERRORS, AttributeError):
            return {}

    def _props(self) -> Any:
        """llama.cpp's /props (at the server root, beside /v1), or None."""
        root = str(self._openai.base_url).rstrip("/").removesuffix("/v1")
        try:
            return self._openai.get(f"{root}/props", cast_to=object)
        except (*_REQUEST_ERRORS, AttributeError):
            return None

    def _messages(self, base: list[dict], schema: dict, mode: str) -> list[dict]:
        if mode == "json_schema":
            return list(base)
        # Without json_schema the model never sees the schema (llama.cpp only uses it for its
        # grammar), so its field descriptions go into the system prompt.
        system, *rest = base
        return [{**system, "content": system["content"] + pasted_schema(schema)}, *rest]

    def _wait(self, state: RetryCallState) -> float:
        after = _retry_after(state.outcome.exception() if state.outcome else None)
        if after is not None:
            return min(max(after, 0.0), RETRY_AFTER_CAP)
        base = self.config.retry_base_seconds
        return min(base * 2 ** (state.attempt_number - 1), MAX_BACKOFF) + random.uniform(0, base)

    def _count_retry(self, state: RetryCallState) -> None:
        with self._lock:
            self.usage.retries += 1

    def _downgrade(self, error: openai.APIStatusError, mode: str) -> None:
        with self._lock:
            if self.mode != mode:  # another thread stepped down already
                return
            self.mode = NEXT_MODE[mode]
            warning = downgrade_warning(self.endpoint, mode, error.status_code, self._server_message(error))
            self._warnings.append(redact(warning, self._secrets))
        log.warning(self._warnings[-1])

    def _count_answer(self, mode: str | None) -> None:
        if mode is None:
            return
        with self._lock:
            u = self.usage
            u.answers_by_mode[mode] = u.answers_by_mode.get(mode, 0) + 1
            u.structured_mode = weaker(u.structured_mode, mode)

    # --- validation -------------------------------------------------------------------------------

    @staticmethod
    def _validate(completion: Any, validator: jsonschema.protocols.Validator, output: type[T]) -> T:
        if not completion.choices:
            raise _Invalid("the response had no choices", None)
        choice = completion.choices[0]
        message = choice.message
        if getattr(message, "refusal", None):
            raise _Invalid(f"the model refused: {message.refusal}", message.refusal)
        content = message.content
        if choice.finish_reason == "length":
            raise _Invalid("the reply was cut off at the token limit (finish_reason=length); be more concise",
                           content)
        if not content or not content.strip():
            raise _Invalid("the reply was empty", content)
        found = [output.tidy(v) for v in _json_values(content)]
        if not found:
            try:
                json.loads(_strip_fences(content))
            except json.JSONDecodeError as e:
                raise _Invalid(f"the reply is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})",
                               content) from None
        # the first value the schema accepts that holds entries (a draft "{'items': []}" before the answer is
        # not the answer), else the first it accepts, else the first
        valid = [v for v in found if validator.is_valid(v)]
        data = next((v for v in valid if not output.each or (isinstance(v, dict) and v.get(output.each))),
                    valid[0] if valid else found[0])
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        left_out: list[tuple[Any, str]] = []
        if error is not None:
            kept = _salvage(data, validator, output)
            if kept is None:
                where = "/".join(map(str, error.absolute_path)) or "the top level"
                raise _Invalid(f"the JSON does not match the schema at {where}: {error.message[:300]}", content)
            data, left_out = kept
        try:
            result = output.model_validate(data)
        except ValidationError as e:
            first = e.errors()[0]
            where = "/".join(map(str, first["loc"])) or "the top level"
            raise _Invalid(f"the JSON is invalid at {where}: {first['msg']}", content) from None
        if left_out:
            result._left_out = left_out
        return result

    # --- errors, records, logs, cache -------------------------------------------------------------

    @staticmethod
    def _server_message(e: openai.APIStatusError) -> str:
        body = e.body
        if isinstance(body, dict):
            inner = body.get("error", body)
            if isinstance(inner, dict) and inner.get("message"):
                return str(inner["message"])
            if isinstance(inner, str):
                return inner
        return e.message

    def _describe(self, e: Exception) -> str:
        """One line for a failed request, never containing the key."""
        if isinstance(e, openai.APITimeoutError):
            text = f"timed out after {self.config.timeout:g}s waiting for {self.endpoint}"
        elif isinstance(e, openai.APIConnectionError):
            cause = e.__cause__
            detail = f"{type(cause).__name__}: {cause}" if cause else str(e)
            text = f"connection to {self.endpoint} failed ({detail})"
        elif isinstance(e, openai.APIStatusError):
            text = f"HTTP {e.status_code} from {self.endpoint}: {self._server_message(e)[:300]}"
            if e.status_code in (401, 403):
                text += " (check OPENAI_API_KEY or --api-key)"
            elif e.status_code == 404:
                text += " (check --base-url, which usually ends in /v1, and --model)"
            elif e.status_code == 400 and refused("json_schema", 400, self._server_message(e)):
                text += " (try --structured-mode json_object)"
        else:
            text = f"{self.endpoint} did not answer with a chat completion ({e}); check --base-url"
        return redact(" ".join(text.split()), self._secrets)

    def _from_cache(self, key: str, output: type[T]) -> tuple[T | None, str | None]:
        """The cached answer and the mode it came in (None for entries written before modes were kept)."""
        if self.cache is None:
            return None, None
        payload = self.cache.get(key)
        if payload is None:
            return None, None
        try:
            mode = payload.get("mode")
            return output.model_validate(payload["output"]), mode if isinstance(mode, str) else None
        except (KeyError, TypeError, AttributeError, ValidationError):
            self.cache._warn(f"cache entry {self.cache.path(key)} does not fit {output.__name__}; asking again")
            return None, None

    def _record(self, label: str, stage: str, prompt: Prompt, call: _Call, started: float, outcome: str,
                *, cache_hit: bool = False, error: str | None = None) -> None:
        record = CallRecord(
            label=label, stage=stage, prompt_id=prompt.id, cache_hit=cache_hit, attempts=call.attempts,
            prompt_tokens=call.prompt_tokens, completion_tokens=call.completion_tokens,
            seconds=round(time.monotonic() - started, 4), outcome=outcome, error=error, mode=call.mode,
        )
        with self._lock:
            self.records.append(record)

    def _log(self, label: str, stage: str, prompt: Prompt, call: _Call, reply: _Reply, *,
             error: str | None = None) -> None:
        if self.log_path is None:
            return
        completion = reply.completion
        choice = completion.choices[0] if completion is not None and completion.choices else None
        usage = completion.usage if completion is not None else None
        entry = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "label": label,
            "stage": stage,
            "prompt": prompt.id,
            "model": self.config.model or self._served_model,
            "base_url": self.endpoint,
            "mode": reply.mode,
            "attempt": call.attempts,
            "seconds": round(reply.seconds, 4),
            "messages": reply.messages,
            "response": choice.message.content if choice else None,
            "finish_reason": choice.finish_reason if choice else None,
            "refusal": getattr(choice.message, "refusal", None) if choice else None,
            "usage": usage.model_dump(exclude_none=True) if usage is not None else None,
            "error": error,
        }
        line = redact(json.dumps(entry, ensure_ascii=False), self._secrets) + "\n"
        with self._lock:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)
