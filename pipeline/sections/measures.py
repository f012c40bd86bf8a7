"""One measure named two ways: "40 homes" in one source and "60 households" in another, "40 stores" and "60
shops". The figures differ, so no verifier calls the two sentences the same fact; restated with one
figure, they are. For pairs of figures of one dimension from independent sources whose things differ in
name (and that no one sentence counts side by side), the second sentence is restated with the first's
figure and the verifier asked whether the two then state the same fact (`same_fact`): if so the two things
are one measure. Whole sentences often differ in what else they tell ("... close 60 shops, the company
announced this morning" / "... close 40 stores after operating profit fell ..."), so the clause that
holds each figure is also read on its own (`_act_of`): near-synonym nouns (the verifier's word
closeness) with the same act ("close 60 shops" / "close 40 stores") are one measure (`_one_act`), and
`cluster.figures.quantity_conflicts` reads their figures as one slot. The two are compared without the
figures of other dimensions only one of them gives (`comparable`): an outlet's own details are not what is measured."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Optional

from ..cluster.figures import Joined
from ..cluster.similarity import ClaimIndex
from ..models import Claim
from ..verify.signals import figures, opposed, same_figure
from ..text.quantities import Quantity, compatible, find_quantities, same_thing
from ..text.numbers import is_number_word
from ..text.words import stem, topic_word

MIN_COSINE = 0.1  # two sentences about one measure share some words beyond the figure
MAX_PAIRS = 200  # pairs the verifier is asked about, most alike first: bounds the cost on a large corpus
NOUN_CLOSE = 0.83  # word closeness of two nouns that name one thing ("shops"/"stores" 0.84, "workers"/"employees"
# 0.85); all-MiniLM-L6-v2 word vectors also put kin and opposites close ("men"/"women" 0.72, "tenants"/
# "landlords" 0.81, "towns"/"cities" 0.81), so only the nearest pairs pass
# where the clause around a figure ends: punctuation, or a word that starts another clause or predicate
_CLAUSE_EDGE = re.compile(r"[,;:()\u2014\u2013]|\b(?:and|but|or|after|before|as|while|because|which|who|that|"
                          r"when|where|than|since|until|amid|despite|said|says)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+")


def _figure_words(q: Quantity) -> str:
    """The figure as written, without its noun: "About 60" of "About 60 shops", "Sixty" of "Sixty households"."""
    if q.noun and q.surface.endswith(q.noun):
        return q.surface[: -len(q.noun)].strip()
    return q.surface


def _restated(text: str, q: Quantity, figure: str) -> str:
    """`text` with the figure of its quantity q replaced by `figure`, the noun kept."""
    words = _figure_words(q)
    at = text.find(words, q.start) if words else -1
    if at < 0:
        return text
    return text[:at] + figure + text[at + len(words):]


def comparable(a: str, b: str, dimension: str) -> tuple[str, str]:
    """Two sentences with the figures only one of them gives left out, when they are of another dimension
    than the measure's (a year, a share, a duration): each outlet dresses a measure in its own details ("a
    1960s block", "held up for two years"); what is left is whether the two say the same thing of it.
    Counts of the measure's own dimension stay ("175 homes ... and 23 shops" must still tell the
    two things apart), and so do names (a name one sentence lacks is another place or party)."""
    def strip(t: str, other: str) -> str:
        theirs = figures(other)
        own = [(q.start, q.end) for q in find_quantities(t) if q.dimension == dimension]
        for v, surface in sorted(figures(t).items(), key=lambda kv: -len(kv[1])):
            at = t.find(surface)
            if any(lo <= at < hi for lo, hi in own):
                continue
            if not any(same_figure(v, w) for w in theirs):
                t = re.sub(rf"(?<![\w.]){re.escape(surface)}(?:s\b)?", "", t, count=1)
        return re.sub(r"\s{2,}", " ", t).replace(" ,", ",").replace(" .", ".").strip()

    return strip(a, b), strip(b, a)


def _act_of(text: str, q: Quantity) -> Optional[str]:
    """The word that says what is done to the thing counted: the last content word before the figure in its
    own clause ("close" of "... staff and close 60 shops, the company said"); never the subject, a name or a
    time, which two different measures of one story share ("the strike left 300 men" / "... left 200 women")."""
    edges = [m.end() for m in _CLAUSE_EDGE.finditer(text) if m.end() <= q.start]
    words = [w for w in _WORD.findall(text[max(edges, default=0):q.start])
             if topic_word(w.lower()) and not is_number_word(w.lower())]
    if not words or words[-1][:1].isupper():
        return None  # no act, or a name ("Harlow's 25 shops")
    return words[-1].lower()


def _one_act(judge, q: Quantity, a: str, r: Quantity, b: str) -> bool:
    """Two figures' things are one measure when the same act is done to them (by stem: "close 60 shops" /
    "close 40 convenience stores") and their nouns are near-synonyms by the verifier's word closeness. The act
    is matched by stem, not closeness: word vectors put "close" as near "open" (0.58) as "shut" (0.59). The
    rules verifier's closeness is shared stems, so with it nothing new is joined."""
    act_a, act_b = _act_of(a, q), _act_of(b, r)
    if not (q.noun and r.noun and act_a and act_b) or stem(act_a) != stem(act_b):
        return False
    noun = judge.closeness(q.noun.lower(), [r.noun.lower()])
    return bool(noun) and noun[0] >= NOUN_CLOSE


def _shares_more_than_names(a: str, q: Quantity, b: str, r: Quantity) -> bool:
    """Whether two sentences share a word besides names, figures and the things counted: "six council homes in
    the county" and "31 people living at Brackenholt House" share only the place's name, which the verifier
    reads as one fact once the figure is the same; a measure told twice shares what is done or said of it."""
    def words(text: str, x: Quantity) -> set[str]:
        own = set(stem(w.lower()) for w in _WORD.findall(x.surface))
        return {stem(w.lower()) for w in _WORD.findall(text) if not w[:1].isupper() and topic_word(w.lower())
                and not is_number_word(w.lower())} - own
    return bool(words(a, q) & words(b, r))


def _opposites(q: Quantity, r: Quantity) -> bool:
    """Nouns that name the two sides of a pair ("men"/"women", the verifier's table of opposites): never one
    measure, however alike the two sentences read once restated (the embed verifier does not notice the swap)."""
    return bool(q.noun and r.noun and opposed(stem(q.noun.lower()), {stem(r.noun.lower())}))


def joined_measures(claims: list[Claim], index: ClaimIndex, group_of: Callable[[str], int], judge) -> Joined:
    """(dimension, {thing, thing}) pairs the verifier reads as one measure."""
    found = [(i, q) for i, c in enumerate(claims) for q in find_quantities(c.statement) if q.noun]
    # two things one sentence counts side by side ("175 prisoners ... and 23 wounded soldiers", "three
    # killed and 4,000 evacuated") are two measures to its source, whatever the verifier would say
    apart: set[frozenset[str]] = set()
    by_claim: dict[int, set[str]] = {}
    for i, q in found:
        by_claim.setdefault(i, set()).add(q.thing)
    for things in by_claim.values():
        apart.update(frozenset((a, b)) for a in things for b in things if a != b)
    pairs = []
    for x, (i, q) in enumerate(found):
        for j, r in found[x + 1:]:
            if q.dimension != r.dimension or same_thing(q.thing, r.thing) or compatible(q, r):
                continue
            if frozenset((q.thing, r.thing)) in apart or _opposites(q, r):
                continue
            ci, cj = claims[i], claims[j]
            if group_of(ci.doc_id) == group_of(cj.doc_id):
                continue
            s = index.similarity(i, j)
            if s >= MIN_COSINE:
                pairs.append((s, i, q, j, r))
    pairs.sort(key=lambda p: (-p[0], p[1], p[3]))
    asks, acts = [], set()
    for _, i, q, j, r in pairs[:MAX_PAIRS]:
        key = (q.dimension, frozenset((q.thing, r.thing)))
        if _one_act(judge, q, claims[i].statement, r, claims[j].statement):
            acts.add(key)
            continue
        a, b = claims[i].statement, _restated(claims[j].statement, r, _figure_words(q))
        if b != claims[j].statement and _shares_more_than_names(claims[i].statement, q, claims[j].statement, r):
            asks.append((key, *comparable(a, b, q.dimension)))
    same = judge.same_fact_many([(a, b) for _, a, b in asks]) if asks else []
    return acts | {key for (key, _, _), s in zip(asks, same) if s}
