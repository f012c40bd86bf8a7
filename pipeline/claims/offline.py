"""The offline engine's extractor: one claim per distinct sentence, with its attribution and kind.

Evidence is the sentence itself in every document that carried it, so offline claims are verified by
construction; what the engine adds over a plain sentence list is who says it, what kind of claim it is,
and which numbers it states.
"""
from __future__ import annotations

import re

from ..text.attribution import claim_kind, find_parties
from ..ingest.dedup import DedupResult
from ..models import Claim, Document, Sentence
from ..text.numbers import find_numbers
from ..text.dates import find_dates
from ..ground.align import Aligner

MIN_WORDS = 6
# "- Prisoner Exchange: 175 prisoners ..." -> the label is a heading, not part of the statement
_LIST_LABEL = re.compile(r"^[-*\u2022]\s*(?:[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,5}:\s+)?")


# calls to action that page templates repeat across articles: furniture, however many sources carry them
_CALL_TO_ACTION = re.compile(
    r"^(?:visit|subscribe|sign\s+up|click|tap|follow\s+us|don['\u2019]t\s+miss|do\s+not\s+miss|share\s+this|"
    r"read\s+more|download|join\s+(?:us|our)|get\s+(?:the|our)\s+(?:latest|app|newsletter)|stay\s+tuned)\b",
    re.IGNORECASE)


def statement_text(sentence: str) -> str:
    text = _LIST_LABEL.sub("", sentence).strip()
    # a sentence cut from a longer quotation keeps an opening mark with no closing one
    if text[:1] in "\u201c\"" and text.count(text[0]) + text.count("\u201d") == 1:
        text = text[1:].lstrip()
    return text


# Past this a "sentence" is a run of text segment had to cut (a line with no sentence ends), not a statement
# a reader could take in; the cue patterns would also spend milliseconds on each such piece.
MAX_CLAIM_CHARS = 1200


def is_claim_sentence(s: Sentence) -> bool:
    if not s.evidence_ok or len(s.text) > MAX_CLAIM_CHARS:  # headings, datelines, bylines, captions; cut runs
        return False
    text = statement_text(s.text)
    if len(text.split()) < MIN_WORDS or text.endswith("?") or text.endswith(":") or _CALL_TO_ACTION.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) < 0.6 * len(letters)


def extract_claims(docs: list[Document], sentences: list[Sentence], dd: DedupResult) -> list[Claim]:
    aligners = {d.id: Aligner(d) for d in docs}
    claims: list[Claim] = []
    # one name per party, whatever each outlet calls it; a near-duplicate sentence that two outlets attribute
    # to two names ("..., the utility said" / "..., Aqualine said") is evidence the names are one party
    texts = {d.id: d.text for d in docs}
    alike = []
    for p in dd.passages:
        if p.dup == "near" and len(p.carriers) > 1:
            told = [texts[c.doc_id][c.start:c.end] for c in p.carriers if c.doc_id in texts]
            alike += [(told[0], t) for t in told[1:] if t != told[0]]
    parties = find_parties(sentences, claims_alike=alike)
    for s in sentences:
        if not is_claim_sentence(s) or not dd.is_representative(s):
            continue
        passage = dd.passage_for(s)
        statement = statement_text(s.text)
        offset = s.text.index(statement) if statement else 0
        evidence = []
        for span in passage.carriers:
            # the carrier's own words, which for a near duplicate may differ slightly from the statement
            start = span.start + (offset if span.doc_id == s.doc_id and span.start == s.start else 0)
            evidence.append(aligners[span.doc_id].span(start, span.end, "sentence"))
        holder = parties.party_of(statement)
        claims.append(Claim(
            id=f"{s.doc_id}:s{s.idx}", statement=statement, holder=holder, kind=claim_kind(statement, holder),
            doc_id=s.doc_id, evidence=evidence, numbers=find_numbers(statement), dates=find_dates(statement),
            carriers=list(dict.fromkeys(span.doc_id for span in passage.carriers)), verified=True,
        ))
    return claims
