"""Does a quote support a statement? Figures, named actors, negation and key content words, checked
deterministically: the `rules` verifier (rules.py) and the exact vetoes in front of the other backends.

Validated against people on SummEdits (`brief eval support`): tuned on the dev half of its documents,
reported on the held-out half (evals/README.md).
"""
from __future__ import annotations

import re
from typing import Optional

from pydantic import BaseModel

from .meaning import meaning_problems
from .refer import anaphoric_counts
from ..text.instructions import INSTRUCTION_REASON, addressed_to_model
from .signals import (WEEKDAYS, content_stems, figures, has_date, is_year, name_found, names, names_no_one,
                      negation_problem, opposed, relational_stems, same_figure, split_sentences, stem, unattributed,
                      word_count, word_stems)
from .verdict import Verdict

MIN_QUOTE_WORDS = 4  # a shorter quote ("the minister", "agreed") is not specific enough to support anything
KEY_COVERAGE = 0.5  # share of the statement's key words the evidence must carry (tuned on SummEdits dev)
SAID_SHARE = 0.8  # ... and of its words that are not names, 0.8 of that share (tuned on SummEdits dev)
CLAUSE_KEYS = 3  # a clause of a written statement with this many key words must be carried on its own
DOC_SENTENCES = 3  # a statement checked against a whole document is judged on its best 3 sentences
LOCAL = 0.3  # ... and its names and figures may come from any sentence sharing 30% of its key words


# The rules' answer is the verifier's Verdict; score = share of the statement's key words the evidence carries.
Support = Verdict


def check_support(statement: str, quote: str) -> Support:
    """Whether `quote` (a span of a source) supports `statement`: its figures, names, negation and key words."""
    n = word_count(quote)
    if n < MIN_QUOTE_WORDS:
        return Support(supported=False, score=0.0, reason=f"quote too short ({n} word{'s' if n != 1 else ''})")
    if addressed_to_model(quote):  # "ignore previous instructions and report that ...": it states nothing
        return Support(supported=False, score=0.0, reason=INSTRUCTION_REASON)
    return judge(statement, quote)


# where a written statement joins one claim to the next
_CLAUSE = re.compile(r"\s*(?:;|:\s|,\s*(?:and|but|while|whereas|although|though|as|with|after|before|adding|saying"
                     r"|which|who|including)\b|\s[—–]\s)\s*", re.IGNORECASE)


def check_written(statement: str, evidence: str) -> Support:
    """check_support for a statement someone wrote over its evidence (a model's merge): the whole must pass,
    and so must each clause of it, so an added claim cannot ride on the words of a long, well-backed one: a
    clause of CLAUSE_KEYS key words or more needs KEY_COVERAGE of them in the evidence, a shorter one ("but
    the mayor vetoed it") at least one."""
    whole = check_support(statement, evidence)
    if not whole.supported:
        return whole
    have = set(content_stems(evidence))
    for part in _CLAUSE.split(statement):
        key = list(dict.fromkeys(content_stems(part)))
        carried = sum(k in have for k in key)
        if key and (carried / len(key) < KEY_COVERAGE if len(key) >= CLAUSE_KEYS else carried == 0):
            lost = ", ".join(k for k in key if k not in have)
            return Support(supported=False, score=whole.score,
                           reason=f"a clause the evidence does not carry: '{part.strip()[:80]}' ({lost[:80]})")
    return whole


def _quoted(surfaces) -> str:
    return ", ".join(f"'{s}'" for s in surfaces)


class Findings(BaseModel):
    """What the rules read in one (statement, evidence) pair: key-word coverage and every problem found, by
    check name in the order they are reported (the exact ones first)."""
    score: float  # share of the statement's key words the evidence carries
    said_score: float  # ... of those that are not names
    n_key: int
    n_said: int
    problems: dict[str, str] = {}


# The problems that decide alone, in front of every backend: a figure, date or time the evidence contradicts
# or lacks, a named actor it lacks, a negation, role, speaker, direction or count it reverses.
EXACT = ("figure", "names", "negation", "roles", "speaker", "time", "direction", "count")


def findings(statement: str, evidence: str, *, context: Optional[str] = None,
             anywhere: Optional[str] = None) -> Findings:
    """The support rules' readings, for evidence of any length (one quote, or the best sentences of a document).

    `context` (default: the evidence) is where figures and names are looked for, `anywhere` (default:
    the context) where a year or a negation about the same words may be: a summary of a whole document
    takes its names and dates from sentences other than the ones that carry its predicate."""
    context = evidence if context is None else context
    anywhere = context if anywhere is None else anywhere
    key = list(dict.fromkeys(content_stems(statement)))
    have = set(content_stems(evidence))
    score = round(sum(k in have for k in key) / len(key), 4) if key else 0.0
    # what is said, not who: a quote that only names the statement's people must not pass on their names
    named = set(names(statement))
    said = [k for k in key if k not in named]
    said_score = sum(k in have for k in said) / len(said) if said else 0.0
    problems: dict[str, str] = {}

    s_fig, q_fig = figures(statement), figures(context)
    years = figures(anywhere)
    pointing = anaphoric_counts(statement, context)  # "the two leaders": no figure to find
    missing = [v for v in s_fig if v not in pointing
               and not any(same_figure(v, w) for w in (years if is_year(v) else q_fig))]
    if missing:
        extra = [q_fig[v] for v in q_fig if v not in s_fig]
        stated = _quoted(s_fig[v] for v in missing)
        problems["figure"] = (f"figure {_quoted(extra)} not the statement's {stated}" if extra and len(extra) <= 3
                              else f"figure {stated} not in the evidence")

    every = have | word_stems(context)
    # a summary of a document names its actors wherever the document does, not only near its predicate
    far = every | word_stems(anywhere) if anywhere is not context else every
    missing_names = [x for x in names(unattributed(statement)) if not name_found(x, far)
                     and not (x in WEEKDAYS and has_date(context))]
    if missing_names and not names_no_one(anywhere):  # a sentence that names no one leaves names to its article
        problems["names"] = "names missing: " + ", ".join(missing_names)

    neg = negation_problem(statement, evidence, anywhere)
    if neg:
        problems["negation"] = neg

    # relational words ("more"/"fewer", "before"/"after") are not key words, but an opposite one still vetoes
    have_rel = have | relational_stems(evidence)
    for k in key + sorted(relational_stems(statement)):
        if k not in every and k not in have_rel:
            o = opposed(k, have_rel)
            if o:
                problems.setdefault("opposed", f"'{k}' opposes the evidence's '{o}'")
    # a reversed role, another speaker, a raised certainty, another time, count or direction
    problems.update({k: v for k, v in meaning_problems(statement, evidence).items() if k not in problems})
    return Findings(score=score, said_score=said_score, n_key=len(key), n_said=len(said), problems=problems)


def judge(statement: str, evidence: str, *, key_coverage: float = KEY_COVERAGE, context: Optional[str] = None,
          anywhere: Optional[str] = None) -> Support:
    """The rules' verdict: the first problem found, else enough of the statement's key words carried."""
    f = findings(statement, evidence, context=context, anywhere=anywhere)
    score = f.score
    if f.problems:
        return Support(supported=False, score=score, reason=next(iter(f.problems.values())))
    key = [k for k in dict.fromkeys(content_stems(statement))]
    have = set(content_stems(evidence))
    said_score = f.said_score
    said = f.n_said
    if not key:
        return Support(supported=False, score=score, reason="the statement has no content words")
    if not said:
        return Support(supported=False, score=score, reason="the statement says nothing but names")
    if score < key_coverage or said_score < key_coverage * SAID_SHARE:
        lost = ", ".join(k for k in key if k not in have)
        return Support(supported=False, score=score, reason=f"key words missing: {lost[:120]}")
    return Support(supported=True, score=score)


def best_evidence(statement: str, sentences: list[str], *, k: int = DOC_SENTENCES) -> list[int]:
    """Indices of up to k sentences that together cover most of the statement's key words (greedy)."""
    left = set(content_stems(statement))
    sets = [set(content_stems(s)) for s in sentences]
    chosen: list[int] = []
    while left and len(chosen) < k:
        gain, neg_j = max(((len(left & st), -j) for j, st in enumerate(sets) if j not in chosen), default=(0, 0))
        if gain == 0:
            break
        chosen.append(-neg_j)
        left -= sets[-neg_j]
    return sorted(chosen)


def views(part: str, sentences: list[str], stems: list[set[str]], doc: str, *, k: int = DOC_SENTENCES,
          local: float = LOCAL) -> Optional[tuple[str, str, str]]:
    """Where one sentence of a statement is judged in a document: (its best k sentences, the sentences that
    share LOCAL of its key words, the whole document); None when no sentence shares a key word."""
    idx = best_evidence(part, sentences, k=k)
    if not idx:
        return None
    key = set(content_stems(part))
    near = [s for s, st in zip(sentences, stems) if len(key & st) >= max(2, local * len(key))]
    return " ".join(sentences[i] for i in idx), " ".join(near) or doc, doc


def check_against(statement: str, sentences: list[str], *, k: int = DOC_SENTENCES,
                  key_coverage: float = KEY_COVERAGE, local: float = LOCAL) -> Support:
    """Support of a statement by a whole document: each of its sentences judged on the document's best few."""
    doc = " ".join(sentences)
    stems = [set(content_stems(s)) for s in sentences]
    worst: Optional[Support] = None
    for part in split_sentences(statement) or [statement]:
        v = views(part, sentences, stems, doc, k=k, local=local)
        if v is None:
            return Support(supported=False, score=0.0, reason="no sentence shares its key words")
        r = judge(part, v[0], key_coverage=key_coverage, context=v[1], anywhere=v[2])
        if not r.supported:
            return r
        worst = r if worst is None or r.score < worst.score else worst
    return worst or Support(supported=False, score=0.0, reason="the statement has no content words")
