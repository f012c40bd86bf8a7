"""One HTTP request to an OpenAI-compatible endpoint, and the retry policy around it.

Transient faults (408, 429, 5xx, timeouts, dropped connections) are retried with exponential backoff and
jitter, honouring Retry-After up to a cap, bounded by ``max_retries`` and ``max_retry_seconds``. A failed
request is described in one line that never holds the API key.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_before_delay

from .config import LLMConfig
from .modes import refused
from .redact import redact

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
RETRY_AFTER_CAP = 60.0  # seconds: the longest Retry-After we honour
MAX_BACKOFF = 30.0


class NotACompletion(ValueError):
    """A 200 whose body is not a chat completion: a web page, a proxy, a wrong base URL, a cut-off body."""


# what one request can fail with; openai raises JSONDecodeError for a 200 with a broken JSON body
REQUEST_ERRORS = (openai.OpenAIError, json.JSONDecodeError, NotACompletion)


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After-Ms, Retry-After as seconds or a date), or None."""
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


def transient(exc: BaseException) -> bool:
    """A fault that a later attempt may not meet: a dropped connection, a timeout, a 429 or a 5xx."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code in TRANSIENT_STATUS


def retryable(exc: BaseException) -> bool:
    """What a chat request retries: transient faults, and a 200 whose body is cut off or not a completion
    (a proxy or a server that drops a reply mid-body; a web page at a wrong base URL fails every retry)."""
    return transient(exc) or isinstance(exc, (json.JSONDecodeError, NotACompletion))


def damaged(exc: BaseException) -> bool:
    """What a GET the run's dialect rests on retries: transient faults, and a JSON body cut off on the way
    (a page that is not JSON at all is an answer: this server has no such list)."""
    return transient(exc) or isinstance(exc, json.JSONDecodeError)


def backoff(state: RetryCallState, base: float) -> float:
    """The wait before the next attempt: Retry-After when the server gave one, else 2^n steps with jitter."""
    after = retry_after(state.outcome.exception() if state.outcome else None)
    if after is not None:
        return min(max(after, 0.0), RETRY_AFTER_CAP)
    return min(base * 2 ** (state.attempt_number - 1), MAX_BACKOFF) + random.uniform(0, base)


def server_message(e: openai.APIStatusError) -> str:
    """The error message in an error body, whichever shape the server gives it."""
    body = e.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return e.message


class Transport:
    """The openai SDK client for one endpoint (its own retries off: ours count and log them)."""

    def __init__(self, config: LLMConfig, key: str, secrets: tuple[str, ...]):
        self.config = config
        self.secrets = secrets
        self.openai = openai.OpenAI(base_url=config.base_url, api_key=key, timeout=config.timeout, max_retries=0)
        self.endpoint = redact(str(self.openai.base_url).rstrip("/"))

    def retrying(self, on_retry: Callable[[RetryCallState], None],
                 retry: Callable[[BaseException], bool] = transient) -> Retrying:
        """The retry policy: ``retry`` faults, within max_retries and max_retry_seconds."""
        return Retrying(
            retry=retry_if_exception(retry),
            stop=stop_after_attempt(self.config.max_retries + 1) | stop_before_delay(self.config.max_retry_seconds),
            wait=lambda state: backoff(state, self.config.retry_base_seconds),
            before_sleep=on_retry,
            reraise=True,
        )

    def create(self, body: dict) -> ChatCompletion:
        """POST one chat request; a 200 whose body is not a chat completion raises NotACompletion."""
        completion = self.openai.chat.completions.create(**body)
        if not isinstance(completion, ChatCompletion):  # openai hands back non-JSON bodies as str
            raise NotACompletion(" ".join(str(completion).split())[:120])
        return completion

    def models(self, on_retry: Callable[[RetryCallState], None]) -> list[dict]:
        """The server's /v1/models entries, with transient faults and cut-off bodies retried: what the list
        says decides the run's dialect (llama.cpp, a small model), so one damaged reply must not decide it.
        (llama-cpp-python answers it only between completions: it can wait up to ``timeout``.)"""
        page = self.retrying(on_retry, damaged)(self.openai.models.list)
        return [m.model_dump() for m in page.data]

    def props(self, on_retry: Callable[[RetryCallState], None] = lambda state: None) -> Any:
        """llama.cpp's /props (at the server root, beside /v1), or None when the server has none (a 404, a
        page that is not JSON, or faults that outlast the retries); faults and cut-off bodies are retried."""
        root = str(self.openai.base_url).rstrip("/").removesuffix("/v1")

        try:
            return self.retrying(on_retry, damaged)(self.openai.get, f"{root}/props", cast_to=object)
        except (*REQUEST_ERRORS, AttributeError):
            return None

    def close(self) -> None:
        self.openai.close()

    def describe(self, e: Exception, answered: bool = False) -> str:
        """One line for a failed request, never containing the key. ``answered``: the endpoint has given a
        chat completion in this run, so a body that is not one was damaged on the way, not a wrong URL."""
        if isinstance(e, openai.APITimeoutError):
            text = f"timed out after {self.config.timeout:g}s waiting for {self.endpoint}"
        elif isinstance(e, openai.APIConnectionError):
            cause = e.__cause__
            detail = f"{type(cause).__name__}: {cause}" if cause else str(e)
            text = f"connection to {self.endpoint} failed ({detail})"
        elif isinstance(e, openai.APIStatusError):
            text = f"HTTP {e.status_code} from {self.endpoint}: {server_message(e)[:300]}"
            if e.status_code in (401, 403):
                text += " (check OPENAI_API_KEY or --api-key)"
            elif e.status_code == 404:
                text += " (check --base-url, which usually ends in /v1, and --model)"
            elif e.status_code == 400 and refused("json_schema", 400, server_message(e)):
                text += " (try --structured-mode json_object)"
        elif answered:
            text = f"{self.endpoint} sent a reply body that is not a chat completion, cut off or garbled ({e})"
        else:
            text = f"{self.endpoint} did not answer with a chat completion ({e}); check --base-url"
        return redact(" ".join(text.split()), self.secrets)
