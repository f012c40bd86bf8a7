"""The fact matcher: a gold fact is credited to the one brief item whose statement supports it, as the
verifier judges (pipeline/verify: `supports(statement=fact, evidence=item)`), never to words spread over a
long item.

An item's text is its statement plus, for a divergence, what each side says. A statement of more than
MAX_WHOLE_SENTENCES sentences is judged sentence by sentence (and each side on its own), so a pasted
concatenation of ledes cannot collect a fact whose words it holds only across sentences; and such a long
item is credited with one fact at most. Gold keyword groups (the labeller's required details) cap a match
that lacks one at partial.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Optional, Sequence

from pydantic import BaseModel

from ..text.absence import comparable_absences
from ..verify import get_verifier
from ..text.quantities import compatible, find_quantities, same_thing
from ..verify.signals import _heads, content_stems, figures, negated, split_sentences, stem
from .gold import GoldFact

Verdict = Literal["full", "partial", "none"]
RANK = {"none": 0, "partial": 1, "full": 2}
_WORD = re.compile(r"[^\W\d_]+(?:[.'\u2019][^\W\d_]+)*")  # "U.S" and "US" meet in the stemmer
MAX_WHOLE_SENTENCES = 2  # a statement longer than this is judged sentence by sentence and credited once


class Thresholds(BaseModel):
    """Chosen per verifier (their similarities differ in scale) on the SummHay human-coverage dev split only
    (`brief eval agreement --split dev`): the best binary kappa on a grid, figures in evals/README.md."""
    support_weight: float = 1.0  # weight of the verifier's support score beside its similarity
    contrast: float = 0.75  # share of an item's mean closeness to all the gold facts taken off its closeness to one
    partial: float = 0.2  # contrasted closeness at or above which an item states part of a fact
    min_support: float = 0.0  # ... when the verifier's support score is at least this
    top_k: int = 6  # units per fact the verifier judges (the closest by its similarity)


THRESHOLDS = {
    # SummHay dev kappa (binary) 0.634; held out 0.588 (benchmarks/matcher_fit.py, brief eval agreement)
    "embed": Thresholds(support_weight=1.0, contrast=0.5, partial=0.56),
    # rules: partial needs 30% of the fact's key words (a floor set by design: without it one shared word,
    # "roads", credits a lede sentence); the rest best on dev with it, kappa 0.535 (0.538 without the floor)
    "rules": Thresholds(support_weight=0.5, contrast=0.75, partial=0.2, min_support=0.3),
}


class Candidate(BaseModel):
    """What a fact can be matched to: a brief item (statement plus its variants), or a summary bullet."""
    id: str
    section: Optional[str] = None
    text: str
    parts: list[str] = []  # a divergence's sides, judged with the statement (or alone when it is long)


class Match(BaseModel):
    verdict: Verdict
    item_id: Optional[str] = None
    item_section: Optional[str] = None
    score: Optional[float] = None
    reason: str
    matcher: str


class FactMatch(BaseModel):
    """A fact's best match anywhere, and its best match inside the fact's own section."""
    fact_id: str
    section: str
    best: Match
    in_section: Match


@dataclass
class _Unit:
    """One text the verifier judges a fact against: a whole short item, or one sentence of a long one."""
    cand: int
    text: str


@dataclass
class _Pair:
    verdict: Verdict
    score: float
    reason: str
    cand: int


def units_of(c: Candidate) -> tuple[list[str], bool]:
    """The texts a candidate is judged by, and whether it is long (credited once)."""
    sentences = split_sentences(c.text) or [c.text]
    if len(sentences) <= MAX_WHOLE_SENTENCES:
        return [" ".join([c.text, *c.parts])], False
    return [*sentences, *c.parts], True


def contradiction(fact: str, item: str, sides: bool = False) -> Optional[str]:
    """Why the item says something else than the fact: another figure for the same measured thing ("$2.4
    million budget" for "$4.2 million budget"; a vote count beside a number of homes is not one), or a
    negation one of them has and the other not. A figure the fact also gives is none ("31 residents ...
    versus nearly 40"); with `sides` (a divergence fact) neither is a word the fact both denies and asserts
    ("say they were never consulted; the council says it ran a consultation")."""
    told = find_quantities(fact)
    for qi in find_quantities(item):
        same = [qf for qf in told if qi.dimension == qf.dimension and same_thing(qf.thing, qi.thing)]
        if same and not any(compatible(qf, qi) for qf in same):
            return f"figure {qi.surface!r} where the fact has {same[0].surface!r}"
    # a negation reversed, not one left out: the other side must say the denied words without denying them
    for a, b, who in ((fact, item, "the fact denies what the item asserts"),
                      (item, fact, "the item denies what the fact asserts")):
        their, their_neg = set(content_stems(b)), negated(b)
        own, own_neg = content_stems(a), negated(a)
        for head in filter(None, _heads(a)):  # the word each negation denies first ("did not approve")
            if sides and own.count(head) > sum(head in n for n in own_neg):
                continue  # one side denies it, the other asserts it
            if head in their and not any(head in n for n in their_neg):
                return f"negation reversed: {who} ({head})"
    return None


def _stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text)}


def keyword_groups_missing(keywords: Sequence[Sequence[str]], text: str) -> list[list[str]]:
    """Groups none of whose alternatives the text contains: a figure by value ("175" is not in "1750", "six"
    is "6"), words by their stems (every word of a phrase alternative)."""
    have_stems, have_figs = _stems(text), set(figures(text))
    return [list(g) for g in keywords if not any(_alternative_in(a, have_stems, have_figs) for a in g)]


def _alternative_in(alt: str, have_stems: set[str], have_figs: set[float]) -> bool:
    figs = set(figures(alt))
    words = {stem(w) for w in _WORD.findall(alt) if not (figs and _is_figure_word(w))}
    return figs <= have_figs and words <= have_stems


def _is_figure_word(word: str) -> bool:
    return bool(figures(word))


def _judged(fact: str, item: str) -> tuple[str, str]:
    """The pair the judge reads: two absences as what each says is missing, their cues left out ("It is not
    known when ..." against "There is no word yet on when ...": the cues differ in polarity words only), when
    they ask the same question of no different withholder; any other pair as it is."""
    return comparable_absences(fact, item) or (fact, item)


_SIDES = re.compile(r";\s+|,\s+while\s+")
MIN_SIDE_WORDS = 5


def fact_sides(fact: GoldFact) -> list[str]:
    """A divergence fact's two sides, when it is written as two parties' statements joined by ";" or ", while";
    else the fact whole."""
    parts = _SIDES.split(fact.text) if fact.section == "divergences" else []
    if len(parts) != 2 or any(len(p.split()) < MIN_SIDE_WORDS for p in parts):
        return [fact.text]
    return [parts[0].strip().rstrip(".") + ".", parts[1][:1].upper() + parts[1][1:]]


class VerifierMatcher:
    """Facts against items through a verifier (`rules`, `embed`, `llm`; `auto` picks): its similarity ranks
    the items, and its support verdict decides, except for `embed`, whose verdict (fitted on SummEdits, a
    summary sentence against its document) agrees with people on coverage far less than the rules' exact
    reading beside the embedding similarity (SummHay dev kappa 0.39 against 0.6, evals/README.md): there
    the embeddings rank and measure closeness, the rules judge."""

    def __init__(self, verifier=None, thresholds: Optional[Thresholds] = None, judge=None):
        self.verifier = verifier if verifier is not None else get_verifier("auto")
        self.judge = judge if judge is not None else (
            get_verifier("rules") if self.verifier.kind == "embed" else self.verifier)
        # the llm verifier's similarity is the embedding model's (its candidates), so embed's cut-offs serve it
        self.thresholds = thresholds or THRESHOLDS.get(self.verifier.kind, THRESHOLDS["embed"])

    @property
    def name(self) -> str:
        return f"verify:{self.verifier.kind}"

    def _pairs(self, facts: Sequence[GoldFact], units: list[_Unit]) -> list[list[_Pair]]:
        """Per fact, its verdict against each shortlisted unit, best first."""
        thr = self.thresholds
        texts = [u.text for u in units]
        sim = [[0.0] * len(units) for _ in facts]
        asks: list[tuple[int, int]] = []
        for fi, f in enumerate(facts):
            ranked = self.verifier.rank(f.text, texts, k=len(texts))
            for ui, x in ranked:
                sim[fi][ui] = x
            top = [ui for ui, _ in ranked[:thr.top_k]] if thr.top_k else list(range(len(texts)))
            asks += [(fi, ui) for ui in top]
        verdicts = self._verdicts([(facts[fi], units[ui].text) for fi, ui in asks])
        close = {(fi, ui): sim[fi][ui] + thr.support_weight * v.score for (fi, ui), v in zip(asks, verdicts)}
        # an item's closeness to the other gold facts, on average: what it shares with any fact, not this one
        total = [sum(close.get((fi, ui), sim[fi][ui]) for fi in range(len(facts))) for ui in range(len(units))]
        others = max(1, len(facts) - 1)
        out: list[list[_Pair]] = [[] for _ in facts]
        for (fi, ui), v in zip(asks, verdicts):
            f = facts[fi]
            score = close[(fi, ui)] - thr.contrast * (total[ui] - close[(fi, ui)]) / others
            near = score >= thr.partial and v.score >= thr.min_support
            verdict: Verdict = "full" if v.supported else "partial" if near else "none"
            reason = v.reason or ("supported" if v.supported else "not supported")
            reason = f"{reason} (support {v.score:.2f}, closeness {score:.2f})"
            why = contradiction(f.text, units[ui].text, f.section == "divergences") if verdict == "partial" else None
            if why:
                verdict, reason = "none", f"contradicts it: {why}; {reason}"
            if verdict == "full" and f.keywords:
                missing = keyword_groups_missing(f.keywords, units[ui].text)
                if missing:
                    verdict = "partial"
                    reason = "keywords missing: " + "; ".join("|".join(g) for g in missing) + "; " + reason
            out[fi].append(_Pair(verdict, score, reason, units[ui].cand))
        for ps in out:
            ps.sort(key=lambda p: (-RANK[p.verdict], -p.score, p.cand))
        return out

    def _verdicts(self, asks: list[tuple[GoldFact, str]]):
        """The judge's verdict on each (fact, unit); a two-sided divergence fact ("X says A; Y says B") is judged
        side by side, each side a claim of its own with its own speaker and negations: supported when every
        side is, scored by their mean."""
        parts = [fact_sides(f) for f, _ in asks]
        flat = self.judge.supports_many([_judged(p, unit) for ps, (_, unit) in zip(parts, asks) for p in ps])
        out, k = [], 0
        for ps in parts:
            vs, k = flat[k:k + len(ps)], k + len(ps)
            if len(vs) == 1:
                out.append(vs[0])
                continue
            failed = next((v for v in vs if not v.supported), None)
            out.append(vs[0].model_copy(update={"supported": failed is None, "score": sum(v.score for v in vs) / len(vs),
                                                "reason": failed.reason if failed else ""}))
        return out

    def match(self, facts: Sequence[GoldFact], candidates: Sequence[Candidate]) -> list[FactMatch]:
        units: list[_Unit] = []
        long: set[int] = set()
        for ci, c in enumerate(candidates):
            texts, is_long = units_of(c)
            units += [_Unit(ci, t) for t in texts if t.strip()]
            if is_long:
                long.add(ci)
        pairs = self._pairs(facts, units) if units and facts else [[] for _ in facts]
        taken = _credit_long_once(pairs, long, facts, candidates)
        out = []
        for fi, f in enumerate(facts):
            ps = [p for p in pairs[fi] if p.cand not in long or taken.get(p.cand) == fi]
            best = self._match(ps, candidates, "no item states it")
            own = [p for p in ps if candidates[p.cand].section == f.section]
            in_sec = best if best.item_section == f.section else self._match(own, candidates, "no item of its section states it")
            out.append(FactMatch(fact_id=f.id, section=f.section, best=best, in_section=in_sec))
        return out

    def _match(self, ps: list[_Pair], candidates: Sequence[Candidate], none_why: str) -> Match:
        if not ps:
            return Match(verdict="none", reason=f"{none_why} (no item left: a long item is credited once)",
                         matcher=self.name)
        # one item, once: the best unit of each candidate is its verdict
        p = ps[0]
        c = candidates[p.cand]
        if p.verdict == "none":
            return Match(verdict="none", score=round(p.score, 3), matcher=self.name,
                         reason=f"{none_why}; closest {c.id}: {p.reason}")
        return Match(verdict=p.verdict, item_id=c.id, item_section=c.section, score=round(p.score, 3),
                     reason=p.reason, matcher=self.name)


def _credit_long_once(pairs: list[list[_Pair]], long: set[int], facts: Sequence[GoldFact],
                      candidates: Sequence[Candidate]) -> dict[int, int]:
    """A long item -> the one fact it is credited with: a fact of its own section before any other (a
    divergence that quotes a sentence stating an agreed fact is about the divergence), then the fact it
    matches best (verdict, then score)."""
    best: dict[int, tuple[tuple[bool, int, float], int]] = {}
    for fi, ps in enumerate(pairs):
        for p in ps:
            if p.cand in long and p.verdict != "none":
                key = (candidates[p.cand].section == facts[fi].section, RANK[p.verdict], p.score)
                if p.cand not in best or key > best[p.cand][0]:
                    best[p.cand] = (key, fi)
    return {c: fi for c, (_, fi) in best.items()}


# the name older callers use: the matcher that needs no generation model
OfflineMatcher = VerifierMatcher
