"""The `llm` verifier: the configured model answers yes or no for each (claim, best evidence sentences) pair.

The exact rule vetoes stay in front (a pair they reject is never sent); a long text is never sent whole,
only the few sentences most like the claim (by embedding when the model loads, else shared words); a
statement of several sentences is asked sentence by sentence. One short call per pair (max_tokens 2, or
room to think for a reasoning model; temperature 0), through the pipeline's LLMClient (its endpoint, its
disk cache, its thread pool), counted apart from other calls as judge calls. With logprobs (where the server gives them) the score is P(yes).
"""
from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Optional

from ..llm.cache import cache_key
from ..llm.dialects import is_reasoning
from ..llm.errors import LLMError
from ..llm.prompts import prompt_for
from .signals import content_stems, split_sentences, word_count
from .support import EXACT, MIN_QUOTE_WORDS, check_support, findings
from ..text.instructions import INSTRUCTION_REASON, reported
from .verdict import BaseVerifier, EvidenceText, Verdict

TOP_K = 3
MAX_TOKENS = 2
# a reasoning model (o-series, gpt-5*) counts its hidden thinking in the same budget: two tokens leave it no answer
REASONING_MAX_TOKENS = 2048
_YES, _NO = ("yes", "true", "supported"), ("no", "false", "unsupported", "not")


def _sentences(evidence: EvidenceText) -> list[str]:
    if isinstance(evidence, str):
        return split_sentences(evidence) or [evidence]
    return [s for s in evidence if s.strip()] or [""]


def yes_probability(content: str, logprobs: Optional[dict]) -> Optional[float]:
    """P(yes) from the first answer token's top logprobs when given, else 1/0 from the words; None if neither."""
    if logprobs:
        yes = sum(math.exp(lp) for tok, lp in logprobs.items() if tok.strip().lower() in _YES)
        no = sum(math.exp(lp) for tok, lp in logprobs.items() if tok.strip().lower() in _NO)
        if yes + no > 0:
            return yes / (yes + no)
    word = (content or "").strip().strip(".!\"'`*").lower().split()
    if word and word[0].strip(".,:") in _YES:
        return 1.0
    if word and word[0].strip(".,:") in _NO:
        return 0.0
    return None


class LLMVerifier(BaseVerifier):
    kind = "llm"

    def __init__(self, client, *, prompts_dir=None, finder: Optional[BaseVerifier] = None):
        super().__init__()
        self.client = client
        self.prompt = prompt_for("verify_support", prompts_dir)
        self.finder = finder  # picks the evidence sentences (the embed verifier's rank); None: shared words
        self.counts.update({"judge_prompt_tokens": 0, "judge_completion_tokens": 0, "judge_cache_hits": 0,
                            "judge_unreadable": 0})
        self._logprobs = True  # dropped for the rest of the run if the server refuses it

    # --- evidence ---------------------------------------------------------------------------------

    def best(self, part: str, sentences: list[str], k: int = TOP_K) -> list[int]:
        if self.finder is not None:
            idx = [i for i, _ in self.finder.rank(part, sentences, k)]
        else:
            key = set(content_stems(part))
            idx = sorted(range(len(sentences)), key=lambda i: -len(key & set(content_stems(sentences[i]))))[:k]
        return sorted(idx)

    # --- one call ---------------------------------------------------------------------------------

    def ask(self, claim: str, evidence: str) -> float:
        """P(yes) for one pair, from the cache when this model was asked it before."""
        messages = self.prompt.render(claim=claim, evidence=evidence)
        client = self.client
        key = cache_key(kind="verify", model=client.model_name(), base_url=client.endpoint, prompt=self.prompt.id,
                        messages=messages, max_tokens=MAX_TOKENS)
        hit = client.cache.get(key) if client.cache else None
        if hit is not None and isinstance(hit.get("p_yes"), (int, float)):
            self.counts["judge_cache_hits"] += 1
            return float(hit["p_yes"])
        import openai

        # an answer that is neither yes nor no (cut off, empty, off the format) is asked again, as the
        # structured calls re-ask, before it counts as no support
        for _ in range(getattr(client.config, "reasks", 0) + 1):
            try:
                reply, lp = self._complete(messages)
            except (openai.OpenAIError, ValueError) as e:  # ValueError: a body still damaged after the retries
                why = client.transport.describe(e, answered=client.answered)
                raise LLMError(f"verify failed for support of {claim[:60]!r}: {why}", stage="verify",
                               label=f"support of {claim[:60]!r}") from None
            p = yes_probability(reply, lp)
            if p is not None:
                break
            self.counts["judge_unreadable"] += 1
        if p is None:  # neither yes nor no, every time: not taken as support
            p = 0.0
        elif client.cache:
            client.cache.put(key, {"p_yes": p, "reply": reply[:40]})
        return p

    def _complete(self, messages: list[dict]) -> tuple[str, Optional[dict]]:
        import openai

        thinks = is_reasoning(self.client.model_name())
        body = dict(model=self.client.model_name(), messages=messages,
                    max_tokens=REASONING_MAX_TOKENS if thinks else MAX_TOKENS, temperature=0.0)
        for attempt in range(3):
            try:
                extra = {"logprobs": True, "top_logprobs": 5} if self._logprobs and not thinks else {}
                r = self.client.complete({**body, **extra})  # the client's retries and endpoint quirks
                break
            except openai.BadRequestError:
                if not self._logprobs:
                    raise
                self._logprobs = False  # a server without logprobs: ask for the words alone
            except (openai.APIConnectionError, openai.APITimeoutError, openai.InternalServerError,
                    openai.RateLimitError):
                if attempt == 2:
                    raise
                time.sleep(0.5 * (attempt + 1))
        self.counts["judge_calls"] += 1
        usage = getattr(r, "usage", None)
        if usage is not None:
            self.counts["judge_prompt_tokens"] += usage.prompt_tokens or 0
            self.counts["judge_completion_tokens"] += usage.completion_tokens or 0
        choice = r.choices[0] if r.choices else None
        content = (choice.message.content or "") if choice else ""
        top = None
        lp = getattr(choice, "logprobs", None) if choice else None
        if lp is not None and getattr(lp, "content", None):
            first = lp.content[0]
            top = {t.token: t.logprob for t in (first.top_logprobs or [])} or {first.token: first.logprob}
        return content, top

    # --- the interface ----------------------------------------------------------------------------

    def supports_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[Verdict]:
        jobs: list[tuple[int, str, str]] = []  # (pair, claim sentence, its evidence)
        out: list[Optional[Verdict]] = [None] * len(pairs)
        for n, (statement, evidence) in enumerate(pairs):
            if isinstance(evidence, str) and word_count(evidence) < MIN_QUOTE_WORDS:
                out[n] = Verdict(supported=False, score=0.0, reason="quote too short")
                continue
            sents = reported(_sentences(evidence))  # an instruction planted for a model is never evidence
            if not sents:
                out[n] = Verdict(supported=False, score=0.0, reason=INSTRUCTION_REASON)
                continue
            doc = " ".join(sents)
            key_sets = [set(content_stems(s)) for s in sents]
            for part in split_sentences(statement) or [statement]:
                chosen = " ".join(sents[i] for i in self.best(part, sents))
                key = set(content_stems(part))
                near = " ".join(s for s, ks in zip(sents, key_sets) if key and len(key & ks) >= 0.3 * len(key)) or doc
                f = findings(part, chosen, context=near, anywhere=doc)
                exact = [f.problems[x] for x in EXACT if x in f.problems]
                if exact:  # the rules' exact signals decide before any call
                    self.counts["vetoed"] += 1
                    out[n] = Verdict(supported=False, score=0.0, reason=exact[0])
                    break
                jobs.append((n, part, chosen))
        live = [j for j in jobs if out[j[0]] is None]
        # a verdict lost for good costs that verdict: the next implementation (the rules) decides it; an
        # endpoint that never answered fails the run (client.map)
        probs = self.client.map(lambda j: self.ask(j[1], j[2]), live, label="verify",
                                fallback="the rules' support check decided it") if live else []
        probs = [(1.0 if check_support(part, chosen).supported else 0.0) if isinstance(p, LLMError) else p
                 for (_, part, chosen), p in zip(live, probs)]
        worst: dict[int, float] = {}
        for (n, part, _), p in zip(live, probs):
            worst[n] = min(worst.get(n, 1.0), p)
        for n in range(len(pairs)):
            if out[n] is None:
                p = worst.get(n, 0.0)
                out[n] = Verdict(supported=p >= 0.5, score=round(p, 4),
                                 reason="" if p >= 0.5 else f"the model judged it unsupported (P(yes) {p:.2f})")
        self.counts["pairs"] += len(pairs)
        return out  # type: ignore[return-value]

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        both = self.supports_many([(a, b) for a, b in pairs] + [(b, a) for a, b in pairs])
        n = len(pairs)
        return [Verdict(supported=ab.supported and ba.supported, score=min(ab.score, ba.score),
                        reason="" if ab.supported and ba.supported else (ab.reason or ba.reason))
                for ab, ba in zip(both[:n], both[n:])]

    def rank(self, statement: str, sentences: Sequence[str], k: int = 3) -> list[tuple[int, float]]:
        if self.finder is not None:
            return self.finder.rank(statement, sentences, k)
        key = set(content_stems(statement))
        scored = [(i, len(key & set(content_stems(s))) / len(key)) for i, s in enumerate(sentences)] if key else []
        return sorted([x for x in scored if x[1] > 0], key=lambda x: (-x[1], x[0]))[:k]
