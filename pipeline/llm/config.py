"""LLM endpoint settings: flags > environment > config file > defaults."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ..models import BriefError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

StructuredMode = Literal["auto", "json_schema", "json_object", "llamacpp", "text"]

# Local servers (llama.cpp, vLLM, Ollama) ignore the key, but the openai client insists on one.
PLACEHOLDER_KEY = "not-needed"

ENV_VARS = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "BRIEF_MODEL": "model",
    "BRIEF_CACHE_DIR": "cache_dir",
}


def default_cache_dir() -> Path:
    return Path("~/.cache/briefsmith").expanduser()


class LLMConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: Optional[str] = None
    api_key: Optional[SecretStr] = None  # SecretStr: repr, str and model_dump show '**********'
    model: Optional[str] = None
    timeout: float = Field(60.0, gt=0, description="seconds per HTTP request")
    max_retries: int = Field(5, ge=0, description="transient-fault retries per request")
    max_retry_seconds: float = Field(120.0, ge=0, description="total time budget for those retries")
    retry_base_seconds: float = Field(1.0, ge=0, description="first backoff step; tests make it tiny")
    reasks: int = Field(2, ge=0, description="re-asks after an invalid output")
    concurrency: int = Field(8, ge=1)
    structured_mode: StructuredMode = "auto"
    temperature: float = 0.0
    seed: Optional[int] = 0
    max_tokens: Optional[int] = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    use_cache: bool = True

    @field_validator("cache_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.base_url or self.model)

    def key(self) -> str | None:
        """The key to send: the configured one, or a placeholder for a keyless local server."""
        if self.api_key is not None and self.api_key.get_secret_value():
            return self.api_key.get_secret_value()
        return PLACEHOLDER_KEY if self.base_url else None


def default_config_path(env: Mapping[str, str]) -> tuple[Path, bool]:
    """(path, explicit): $BRIEF_CONFIG must exist; the default path is optional."""
    if env.get("BRIEF_CONFIG"):
        return Path(env["BRIEF_CONFIG"]).expanduser(), True
    return Path("~/.config/briefsmith/config.toml").expanduser(), False


def read_config_file(path: Path) -> dict:
    """Settings from a TOML file: an [llm] table if there is one, else the top-level keys."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise BriefError(f"cannot read config file {path}: {e}") from None
    table = data.get("llm", data)
    if not isinstance(table, dict):
        raise BriefError(f"config file {path}: [llm] must be a table")
    return {k: v for k, v in table.items() if not isinstance(v, dict)}


def resolve_config(
    *,
    flags: Mapping[str, object] | None = None,
    env: Mapping[str, str] = os.environ,
    config_file: Path | None = None,
) -> LLMConfig:
    """Merge settings by precedence. Flags set to None count as not given (argparse defaults)."""
    explicit = config_file is not None
    if config_file is None:
        config_file, explicit = default_config_path(env)
    merged: dict[str, object] = {}
    try:
        present = config_file.is_file()
    except OSError as e:  # e.g. a HOME the service account may not enter: the optional default is just absent
        if explicit:
            raise BriefError(f"cannot read config file {config_file}: {e.strerror or e}") from None
        present = False
    if present:
        merged.update(read_config_file(config_file))
    elif explicit:
        raise BriefError(f"config file not found: {config_file}")
    merged.update({field: env[var] for var, field in ENV_VARS.items() if env.get(var)})
    merged.update({k: v for k, v in (flags or {}).items() if v is not None})
    try:
        return LLMConfig(**merged)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'config'}: {err['msg']}" for err in e.errors())
        raise BriefError(f"invalid LLM settings: {problems}") from None
