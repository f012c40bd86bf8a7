"""Spending limits for a night: tokens and money, checked before each model call is sent.

Prices are dollars per million tokens (input, output), for the models people point briefsmith at most;
a `[prices]` table in the config file overrides or adds to them (`"my-model" = [0.2, 0.8]`). Batch calls
cost half, as OpenAI bills them. A call is refused when what has been spent plus what the call could cost
(its prompt, counted, plus an answer as long as the prompt) would pass a limit: the night stops *before*
the limit, never after it.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# $ per 1M tokens (input, output); list prices when this table was written
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}
BATCH_DISCOUNT = 0.5


class BudgetExceeded(Exception):
    """The next call would pass --max-tokens or --max-cost."""


def read_prices(config_file: Optional[Path]) -> dict[str, tuple[float, float]]:
    """The price table, with the config file's [prices] table on top. Errors name the file."""
    prices = dict(PRICES)
    if config_file is None or not Path(config_file).is_file():
        return prices
    try:
        data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"cannot read config file {config_file}: {e}") from None
    table = data.get("prices", {})
    for model, pair in table.items():
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, (int, float)) and x >= 0 for x in pair)):
            raise ValueError(f"config file {config_file}: prices.{model} must be [input, output] dollars per "
                             "million tokens")
        prices[model] = (float(pair[0]), float(pair[1]))
    return prices


def price_of(model: Optional[str], prices: dict[str, tuple[float, float]]) -> Optional[tuple[float, float]]:
    if not model:
        return None
    if model in prices:
        return prices[model]
    # dated snapshots (gpt-4o-mini-2024-07-18) cost what their family costs: the longest matching prefix
    family = max((m for m in prices if model.startswith(m + "-")), key=len, default=None)
    return prices[family] if family else None


@dataclass
class Budget:
    max_tokens: Optional[int] = None
    max_cost: Optional[float] = None
    price: Optional[tuple[float, float]] = None  # $ per 1M (input, output)
    discount: float = 1.0  # BATCH_DISCOUNT in batch mode
    prompt_tokens: int = 0
    completion_tokens: int = 0
    refused: int = 0
    held_prompt: int = 0  # reserved by calls under way, until their answers say what they cost
    held_completion: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        if self.max_cost is not None and self.price is None:
            raise ValueError("--max-cost needs the model's price: add it to the config file's [prices] table "
                             '(e.g. "my-model" = [0.15, 0.60], dollars per million input and output tokens)')

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def cost(self, prompt: int = 0, completion: int = 0) -> float:
        if self.price is None:
            return 0.0
        p = self.prompt_tokens + prompt
        c = self.completion_tokens + completion
        return (p * self.price[0] + c * self.price[1]) / 1e6 * self.discount

    def _committed_cost(self, prompt: int, completion: int) -> float:
        p = self.prompt_tokens + self.held_prompt + prompt
        c = self.completion_tokens + self.held_completion + completion
        if self.price is None:
            return 0.0
        return (p * self.price[0] + c * self.price[1]) / 1e6 * self.discount

    def reserve(self, prompt_estimate: int, completion_estimate: int) -> None:
        """Raise BudgetExceeded when a call of this size could pass a limit, counting what the calls under
        way may cost; otherwise hold its estimate until release() (calls run side by side)."""
        with self._lock:
            held = self.held_prompt + self.held_completion
            if self.max_tokens is not None and \
                    self.tokens + held + prompt_estimate + completion_estimate > self.max_tokens:
                self.refused += 1
                raise BudgetExceeded(f"--max-tokens {self.max_tokens:,} reached ({self.tokens:,} spent)")
            if self.max_cost is not None and \
                    self._committed_cost(prompt_estimate, completion_estimate) > self.max_cost:
                self.refused += 1
                raise BudgetExceeded(f"--max-cost ${self.max_cost:g} reached (${self.cost():.4f} spent)")
            self.held_prompt += prompt_estimate
            self.held_completion += completion_estimate

    def release(self, prompt_estimate: int, completion_estimate: int) -> None:
        with self._lock:
            self.held_prompt -= prompt_estimate
            self.held_completion -= completion_estimate

    def spend(self, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens

    def summary(self) -> dict:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "cost_usd": round(self.cost(), 6) if self.price else None, "max_tokens": self.max_tokens,
                "max_cost": self.max_cost, "calls_refused": self.refused}
