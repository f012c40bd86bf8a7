"""Command-line options shared by `brief run` and every `brief eval` action: how to reach an LLM endpoint."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_endpoint_args(p: argparse.ArgumentParser, title: str) -> None:
    """The endpoint flags, the same for a run and for the judge (a one-request local server needs
    --concurrency 1 and a long --timeout for both)."""
    g = p.add_argument_group(title)
    g.add_argument("--base-url", help="e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL)")
    g.add_argument("--model", help="model name (env BRIEF_MODEL; default: the one the server lists)")
    g.add_argument("--api-key", help="API key; prefer the environment variable OPENAI_API_KEY")
    g.add_argument("--config", type=Path, help="TOML config file (default $BRIEF_CONFIG or ~/.config/briefsmith/config.toml)")
    g.add_argument("--cache-dir", type=Path, help="response cache (env BRIEF_CACHE_DIR, default ~/.cache/briefsmith)")
    g.add_argument("--no-cache", action="store_true", help="neither read nor write the response cache")
    g.add_argument("--concurrency", type=int, help="LLM calls in flight at once (default 8; 1 for a one-request server)")
    g.add_argument("--structured-mode", choices=["auto", "json_schema", "json_object", "llamacpp", "text"],
                   help="how to ask for JSON: strict json_schema, JSON mode with the schema in the prompt, "
                        "llama.cpp's json_object+schema grammar, or text (no response_format: the schema in the "
                        "prompt, the JSON read from the reply; fastest on llama.cpp) (default auto: json_schema, "
                        "then the grammar, then JSON mode, then text, each tried when the one before is refused)")
    g.add_argument("--timeout", type=float, help="seconds per request (default 60)")
    g.add_argument("--retries", type=int, help="retries of a request after a transient fault (default 5)")
    g.add_argument("--log", type=Path, help="append every prompt and response to this JSONL file")


def llm_options(args: argparse.Namespace) -> dict:
    """The LLMConfig settings the endpoint flags give, beyond endpoint and cache (only those given)."""
    given = {"structured_mode": getattr(args, "structured_mode", None), "timeout": getattr(args, "timeout", None),
             "max_retries": getattr(args, "retries", None)}
    return {k: v for k, v in given.items() if v is not None}
