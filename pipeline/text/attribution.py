"""Who says a sentence, and what kind of claim it is, from surface cues (the offline engine's extractor)."""
from __future__ import annotations

import re
from typing import Optional

from ..models import ClaimKind

_NAME = r"(?:the\s+)?(?:[A-Z][\w.'\u2019-]*\s+){0,4}[A-Z][\w.'\u2019-]*(?:['\u2019]s)?(?:\s+(?:readout|statement|summary|version|spokesperson|spokesman|office))?"
_SAY = r"(?:said|says|stated|added|noted|told|announced|insisted|warned|argued|claimed|wrote|declared|confirmed|reiterated|stressed|emphasi[sz]ed|highlighted|urged|demanded|stipulated|reported)"

_PATTERNS = [
    re.compile(rf"\baccording\s+to\s+(?P<h>{_NAME})"),
    re.compile(rf",?\s*(?:the\s+)?{_SAY}\s+(?P<h>{_NAME})\s*[.,]"),  # '..., said the Kremlin.'
    re.compile(rf"[\"\u201d,]\s*(?P<h>{_NAME})\s+{_SAY}\b"),  # '"...," Rubio said'
    re.compile(rf"(?:^|[.;]\s+|,\s+|:\s+)(?P<h>{_NAME})\s+{_SAY}\b"),  # 'Putin insisted that'
    re.compile(r"\b(?:in\s+)?(?P<h>(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['\u2019]s\s+(?:readout|statement|summary|version))"),
    re.compile(rf"^(?P<h>{_NAME})\s+(?:also\s+)?(?:expressed|proposed|responded|assured|confirmed|called|conditioned|stipulated|insisted|demanded|emphasized|highlighted|reaffirmed|focused)\b"),
]

# Small, explicit aliases: different names of the same speaker in international news.
ALIASES = {
    "white house readout": "White House", "white house": "White House", "washington": "White House",
    "washington's summary": "White House", "white house's version": "White House", "the white house": "White House",
    "kremlin readout": "Kremlin", "kremlin": "Kremlin", "the kremlin": "Kremlin", "moscow": "Kremlin",
    "kremlin's readout": "Kremlin", "kremlin's statement": "Kremlin", "kremlin's version": "Kremlin",
}
_NOT_HOLDERS = {"it", "this", "that", "he", "she", "they", "there", "the", "but", "and", "while", "meanwhile",
                "notably", "however", "also", "both", "some", "many", "critics", "reports", "putin also",
                "trump also", "despite", "besides", "after", "before", "with", "when"}

ABSENCE = re.compile(
    r"\b(?:made\s+no\s+mention|no\s+mention|without\s+(?:any\s+)?mention|did\s+not\s+(?:mention|say|address|include|announce)"
    r"|didn['\u2019]t\s+(?:mention|say|address|include)|stopped\s+short|omit(?:ted|ting|s)?|left\s+out|leaving\s+out"
    r"|failing\s+to|failed\s+to|fell\s+short|notable\s+by\s+(?:their|its)\s+absence|silent\s+on|no\s+word\s+on"
    r"|without\s+reaching|declined\s+to\s+(?:say|comment|specify)|was\s+not\s+(?:mentioned|discussed|addressed)"
    r"|were\s+not\s+(?:mentioned|discussed|addressed)|not\s+(?:mentioned|included)|absent\s+from)\b",
    re.IGNORECASE)
POSITION = re.compile(
    r"\b(?:insist\w*|demand\w*|condition\w*|call(?:ed|s)?\s+for|urg(?:ed|es|ing)|stipulat\w*|reiterat\w*|"
    r"reject\w*|refus\w*|warn\w*|must|essential|necessary|key\s+condition|firm\s+on|adamant|wants?|"
    r"expects?|should\s+never|should\s+have|skeptical|sceptical|opposes?|opposed)\b",
    re.IGNORECASE)
AGREEMENT = re.compile(
    r"\b(?:agree[ds]?|agreement|both\s+(?:leaders|sides|governments|parties|men)|mutual|jointly|joint|"
    r"reaffirmed|confirmed\s+(?:plans|that)|shared|welcomed|consensus|accepted)\b",
    re.IGNORECASE)
CONTRAST = re.compile(
    r"\b(?:however|but|whereas|while|conversely|differ\w*|diverg\w*|conflicting|contrast\w*|disagree\w*|"
    r"dispute\w*|at\s+odds|less\s+conditional|despite|rejected|instead)\b",
    re.IGNORECASE)


def _normalize_holder(h: str) -> Optional[str]:
    h = re.sub(r"\s+", " ", h).strip(" ,.\"'\u201c\u201d")
    low = h.lower()
    low_noart = re.sub(r"^the\s+", "", low)
    for key in (low, low_noart, re.sub(r"['\u2019]s\b.*$", "", low_noart),
                re.sub(r"\s+(?:readout|statement|summary|version|spokesperson|spokesman|office)$", "", low_noart)):
        if key in ALIASES:
            return ALIASES[key]
    base = re.sub(r"['\u2019]s(?:\s+\w+)?$", "", h)
    base = re.sub(r"^(?:the|The)\s+", "", base).strip()
    if not base or base.lower() in _NOT_HOLDERS or base.lower().split()[0] in _NOT_HOLDERS:
        return None
    return base


def find_holder(sentence: str) -> Optional[str]:
    """Who the sentence attributes its content to, or None when the outlet says it itself."""
    for pat in _PATTERNS:
        for m in pat.finditer(sentence):
            holder = _normalize_holder(m.group("h"))
            if holder:
                return holder
    return None


def mentioned_parties(sentence: str) -> set[str]:
    low = sentence.lower()
    return {canon for alias, canon in ALIASES.items() if re.search(rf"\b{re.escape(alias)}\b", low)}


def claim_kind(sentence: str, holder: Optional[str]) -> ClaimKind:
    if ABSENCE.search(sentence):
        return ClaimKind.absence
    if POSITION.search(sentence) and (holder or re.match(r"^[A-Z]", sentence)):
        return ClaimKind.position
    return ClaimKind.fact
