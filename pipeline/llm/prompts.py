"""Prompt templates: versioned files under prompts/, rendered into chat messages.

A template is a small front-matter header plus a ``## system`` and a ``## user`` section::

    ---
    name: extract_claims
    version: 1
    ---
    ## system
    You extract claims ...
    ## user
    <document id="{{doc_id}}">
    {{document}}
    </document>

Every variable is data. Any fence tag the template uses (``<document>``, ``<claims>``...) is
neutralised inside variable values, so article text can never close its fence and pose as
instructions.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from ..models import BriefError
from ..resources import prompts_dir

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_FENCE_TAG = re.compile(r"</([A-Za-z_][A-Za-z0-9_-]*)\s*>")
_SECTION = re.compile(r"^## (system|user)[ \t]*$", re.MULTILINE)


class PromptError(BriefError):
    pass


class Prompt(BaseModel):
    name: str
    version: int
    sha: str  # sha256 of the template file, so any edit changes the id (and the cache key)
    system: str
    user: str

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}+{self.sha[:8]}"

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.system)) | set(_PLACEHOLDER.findall(self.user))

    def render(self, **variables: object) -> list[dict]:
        """Chat messages with every ``{{name}}`` filled; missing or unknown names raise."""
        wanted = self.placeholders
        missing = sorted(wanted - variables.keys())
        unknown = sorted(variables.keys() - wanted)
        if missing or unknown:
            raise PromptError(f"prompt {self.id}: missing variables {missing}, unknown variables {unknown}")
        tags = set(_FENCE_TAG.findall(self.system)) | set(_FENCE_TAG.findall(self.user))
        values = {k: neutralise(str(v), tags) for k, v in variables.items()}

        def fill(text: str) -> str:
            # one pass, so a value that itself contains "{{x}}" is never expanded
            return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)

        return [{"role": "system", "content": fill(self.system)}, {"role": "user", "content": fill(self.user)}]


def neutralise(text: str, tags: set[str]) -> str:
    """Escape ``<tag`` and ``</tag`` for the given fence tags so data cannot open or close a fence."""
    if not tags:
        return text
    pattern = re.compile(r"<(/?\s*(?:" + "|".join(map(re.escape, sorted(tags))) + r"))\b", re.IGNORECASE)
    return pattern.sub(r"&lt;\1", text)


def parse_prompt(text: str, *, source: str = "<string>") -> Prompt:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.replace("\r\n", "\n")
    m = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    if not m:
        raise PromptError(f"{source}: missing '---' front matter")
    header: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition(":")
            if not sep:
                raise PromptError(f"{source}: bad front matter line {line!r}")
            header[key.strip()] = value.strip()
    body = text[m.end():]
    parts = _SECTION.split(body)
    # parts: [preamble, "system", text, "user", text]
    sections = dict(zip(parts[1::2], parts[2::2]))
    if parts[1::2] != ["system", "user"] or parts[0].strip():
        raise PromptError(f"{source}: expected exactly a '## system' then a '## user' section")
    try:
        return Prompt(
            name=header["name"],
            version=int(header["version"]),
            sha=sha,
            system=sections["system"].strip("\n"),
            user=sections["user"].strip("\n"),
        )
    except (KeyError, ValueError) as e:
        raise PromptError(f"{source}: front matter needs 'name' and an integer 'version' ({e})") from None


@lru_cache(maxsize=None)
def load_prompt(name: str) -> Prompt:
    path = prompts_dir() / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"no prompt named {name!r} in {prompts_dir()}")
    # decode without newline translation: the sha is of the file's exact bytes
    prompt = parse_prompt(path.read_bytes().decode("utf-8"), source=str(path))
    if prompt.name != name:
        raise PromptError(f"{path}: front matter says name {prompt.name!r}, file is {name!r}")
    return prompt


def prompt_for(name: str, variant_dir: Path | None = None) -> Prompt:
    """The prompt `name` from a variant folder under test when it holds one, else the shipped template
    (a variant folder need only hold the prompts it changes)."""
    path = Path(variant_dir) / f"{name}.md" if variant_dir is not None else None
    if path is None or not path.is_file():
        return load_prompt(name)
    return parse_prompt(path.read_bytes().decode("utf-8"), source=str(path))
