"""The LLM path: settings, a validating and retrying client, and its on-disk cache.

Names load lazily, so reading settings or the cache does not pay for importing openai.
"""
from importlib import import_module

_EXPORTS = {
    "CallRecord": "records", "LLMClient": "client", "LLMError": "errors",
    "LLMConfig": "config", "resolve_config": "config",
    "DiskCache": "cache", "cache_key": "cache",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
