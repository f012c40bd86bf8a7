"""The two judgements the section rules rest on, asked of the one verifier (pipeline/verify): does this
sentence state this statement (`supports`), and do two sentences state the same fact (`same_fact`), as
yes/no answers, cached per pair, and asked in batches where a pass has many (a model-backed verifier
scores a batch in one pass)."""
from __future__ import annotations

from collections.abc import Sequence

from ..verify import BaseVerifier, get_verifier

# The rules verifier passes a statement when half its key words are carried; one fact told twice shares
# most of them both ways ("The council said engineers will inspect the cliff" and "the landslide closed the
# road, but residents say the cliff had been failing" pass both ways at 0.5-0.6, and are two points).
RULES_SAME_SHARE = 0.75


class Judge:
    """Yes/no answers of one verifier, cached."""

    def __init__(self, verifier: BaseVerifier):
        self.verifier = verifier
        self.kind = verifier.kind
        self._supports: dict[tuple[str, str], bool] = {}
        self._same: dict[tuple[str, str], bool] = {}
        self._close: dict[tuple[str, str], float] = {}

    def supports_many(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        todo = list(dict.fromkeys(p for p in pairs if p not in self._supports))
        if todo:
            holds = getattr(self.verifier, "holds_many", None)
            answers = holds(todo) if holds else [v.supported for v in self.verifier.supports_many(todo)]
            for p, ok in zip(todo, answers):
                self._supports[p] = ok
        return [self._supports[p] for p in pairs]

    def supports(self, statement: str, evidence: str) -> bool:
        return self.supports_many([(statement, evidence)])[0]

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        todo = list(dict.fromkeys(p for p in pairs if p not in self._same))
        if todo:
            floor = RULES_SAME_SHARE if self.kind == "rules" else 0.0
            for p, v in zip(todo, self.verifier.same_fact_many(todo)):
                self._same[p] = v.supported and v.score >= floor
        return [self._same[p] for p in pairs]

    def same_fact(self, a: str, b: str) -> bool:
        return self.same_fact_many([(a, b)])[0]

    def sentence_closeness(self, a: str, b: str) -> float | None:
        """How close two sentences read to the verifier (embedding cosine; the rules verifier's shared words),
        cached; None when it cannot tell."""
        return (self.closeness(a, [b]) or [None])[0]

    def closeness(self, word: str, words: Sequence[str]) -> list[float] | None:
        """How close `word` is to each of `words` by the verifier's own reading (embedding cosine), cached;
        None when it cannot tell (the rules verifier)."""
        todo = [w for w in dict.fromkeys(words) if (word, w) not in self._close]
        if todo:
            try:
                found = dict(self.verifier.rank(word, todo, len(todo)))
            except NotImplementedError:
                return None
            for k, w in enumerate(todo):
                self._close[(word, w)] = found.get(k, 0.0)
        return [self._close[(word, w)] for w in words]

    def rank(self, statement: str, sentences: Sequence[str], k: int) -> list[int]:
        """The k sentences the verifier ranks likeliest to state the statement ([] when it cannot rank)."""
        try:
            return [i for i, _ in self.verifier.rank(statement, sentences, k)]
        except NotImplementedError:
            return []


def get_judge(verifier: BaseVerifier | None = None) -> Judge:
    """A judge over the run's verifier, or, given none, over the rules verifier (what `brief run` uses when
    no --verifier is given). An llm verifier's judgement (a model call per pair) is kept for the ground
    stage: the search reads dozens of candidate pairs per item, so it asks `auto` without a model (embed,
    else the rules) instead."""
    if verifier is None or not hasattr(verifier, "supports_many"):
        verifier = get_verifier("rules")
    elif getattr(verifier, "kind", "") == "llm":
        verifier = get_verifier("auto")
    return Judge(verifier)
