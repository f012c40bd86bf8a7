"""Which verifier judges: `get_verifier("rules"|"embed"|"llm"|"auto", client=...)`.

`auto` (the default) is `llm` when a model endpoint is configured, else `embed`, else `rules` with a
warning; a backend that cannot load never stops a brief, it falls back and says so.
"""
from __future__ import annotations

from ..models import BriefError
from .rules import RulesVerifier
from .verdict import BaseVerifier

KINDS = ("rules", "embed", "llm", "auto")


class VerifierUnavailable(Exception):
    """A backend that cannot run here (no model file, no endpoint); `auto` falls back past it."""


def _embed(**options) -> BaseVerifier:
    """The embedding model and its fitted decision; BRIEF_EMBED_MODEL=<folder> points at other files
    (a folder without them makes the model unavailable, as on a machine where it is not installed)."""
    from .embed import EmbedVerifier
    from .encoder import EncoderUnavailable, load_encoder

    try:
        return EmbedVerifier(encoder=load_encoder())
    except EncoderUnavailable as exc:
        raise VerifierUnavailable(str(exc)) from None
    except (OSError, ValueError, KeyError) as exc:  # the fitted weights missing or from other features
        raise VerifierUnavailable(f"the embed decision did not load: {exc}") from None


def _llm(client, **options) -> BaseVerifier:
    """The model behind `client` judges; the embedding model, when it loads, picks the evidence sentences."""
    if client is None:
        raise VerifierUnavailable("no model endpoint is configured (give --base-url and/or --model)")
    from .llm import LLMVerifier

    try:
        finder = _embed(**options)
    except VerifierUnavailable:
        finder = None
    return LLMVerifier(client, prompts_dir=options.get("prompts_dir"), finder=finder)


def get_verifier(kind: str = "auto", client=None, **options) -> BaseVerifier:
    """A verifier of `kind`. `client`: the pipeline's LLMClient (llm, and auto when given one).
    An explicit kind that cannot run is a BriefError; `auto` falls back with a warning in `.warnings`."""
    if kind not in KINDS:
        raise BriefError(f"unknown verifier {kind!r} (one of {', '.join(KINDS)})")
    if kind == "rules":
        return RulesVerifier()
    if kind in ("embed", "llm"):
        try:
            return _embed(**options) if kind == "embed" else _llm(client, **options)
        except VerifierUnavailable as exc:
            raise BriefError(f"--verifier {kind}: {exc}") from None
    notes: list[str] = []
    for name, make in (("llm", lambda: _llm(client, **options)), ("embed", lambda: _embed(**options))):
        if name == "llm" and client is None:
            continue
        try:
            v = make()
            v.warnings[:0] = notes
            return v
        except VerifierUnavailable as exc:
            notes.append(f"verifier: {name} unavailable ({exc})")
    v = RulesVerifier()
    v.warnings.extend(notes + ["verifier: falling back to the rules (lexical) support check"])
    return v
