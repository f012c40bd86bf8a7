"""What each section admits, as checks both engines' items pass through (offline passes and the LLM merge):

- a statement is a sentence: a subject and a finite verb, not a list item completing a lead-in ("all eyes
  will be on:") and not a headline or standfirst line above the article's body;
- a thing unsaid is a stated absence: the sentence itself says something was not said, not disclosed or is
  not known ("has not said", "declined to say", "no mention of", "it is unclear"), never a sentence whose
  cue word sits in something present ("bristling at being left out, X boasted ...");
- every side of a divergence names its holder and its sources, and no two sides share both.
"""
from __future__ import annotations

import re
from typing import Optional

from ..models import Claim, Variant
from ..text.absence import STATED_ABSENCE, absent_part, stated_absence  # noqa: F401  (one home: text/absence.py)
from ..text.lexical import content_terms

# A finite verb a statement can rest on: auxiliaries, modals and copulas, or a reporting verb.
_AUX = re.compile(r"\b(?:is|are|was|were|am|has|have|had|do|does|did|will|would|shall|should|can|could|may|might|"
                  r"must|says|said|told|tells|isn['\u2019]t|aren['\u2019]t|wasn['\u2019]t|weren['\u2019]t|won['\u2019]t|"
                  r"didn['\u2019]t|doesn['\u2019]t|hasn['\u2019]t|haven['\u2019]t)\b", re.IGNORECASE)
# a past or present-tense verb after a word that is not a determiner or preposition ("the leaders agreed")
_VERBISH = re.compile(r"\b(?!(?:the|a|an|of|for|to|in|on|with|by|at|from|its|their|his|her|this|that|these|those)\b)"
                      r"[\w'\u2019-]+\s+(?!(?:news|series|species|means|physics|politics|economics|business|less|"
                      r"process|address|access|press|class|crisis|status|bus|gas|this|was|is|has|his|its|as|us|"
                      r"thus|plus|across|unless|ves)\b)([a-z]{3,}(?:ed|es|s))\b")
_DETERMINER = re.compile(r"^(?:the|a|an)\s", re.IGNORECASE)
# "The outcome of the exchange scheduled for Wednesday": a noun phrase whose only verb-like word is a
# participle modifying it (followed by a preposition)
_REDUCED = re.compile(r"^[\w'\u2019 ,-]*?\bof\b[\w'\u2019 ,-]*?\b[a-z]+ed\s+(?:for|by|at|on|in|to|from|with)\b",
                      re.IGNORECASE)


# irregular past tenses a news sentence rests on ("the two mayors also spoke about ...")
_IRREGULAR = re.compile(r"\b(?:spoke|met|took|made|went|gave|held|began|rose|fell|won|lost|cut|hit|left|led|paid|sold|"
                        r"bought|brought|built|came|chose|drew|drove|found|fought|flew|got|grew|heard|hid|kept|knew|"
                        r"laid|meant|ran|saw|sent|shot|shut|sat|stood|struck|swore|taught|thought|threw|understood|"
                        r"wrote|became|broke|caught|dealt|felt|fled|hung|put|quit|rode|sought|spent|split|spread|"
                        r"stole|stuck|swept|tore|withdrew|upheld|overtook|sank|sprang|shook|forbade|bore|"
                        r"let|set|cost|hurt|shed|bet|bid)\b", re.IGNORECASE)


def is_sentence(statement: str) -> bool:
    """A statement with a subject and a finite verb, as far as rules can tell without a parser."""
    text = " ".join(statement.split())
    if _AUX.search(text) or _IRREGULAR.search(text):
        return True
    verbs = _VERBISH.findall(text)
    if not verbs:
        return False
    if len(verbs) == 1 and _DETERMINER.match(text) and _REDUCED.match(text):
        return False
    return True


_LEANING_OPENING = re.compile(r"^(?:this|that|these|those|it|they|he|she|its|their)\b", re.IGNORECASE)


def _quote_tail(text: str) -> bool:
    """Whether the sentence is the unattributed end of a quotation opened in an earlier sentence: its first
    quotation mark closes, and nothing follows it ('... paid for that."'); one followed by its speaker
    ('..., the ministry said') stands."""
    for m in re.finditer(r"[\u201c\u201d\"]", text):
        ch, at = m.group(), m.start()
        if ch == "\u201c":
            return False
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        # a straight quote closes when it follows a word or punctuation and is not followed by a word
        closes = ch == "\u201d" or (not before.isspace() and before not in "(:" and not after.isalnum())
        return closes and not re.search(r"\w", text[at + 1:])
    return False


def leans_on_previous(statement: str) -> bool:
    """A sentence that leans on the one before it: it opens with a pronoun or demonstrative ("That inspection
    ...", "He said ...", "This one went ..."), or it is the tail of a quotation whose opening, and speaker, are
    in an earlier sentence ('Last night people paid for that."'). Out of its article it states nothing a
    second source could confirm, so it never stands as an agreement's statement (it may still back one)."""
    text = " ".join(statement.split())
    return bool(_LEANING_OPENING.match(text)) or _quote_tail(text)


_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


def _line_at(text: str, pos: int) -> tuple[int, str]:
    """The index of the line holding offset pos, and that line."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text.count("\n", 0, start), text[start: end if end >= 0 else len(text)]


BODY_WORDS = 20  # a line of the article's body: an opening paragraph has at least this many words


def is_lead_in_item(c: Claim, texts: dict[str, str]) -> bool:
    """A list item that completes a lead-in line ending with a colon: a fragment of that sentence."""
    for e in c.evidence[:1]:
        text = texts.get(e.doc_id)
        if text is None:
            return False
        n, line = _line_at(text, e.start)
        if not _BULLET.match(line):
            return False
        lines = text.split("\n")
        for k in range(n - 1, -1, -1):
            prev = lines[k].strip()
            if prev and not _BULLET.match(prev):
                return prev.endswith(":")
    return False


def is_headline(c: Claim, texts: dict[str, str], titles: dict[str, str]) -> bool:
    """The article's title, or a line of one sentence above its body (a standfirst): a headline, not a
    statement a source makes in its own reporting."""
    for e in c.evidence[:1]:
        text = texts.get(e.doc_id)
        if text is None:
            return False
        title = " ".join((titles.get(e.doc_id) or "").split()).rstrip(".").lower()
        if title and " ".join(c.statement.split()).rstrip(".").lower() == title:
            return True
        n, line = _line_at(text, e.start)
        if len(line.split()) >= BODY_WORDS or line.strip() != e.quote.strip():
            return False
        lines = text.split("\n")
        if any(len(lines[k].split()) >= BODY_WORDS for k in range(n)):
            return False  # below the opening of the body
        # a standfirst sits under a headline: the title, or a line in title case, above it
        return any(_title_case(lines[k]) or (title and lines[k].strip().rstrip(".").lower() == title)
                   for k in range(n))
    return False


def _title_case(line: str) -> bool:
    words = [w for w in line.split() if len(w) > 3]
    return len(words) >= 2 and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


MIN_TERMS = 3  # "Here is what we know so far." states nothing a reader can check


def is_statement(c: Claim, texts: dict[str, str], titles: dict[str, str]) -> bool:
    """Can stand as an item: a sentence with something to say, neither a lead-in's list item nor a headline."""
    return (is_sentence(c.statement) and len(set(content_terms(c.statement, drop_reporting=True))) >= MIN_TERMS
            and not is_lead_in_item(c, texts) and not is_headline(c, texts, titles))


def side_holder(v: Variant) -> Optional[str]:
    """The holder a side names: the label before "holder: position" (figure sides: the sources themselves)."""
    head, sep, _ = v.value.partition(": ")
    return head.strip() if sep and len(head.split()) <= 6 else None


# divergences of two parties' accounts set side by side (what each readout stresses): the facts each side
# states are not what is disputed, so its sentences may still be credited to an agreement others state
ACCOUNTS = ("paired-contrast",)


def divergence_problem(variants: list[Variant], *, figures: bool = False) -> Optional[str]:
    """Why these sides do not make a divergence, or None: fewer than two sides, a side with no sources, a
    position side with no holder, two sides with the same holder and the same sources, or (for positions)
    one holder on every side: a party said the same thing in two outlets, which sets no one against it."""
    if len(variants) < 2:
        return "fewer than two sides"
    if any(not v.sources for v in variants):
        return "a side with no sources"
    keys = []
    for v in variants:
        holder = "" if figures else side_holder(v)
        if not figures and not holder:
            return "a side that names no holder"
        keys.append(((holder or "").lower(), tuple(sorted(v.sources))))
    if len(set(keys)) < len(keys):
        return "two sides with the same holder and the same sources"
    if not figures and len({h for h, _ in keys}) < 2:
        return "every side is one party's: no two parties are set against each other"
    return None


_SAYS = re.compile(r"^(?:[\w'\u2019-]+\s+){0,1}?((?:the\s+)?[\w&'\u2019.-]+(?:\s+[\w&'\u2019.-]+){0,7}?)\s+(?:(?:has|had|have)\s+(?:not\s+|also\s+)?)?"
                   r"(?:said|says|told|tells|insisted|insists|argued|argues|maintained|maintains|claimed|claims|"
                   r"stated|states|warned|warns|denied|denies|countered|counters|replied|accused|accuses|"
                   r"rejected|rejects|called|calls|demanded|demands)\b", re.IGNORECASE)


def speaker(statement: str) -> Optional[str]:
    """The subject a sentence opens with when it reports what that subject said or holds ("The Retail and
    Distribution Union said ..." -> "The Retail and Distribution Union"), or None."""
    m = _SAYS.match(" ".join(statement.split()).lstrip("\"'\u201c"))
    if not m or "," in m.group(1):
        return None
    if re.search(r"\b(?:was|were|is|are|be|been|being|got|get)$", m.group(1), re.IGNORECASE):
        return None  # "Customers were warned to ...", "They were told": told, not telling
    return m.group(1)
