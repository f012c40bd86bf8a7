"""Where prompts/ and schemas/ are: inside the wheel (pipeline/_data) or, in a checkout, beside the package."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def resource_dir(name: str) -> Path:
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefsmith is installed without its {name}/ folder (looked in {_PKG})")


def prompts_dir() -> Path:
    return resource_dir("prompts")


def schemas_dir() -> Path:
    return resource_dir("schemas")
