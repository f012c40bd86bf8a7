"""Scores of one brief against gold: recall of the gold facts, and the brief's own soundness.

recall: sum over facts of weight x credit, over the total weight, where credit is 1 for a full match and
0.5 for a partial one *in the fact's own section*. recall_any_section gives the same credit wherever the
fact was found. A fact found (better) only in another section is "misplaced": it counts for
recall_any_section, not for recall. unmatched_items: the share of items credited with no gold fact (the
padding a longer, vaguer brief adds).
"""
from __future__ import annotations

from typing import Literal, Optional, Protocol, Sequence

from pydantic import BaseModel

from ..brief.present import source_labels
from ..models import SECTIONS, Brief, BriefItem
from .gold import GoldFact, GoldSet
from .match import RANK, Candidate, FactMatch, Match
from .precision import ItemRow, citation_precision, citation_recall, item_rows, redundancy, section_precision
from ..verify.signals import figures

CREDIT = {"full": 1.0, "partial": 0.5, "none": 0.0}
Outcome = Literal["hit", "partial", "misplaced", "miss"]


class Matcher(Protocol):
    name: str

    def match(self, facts: Sequence[GoldFact], candidates: Sequence[Candidate]) -> list[FactMatch]: ...


class FactResult(BaseModel):
    id: str
    section: str
    text: str
    weight: float
    outcome: Outcome
    verdict: str  # in the fact's section: full / partial / none
    verdict_any: str  # anywhere in the brief
    item_id: Optional[str] = None  # the item that decided the outcome
    item_section: Optional[str] = None
    score: Optional[float] = None
    reason: str
    matcher: str
    credit: float
    credit_any: float


class ItemProblem(BaseModel):
    item_id: str
    section: str
    problem: str


class UnsourcedNumber(BaseModel):
    item_id: str
    section: str
    number: str


class Scores(BaseModel):
    recall: float
    recall_any_section: float
    per_section: dict[str, Optional[float]]  # None when the gold has no fact in that section
    outcomes: dict[str, int]
    facts: list[FactResult]
    n_items: int
    unsupported_items: list[ItemProblem]
    unsourced_numbers: list[UnsourcedNumber]
    citation_precision: Optional[float] = None  # share of spans that support their item
    citation_recall: Optional[float] = None  # share of items whose every sentence a span supports
    section_precision: Optional[float] = None  # of items matching a gold fact, share in its section
    unmatched_items: Optional[float] = None  # share of items credited with no gold fact
    unmatched: list[str] = []  # their ids
    redundancy: Optional[float] = None  # share of items restating another item
    # of the (agreement fact, outlet that states it) pairs the gold lists, the share whose outlet the fact's
    # item credits: an agreement four outlets state, credited to two, scores 0.5 however its wording matches
    outlets_credited: Optional[float] = None
    items: list[ItemRow] = []


def item_text(item: BriefItem) -> str:
    """What the matcher reads of an item: its statement and, for divergences, what each side says."""
    return " ".join([item.statement, *(v.value for v in item.variants)])


def _side(value: str, sources: list[str], names: dict[str, str]) -> str:
    """A side as the page shows it: what it says and the outlets that say it (a gold divergence names them:
    "three killed according to Meridian Press and NRB News, five according to the Daily Clarion")."""
    outlets = [names[d] for d in sources if d in names]
    if not outlets:
        return value
    said = outlets[0] if len(outlets) == 1 else f"{', '.join(outlets[:-1])} and {outlets[-1]}"
    return f"{value}, according to {said}"


def brief_candidates(brief: Brief) -> list[Candidate]:
    """An item's statement, with a divergence's sides as parts (judged with it, or alone when it is long),
    each side's sources named as the page names them (outlets, not file names)."""
    names = source_labels(brief)
    return [Candidate(id=i.id, section=i.section, text=i.statement,
                      parts=[_side(v.value, v.sources, names) for v in i.variants])
            for i in brief.items()]


def fact_result(fact: GoldFact, fm: FactMatch) -> FactResult:
    misplaced = fm.best.item_section not in (None, fact.section) and RANK[fm.best.verdict] > RANK[fm.in_section.verdict]
    shown: Match = fm.best if misplaced else fm.in_section
    if misplaced:
        outcome: Outcome = "misplaced"
    else:
        outcome = {"full": "hit", "partial": "partial", "none": "miss"}[fm.in_section.verdict]  # type: ignore[assignment]
    return FactResult(
        id=fact.id, section=fact.section, text=fact.text, weight=fact.weight, outcome=outcome,
        verdict=fm.in_section.verdict, verdict_any=fm.best.verdict, item_id=shown.item_id,
        item_section=shown.item_section, score=shown.score, reason=shown.reason, matcher=shown.matcher,
        credit=CREDIT[fm.in_section.verdict], credit_any=CREDIT[fm.best.verdict])


def _recall(results: Sequence[FactResult], any_section: bool = False) -> Optional[float]:
    total = sum(r.weight for r in results)
    if not total:
        return None
    got = sum(r.weight * (r.credit_any if any_section else r.credit) for r in results)
    return round(got / total, 4)


def unsupported_items(brief: Brief, rows: Sequence[ItemRow] | None = None) -> list[ItemProblem]:
    """Items no cited span of which supports their statement, or whose span does not quote its source."""
    rows = item_rows(brief) if rows is None else rows
    return [ItemProblem(item_id=r.id, section=r.section, problem=r.problem) for r in rows if r.problem]


def matched_in_section(results: Sequence[FactResult]) -> dict[str, bool]:
    """Item id -> whether it sits in the section of a gold fact it matches (a fact's deciding item)."""
    out: dict[str, bool] = {}
    for r in results:
        if r.item_id is None or r.verdict_any == "none":
            continue
        out[r.item_id] = out.get(r.item_id, False) or r.item_section == r.section
    return out


def unsourced_numbers(brief: Brief) -> list[UnsourcedNumber]:
    """Numbers an item states that appear in no source text (compared by value: "175," = "175",
    "two" = "2", "1,000" = "1000")."""
    in_sources: set[float] = set()
    for s in brief.sources:
        in_sources.update(figures(s.text))
    out = []
    for item in brief.items():
        for value in figures(item_text(item)):
            if value not in in_sources:
                out.append(UnsourcedNumber(item_id=item.id, section=item.section,
                                           number=str(int(value)) if value == int(value) else repr(value)))
    return out


def unmatched(brief: Brief, results: Sequence[FactResult]) -> list[str]:
    """Items of the three sections credited with no gold fact: no fact's deciding item (in its section or
    anywhere). "Reported by one source only" is left out: gold facts are never labelled in it."""
    credited = {r.item_id for r in results if r.item_id is not None and r.verdict_any != "none"}
    return [i.id for s in SECTIONS for i in getattr(brief, s) if i.id not in credited]


def outlets_credited(brief: Brief, gold: GoldSet, results: Sequence[FactResult]) -> Optional[float]:
    """Share of the gold's (agreement fact, source) pairs whose source the fact's matched item credits (an
    unmatched fact credits none); None when no agreement fact names its sources."""
    name = {s.id: s.name for s in brief.sources}
    items = {i.id: i for i in brief.items()}
    by_fact = {r.id: r for r in results}
    want = got = 0
    for f in gold.facts:
        if f.section != "agreements" or not f.sources:
            continue
        r = by_fact[f.id]
        item = items.get(r.item_id) if r.item_id and r.verdict_any != "none" else None
        credited = {name.get(d) for d in item.sources} if item else set()
        want += len(set(f.sources))
        got += len(set(f.sources) & credited)
    return round(got / want, 4) if want else None


def score_brief(brief: Brief, gold: GoldSet, matcher: Matcher) -> Scores:
    matches = {m.fact_id: m for m in matcher.match(gold.facts, brief_candidates(brief))}
    results = [fact_result(f, matches[f.id]) for f in gold.facts]
    loose = unmatched(brief, results)
    n_sections = sum(len(getattr(brief, sec)) for sec in SECTIONS)
    rows = item_rows(brief, getattr(matcher, "verifier", None))  # the judge matcher (no verifier): the rules
    outcomes = {k: sum(r.outcome == k for r in results) for k in ("hit", "partial", "misplaced", "miss")}
    return Scores(
        recall=_recall(results) or 0.0,
        recall_any_section=_recall(results, any_section=True) or 0.0,
        per_section={s: _recall([r for r in results if r.section == s]) for s in SECTIONS},
        outcomes=outcomes, facts=results, n_items=len(brief.items()),
        unsupported_items=unsupported_items(brief, rows), unsourced_numbers=unsourced_numbers(brief),
        citation_precision=citation_precision(rows, brief), citation_recall=citation_recall(rows),
        section_precision=section_precision(matched_in_section(results)), redundancy=redundancy(rows), items=rows,
        unmatched_items=round(len(loose) / n_sections, 4) if n_sections else None, unmatched=loose,
        outlets_credited=outlets_credited(brief, gold, results))
