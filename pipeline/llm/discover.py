"""What the endpoint serves, asked at most once per run: the model's name (when none is configured), its
context window (the model list, and llama.cpp's /props when the list does not say), and whether it is
llama.cpp's server (dialects.py)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import openai

from .errors import LLMError
from .redact import redact
from .dialects import llamacpp_sign
from .served import context_window
from .transport import REQUEST_ERRORS, Transport

log = logging.getLogger(__name__)


class Discovery:
    def __init__(self, transport: Transport, configured: str | None, on_retry: Callable,
                 warn: Callable[[str], None]):
        self.transport = transport
        self.configured = configured
        self._on_retry = on_retry
        self._warn = warn
        self.served_model: str | None = None
        self.served_entry: dict = {}  # the server's /v1/models entry for that model
        self._context: int | None = None
        self._entry: dict | None = None  # the model's /v1/models entry, asked once
        self._props: object = ...  # llama.cpp's /props, asked once (None: not served)
        self._lock = threading.Lock()

    def model_name(self) -> str:
        """The configured model, else the first one the server lists (llama.cpp, vLLM and LM Studio serve
        one model and some insist on its exact name), asked once."""
        if self.configured:
            return self.configured
        with self._lock:
            if self.served_model is None:
                self.served_model, self.served_entry = self._list_model()
            return self.served_model

    def context_tokens(self, default: int) -> int:
        """The context window (tokens) the server reports for its model, else ``default``."""
        self.model_name()
        with self._lock:
            if self._context is None:
                entry = self._model_entry()
                window = context_window(entry)
                if window is None or "meta" in entry:  # llama.cpp: its /props has the served window
                    window = context_window(entry, self._served_props()) or window
                self._context = window or 0
            return self._context or default

    def llamacpp(self) -> str | None:
        """How the endpoint shows it is llama.cpp's server, or None (asks /v1/models and /props once each)."""
        self.model_name()
        with self._lock:
            entry = self._model_entry()
            return llamacpp_sign(entry, None) or llamacpp_sign({}, self._served_props())

    def _model_entry(self) -> dict:
        if self._entry is None:
            self._entry = self.served_entry or self._entry_for(self.configured)
        return self._entry

    def _served_props(self):
        if self._props is ...:
            self._props = self.transport.props(self._on_retry)
        return self._props

    def _list_model(self) -> tuple[str, dict]:
        try:
            entries = self.transport.models(self._on_retry)
        except openai.APIStatusError as e:
            if e.status_code not in (404, 405, 501):  # 401, a 5xx that outlasted the retries...
                raise LLMError(self._no_model(self.transport.describe(e)), stage="models",
                               label="the model list") from None
            entries = []  # a server without a model list: it takes any name
        except openai.APIConnectionError as e:
            raise LLMError(self._no_model(self.transport.describe(e)), stage="models",
                           label="the model list") from None
        except (*REQUEST_ERRORS, AttributeError, TypeError):
            entries = []  # answered, but not with a model list
        first = next((m for m in entries if isinstance(m.get("id"), str) and m["id"]), None)
        if first is None:
            warning = (f"{self.transport.endpoint} lists no model; sending model 'default' "
                       "(give --model to name it; cached answers are keyed to that name)")
            self._warn(warning)
            log.warning(warning)
            return "default", {}
        return first["id"], first

    def _no_model(self, why: str) -> str:
        return redact(f"cannot ask {self.transport.endpoint} which model it serves ({why}); give --model to name "
                      "it (cached answers are keyed to the model)", self.transport.secrets)

    def _entry_for(self, model: str | None) -> dict:
        """The /v1/models entry of a configured model, for its context window; {} when not listed."""
        try:
            return next((m for m in self.transport.models(self._on_retry) if m.get("id") == model), {})
        except (*REQUEST_ERRORS, AttributeError):
            return {}
