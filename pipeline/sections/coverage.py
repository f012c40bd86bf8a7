"""What one party's reported statement covered that another party's statement about the same event left out.

Conservative on purpose, since an outlet may simply have quoted less of one side: an omission is stated
only when
- both parties' statements are reported: each party holds at least `MIN_CLAIMS` attributed claims, one
  of which cites its statement itself ("the ministry's readout", "in a statement"), and one source at
  least reports both parties' statements (so they answer the same event);
- the topic is attributed to one party only: a content word (a thing named: no adverb, no verb form)
  that party A's statement claims use in at least two independent sources (two outlets agree A's
  statement says it), that no claim attributed to any other party uses, and that no sentence naming
  party B uses either (B is nowhere reported to have touched it);
- the word is not a party's own name.
Each omission is two sides: what A's statement says (the claims with the topic), and B's statement as a
source that reports both tells it. Nothing here knows a story.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from ..cluster.similarity import ClaimIndex
from ..models import Claim, ClaimKind
from ..text.attribution import PartyIndex
from ..text.lexical import content_terms, stem, words

_STATEMENT = re.compile(r"\b(?:readout|statement|summary|communiqu[eé]|transcript|version\s+of|account\s+of)\b", re.I)
# a topic is a thing named, not a manner, a quality or an act: no word the sources ever write as an
# adverb, adjective or verb form ("positively", "constructive", "offered")
_TOPIC = re.compile(r"^[a-z]+$")
_NOT_THING = re.compile(r"(?:ly|ing|ed|ive|ful|ous|able|ible|ic|ical|less|ant|ent)$", re.I)
MIN_CLAIMS = 2  # attributed claims a party needs for its statement to count as reported
MAX_PER_PAIR = 2  # omissions stated per ordered pair of parties


class Omission(BaseModel):
    covered_by: str  # the party whose statement has the topic
    left_out_by: str  # the party whose statement does not
    topics: list[str]  # the words, as the sources write them
    covered: list[str]  # ids of the claims of `covered_by` that carry the topic
    other: str  # id of the claim of `left_out_by` in a source that reports both statements

    def statement(self) -> str:
        topics = ", ".join(f"“{t}”" for t in self.topics)
        return (f"{_possessive(self.covered_by)} statement, as reported, covers {topics}; "
                f"{_possessive(self.left_out_by)} statement on the same event, as reported, does not.")


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _surface(term: str, text: str) -> str:
    return next((w for w in words(text) if stem(w.lower()) == term), term)


def omissions(claims: list[Claim], parties: PartyIndex, index: ClaimIndex,
              independent: Callable[[list[str]], int], same_party: Callable[[Claim, Claim], bool]) -> list[Omission]:
    """Omissions in the corpus, most solidly reported first (`same_party(a, b)`: the two claims' holders
    are one party told two ways)."""
    held: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        if c.holder and c.kind != ClaimKind.absence:
            held.setdefault(parties.canonical(c.holder), []).append(i)
    # a party's statement proper: a claim citing the party's own statement, readout or account
    stated = {p: [i for i in ix if _STATEMENT.search(claims[i].statement)] for p, ix in held.items()}
    held = {p: ix for p, ix in held.items() if len(ix) >= MIN_CLAIMS and stated[p]}
    if len(held) < 2:
        return []
    # which party each term is attributed to: a term two parties use is not one party's alone
    users: dict[str, set[str]] = {}
    for p, ix in held.items():
        for i in ix:
            for t in index.vectors[i]:
                users.setdefault(t, set()).add(p)
    names = parties.names()
    name_terms = {t for p in held for n in names.get(p, [p]) + [p] for t in content_terms(n)}
    # candidate pairs: parties whose statements one source reports side by side (not every pair of a
    # large corpus's parties)
    in_doc: dict[str, set[str]] = {}
    for p, ix in stated.items():
        if p in held:
            for i in ix:
                in_doc.setdefault(claims[i].doc_id, set()).add(p)
    pairs = sorted({(a, b) for ps in in_doc.values() for a in ps for b in ps if a != b})
    near_cache: dict[str, set[str]] = {}

    def said_near(b: str) -> set[str]:
        if b not in near_cache:
            names_b = set(names.get(b, [b])) | {b}
            near_cache[b] = {t for c in claims if any(n in c.statement for n in names_b)
                             for t in content_terms(c.statement, drop_reporting=True)}
        return near_cache[b]

    out: list[tuple[int, Omission]] = []
    for a, b in pairs:
        a_ix, b_ix = held[a], held[b]
        if same_party(claims[a_ix[0]], claims[b_ix[0]]):
            continue
        # both statements reported side by side: one source at least tells each party's statement (so they
        # answer one event); B's side is its statement there, the one closest to A's
        both = [(index.similarity(i, j), i, j) for i in stated[a] for j in stated[b]
                if claims[i].doc_id == claims[j].doc_id]
        if not both:
            continue
        bj = max(both)[2]
        said_near_b = said_near(b)
        forms: dict[str, set[str]] = {}
        for i in stated[a]:
            for w in words(claims[i].statement):
                forms.setdefault(stem(w.lower()), set()).add(w.lower())
        found: dict[tuple[str, ...], list[str]] = {}
        for t in sorted({t for i in stated[a] for t in index.vectors[i]}):
            if users.get(t) != {a} or t in name_terms or t in said_near_b or len(t) < 5 or not _TOPIC.match(t) \
                    or any(_NOT_THING.search(f) for f in forms.get(t, ())):
                continue
            carrying = [i for i in stated[a] if t in index.vectors[i]]
            docs = [d for i in carrying for d in (claims[i].carriers or [claims[i].doc_id])]
            if independent(docs) < 2:
                continue
            found.setdefault(tuple(claims[i].id for i in carrying), []).append(t)
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[0]), -len(kv[1]), kv[0]))
        for ids, terms in ranked[:MAX_PER_PAIR]:
            text = " ".join(c.statement for c in claims if c.id in ids)
            out.append((len(ids), Omission(covered_by=a, left_out_by=b, topics=[_surface(t, text) for t in terms[:3]],
                                           covered=list(ids), other=claims[bj].id)))
    out.sort(key=lambda x: (-x[0], x[1].covered_by, x[1].left_out_by, x[1].covered))
    return [o for _, o in out]
