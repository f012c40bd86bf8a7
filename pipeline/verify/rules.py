"""The `rules` verifier: the deterministic support check (support.py) behind the Verifier interface.

No model, no download: it is what `auto` falls back to, and its exact signals (figures, dates, names,
negation) are the vetoes every other backend keeps in front of its own judgement.
"""
from __future__ import annotations

from collections.abc import Sequence

from .signals import content_stems, split_sentences
from .support import KEY_COVERAGE, check_against, check_support, judge
from .verdict import BaseVerifier, EvidenceText, Verdict


def as_sentences(evidence: EvidenceText) -> list[str] | None:
    """A list of sentences as given; one passage as None (judged whole)."""
    return None if isinstance(evidence, str) else list(evidence)


class RulesVerifier(BaseVerifier):
    kind = "rules"

    def supports_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[Verdict]:
        out = []
        for statement, evidence in pairs:
            sents = as_sentences(evidence)
            out.append(check_support(statement, evidence) if sents is None else check_against(statement, sents))
        self.counts["pairs"] += len(pairs)
        return out

    def holds_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[bool]:
        """A quote that carries less than KEY_COVERAGE of the statement's key words fails whatever else the
        rules would read in it: answered from the (cached) stems alone. The corroboration search asks hundreds
        of such pairs per item on a large corpus."""
        out: list[bool] = []
        for statement, evidence in pairs:
            key = set(content_stems(statement))
            if isinstance(evidence, str) and key and \
                    len(key & set(content_stems(evidence))) / len(key) < KEY_COVERAGE:
                self.counts["pairs"] += 1
                out.append(False)
            else:
                out.append(self.supports_many([(statement, evidence)])[0].supported)
        return out

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        """Each must carry the other: one direction alone lets a short sentence 'match' a long one that
        says more."""
        out = []
        for a, b in pairs:
            ab, ba = judge(a, b), judge(b, a)
            score = min(ab.score, ba.score)
            if ab.supported and ba.supported:
                out.append(Verdict(supported=True, score=score))
            else:
                out.append(Verdict(supported=False, score=score, reason=(ab.reason if not ab.supported else ba.reason)))
        self.counts["pairs"] += len(pairs)
        return out

    def rank(self, statement: str, sentences: Sequence[str], k: int = 3) -> list[tuple[int, float]]:
        key = set(content_stems(statement))
        if not key:
            return []
        scored = [(i, len(key & set(content_stems(s))) / len(key)) for i, s in enumerate(sentences)]
        scored = [x for x in scored if x[1] > 0]
        return sorted(scored, key=lambda x: (-x[1], x[0]))[:k]


def sentences_of(text: str) -> list[str]:
    return split_sentences(text) or [text]
