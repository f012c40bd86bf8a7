"""Read a JSON file the user named, failing with one line that says which file and what is wrong."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import BriefError


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BriefError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(f"cannot read {what} {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BriefError(f"bad {what} {path}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
