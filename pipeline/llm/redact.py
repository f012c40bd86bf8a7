"""Keep secrets out of everything briefsmith writes or prints."""
from __future__ import annotations

import re

REDACTED = "[REDACTED]"

# Shapes of credentials that may reach us inside third-party error text.
_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)(\b(?:api[_-]?key|authorization)\b[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{8,}"),
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"),  # user:password@ in URLs
]


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Remove the given secrets and anything shaped like a credential."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + REDACTED, text)
    return text
