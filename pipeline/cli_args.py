"""Command-line options shared by `brief run` and `brief eval`: how to reach an LLM endpoint."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_endpoint_args(p: argparse.ArgumentParser, title: str, *, run_options: bool = False) -> None:
    """The endpoint flags; `run_options` adds those that only matter to a run making many calls."""
    g = p.add_argument_group(title)
    g.add_argument("--base-url", help="e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL)")
    g.add_argument("--model", help="model name (env BRIEF_MODEL)")
    g.add_argument("--api-key", help="API key; prefer the environment variable OPENAI_API_KEY")
    g.add_argument("--config", type=Path, help="TOML config file (default $BRIEF_CONFIG or ~/.config/briefsmith/config.toml)")
    g.add_argument("--cache-dir", type=Path, help="response cache (env BRIEF_CACHE_DIR, default ~/.cache/briefsmith)")
    g.add_argument("--no-cache", action="store_true", help="neither read nor write the response cache")
    if not run_options:
        return
    g.add_argument("--concurrency", type=int, help="LLM calls in flight at once (default 8)")
    g.add_argument("--structured-mode", choices=["auto", "json_schema", "json_object", "llamacpp"],
                   help="how to ask for JSON: strict json_schema, JSON mode with the schema in the prompt, or "
                        "llama.cpp's json_object+schema (default auto: json_schema, falling back when refused)")
    g.add_argument("--timeout", type=float, help="seconds per request (default 60)")
    g.add_argument("--retries", type=int, help="retries of a request after a transient fault (default 5)")
    g.add_argument("--log", type=Path, help="append every prompt and response to this JSONL file")
