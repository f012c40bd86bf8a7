"""The one stemmer and the one stop-word list every stage and the eval compare words with.

The stemmer is Snowball's English (Porter 2) algorithm from `snowballstemmer`: on the seeds and
harbor-blast it joins 12 of 15 inflection families ("agree"/"agreed"/"agreeing", "negotiate"/
"negotiations"...) where the four hand-written stemmers it replaced joined 3 to 6 without truncating
words ("state"/"statement" stay apart); figures in benchmarks/RESULTS.md.

The stop words are function words only. A word that carries meaning is kept out even when it is common:
one side of an opposite pair ("more"/"fewer", "before"/"after", "up"/"down", "over"/"under"), a negation
("not", "no", "never", "without"), a number word (read by text/numbers.py instead). A stop word can never
fire a check, so each of those left in would silence one.
"""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_SNOWBALL = snowballstemmer.stemmer("english")
# "mobilise"/"mobilisation" as "mobilize"/"mobilization": both spellings run in English news
_BRITISH_ISE = re.compile(r"(?<=[a-z]{4})is(e|es|ed|ing|ation|ations)$")

STOPWORDS = frozenset("""
a about again all almost also am among an and any are as at be because been begin being between both but by can
could did do does doing during each either even ever every for from further had has have having he her
here hers herself him himself his how however i if in into is it its itself just like made make makes many
may me might much must my myself near nearly now of on once only or other our ours ourselves out own per
perhaps quite rather s said same say says she should since so some such than that the their theirs them
themselves then there these they this those though through thus to too toward towards until upon us very
via was we were what when where whether which while who whom whose why will with within would yet you your
yours yourself yourselves according amid another around away back became become becomes began being called
come comes done due else etc far get gets given go goes going got including instead let lot mr mrs ms next
often onto put really saying see seem seemed seems set several shall still take taken tell told took well
went whilst yes stated added noted reported announced
""".split())

# Common words kept out of STOPWORDS because they say how things relate (order, direction, comparison,
# negation): a
# check of meaning reads them ("more" vs "fewer", "before" vs "after"); a comparison of topics (is this
# sentence about the same thing?) sets them aside with `topic_word`, as it does stop words.
RELATIONAL = frozenset("""
above after against before below down few fewer least less more most never new no nor not off over under
up without
""".split())

# Where a clause ends inside a sentence, for the readers of negation: a conjunction that opens a clause of its
# own, and the words that open a new subject after "and"/"but" ("... and that supplies were", "... and its
# works were")
CLAUSE_OPENERS = frozenset("while whereas although though because".split())
SUBJECT_OPENERS = frozenset("that its it they their he his she her we our i".split())


def topic_word(word: str) -> bool:
    """Whether a lowercased word can say what a text is about (neither a stop word nor a relational one)."""
    return word not in STOPWORDS and word not in RELATIONAL


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem: lower case, possessive "'s" off, abbreviation dots out ("U.S." and "US" meet),
    British -ise as -ize, then Snowball English."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip(".'")
    if "." in w:
        w = w.replace(".", "")
    if not w or w[0].isdigit():
        return w
    return _SNOWBALL.stemWord(_BRITISH_ISE.sub(r"iz\1", w))


# The commonest English words, stop words or not: how ingest tells an English article from one in another
# language (a word list of its own, not a stop list: "not" is here and must stay out of STOPWORDS).
ENGLISH_MARKERS = frozenset("the of and to in a is that for on with as was by it at from his her said have has be are "
                            "not this but an were which their they will would".split())
