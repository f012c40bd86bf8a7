"""Who checks that a cited span supports its item's statement: the one verifier (pipeline/verify/), of the
kind `--verifier` (or its older alias `--support`) names: rules, embed, llm or auto. The llm verifier runs
on the engine's endpoint, or, for the offline engine, on the endpoint the flags or environment configure.
"""
from __future__ import annotations

import os

from ..models import BriefError
from ..verify import KINDS, get_verifier


def verifier_kind(verifier: str | None = None, support: str | None = None) -> str:
    """--verifier, else its older name --support, else BRIEF_VERIFIER, else auto."""
    env = os.environ.get("BRIEF_VERIFIER") or None
    kind = verifier or support or env or "auto"
    if kind not in KINDS:
        where = "--verifier" if (verifier or support) else "BRIEF_VERIFIER"
        raise BriefError(f"{where}={kind!r} is not a verifier (one of {', '.join(KINDS)})")
    return kind


def _client_for(eng, endpoint: dict, *, required: bool):
    client = getattr(eng, "client", None)
    if client is not None:
        return client
    from ..llm.client import LLMClient
    from ..llm.config import resolve_config

    flags = {k: endpoint.get(k) for k in ("model", "base_url", "api_key", "cache_dir", "use_cache")}
    config = resolve_config(flags={**{k: v for k, v in flags.items() if v is not None},
                                   **(endpoint.get("llm_options") or {})}, config_file=endpoint.get("config_file"))
    if not config.endpoint_configured:
        if required:
            raise BriefError("--verifier llm (--support llm) needs an endpoint: give --base-url and/or --model "
                             "(or OPENAI_BASE_URL / BRIEF_MODEL)")
        return None
    return LLMClient(config)


def support_judge(kind: str, eng, **endpoint):
    """The verifier of `kind` for the ground stage (a verifier is called as judge(statement, quote))."""
    if kind not in KINDS:
        raise BriefError(f"unknown --verifier {kind!r} (one of {', '.join(KINDS)})")
    client = _client_for(eng, endpoint, required=True) if kind == "llm" else \
        _client_for(eng, endpoint, required=False) if kind == "auto" else None
    return get_verifier(kind, client=client, prompts_dir=endpoint.get("prompts_dir"))


def judge_versions(judge) -> dict[str, str]:
    prompt = getattr(judge, "prompt", None)
    return {prompt.name: prompt.id} if prompt is not None else {}
