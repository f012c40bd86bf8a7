"""The support check asked of a language model (`brief run --support llm`): prompt judge_support, reply
SupportVerdict, through the pipeline's LLMClient (cached, retried, re-asked like every other call).

The deterministic minimum stays in front of it: a quote under MIN_QUOTE_WORDS words is never sent.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..llm.prompts import prompt_for
from ..llm.replies import SupportVerdict
from ..verify.signals import word_count
from ..models import BriefError
from ..verify.support import MIN_QUOTE_WORDS, Support, check_support


class LLMSupportJudge:
    def __init__(self, client, *, prompts_dir: Optional[Path] = None):
        self.client = client
        self.prompt = prompt_for("judge_support", prompts_dir)
        self.calls = 0

    def __call__(self, statement: str, quote: str) -> Support:
        n = word_count(quote)
        if n < MIN_QUOTE_WORDS:
            return Support(supported=False, score=0.0, reason=f"quote too short ({n} word{'s' if n != 1 else ''})")
        self.calls += 1
        v = self.client.structured(self.prompt, {"statement": statement, "quote": quote}, SupportVerdict,
                                   label="judge_support")
        return Support(supported=v.supported, score=1.0 if v.supported else 0.0,
                       reason=None if v.supported else f"judge: {v.reason}")


def support_judge(support: str, eng, **endpoint):
    """The support check: the deterministic rules, or the judge_support prompt on the engine's endpoint
    (or, for the offline engine, on the endpoint the flags or environment configure)."""
    if support == "rules":
        return check_support
    if support != "llm":
        raise BriefError(f"unknown --support {support!r} (rules or llm)")
    client = getattr(eng, "client", None)
    if client is None:
        from ..llm.client import LLMClient
        from ..llm.config import resolve_config

        flags = {k: endpoint.get(k) for k in ("model", "base_url", "api_key", "cache_dir", "use_cache")}
        config = resolve_config(flags={**{k: v for k, v in flags.items() if v is not None},
                                       **(endpoint.get("llm_options") or {})}, config_file=endpoint.get("config_file"))
        if not config.endpoint_configured:
            raise BriefError("--support llm needs an endpoint: give --base-url and/or --model "
                             "(or OPENAI_BASE_URL / BRIEF_MODEL)")
        client = LLMClient(config)
    return LLMSupportJudge(client, prompts_dir=endpoint.get("prompts_dir"))


def judge_versions(judge) -> dict[str, str]:
    prompt = getattr(judge, "prompt", None)
    return {"judge_support": prompt.id} if prompt is not None else {}
