"""Who says a sentence, and what kind of claim it is, from surface cues (the offline engine's extractor).

The parties of a story are found in the corpus itself (`find_parties`): the speakers and institutions
that attribution cues name ("said", "according to", "told", "in a statement", "'s readout"), with the
names one party goes by merged on the corpus's own evidence — a surname and the full name, a title and
the name it belongs to ("company spokesperson Jane Roe"), an apposition ("Acme Chemicals, the company
that runs the plant"), a description and the name it heads ("the union" / "the Transport Workers'
Union"), and sources that attribute the same words to two names. Nothing here knows a story.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, Optional

from .lexical import content_terms
from ..models import ClaimKind

_OFFICE = r"(?:readout|statement|summary|version|account|spokesperson|spokesman|spokeswoman|office|press\s+office|" \
          r"press\s+service|press\s+secretary|communiqu[eé]|website|release|transcript|website)"
_NAME = r"(?:the\s+)?(?:[A-Z][\w.'\u2019&-]*\s+){0,4}[A-Z][\w.'\u2019&-]*(?:['\u2019]s)?" \
        rf"(?:\s+{_OFFICE})?"
# a description that names a party: "the company", "the union", "the regional governor", "a spokesperson for X"
_DESC = r"(?:the|a|an)\s+(?:[a-z][\w'\u2019-]*\s+){0,2}(?:{HEAD})"
_DESC_HEAD = r"(?:company|firm|union|ministry|department|agency|" \
        r"government|council|authority|authorities|police|army|military|court|committee|commission|party|" \
        r"campaign|club|team|league|federation|board|regulator|operator|owner|group|organi[sz]ation|" \
        r"association|spokesperson|spokesman|spokeswoman|official|officials|minister|governor|mayor|president|" \
        r"prosecutor|prosecutors|coach|manager|chief|director|executive|chairman|chairwoman|ceo|service|" \
        r"office|embassy|administration|cabinet|parliament|senate|hospital|school|university|airline|bank|utility|" \
        r"watchdog|insurer|contractor|landlord|charity|trust|family|families|developer|manufacturer|retailer|" \
        r"carrier|broadcaster|network|prosecution|defence|defense|lawyer|lawyers|attorney|attorneys|campaigners|" \
        r"organisers|organizers|investigators|inspectors|coroner|ombudsman|institute|foundation|airport|port)"
_DESC = _DESC.replace("{HEAD}", _DESC_HEAD[3:-1])
# the verbs that report speech, one list for every reader of attribution (clauses, verify/refer)
SAY = _SAY = r"(?:said|says|stated|added|noted|told|announced|insisted|warned|argued|claimed|wrote|declared|confirmed|" \
       r"reiterated|stressed|emphasi[sz]ed|highlighted|urged|demanded|stipulated|reported|explained|acknowledged|" \
       r"admitted|denied|maintained|responded|replied|countered|tweeted|posted)"
# the verbs of a charge one party lays against another: the subject holds the position
_CHARGE = r"(?:accused|blamed|blasted|critici[sz]ed|attacked|condemned|slammed)"
_ADV = r"(?:(?:also|later|again|then|previously|earlier|reportedly|further|separately|repeatedly)\s+)?"

_ROLE_WORD = r"(?:spokesperson|spokesman|spokeswoman|secretary|leader|chief|executive|president|director|head|" \
             r"minister|chairman|chairwoman|official|officials|lawyer|lawyers|adviser|advisor|envoy|ambassador)"
# a role before a name: "union leader Maria Costa said", "company spokesperson Jane Roe told"
_ROLE = r"(?:(?:[a-z]+\s+){0,2}(?:spokesperson|spokesman|spokeswoman|leader|chief|official|minister|secretary|" \
        r"president|director|head|executive|manager|officer|adviser|advisor|commissioner|coach|chairman|" \
        r"chairwoman|mayor|governor|lawyer|attorney)\s+(?=[A-Z]))?"

_PATTERNS = [
    re.compile(rf"\b[Aa]ccording\s+to\s+(?P<h>{_NAME}|{_DESC})"),
    re.compile(rf",?\s*(?:the\s+)?{_SAY}\s+{_ROLE}(?P<h>{_NAME}|{_DESC})\s*[.,]"),  # '..., said the company.'
    re.compile(rf"[\"\u201d,]\s*{_ROLE}(?P<h>{_NAME}|{_DESC})\s+{_ADV}{_SAY}\b"),  # '"...," Rivera said'
    re.compile(rf"(?:^|[.;]\s+|,\s+|:\s+){_ROLE}(?P<h>{_NAME}|(?i:{_DESC}))\s+{_ADV}{_SAY}\b"),  # 'The mayor insisted that'
    re.compile(rf"\b(?:in\s+)?(?P<h>(?:the\s+)?(?:[A-Z][\w.&-]*\s+){{0,3}}[A-Z][\w.&-]*['\u2019]s\s+{_OFFICE})"),
    re.compile(rf"\b(?:in\s+)?(?P<h>(?i:{_DESC})['\u2019]s\s+{_OFFICE})"),  # 'the port authority's statement'
    # "Acme's chief executive said", "the union's general secretary told": the possessor speaks
    re.compile(rf"(?:^|[.;]\s+|,\s+|:\s+|[\"\u201d]\s*)(?P<h>(?:(?:[A-Z][\w.&'\u2019-]*\s+){{0,3}}[A-Z][\w.&'\u2019-]*|"
               rf"(?i:the)\s+[a-z]+(?:\s+[a-z]+)?)(?:['\u2019]s|(?<=s)['\u2019])\s+(?:[a-z]+\s+){{0,2}}(?:{_DESC_HEAD}|{_ROLE_WORD}))"
               rf"(?:\s+(?P<n>(?:[A-Z][\w.'\u2019-]*\s+){{0,2}}[A-Z][\w.'\u2019-]*))?\s+{_ADV}{_SAY}\b"),
    re.compile(rf"\bin\s+a\s+statement\b[^.]{{0,40}}?\b(?:from|by|issued\s+by)\s+(?P<h>{_NAME}|{_DESC})"),
    # a name in apposition before its verb: "Its chief executive, Jane Roe, said ...", "The council's leader,
    # Sam Poe, accused ..." (a full name: two capitalised words at least)
    re.compile(rf",\s+(?P<h>(?:[A-Z][\w.'\u2019-]*\s+){{1,3}}[A-Z][\w.'\u2019-]*),\s+{_ADV}(?:{_SAY}|{_CHARGE})\b(?!\s+to\s+(?:be|have)\b)"),
    # ... or opening the sentence, a description after it: "Sam Poe, who chairs the residents' group, said ..."
    re.compile(rf"^(?P<h>(?:[A-Z][\w.'\u2019-]*\s+){{1,3}}[A-Z][\w.'\u2019-]*),\s+[^,\"\u201c]{{3,80}},\s+{_ADV}"
               rf"(?:{_SAY}|{_CHARGE})\b(?!\s+to\s+(?:be|have)\b)"),
    re.compile(rf"^(?P<h>{_NAME})\s+{_ADV}(?:expressed|proposed|responded|assured|confirmed|called|conditioned|"
               r"stipulated|insisted|demanded|emphasized|highlighted|reaffirmed|focused|rejected|refused|"
               r"vowed|pledged|promised|accused|blamed)\b"),
]

# Words that a name pattern can catch but that name no one.
_NOT_HOLDERS = {"it", "this", "that", "he", "she", "they", "there", "the", "but", "and", "while", "meanwhile",
                "notably", "however", "also", "both", "some", "many", "critics", "reports", "despite", "besides",
                "after", "before", "with", "when", "in", "on", "at", "as", "if", "so", "yet", "still", "then",
                "last", "earlier", "later", "today", "yesterday", "monday", "tuesday", "wednesday", "thursday",
                "friday", "saturday", "sunday", "his", "her", "their", "its", "our", "we", "i", "you", "one",
                "officials", "sources", "observers", "analysts", "experts", "witnesses", "residents"}
# Titles before a name: "Foreign Minister Jane Roe" is Jane Roe.
_TITLE = re.compile(
    r"^(?:(?:[A-Z][\w'\u2019-]*\s+){0,3}(?:President|Prime\s+Minister|Minister|Secretary|Chancellor|Governor|Mayor|"
    r"Senator|Sen\.|Rep\.|Representative|Spokesperson|Spokesman|Spokeswoman|Chief|Director|Chairman|Chairwoman|"
    r"Chair|CEO|Coach|Manager|General|Gen\.|Commissioner|Ambassador|King|Queen|Prince|Judge|Justice|"
    r"(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.?|Sheriff|Inspector|Superintendent|Leader|Speaker|Envoy|Official|Officer|Captain|Capt\.|"
    r"Colonel|Col\.|Counterpart|Deputy|Adviser|Advisor)\s+)+(?=[A-Z])")
_OFFICE_TAIL = re.compile(rf"(?:['\u2019]s)?\s+{_OFFICE}$", re.I)

ABSENCE = re.compile(
    r"\b(?:made\s+no\s+mention|no\s+mention|without\s+(?:any\s+)?mention|did\s+not\s+(?:mention|say|address|include|announce)"
    r"|didn['\u2019]t\s+(?:mention|say|address|include)|stopped\s+short|omit(?:ted|ting|s)?|left\s+out|leaving\s+out"
    r"|failing\s+to|failed\s+to|fell\s+short|notable\s+by\s+(?:their|its)\s+absence|silent\s+on|no\s+word\s+on"
    r"|without\s+reaching|declined\s+to\s+(?:say|comment|specify)|was\s+not\s+(?:mentioned|discussed|addressed)"
    r"|were\s+not\s+(?:mentioned|discussed|addressed)|not\s+(?:mentioned|included)|absent\s+from)\b",
    re.IGNORECASE)
POSITION = re.compile(
    r"\b(?:insist\w*|demand\w*|condition\w*|call(?:ed|s)?\s+for|urg(?:ed|es|ing)|stipulat\w*|reiterat\w*|"
    r"reject\w*|refus\w*|warn\w*|must|essential|necessary|adamant|wants?|"
    r"expects?|should\s+never|should\s+have|skeptical|sceptical|opposes?|opposed)\b",
    re.IGNORECASE)
AGREEMENT = re.compile(
    r"\b(?:agree[ds]?|agreement|both\s+(?:leaders|sides|governments|parties|men)|mutual|jointly|joint|"
    r"reaffirmed|confirmed\s+(?:plans|that)|shared|welcomed|consensus|accepted)\b",
    re.IGNORECASE)
CONTRAST = re.compile(
    r"\b(?:however|but|whereas|while|conversely|differ\w*|diverg\w*|conflicting|contrast\w*|disagree\w*|"
    r"dispute\w*|at\s+odds|despite|rejected|instead|by\s+contrast|on\s+the\s+other\s+hand)\b",
    re.IGNORECASE)


def _clean_name(h: str) -> str:
    return re.sub(r"\s+", " ", h).strip(" ,.;:\"'\u201c\u201d\u2018\u2019")


def _normalize_holder(h: str) -> Optional[str]:
    """The name a cue points at, without article, possessive, office word or title:
    "the Acme Chemicals' statement" -> "Acme Chemicals", "Foreign Minister Jane Roe" -> "Jane Roe"."""
    h = _clean_name(h)
    if not h:
        return None
    m = re.match(r"^((?:[A-Z][\w.&'\u2019-]*\s+){0,3}[A-Z][\w.&'\u2019-]*?|[Tt]he\s+[a-z]+(?:\s+[a-z]+)?)"
                 r"(?:['\u2019]s|(?<=s)['\u2019])\s+[a-z]", h)
    if m and not _OFFICE_TAIL.search(h):
        h = m.group(1)  # "Acme's chief executive" speaks for Acme
    words = h.split()
    rest = words[1:] if words[0].lower() in ("the", "a", "an") else words
    desc = bool(rest) and all(w[:1].islower() for w in rest)  # "the company", not "the Acme Group"
    base = _OFFICE_TAIL.sub("", h) if not desc or len(h.split()) > 2 else h
    base = re.sub(r"['\u2019]s?$", "", base).strip()
    if desc:
        # a description: "the company", "a company spokesperson" -> "the company"
        words = base.lower().split()
        if words[0] in ("a", "an"):
            words[0] = "the"
        if words[0] != "the":
            words.insert(0, "the")
        base = " ".join(words)
        if base in ("the spokesperson", "the spokesman", "the spokeswoman", "the official", "the officials"):
            return None  # a speaker with no party named
        return base
    base = re.sub(r"^(?:the|The)\s+", "", base).strip()
    base = _TITLE.sub("", base).strip()
    if not base or base.lower() in _NOT_HOLDERS or base.lower().split()[0] in _NOT_HOLDERS:
        return None
    return base


@lru_cache(maxsize=65536)  # a sentence is asked for its holder by every stage and every pair it is judged in
def _raw_holder(sentence: str) -> Optional[str]:
    for pat in _PATTERNS:
        for m in pat.finditer(sentence):
            named = m.groupdict().get("n")
            holder = _normalize_holder(named) if named else None
            holder = holder or _normalize_holder(m.group("h"))
            if holder:
                return holder
    return None


def find_holder(sentence: str, parties: Optional["PartyIndex"] = None) -> Optional[str]:
    """Who the sentence attributes its content to, or None when the outlet says it itself. With a
    PartyIndex, the party's canonical name ("Roe" -> the name the corpus uses most for that party)."""
    holder = _raw_holder(sentence)
    if holder and parties is not None:
        return parties.canonical(holder)
    return holder


# --- parties of a corpus ------------------------------------------------------------------------

_CAP_RUN = re.compile(r"(?<![\w'\u2019])(?:[A-Z][\w.&'\u2019-]*)(?:\s+(?:of\s+the\s+|of\s+|for\s+|de\s+)?[A-Z][\w.&'\u2019-]*){0,4}")
# "X, the Y(,| that| which)" and "the Y, X,": an apposition names one party twice
_APPOS_AFTER = re.compile(rf"(?P<n>{_NAME}),\s+(?P<d>{_DESC})(?![\w-])")  # "a council-run home" names no council
# the description opens the sentence: "A critic of the company, Ann Vale, said" names her, not the company
_APPOS_BEFORE = re.compile(rf"(?:^|(?<=[.!?]\s))[\s\"'\u201c\u2018]*(?P<d>{_DESC}),\s+(?P<n>(?:[A-Z][\w.&'\u2019-]*\s+){{0,4}}[A-Z][\w.&'\u2019-]*),", re.I)
# "company spokesperson Jane Roe", "Acme spokesperson Jane Roe", "union leader Sam Poe"
_SPEAKER_FOR = re.compile(
    r"(?P<p>(?:[A-Z][\w.&'\u2019-]*\s+){0,3}[A-Z][\w.&'\u2019-]*?|[a-z]+)(?:(?:['\u2019]s|(?<=s)['\u2019])\s+(?:[a-z]+\s+){0,2})?\s*(?:spokesperson|spokesman|"
    r"spokeswoman|press\s+secretary|chief\s+executive|chief|leader|president|head|director|chairman|chairwoman|"
    r"minister|official|representative|secretary|envoy|adviser|advisor)\s+(?P<n>(?:[A-Z][\w.'\u2019-]*\s+){0,2}"
    r"[A-Z][\w.'\u2019-]*)")
# "Sam Poe, who chairs the Residents' Association", "Sam Poe, chair of the Residents' Association": the
# person speaks for the body
# A former head no longer speaks for the body ("Tom Reyes, former director of Acme"), and a name that goes on
# in lower case names other people ("who represents Acme customers" speaks for the customers, not Acme).
_ROLE_OF = re.compile(r"(?P<n>(?:[A-Z][\w.'\u2019-]*\s+){1,3}[A-Z][\w.'\u2019-]*),\s+(?:who\s+(?:chairs|leads|heads|runs|"
                      r"founded|represents|speaks\s+for)|(?:the\s+)?(?:(?!(?:former|retired|sacked|ousted|late|"
                      r"previous|onetime)\b)[a-z]+\s+)?(?:chair|chairman|chairwoman|head|"
                      r"leader|director|founder|president|spokesperson|spokesman|spokeswoman|secretary|chief|executive)\s+of)\s+"
                      r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}?"  # "the fuel poverty charity Hearthright": the name is the party
                      r"(?P<d>(?:the\s+)?(?:[A-Z][\w.&'\u2019-]*\s+(?:(?:and|of|for|&)\s+)?){0,5}[A-Z][\w.&'\u2019-]*)"
                      rf"(?![\w.&'\u2019-]|\s+[A-Z]|\s+(?!(?:{_SAY[3:-1]}|says|tells|and|or|in|on|at|to|for|from|since|until|"
                      r"who|which|that|has|had|is|was|will|would|also)\b)[a-z])")
_AND = re.compile(r"(?P<a>(?:[A-Z][\w.&'\u2019-]*\s+){0,3}[A-Z][\w.&'\u2019-]*)\s+(?:and|or|nor|versus|vs\.?)\s+"
                  r"(?:the\s+)?(?P<b>(?:[A-Z][\w.&'\u2019-]*\s+){0,3}[A-Z][\w.&'\u2019-]*)")


def _texts(items: Iterable[Any]) -> list[tuple[str, str]]:
    """(document id, text) for strings, Sentences, Claims or Documents."""
    out = []
    for k, it in enumerate(items):
        if isinstance(it, str):
            out.append((f"#{k}", it))
        else:
            text = getattr(it, "statement", None) or getattr(it, "text", None) or ""
            out.append((str(getattr(it, "doc_id", None) or getattr(it, "id", None) or f"#{k}"), text))
    return out


class PartyIndex:
    """The parties a corpus names and the names each goes by."""

    def __init__(self):
        self._parent: dict[str, str] = {}
        self.counts: Counter[str] = Counter()  # how often each name is cued as a speaker
        self._distinct: set[frozenset[str]] = set()

    # union-find over lower-cased names
    def _find(self, k: str) -> str:
        while self._parent.get(k, k) != k:
            self._parent[k] = self._parent.get(self._parent[k], self._parent[k])
            k = self._parent[k]
        return k

    def _key(self, name: str) -> str:
        return name.lower()

    def add(self, name: str, n: int = 1) -> None:
        k = self._key(name)
        self._parent.setdefault(k, k)
        self.counts[name] += n

    def merge(self, a: str, b: str) -> bool:
        ka, kb = self._key(a), self._key(b)
        self._parent.setdefault(ka, ka)
        self._parent.setdefault(kb, kb)
        ra, rb = self._find(ka), self._find(kb)
        if ra == rb:
            return True
        members_a = {m for m in self._parent if self._find(m) == ra}
        members_b = {m for m in self._parent if self._find(m) == rb}
        if any(frozenset((x, y)) in self._distinct for x in members_a for y in members_b):
            return False  # the corpus names them side by side as two parties
        self._parent[rb] = ra
        return True

    def distinct(self, a: str, b: str) -> None:
        if self._key(a) != self._key(b):
            self._distinct.add(frozenset((self._key(a), self._key(b))))

    def names(self) -> dict[str, list[str]]:
        """canonical name -> every name of that party (most cued first)."""
        groups: dict[str, list[str]] = defaultdict(list)
        for name, _ in sorted(self.counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0])):
            groups[self._find(self._key(name))].append(name)
        return {self._display(ms): ms for ms in groups.values()}

    def _display(self, members: list[str]) -> str:
        # the most cued proper name; a description ("the company") only when the party has no name
        named = [m for m in members if m[:1].isupper()]
        return (named or members)[0]

    def canonical(self, name: str) -> str:
        """The party's name for any of its names; an unknown name is its own party, unless it ends with a
        known one after a description ("Militant union boss Dana Kerrigan", "Chief executive Jane Roe") or
        its capitalised words spell a known acronym ("Members of the United Footplate Union" -> "UFU")."""
        k = self._key(name)
        if k not in self._parent:
            known = self._known_within(name)
            return self.canonical(known) if known else name
        root = self._find(k)
        members = [m for m in self.counts if self._find(self._key(m)) == root]
        return self._display(sorted(members, key=lambda m: (-self.counts[m], -len(m), m))) if members else name

    def _known_within(self, name: str) -> Optional[str]:
        words = name.split()
        for i in range(1, len(words)):  # the longest known ending first
            tail = " ".join(words[i:])
            if tail[:1].isupper() and self._key(tail) in self._parent and tail in self.counts:
                return tail
        caps = [w for w in words if w[:1].isupper() and w.lower() not in ("the", "of")]
        for i in range(len(caps) - 1):  # a sentence's first word may be capitalised too ("Members of ...")
            acronym = "".join(w[0] for w in caps[i:])
            if self._key(acronym) in self._parent and acronym in self.counts:
                return acronym
        return None

    def party_of(self, sentence: str) -> Optional[str]:
        """The party a sentence is attributed to (canonical), or None when the outlet says it itself."""
        h = _raw_holder(sentence)
        return self.canonical(h) if h else None

    def opposed(self, sentence: str) -> bool:
        """Whether the sentence contrasts two of the corpus's parties (see `_opposed`)."""
        return _opposed(self, sentence)

    def same_party(self, a: str, a_text: str, b: str, b_text: str) -> bool:
        """Whether two holders are one party told two ways: the same name, or a description ("the
        hospital") whose own sentence first names the other party as its place or institution ("... at
        Linton General, according to the hospital's director"): the description points back to it.
        A name the sentence opposes ("the union said Acme ...") is the sentence's subject, not its place."""
        if self.canonical(a) == self.canonical(b):
            return True
        if _points_back(a, a_text, b) or _points_back(b, b_text, a):
            return True
        # "According to the ministry's statement, Roe demanded ...": the statement gives Roe's position,
        # so set against Roe's own words it is one party, not two
        for text, other in ((a_text, b), (b_text, a)):
            subject = reported_subject(text)
            if subject and (self.canonical(subject) == self.canonical(other)
                            or subject.split()[-1] == other.split()[-1]):
                return True
        return False

    def mentioned(self, sentence: str) -> set[str]:
        """Parties named anywhere in the sentence (by any of their names), canonical."""
        out = set()
        for name in self.counts:
            if name[:1].isupper():
                if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence):
                    out.add(self.canonical(name))
            elif re.search(rf"\b{re.escape(name)}\b", sentence, re.I):
                out.add(self.canonical(name))
        return out


_CONTRAST_MARK = re.compile(r"\b(?:however|but|whereas|while|conversely|by\s+contrast|in\s+contrast|instead|"
                            r"on\s+the\s+other\s+hand|unlike|rejected|disputed|contradicted)\b", re.I)
# "while speaking to reporters", "while expressing gratitude": a time, not a contrast
_TEMPORAL = re.compile(r"\W*(?:while|when|whilst)\s+\w+ing\b", re.I)
_OPENING_CONCESSION = re.compile(r"^\W*(?:while|whereas|although|though|unlike)\b", re.I)


def _opposed(index: "PartyIndex", sentence: str) -> bool:
    """Whether the sentence sets two parties against each other: a party on each side of a contrast
    ("The union said ..., but Acme ..."; "While Acme ..., the union ..."), not two named side by side."""
    if _OPENING_CONCESSION.match(sentence) and "," in sentence and not _TEMPORAL.match(sentence):
        cut = sentence.index(",")
        a, b = index.mentioned(sentence[:cut]), index.mentioned(sentence[cut:])
        if a and b and a != b and (b - a):
            return True
    for m in _CONTRAST_MARK.finditer(sentence):
        if m.start() == 0 or _TEMPORAL.match(sentence, m.start()):
            continue
        a, b = index.mentioned(sentence[:m.start()]), index.mentioned(sentence[m.end():])
        if a and b and (b - a) and (a - b):
            return True
    return False


_SAY_RX = re.compile(rf"\b{_SAY}\b")


_INSTITUTION = re.compile(rf"\b(?:the|its|their)\s+(?:[a-z][\w'\u2019-]*\s+){{0,2}}?{_DESC_HEAD}\b", re.IGNORECASE)


def institutions(sentence: str) -> set[str]:
    """The bodies a sentence names by description ("the flood authority", "the trust"), by their head noun
    in lower case: who "they" are where no party is named."""
    return {m.group(0).split()[-1].lower() for m in _INSTITUTION.finditer(sentence)}


def speaker_head(sentence: str) -> Optional[str]:
    """The last capitalised word of a sentence's opening subject (before its first saying verb or comma,
    ten words at most): 'Roe' in "Chief Fire Officer Jane Roe said ..." and in "Fire chief Jane
    Roe told ...", 'Union' in "The Dockers Union, which represents ...". None when the subject names
    no one ("The union said", "It was ...")."""
    cut = len(sentence)
    m = _SAY_RX.search(sentence)
    if m:
        cut = m.start()
    if "," in sentence[:cut]:
        cut = sentence.index(",")
    words = [w.strip(".,;:'\u2019\"\u201c\u201d()") for w in sentence[:cut].split()[:10]]
    words = [re.sub(r"['\u2019]s$", "", w) for w in words]
    caps = [w for k, w in enumerate(words) if w[:1].isupper() and not (k == 0 and w.lower() in _NOT_HOLDERS)]
    return caps[-1] if caps else None


_REPORTED = re.compile(r"^\W*[Aa]ccording\s+to\s+[^,]{1,80},\s+(?P<s>(?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*)"
                       r"\s+(?:also\s+)?[a-z]+")


def reported_subject(sentence: str) -> Optional[str]:
    """Whose words or acts an attributed sentence reports: 'Roe' in "According to the ministry's
    statement, Roe demanded ..."; None when the sentence does not open that way."""
    m = _REPORTED.match(sentence)
    if not m or not m.group("s")[:1].isupper():
        return None
    name = _normalize_holder(m.group("s"))
    return name if name and name.lower() not in _NOT_HOLDERS else None


_PLACE_PREP = r"(?:at|in|from|of|inside|outside|for)"


def _points_back(desc: str, sentence: str, name: str) -> bool:
    """A description holder ("the hospital") whose sentence names `name` after a preposition of place
    before the description itself: one institution, told twice."""
    if not desc.lower().startswith("the ") or not name[:1].isupper():
        return False
    d = re.search(rf"\b{re.escape(desc)}\b", sentence, re.I)
    n = re.search(rf"\b{_PLACE_PREP}\s+(?:the\s+)?{re.escape(name)}(?![\w-])", sentence)
    return bool(d and n and n.end() <= d.start() and not _CONTRAST_MARK.search(sentence, n.end(), d.start()))


# words that make a longer name another body than the name it starts with: "Acme Inquiry" looks into Acme,
# "Acme Customers Action Group" speaks against it ("Acme Chemicals Ltd" is still Acme Chemicals)
_OTHER_BODY = frozenset("inquiry review investigation commission committee union association campaign action "
                        "customers users watch alliance coalition forum victims families residents workers staff "
                        "pensioners tenants panel tribunal".split())


def _surname_merges(index: PartyIndex) -> None:
    names = [n for n in index.counts if n[:1].isupper()]
    multi = [n for n in names if len(n.split()) >= 2]
    for n in names:
        if len(n.split()) != 1:
            continue
        fulls = [m for m in multi if m.split()[-1] == n]
        if len(fulls) == 1 or (fulls and len({index._find(index._key(f)) for f in fulls}) == 1):
            index.merge(fulls[0], n)
    # "Acme Chemicals Ltd" / "Acme Chemicals": one name the start of the other
    for a in multi:
        for b in names:
            if a != b and len(b.split()) < len(a.split()) and a.startswith(b + " ") and len(b) > 3 \
                    and not _OTHER_BODY & set(a[len(b):].lower().split()):
                index.merge(a, b)


def _description_merges(index: PartyIndex) -> None:
    """'the union' is the party whose name ends in Union, when the corpus names exactly one such."""
    names = [n for n in index.counts if n[:1].isupper()]
    for d in [n for n in index.counts if n.startswith("the ")]:
        head = d.split()[-1]
        hits = [n for n in names if n.lower().split()[-1] in (head, head + "s") or
                (len(d.split()) > 2 and n.lower().endswith(" ".join(d.split()[1:])))]
        roots = {index._find(index._key(n)) for n in hits}
        if len(roots) == 1:
            index.merge(hits[0], d)


_POSSESSED = re.compile(r"['\u2019]s?\s+(?P<w>[^,;:()]*)")
_SPEAKS_ROLE = re.compile(r"\b(?:spokesperson|spokesman|spokeswoman|secretary|chief|executive|director|head|leader|"
                          r"chair\w*|president|minister|official|representative|lawyer|manager|officer|boss|founder|"
                          r"adviser|advisor|owner|governor|mayor)s?\s*$", re.I)


def _speaks_for_owner(after: str) -> bool:
    """What follows a description that names a body: nothing possessive, or a possessive role that speaks for
    the body ("the union's general secretary"), not any possession ("the company's fiercest critic")."""
    m = _POSSESSED.match(after)
    return not m or bool(_SPEAKS_ROLE.search(m.group("w")))


def find_parties(items: Iterable[Any], *, claims_alike: Optional[list[tuple[Any, Any]]] = None) -> PartyIndex:
    """The parties of a corpus, from sentences (strings, Sentences, Claims or Documents).

    `claims_alike` optionally gives pairs of items from different sources that say the same thing
    (e.g. grouped claims): when their holders differ and nothing in the corpus sets the two apart, the
    two names are one party told two ways ("the company said" / "Acme said")."""
    # a cut run of text (thousands of characters, no sentence ends) names no speaker the cues could find in
    # reasonable time: the alias patterns backtrack over it
    texts = [(doc, text) for doc, text in _texts(items) if len(text) <= 1200]
    index = PartyIndex()
    holders: dict[str, str] = {}
    for doc, text in texts:
        h = _raw_holder(text)
        if h:
            index.add(h)
            holders[text] = h
    known = {n.lower() for n in index.counts}
    for doc, text in texts:
        # side-by-side names are two parties ("the union and Acme", "Roe and Poe met"): known before any merge
        for m in _AND.finditer(text):
            a, b = _normalize_holder(m.group("a")), _normalize_holder(m.group("b"))
            if a and b:
                index.distinct(a, b)
    for doc, text in texts:
        for m in _SPEAKER_FOR.finditer(text):
            p, n = m.group("p"), _normalize_holder(m.group("n"))
            common = re.fullmatch(_DESC, f"the {p.lower()}") is not None  # "Company spokesperson Jane Roe"
            party = f"the {p.lower()}" if common or not p[:1].isupper() else _normalize_holder(p)
            if party and n and (n.lower() in known or party.lower() in known):
                index.add(party, 0)
                index.add(n, 0)
                index.merge(party, n)
        for rx in (_APPOS_AFTER, _APPOS_BEFORE, _ROLE_OF):
            for m in rx.finditer(text):
                if not _speaks_for_owner(text[m.end("d"):]):
                    continue  # "Ann Vale, the company's fiercest critic": the company's, not the company
                n, d = _normalize_holder(m.group("n")), _normalize_holder(m.group("d"))
                if n and d and n[:1].isupper() and (n.lower() in known or d.lower() in known):
                    index.add(n, 0)
                    index.add(d, 0)
                    index.merge(n, d)
    _surname_merges(index)
    _description_merges(index)
    for a, b in claims_alike or ():
        ta, tb = _texts([a])[0][1], _texts([b])[0][1]
        ha, hb = holders.get(ta), holders.get(tb)
        if ha and hb and ha != hb and len(set(content_terms(ta)) & set(content_terms(tb))) >= 5:
            index.merge(ha, hb)
    return index


def mentioned_parties(sentence: str, parties: Optional[PartyIndex] = None) -> set[str]:
    """Parties named in the sentence. Without a corpus's PartyIndex, those the sentence itself cues."""
    if parties is None:
        parties = find_parties([sentence])
    return parties.mentioned(sentence)


def claim_kind(sentence: str, holder: Optional[str]) -> ClaimKind:
    if ABSENCE.search(sentence):
        return ClaimKind.absence
    if POSITION.search(sentence) and (holder or re.match(r"^[A-Z]", sentence)):
        return ClaimKind.position
    return ClaimKind.fact
