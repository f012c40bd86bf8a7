"""Words as the offline engine compares them: tokens, a light stemmer, stop words."""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][a-z]+)?|\d+(?:[.,]\d+)*")

STOPWORDS = frozenset("""
a about above after again against all almost also am among an and any are as at be because been before
being below between both but by can could did do does doing down during each either even ever every few for
from further had has have having he her here hers herself him himself his how however i if in into is it its
itself just least less like made make many may me might more most much must my myself near nearly no nor not
now of off on once one only or other our ours ourselves out over own per perhaps quite rather s said same
say says she should since so some such than that the their theirs them themselves then there these they this
those though through thus to too toward towards under until up upon us very via was we were what when where
whether which while who whom whose why will with within without would yet you your yours yourself
also according amid another around away back became become becomes began begin being called come comes
did does done due else etc far get gets given go goes going got having including instead itself let lot
mr mrs ms new next often onto put really say saying see seem seemed seems set several still take taken
tell told took two three four five six seven eight nine ten well went whilst yes
""".split())

# Words that mark who said something or how, not what was said: they make unrelated sentences look alike.
REPORTING = frozenset("""
said say says stated statement statements told added noted according readout readouts report reported reports
reportedly announced confirmed expressed highlighted emphasized emphasised stressed described call phone
conversation talks talk discussed discussion leaders leader president
""".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 4:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: len(w) - len(suffix)] + repl
            break
    while w.endswith("e") and len(w) > 5:  # "detainee", "detainees" -> "detain"
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_terms(text: str, *, drop_reporting: bool = False) -> list[str]:
    """Stemmed words that carry meaning, in order, duplicates kept."""
    out = []
    for w in words(text):
        lw = w.lower()
        if lw in STOPWORDS or (drop_reporting and lw in REPORTING):
            continue
        if len(lw) < 2 and not lw.isdigit():
            continue
        out.append(stem(lw))
    return out


def proper_names(text: str) -> set[str]:
    """Capitalised words not at the start of the sentence: cheap named-entity signal."""
    toks = words(text)
    return {t.lower() for i, t in enumerate(toks) if i > 0 and t[:1].isupper() and t.lower() not in STOPWORDS}
