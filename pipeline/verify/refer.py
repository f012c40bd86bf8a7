"""What a written statement refers to in words its evidence gives another way: a name where the cited sentence
says "the company" or gives the surname only (the source names it in another sentence), and "the two
mayors" for mayors the evidence already has without counting them.

A reader of the whole source resolves these at once; the support checks read one sentence, so the name is put
into the sentence (`refer`) before it is judged, and an anaphoric count is not asked of it as a figure
(`anaphoric_counts`). General English only; nothing here knows a story.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Optional

from .meaning import NUMBER_WORDS, _counts
from ..text.attribution import find_holder
from .signals import content_stems, split_sentences, stem

# Descriptions that stand for a trading organisation: "the company", "the grocer", "the chain"
_FIRM = ("company|firm|group|chain|retailer|grocer|business|supermarket|bank|lender|insurer|carrier|airline|"
         "operator|manufacturer|maker|brand|conglomerate|miner|developer|publisher|broadcaster|utility")
FIRM_WORDS = _FIRM.split("|")
_FIRM_SUFFIX = re.compile(r"(?:&|\b(?:Inc|Ltd|Plc|plc|PLC|Corp|Co|LLC|AG|SA|GmbH|Holdings)\b\.?)")
# a run of capitalised words, "&"/"and"/"of" between them: "Harlow & Finch", "Bank of Tresco"
_NAME = r"[A-Z][\w'\u2019.-]*(?:\s+(?:&\s+|and\s+|of\s+(?:the\s+)?)?[A-Z][\w'\u2019.-]*){0,4}"
_RUN = re.compile(_NAME)
_THE_FIRM = re.compile(rf"\b[Tt]he\s+(?:{_FIRM})\b")
# how a source says a name is a firm: "supermarket chain Acme", "Acme, the supermarket chain",
# "Acme will cut 40 jobs, the grocer said"
_TIED = (re.compile(rf"\b(?:{_FIRM})\s+(?P<n>{_NAME})"),
         re.compile(rf"(?P<n>{_NAME}),\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}(?:{_FIRM})\b"),
         re.compile(rf"^(?P<n>{_NAME})\s+[a-z][^\n]*,\s+the\s+(?:{_FIRM})\s+(?:said|says|announced)\b"))  # per sentence
_LEADING = frozenset("the a an analyst chief council union company supermarket".split())


def _runs(text: str) -> list[str]:
    """Capitalised name runs, without a leading sentence-initial word that is not a name ("Analyst ...")."""
    return [m.group(0) for m in _RUN.finditer(text)]


@lru_cache(maxsize=256)
def _firm_of(doc: str) -> Optional[str]:
    """The one name the source calls a firm, the most mentioned where it calls several so."""
    tied = {m.group("n").strip() for sentence in split_sentences(doc) or [doc] for rx in _TIED
            for m in rx.finditer(sentence)}
    tied |= {r for r in _runs(doc) if _FIRM_SUFFIX.search(r) and len(r.split()) > 1}
    tied = {t for t in tied if t.split()[0].lower() not in _LEADING}
    if not tied:
        return None
    counts = Counter({t: doc.count(t) for t in tied})
    (best, n), *rest = counts.most_common()
    return None if rest and rest[0][1] == n else best


def _sub_names(run: str) -> list[str]:
    """A statement's name run and its shorter tails, longest first ("Organiser Nadia Okafor" ->
    "Organiser Nadia Okafor", "Nadia Okafor")."""
    words = run.split()
    return [" ".join(words[i:]) for i in range(len(words) - 1) if words[i][:1].isupper()]


# an issuer's words given by the document that carries them: "..., the statement added", "the readout said"
_VOICE = re.compile(r"\b[Tt]he\s+(?=(?:statement|readout|release|communiqu[e\u00e9]|memo|"
                    r"spokes(?:man|woman|person))\b)")
# a new voice that ends the search back for the issuer: narrower than text.attribution.SAY on purpose, since
# "the leaders stressed the need for ..." retells the statement being quoted, and stopping there lost a seeds credit
_SPEECH = re.compile(r"\b(?:said|says|say|told|statement|readout|release|announced|stated|added|wrote)\b",
                     re.IGNORECASE)
# Sentences back from the quote in which its source names the issuer: a readout is quoted over a few sentences
# ("... said. Talks will begin. '...,' the statement read. '...,' the statement added"); further back, the
# story has usually moved on to another voice
VOICE_SENTENCES = 4


def _issuer(doc: str, at: int) -> Optional[str]:
    """Whose statement "the statement" is: the speaker the source last named ("In a release, the city council
    said ...") in the few sentences before offset `at` (negative where the quote's place is not known). A
    sentence that quotes the same statement goes on back; one where someone else speaks without a name
    ("Union officials said in a statement") ends the search: whose statement it is, the source does not say."""
    if at < 0:
        return None
    for sentence in reversed(split_sentences(doc[max(0, at - 2000):at])[-VOICE_SENTENCES:]):
        holder = find_holder(sentence)
        if holder:
            return holder[4:] if holder.startswith("The ") else holder
        if _SPEECH.search(sentence) and not _VOICE.search(sentence):
            return None
    return None


def refer(statement: str, quote: str, doc: str, at: Optional[int] = None) -> str:
    """The quote with each name the statement gives, and the quote refers to by a description or a surname,
    written in, where its own source `doc` says whom it means; and "the statement" (a readout, a release)
    given the issuer the source named just before the quote (`at`: the quote's offset in `doc`, where known).
    The quote unchanged when nothing applies."""
    out = quote
    for run in _runs(statement):
        for name in _sub_names(run) or [run]:
            if name in out or name not in doc:
                continue
            voice = _VOICE.search(out)
            if voice and _issuer(doc, doc.find(quote) if at is None else at) == name:
                out = out[:voice.end()] + name + " " + out[voice.end():]
                break
            last = name.split()[-1]
            firm = _firm_of(doc) == name
            if firm and _THE_FIRM.search(out):
                out = _THE_FIRM.sub(name, out, count=1)
            elif not firm and len(name.split()) > 1 and re.search(rf"\b{re.escape(last)}\b", out):
                # the surname alone is this name only when no other name in the source ends with it
                others = {r for r in _runs(doc) if r.split()[-1] == last and not name.endswith(r) and r not in name}
                bare = [m for m in re.finditer(rf"\b{re.escape(last)}\b", out)
                        if not re.search(r"[A-Z][\w'\u2019.-]*\s+$", out[:m.start()])]  # not "Daniel Okafor"
                if not others and bare:
                    out = out[:bare[0].start()] + name + out[bare[0].end():]
            break
    return out


# parties a story counts as a way of naming them: "the two mayors", "the three unions" (not "the two depots")
_PARTIES = ("leaders|sides|men|women|countries|nations|states|governments|presidents|ministers|parties|companies|"
            "firms|teams|clubs|unions|officials|mayors|candidates|rivals|allies|partners|neighbours|neighbors|"
            "brothers|sisters|parents|players|groups|leaders|heads|chiefs|executives|envoys|delegations")
_ANAPHORIC = re.compile(rf"\bthe\s+(two|three|four|five|six|seven|eight|nine|ten)\s+({_PARTIES})\b", re.IGNORECASE)


def anaphoric_counts(statement: str, evidence: str) -> set[float]:
    """Counts of parties the statement gives as a way of pointing back ("the two mayors") at parties the
    evidence has but does not count: no figure to find in it. A count the evidence gives otherwise, or of
    anything but parties ("the two depots"), stays a figure."""
    have, counted = set(content_stems(evidence)), _counts(evidence)
    out = set()
    for m in _ANAPHORIC.finditer(statement):
        thing = stem(m.group(2).lower())
        if thing in have and thing not in counted:
            out.add(float(NUMBER_WORDS[m.group(1).lower()]))
    return out
