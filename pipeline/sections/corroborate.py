"""Corroboration search: for an item's statement, the sentences of every independent source that state it,
not only those its cluster holds. Candidates come from two rankings of each source's sentences, lexical
(tf-idf cosine over the corpus's claims) and the verifier's own (`rank`: embedding similarity where it has
one), the best few of each per source; the verifier then confirms each candidate (`supports`). An item's
sources, source count and evidence are what it confirmed, so a fact five outlets word five ways credits all
five.

A candidate counts when it states the statement whole or its main clause (`text.clauses.main_clause`, when
that clause is a sentence: a subject and a verb):
outlets tell one fact with different details around it ("..., directing the military to comply" in one,
"..., but stopped short of a full truce" in another), and the ground stage accepts a span that supports
that clause, so what the search credits the brief keeps."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from ..cluster.similarity import ClaimIndex
from ..models import Claim
from ..text.clauses import main_clause
from ..verify.refer import refer
from ..verify.signals import content_stems, figures, same_figure
from ..text.lexical import content_terms
from ..text.words import STOPWORDS
from .rules import is_sentence

PER_SOURCE = 2  # candidate sentences per source and ranking that the verifier reads
MIN_COSINE = 0.12  # a lexical candidate shares at least this much of the statement's weighted words


MAIN_KEYS = 4  # a main clause with fewer key words says too little to credit a source on
MAIN_SHARED = 3  # key words and figures a sentence shares with a main clause before it is asked about it


def shared(a: str, b: str) -> int:
    """Key words (stems) and figures two sentences share."""
    figs = sum(any(same_figure(x, y) for y in figures(b)) for x in figures(a))
    return len(set(content_stems(a)) & set(content_stems(b))) + figs


def _near(core: str, other: str) -> bool:
    """Worth asking whether `other` states the main clause `core`: MAIN_SHARED key words and figures shared, or
    one figure and one key word (a figure is specific: "300 workers will lose their jobs at the mill by June" and
    "300 staff are to be laid off in June" share two signals, in other words)."""
    n = shared(core, other)
    return n >= MAIN_SHARED or (n >= 2 and any(same_figure(x, y) for x in figures(core) for y in figures(other)))


def carriers(c: Claim) -> list[str]:
    return c.carriers or [c.doc_id]


class Corroborator:
    """Finds, for a statement, the claims of other independent sources that the judge says state it."""

    def __init__(self, claims: list[Claim], index: ClaimIndex, group_of: Callable[[str], int], judge,
                 texts: dict[str, str] | None = None):
        self.claims, self.index, self.group_of, self.judge = claims, index, group_of, judge
        self.texts = texts or {}  # the sources' texts: a candidate is read with the names its source gives
        self.by_group: dict[int, list[int]] = {}
        for i, c in enumerate(claims):
            self.by_group.setdefault(group_of(c.doc_id), []).append(i)
        # every claim by each of its terms: a claim sharing none has cosine 0, so it is never scored
        self.holding: dict[str, list[int]] = {}
        for i, v in enumerate(index.vectors):
            for t in v:
                self.holding.setdefault(t, []).append(i)

    def _vector(self, statement: str) -> dict[str, float]:
        tf = Counter(content_terms(statement, drop_reporting=True))
        idf = self.index.idf
        vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in tf.items() if t in idf}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}

    def candidates(self, statement: str, exclude_groups: set[int],
                   keep: Callable[[Claim], bool] | None = None) -> dict[int, list[Claim]]:
        """Per source group not excluded: its best PER_SOURCE claims (those `keep` accepts) by cosine to
        the statement, and its best PER_SOURCE by the verifier's ranking."""
        vec = self._vector(statement)
        cosine: dict[int, float] = {}
        for t, w in vec.items():  # the statement's terms in order: the same sums as term by term per claim
            for i in self.holding.get(t, ()):
                cosine[i] = cosine.get(i, 0.0) + w * self.index.vectors[i][t]
        out: dict[int, list[Claim]] = {}
        for g, members in sorted(self.by_group.items()):
            if g in exclude_groups:
                continue
            idx = [i for i in members if keep is None or keep(self.claims[i])]
            if not idx:
                continue
            scored = [(cosine[i], i) for i in idx if cosine.get(i, 0.0) >= MIN_COSINE]
            lexical = [i for _, i in sorted(scored, key=lambda x: (-x[0], x[1]))[:PER_SOURCE]]
            ranked = [idx[k] for k in self.judge.rank(statement, [self.claims[i].statement for i in idx], PER_SOURCE)]
            chosen = list(dict.fromkeys(lexical + ranked))
            if chosen:
                out[g] = [self.claims[i] for i in chosen]
        return out

    def states(self, statement: str, others: list[str]) -> list[bool]:
        """For each sentence of `others`: does it state `statement` whole, or its main clause (when it shares
        MAIN_SHARED of that clause's key words and figures: a short clause is easy to pass, so a vague
        sentence that only touches it, "compliance with the proposal", must not)?"""
        whole = self.judge.supports_many([(statement, o) for o in others])
        core = main_clause(statement, STOPWORDS)
        if not core or not is_sentence(core) or len(set(content_stems(core))) < MAIN_KEYS:
            return whole
        if figures(statement) and not figures(core):
            return whole  # the figures are in the details cut off: the clause left is not the fact
        near = [k for k, o in enumerate(others) if not whole[k] and _near(core, o)]
        for k, ok in zip(near, self.judge.supports_many([(core, others[k]) for k in near])):
            whole[k] = ok
        return whole

    def _read(self, statement: str, c: Claim) -> str:
        """A candidate as its source's reader takes it: "the company", a surname or "the statement" given the
        name its source uses elsewhere (verify/refer), as the ground stage reads the span."""
        doc = self.texts.get(c.doc_id)
        at = next((e.start for e in c.evidence if e.doc_id == c.doc_id), None)
        return refer(statement, c.statement, doc, at=at) if doc and at is not None else c.statement

    def search(self, statement: str, members: list[Claim], keep: Callable[[Claim], bool] | None = None) -> list[Claim]:
        """The members that state the statement (the judge's word; the statement's own sentence always),
        and, for every other source, its first candidate the judge says states it."""
        asked = [c for c in members if c.statement != statement]
        said = self.states(statement, [self._read(statement, c) for c in asked])
        kept = [c for c in members if c.statement == statement] + [c for c, ok in zip(asked, said) if ok]
        groups = {self.group_of(d) for c in kept for d in carriers(c)}
        per_group = self.candidates(statement, groups, keep)
        found: dict[int, Claim] = {}
        # in rounds, best candidate of every source first: a source found is not asked again
        for rnd in range(max((len(cs) for cs in per_group.values()), default=0)):
            flat = [(g, cs[rnd]) for g, cs in per_group.items() if g not in found and rnd < len(cs)]
            for (g, c), ok in zip(flat, self.states(statement, [self._read(statement, c) for _, c in flat])):
                if ok:
                    found[g] = c
        return kept + list(found.values())
