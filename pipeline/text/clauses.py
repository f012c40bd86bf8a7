"""A sentence's main clause: what it says before the first clause it hangs on itself (", directing the
military to comply", ", with all four voting against", ", ending a two-year battle", "; ...", " but ...").

Outlets tell one fact with different details around it; a source that states the main clause of another's
sentence corroborates that fact even when it leaves the trailing details out. The corroboration search
(sections/corroborate) asks the verifier about this clause, and the ground stage (ground/check) accepts a
span that supports it, so both read the same clause.
"""
from __future__ import annotations

import re
from typing import Optional

from .attribution import SAY

# where a trailing clause starts: a comma before a participle or a linking word, a semicolon, a colon, a
# dash, or a "but" before a verb ("... agreed on X but stopped short of Y"; not "a crucial but fragile")
_TAIL = re.compile(r",\s+(?=(?:[a-z]+ing|[a-z]+ed\s+by|with|along|while|whereas|although|though|which|who|including|plus|"
                   r"and|but|as|after|before|amid|despite|according|adding|saying)\b)|;\s+|:\s+|\s[\u2014\u2013]\s|"
                   r"\s+(?=but\s+(?:also\s+|not\s+|still\s+)?(?:[a-z]+ed|did|was|were|is|are|has|have|had|would|"
                   r"could|will|said|says|remains?|made|took|gave|kept|left|held|fell|rose|won|lost)\b)")
# where a sentence joins a claim of its own to the first ("..., and the mayor welcomed the vote"): the embed
# verifier judges each such clause apart, and an agreement is shown in a telling whose sources carry them
JOINED = re.compile(r",\s+(?:and|but|while|whereas|although|adding|saying|which)\s+|;\s+|\s[\u2014\u2013]\s")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+|\d+")
MIN_WORDS = 6  # a shorter opening ("In a call Tuesday") is a lead-in, not a claim
MIN_CONTENT = 3  # ... and it must carry this many words that are not stop words


def main_clause(sentence: str, stopwords: frozenset[str] = frozenset()) -> Optional[str]:
    """The sentence up to its first trailing clause, when that part is a claim of its own (MIN_WORDS words,
    MIN_CONTENT of them not in `stopwords`) and something follows it; else None."""
    s = sentence.strip()
    for m in _TAIL.finditer(s):
        head = s[:m.start()].strip()
        words = _WORD.findall(head)
        if len(words) < MIN_WORDS:
            continue  # a lead-in ("In a call Tuesday,"): the clause goes on past it
        if sum(w.lower() not in stopwords for w in words) < MIN_CONTENT:
            continue
        rest = s[m.end():].strip()
        if len(_WORD.findall(rest)) < 2:
            return None
        return head.rstrip(",;:") + "."
    return None


# --- a sentence's shorter statements --------------------------------------------------------------------
# Outlets tell one fact inside different sentences: "Both sides discussed trade and agreed that X", "the
# leaders spoke about the region, agreeing that X". The fact they share is a statement each sentence makes on
# its own; these are found by deletion only (the sentence's own words, in its order), so a source can be
# shown stating the part it shares and nothing it did not say.
_PAST = r"(?:[a-z]+ed|said|spoke|made|took|gave|held|met|told|won|lost|rose|fell|began|set|kept|left|sent|saw|found)"
# "<subject> <verb>ed ... and <verb>ed ...": the subject and the second predicate. The subject is the words
# before the sentence's first verb, so they must hold no verb, negation, modal or clause of their own: "The
# minister never attended X and said Y" is no "The minister never said Y"
_COORD = re.compile(rf"^(?P<subj>(?:[\w'\u2019.&-]+\s+){{0,5}}?[\w'\u2019.&-]+)\s+(?:also\s+)?(?P<v1>{_PAST})\b"
                    rf"(?P<mid>.+?)\s+and\s+(?P<pred>(?:also\s+)?{_PAST}\b.+)$")
_NOT_A_SUBJECT = re.compile(r"\b(?:not|never|no|n['\u2019]t|if|unless|when|may|might|could|would|should|that|who|"
                            r"which|in|on|at|after|before|while)\b|,", re.IGNORECASE)
# a first verb that reports speech: what follows it is what was said, and "and" may join two reported verbs
# ("Witnesses said the driver ran a light and killed a cyclist": the witnesses killed no one)
_REPORTING = re.compile(rf"(?:{SAY}|alleged|suggested|believed|feared|accused)$")
_ANOTHER_VERB = re.compile(rf"\b{_PAST}\b")
# "... that A and that B": one "that" clause at a time
_THAT_THAT = re.compile(r"^(?P<head>.+?\bthat\s+)(?P<a>.+?)(?:,)?\s+and\s+that\s+(?P<b>.+)$")
# a lead-in before a dash: "A new idea was floated\u2014the mayor proposed ..."; never a condition ("If the levy
# passes\u2014...") and never where a second dash follows (an aside, not a lead-in)
_LEAD_DASH = re.compile(r"^[^\u2014\u2013]{10,160}?[\u2014\u2013]\s*(?=[A-Za-z])")
_CONDITION = re.compile(r"\b(?:if|unless|when|until|once|provided|whether|should)\b", re.IGNORECASE)
# a gloss in brackets that names what is named ("the NHL (North America)"); a lower-case one may limit the
# claim ("approved (for adults only)") and stays
_PAREN = re.compile(r"\s*\((?=[A-Z])[^()]{1,60}\)")
_END = re.compile(r"[.!?\u201d\"']*$")


def _sentence_of(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ,;:")
    body = _END.sub("", text)
    return body + "." if body else ""


def shorter_statements(sentence: str) -> list[str]:
    """Statements the sentence makes by deletion, longest first: without a parenthesis, without a lead-in
    before a dash, the subject with its second predicate ("S did X and agreed Y" -> "S agreed Y"), one
    "that" clause of two. The caller checks each is a sentence its source supports."""
    s = " ".join(sentence.split())
    out: list[str] = []
    bare = _PAREN.sub("", s)
    if bare != s:
        out.append(bare)
    for text in dict.fromkeys([bare, s]):
        m = _LEAD_DASH.match(text)
        if m and not _CONDITION.search(m.group(0)) and not re.search(r"[\u2014\u2013]", text[m.end():]):
            rest = text[m.end():]
            out.append(rest[:1].upper() + rest[1:])
        m = _COORD.match(text)
        if (m and not _NOT_A_SUBJECT.search(m.group("subj")) and not _REPORTING.match(m.group("v1"))
                and not _ANOTHER_VERB.search(m.group("mid"))):
            out.append(f"{m.group('subj')} {m.group('pred')}")
        m = _THAT_THAT.match(text)
        if m:
            out += [m.group("head") + m.group("a"), m.group("head") + m.group("b")]
    seen = {_sentence_of(s)}
    shorter = []
    for x in map(_sentence_of, out):
        if x and x not in seen and len(x) < len(s):
            seen.add(x)
            shorter.append(x)
    return sorted(shorter, key=len, reverse=True)


# what may follow the figure inside its conjunct: nothing, or a short place or time phrase ("in the north");
# a verb, a condition or a second "and" there changes what the rest says ("... close 25 shops if the sale
# fails", "... 25 shops are false", "... shops in Leeds and Bristol")
_AFTER_FIGURE = re.compile(r"^(?:\s+(?:in|at|on|across|around|near|from|of)\s+(?:the\s+)?[\w'\u2019-]+(?:\s+[a-z][\w-]*)?)?$")
# a head that does not assert its own clause: a report, plan or question about it ("Reports that X would
# cut jobs and ...", "The plan for X to cut jobs and ...")
_NOT_ASSERTED = re.compile(r"\b(?:that|whether|if|unless|plan|plans|proposal|bid|reports?|claims?|rumou?rs?|"
                           r"denied|false|for\s+[\w&' -]{1,40}?\s+to)\b", re.IGNORECASE)


_CONJUNCT_STOP = re.compile(r"[,;]|[.!\u201d\"']*\s*$")  # where a conjunct may end: a comma, a semicolon, the end


def without_conjunct(sentence: str, start: int, end: int) -> Optional[str]:
    """The sentence without the "and <verb> <figure> ..." conjunct that holds characters start..end ("cut
    1,200 jobs and close 40 stores, the company said" -> "cut 1,200 jobs, the company said"); None unless
    the conjunct ends at a comma, a semicolon or the sentence's end, holds nothing after the figure but a
    short place phrase, and the rest of the sentence asserts its clause (not a question, report or plan).
    By deletion only: what is left is a statement the sentence makes."""
    head = sentence[:start]
    m = None
    for m in re.finditer(r"\s+and\s+", head):
        pass
    if m is None or sentence.rstrip().endswith("?") or _NOT_ASSERTED.search(head[:m.start()]):
        return None
    if re.search(r"[,;:\u2014\u2013]|\b(?:but|or|after|before|while|because|which|who|that|if|unless)\b",
                 head[m.end():]):
        return None  # the "and" is not in the figure's own clause
    if len(_WORD.findall(head[:m.start()])) < 3:
        return None
    stop = _CONJUNCT_STOP.search(sentence, end)
    if not _AFTER_FIGURE.match(sentence[end:stop.start()]):
        return None
    rest = sentence[stop.start():]
    if re.match(r"[,;]\s*(?:which|who|whom|where|when|and|or|but|if|unless)\b", rest):
        return None  # what follows leans on the deleted words
    return _sentence_of(sentence[:m.start()].rstrip(" ,;:") + rest) or None


def joined_claims(sentence: str) -> list[str]:
    """The claims a sentence joins to its first, each of which a second source may or may not carry: the
    clauses after a JOINED break, both predicates of "S did X and agreed Y", both of "that A and that B"."""
    s = " ".join(sentence.split())
    out = JOINED.split(s)[1:]
    m = _COORD.match(s)
    if m:
        out += [s[:m.start("pred")].rstrip().removesuffix(" and"), m.group("pred")]
    m = _THAT_THAT.match(s)
    if m:
        out += [m.group("a"), m.group("b")]
    return out
