"""Structured calls to any OpenAI-compatible endpoint: validate, re-ask, retry, cache, log.

Two kinds of failure, handled apart:
- transient faults (429, 5xx, timeouts, dropped connections) are retried with backoff (transport.py),
  bounded by ``max_retries`` and ``max_retry_seconds``;
- invalid outputs (truncated, refused, empty, not JSON, not matching the schema; validate.py) are re-asked:
  the bad reply and the validation error go back to the model, up to ``reasks`` times.
Anything else (401, 404, a 400 that is not about response_format) fails at once.

In auto mode a server that refuses a structured-output mode is asked in the next weaker one (modes.py):
json_schema, then llama.cpp's json_object + schema (grammar-constrained), then plain json_object. With no
model configured, the model the server lists (discover.py) names the requests and keys the cache. This
module holds the call's flow; each concern it uses is a module of its own.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import openai
from pydantic import BaseModel
from tenacity import RetryCallState

from ..models import BriefError, Usage
from . import observe
from .cache import DiskCache, cache_key
from .config import PLACEHOLDER_KEY, LLMConfig
from .dialects import is_reasoning, rejected_parameter
from .discover import Discovery
from .errors import LLMError
from .modes import Ladder, downgrade_warning, format_fields, pasted_schema, weaker, with_schema
from .prompts import Prompt
from .records import Call, CallRecord, Reply, log_entry
from .redact import redact
from .served import DEFAULT_CONTEXT_TOKENS
from .transport import REQUEST_ERRORS, Transport, retryable, server_message
from .validate import Invalid, compiled, stage_name, validate

# names other modules and older callers import from here
_compiled, _Invalid = compiled, Invalid
__all__ = ["LLMClient", "LLMError", "CallRecord", "pasted_schema", "stage_name"]

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

REASK = (
    "Your previous reply could not be used: {error}\n"
    "Reply again with only the JSON object, complete and matching the required schema."
)


class _ParamRejected(Exception):
    """The server refused a request parameter the model does not take: resend at once without it."""


class _FormatRejected(Exception):
    def __init__(self, error: openai.APIStatusError, mode: str):
        super().__init__(str(error))
        self.error = error
        self.mode = mode


class LLMClient:
    def __init__(self, config: LLMConfig, *, log_path: Path | None = None):
        key = config.key()
        if key is None:
            raise BriefError("no API key: set OPENAI_API_KEY or --api-key, or point --base-url at a local server")
        self.config = config
        self.usage = Usage()
        self.records: list[CallRecord] = []
        # calls that failed for good and what stood in for their answers (the manifest's "degraded")
        self.degraded: list[dict] = []
        self._completions = 0  # chat completions received in this run: the endpoint is the right one
        self._warnings: list[str] = []
        self.ladder = Ladder(config.structured_mode)
        self.cache = DiskCache(config.cache_dir) if config.use_cache else None
        self.log_path = log_path
        self._secrets = () if key == PLACEHOLDER_KEY else (key,)
        self._lock = threading.Lock()
        self.transport = Transport(config, key, self._secrets)
        self.endpoint = self.transport.endpoint
        self.served = Discovery(self.transport, config.model, self._count_retry, self._warn)
        # what the requests leave out or rename for this endpoint, and why (the manifest's endpoint.adapted)
        self._dropped: set[str] = set()
        self._renamed: dict[str, str] = {}
        self.adapted: list[str] = []
        self.server_kind: str | None = None  # "llama.cpp" when detect() found it
        self._last_body: dict | None = None  # the last request answered (llama.cpp retries re-prime with it)
        if is_reasoning(config.model):
            self._reasoning_model(config.model)

    @property
    def mode(self) -> str:
        """The structured-output mode the next request uses."""
        return self.ladder.mode

    @property
    def warnings(self) -> list[str]:
        """Things the brief's reader should know: a mode downgrade, cache entries found corrupt."""
        with self._lock:
            return [*self._warnings, *(self.cache.warnings if self.cache else [])]

    def __repr__(self) -> str:
        return f"LLMClient(model={self.config.model!r}, endpoint={self.endpoint!r}, mode={self.mode!r})"

    def model_name(self) -> str:
        """The configured model, else the first one the server lists, asked once. It names the requests,
        keys the cache (a server swapped to another model gets a cold cache) and goes into the brief's header."""
        return self.served.model_name()

    def context_tokens(self, default: int = DEFAULT_CONTEXT_TOKENS) -> int:
        """The context window (tokens) the server reports for its model, else ``default``. Asks the
        server at most once (its model list, and llama.cpp's /props when the list does not say)."""
        return self.served.context_tokens(default)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the one public call ----------------------------------------------------------------------

    def structured(self, prompt: Prompt, variables: dict, output: type[T], *, label: str) -> T:
        """Ask for one ``output`` object; return it validated, from the cache when possible."""
        stage = stage_name(output)
        schema, digest, validator = compiled(output)
        base = prompt.render(**variables)
        started = time.monotonic()
        key = cache_key(
            model=self.model_name(), base_url=self.endpoint, prompt=prompt.id, schema=digest,
            mode=self.config.structured_mode, messages=base, temperature=self.config.temperature,
            seed=self.config.seed, max_tokens=self.config.max_tokens,
        )
        cached, cached_mode = self.cache.answer(key, output) if self.cache is not None else (None, None)
        if cached is not None:
            with self._lock:
                self.usage.cache_hits += 1
            hit = Call()
            hit.mode = cached_mode
            self._count_answer(cached_mode)
            self._record(label, stage, prompt, hit, started, "cached", cache_hit=True)
            if (watcher := observe.current()) is not None:
                watcher.cache_hit()
            return cached
        if (watcher := observe.current()) is not None:  # a night's budget, or its batch, may hold the call back
            watcher.before_call(client=self, key=key, body=self.request_body(base, schema, stage), output=output,
                                prompt_id=prompt.id, label=label)

        call = Call()
        turns: list[dict] = []
        asked_again = False
        ask = 0
        while ask <= self.config.reasks:
            try:
                reply = self._complete(base, turns, schema, stage, label, prompt, call)
            except LLMError as e:
                self._record(label, stage, prompt, call, started, "error", error=str(e))
                raise
            try:
                result = validate(reply.completion, validator, output)
            except Invalid as bad:
                self._log(label, stage, prompt, call, reply, error=bad.reason)
                if not turns and not asked_again and self._deterministic():
                    # a reply spoiled on the way (cut, emptied, garbled by a proxy) is the model's answer again
                    # when asked unchanged: re-asking with the error instead would change what it answers
                    asked_again = True
                    with self._lock:
                        self.usage.failed_attempts += 1
                        self.usage.retries += 1
                    continue
                with self._lock:
                    self.usage.failed_attempts += 1
                    if ask < self.config.reasks:
                        self.usage.reasks += 1
                reason = bad.reason
                ask += 1
                # always answer with an assistant turn: some chat templates insist roles alternate
                turns += [
                    {"role": "assistant", "content": bad.content or "(no content)"},
                    {"role": "user", "content": REASK.format(error=reason)},
                ]
                continue
            self._log(label, stage, prompt, call, reply)
            with self._lock:
                self._last_body = call.body  # an answer used: the state a later call's retry must meet
            self.cache_answer(key, prompt.id, result, reply.mode)
            self._count_answer(reply.mode)
            self._record(label, stage, prompt, call, started, "ok")
            return result

        message = f"{stage} failed for {label} after {call.attempts_text()}: invalid output: {reason}"
        self._record(label, stage, prompt, call, started, "invalid", error=message)
        raise LLMError(redact(message, self._secrets), stage=stage, label=label)

    # validation is its own module (validate.py); batch.py validates a batch's answers through this name
    _validate = staticmethod(validate)

    def cache_answer(self, key: str, prompt_id: str, result: BaseModel, mode: str | None) -> None:
        """Store a validated answer (a direct one, or one a batch brought) under its call's key."""
        if self.cache is not None:
            self.cache.put_answer(key, prompt_id, self.model_name(), result, mode)

    def request_body(self, base: list[dict], schema: dict, stage: str) -> dict:
        """The chat request the next attempt of this call would send (a batch file's line carries it)."""
        mode = self.mode
        return self._body(mode, with_schema(base, schema, mode), schema, stage)

    def _body(self, mode: str, messages: list[dict], schema: dict, stage: str) -> dict:
        body = {
            "model": self.model_name(),
            "messages": messages,
            **format_fields(mode, schema, stage),
            "temperature": self.config.temperature,
            **({"seed": self.config.seed} if self.config.seed is not None else {}),
            **({"max_tokens": self.config.max_tokens} if self.config.max_tokens else {}),
        }
        return self._adapted(body)

    def _adapted(self, body: dict) -> dict:
        """The body with this endpoint's adaptations: parameters renamed or dropped after a refusal."""
        with self._lock:
            for old, new in self._renamed.items():
                if old in body:
                    body[new] = body.pop(old)
            for name in self._dropped:
                body.pop(name, None)
        return body

    @property
    def _openai(self):
        """The SDK client (what callers reached for before complete())."""
        return self.transport.openai

    def complete(self, request: dict) -> Any:
        """One raw chat request outside the structured path (the llm verifier's yes/no): this endpoint's
        adaptations applied (a reasoning model's parameters), transient faults and damaged bodies retried within
        --retries. Raises the SDK's error once the retries are spent; tokens are the caller's to count."""
        retrying = self.transport.retrying(self._count_retry, retryable)
        tries = [0]

        def send(body: dict) -> Any:
            if tries[0]:
                self._reprime()
            tries[0] += 1
            return self.transport.create(body)

        while True:
            body = self._adapted(dict(request))
            try:
                completion = retrying(send, body)
            except openai.APIStatusError as e:
                if self._param_rejected(e, body):
                    continue
                raise
            with self._lock:
                self._completions += 1
                self._last_body = body
            return completion

    def _deterministic(self) -> bool:
        """A llama.cpp server answered one request at a time, at temperature 0: the same request, re-primed
        (_reprime), gets the same answer, so asking it again costs only time and tells a reply damaged on the
        way from the model's own."""
        return (self.server_kind == "llama.cpp" and self.config.concurrency == 1
                and "temperature" not in self._dropped)

    def _reprime(self) -> None:
        """Before a retry on llama.cpp's server (one request at a time): send the last answered request
        again for one token, so the retry meets the prompt cache as its first attempt did. The server
        reuses the longest cached prefix and evaluates the rest in batches from there; a retry meeting its
        own first attempt's prompt in the cache evaluates one token alone, and its answer can differ
        (measured on the local model: 2 of 5 retried merge calls answered otherwise). Best effort."""
        with self._lock:
            last = self._last_body if self.server_kind == "llama.cpp" and self.config.concurrency == 1 else None
        if last is None:
            return
        body = {k: v for k, v in last.items() if k not in ("max_tokens", "max_completion_tokens")}
        body[self._renamed.get("max_tokens", "max_tokens")] = 1
        try:
            self.transport.create(body)
        except REQUEST_ERRORS:
            pass  # a primer lost to the same fault costs nothing but the primer
        with self._lock:
            self.usage.reprimes += 1

    # --- endpoint quirks (dialects.py) --------------------------------------------------------------

    def detect(self) -> dict:
        """Find the endpoint's quirks once, before the first call: a reasoning model (by its name), llama.cpp's
        server (its /props or model list) -> text mode in auto mode. Returns what the manifest says of it."""
        if is_reasoning(self.model_name()) and "temperature" not in self._dropped:
            self._reasoning_model(self.model_name())
        if self.server_kind is None and (sign := self.served.llamacpp()):
            self.server_kind = "llama.cpp"
            self.adapted.append(f"llama.cpp's server ({sign})")
            if self.ladder.auto and self.ladder.start_at("text"):
                self.adapted.append("structured mode text: llama.cpp checks JSON modes with a grammar at every "
                                    "token, plain replies are read and validated the same way")
        return self.endpoint_report()

    def endpoint_report(self) -> dict:
        """What the manifest says of the endpoint: the server found, a reasoning model, what was adapted."""
        reasoning = is_reasoning(self.model_name())  # (outside the lock: it may ask the server, and warn)
        with self._lock:
            return {"server": self.server_kind, "reasoning_model": reasoning and "temperature" in self._dropped,
                    "adapted": list(self.adapted)}

    def _reasoning_model(self, model: str) -> None:
        with self._lock:
            self._dropped.add("temperature")
            self._renamed["max_tokens"] = "max_completion_tokens"
            self.adapted.append(f"{model} is a reasoning model: no temperature, max_completion_tokens for max_tokens")

    def _param_rejected(self, error: openai.APIStatusError, body: dict) -> bool:
        """A 400 naming a parameter the model does not take: leave it out (or send its replacement) from now on,
        once per parameter. True when the request should be sent again at once."""
        found = rejected_parameter(server_message(error), body) if error.status_code == 400 else None
        if found is None:
            return False
        name, instead = found
        with self._lock:
            if name in self._dropped or name in self._renamed:
                return True  # another call adapted already: this request left before (it carried the parameter)
            if instead:
                self._renamed[name] = instead
            else:
                self._dropped.add(name)
            note = (f"{name} sent as {instead}" if instead else f"{name} left out") + \
                f": the server refused it (HTTP 400: {' '.join(server_message(error).split())[:160]})"
            self.adapted.append(redact(note, self._secrets))
        log.warning("%s: %s", self.endpoint, note)
        return True

    def map(self, fn: Callable[[Any], R], items: Iterable[Any], *, label: str,
            fallback: str | None = None) -> list[R]:
        """``fn`` over ``items`` with at most ``concurrency`` in flight; results in input order.
        On failure the other calls still finish (so their answers are cached), then the first error is
        raised; with ``fallback`` (what stands in for a lost answer, in words) a call that failed for good
        costs only its item: its LLMError takes its place in the results and it is listed in ``degraded``,
        unless the endpoint never answered in this run (nothing answered: the run fails)."""
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
        if fallback is not None and self.answered and all(isinstance(e, LLMError) for _, e in failed):
            for _, e in failed:
                self.degrade(e, fallback)
            return [f.exception() or f.result() for f in futures]
        i, first = failed[0]
        more = f" ({len(failed) - 1} more {label} calls failed)" if len(failed) > 1 else ""
        if isinstance(first, LLMError):
            raise LLMError(f"{first}{more}", stage=first.stage, label=first.label) from first
        message = f"{label} failed for item {i}: {type(first).__name__}: {first}{more}"
        raise LLMError(redact(message, self._secrets), stage=label, label=f"{label}[{i}]") from first

    @property
    def answered(self) -> bool:
        """Has the endpoint answered in this run (a chat completion, or an answer from the cache)?"""
        with self._lock:
            return self._completions > 0 or self.usage.cache_hits > 0

    def degrade(self, error: LLMError, fallback: str) -> None:
        """Record a call that failed for good and what stands in for its answer."""
        with self._lock:
            self.degraded.append({"stage": error.stage, "call": error.label, "error": str(error),
                                  "fallback": fallback})

    # --- one request, with transient retries ------------------------------------------------------

    def _complete(self, base: list[dict], turns: list[dict], schema: dict, stage: str, label: str,
                  prompt: Prompt, call: Call) -> Reply:
        retrying = self.transport.retrying(self._count_retry, retryable)
        while True:
            try:
                return retrying(self._attempt, base, turns, schema, stage, label, prompt, call)
            except _FormatRejected as rejected:
                self._downgrade(rejected.error, rejected.mode)  # then resend at once in the next mode
            except _ParamRejected:
                pass  # resend at once without the parameter
            except REQUEST_ERRORS as e:
                why = self.transport.describe(e, answered=self._completions > 0)
                message = f"{stage} failed for {label} after {call.attempts_text()}: {why}"
                raise LLMError(redact(message, self._secrets), stage=stage, label=label) from None

    def _attempt(self, base: list[dict], turns: list[dict], schema: dict, stage: str, label: str,
                 prompt: Prompt, call: Call) -> Reply:
        mode = self.mode
        messages = with_schema(base, schema, mode) + turns
        body = self._body(mode, messages, schema, stage)
        if call.attempts:
            self._reprime()
        call.attempts += 1
        call.mode = mode
        with self._lock:
            self.usage.calls += 1
        t0 = time.monotonic()
        try:
            completion = self.transport.create(body)
        except REQUEST_ERRORS as e:
            seconds = time.monotonic() - t0
            with self._lock:
                self.usage.failed_attempts += 1
            self._log(label, stage, prompt, call, Reply(None, messages, mode, seconds),
                      error=self.transport.describe(e, answered=self._completions > 0))
            if isinstance(e, openai.APIStatusError) and self.ladder.refuses(mode, e.status_code, server_message(e)):
                raise _FormatRejected(e, mode) from e
            if isinstance(e, openai.APIStatusError) and self._param_rejected(e, body):
                raise _ParamRejected() from e
            raise
        usage = completion.usage
        call.body = body
        with self._lock:
            self._completions += 1
        if usage is not None:
            call.prompt_tokens += usage.prompt_tokens or 0
            call.completion_tokens += usage.completion_tokens or 0
            with self._lock:
                self.usage.prompt_tokens += usage.prompt_tokens or 0
                self.usage.completion_tokens += usage.completion_tokens or 0
        if (watcher := observe.current()) is not None:
            watcher.after_call((usage.prompt_tokens or 0) if usage else 0, (usage.completion_tokens or 0) if usage else 0)
        return Reply(completion, messages, mode, time.monotonic() - t0)

    def _count_retry(self, state: RetryCallState) -> None:
        with self._lock:
            self.usage.retries += 1

    def _warn(self, warning: str) -> None:
        with self._lock:
            self._warnings.append(redact(warning, self._secrets))

    def _downgrade(self, error: openai.APIStatusError, mode: str) -> None:
        if not self.ladder.step_down(mode):  # another thread stepped down already
            return
        warning = downgrade_warning(self.endpoint, mode, error.status_code, server_message(error))
        self._warn(warning)
        log.warning(redact(warning, self._secrets))

    def _count_answer(self, mode: str | None) -> None:
        if mode is None:
            return
        with self._lock:
            u = self.usage
            u.answers_by_mode[mode] = u.answers_by_mode.get(mode, 0) + 1
            u.structured_mode = weaker(u.structured_mode, mode)

    # --- records and logs ---------------------------------------------------------------------------

    def _record(self, label: str, stage: str, prompt: Prompt, call: Call, started: float, outcome: str,
                *, cache_hit: bool = False, error: str | None = None) -> None:
        record = CallRecord(
            label=label, stage=stage, prompt_id=prompt.id, cache_hit=cache_hit, attempts=call.attempts,
            prompt_tokens=call.prompt_tokens, completion_tokens=call.completion_tokens,
            seconds=round(time.monotonic() - started, 4), outcome=outcome, error=error, mode=call.mode,
        )
        with self._lock:
            self.records.append(record)

    def _log(self, label: str, stage: str, prompt: Prompt, call: Call, reply: Reply, *,
             error: str | None = None) -> None:
        if self.log_path is None:
            return
        line = log_entry(label=label, stage=stage, prompt_id=prompt.id,
                         model=self.config.model or self.served.served_model, endpoint=self.endpoint, call=call,
                         reply=reply, error=error)
        line = redact(line, self._secrets) + "\n"
        with self._lock:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)
