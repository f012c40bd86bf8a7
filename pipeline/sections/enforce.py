"""The section definitions, checked on the items either engine wrote (the offline passes obey them as they
place; the LLM merge's items are checked here against the same rules, `rules`):

- an agreement has two or more independent sources, counted after the corroboration search has credited
  every source whose sentence the judge says states it, and no divergence sets it against another
  telling (the same sentences); one with fewer moves to the single-source list, and a one-source item
  that the search finds two sources stating moves to the agreements;
- every divergence's sides name their holders and sources, no two sides the same (figure conflicts: the
  sources are the holders); one that fails is dropped, with a warning;
- a thing unsaid is an absence a source states (or one party's coverage set against another's); one that
  is not moves to the single-source list, or is dropped when several sources tell it.
"""
from __future__ import annotations

from collections.abc import Callable

from ..ground.check import ground_item
from ..models import BriefItem, Claim
from ..verify.signals import figures, same_figure
from .corroborate import Corroborator, carriers
from .rules import ACCOUNTS, divergence_problem, is_sentence, leans_on_previous, stated_absence

FIGURES = ("conflicting-figures",)
COVERAGE = ("one-party-only",)


def credit(item: BriefItem, found: list[Claim], independent: Callable[[list[str]], int]) -> BriefItem:
    """The item with the sources and evidence of the claims the corroboration search confirmed added."""
    sources = list(item.sources)
    evidence = list(item.evidence)
    spans = {(e.doc_id, e.start, e.end) for e in evidence}
    for c in found:
        sources.extend(d for d in carriers(c) if d not in sources)
        for e in c.evidence:
            if c.verified and (e.doc_id, e.start, e.end) not in spans:
                spans.add((e.doc_id, e.start, e.end))
                evidence.append(e)
    return item.model_copy(update={"sources": sources, "evidence": evidence,
                                   "independent_sources": independent(sources)})


def _spans(item: BriefItem) -> set[tuple[str, int, int]]:
    return {(e.doc_id, e.start, e.end) for e in item.evidence}


def _shown(item: BriefItem, independent: Callable[[list[str]], int], verifier, texts=None) -> int:
    """The independent sources the ground stage will show: those with a span that supports the statement
    (the same verifier the ground stage asks); an item with no evidence keeps its count."""
    if verifier is None or not item.evidence:
        return item.independent_sources
    grounded, _ = ground_item(item, independent, verifier, texts)
    return grounded.independent_sources if grounded is not None else 0


Span = tuple[str, int, int]


class Disputes:
    """The spans the divergences cite: a side of a party conflict backs no agreement (a side of two accounts
    set side by side may: `rules.ACCOUNTS`); a sentence a figure
    conflict cites backs one that gives none of the figures at issue ("after nearly two hours of talks, both
    leaders agreed a 30-day truce" backs the truce, not the call length)."""

    def __init__(self, divergences: list[BriefItem]):
        self.sides: set[Span] = set()
        self.figures: dict[Span, set[float]] = {}
        for d in divergences:
            if d.basis in FIGURES:
                at_issue = {v for var in d.variants for v in figures(var.value)}
                for sp in _spans(d):
                    self.figures.setdefault(sp, set()).update(at_issue)
            elif d.basis not in ACCOUNTS:
                self.sides |= _spans(d)

    def against(self, spans: set[Span], statement: str) -> bool:
        if spans & self.sides:
            return True
        stated = figures(statement)
        return any(same_figure(v, w) for sp in spans for w in self.figures.get(sp, ()) for v in stated)

    def undisputed(self, found: list[Claim], statement: str) -> list[Claim]:
        """The claims the search found that may back `statement`."""
        return [c for c in found if not self.against({(e.doc_id, e.start, e.end) for e in c.evidence}, statement)]


def enforce(sections: dict[str, list[BriefItem]], corroborator: Corroborator | None,
            independent: Callable[[list[str]], int], verifier=None,
            texts: dict[str, str] | None = None) -> tuple[dict[str, list[BriefItem]], list[str]]:
    """The lists with every item where its section's definition puts it, and what was moved or dropped.
    `verifier` and `texts` (the sources'): the ground stage's, so that a source counted here is one the brief
    will show."""
    out: dict[str, list[BriefItem]] = {name: [] for name in sections}
    moved: dict[str, int] = {}

    def note(why: str) -> None:
        moved[why] = moved.get(why, 0) + 1

    for item in sections.get("divergences", []):
        why = divergence_problem(item.variants, figures=item.basis in FIGURES)
        if why is None:
            out["divergences"].append(item)
        else:
            note(f"divergence dropped: {why}")
    disputed = Disputes(out["divergences"])
    for item in sections.get("agreements", []):
        if corroborator is not None:
            found = disputed.undisputed(corroborator.search(item.statement, []), item.statement)
            credited = credit(item, found, independent)
            if _shown(credited, independent, verifier, texts) >= _shown(item, independent, verifier, texts):
                item = credited
        if _shown(item, independent, verifier, texts) < 2:
            out["single_source"].append(item.model_copy(update={"section": "single_source"}))
            note("agreement with one independent source moved to 'reported by one source only'")
        elif disputed.against(_spans(item), item.statement):
            note("agreement dropped: a divergence sets its sentences against another telling")
        else:
            out["agreements"].append(item)
    for item in sections.get("unsaid", []):
        if item.basis in COVERAGE or stated_absence(item.statement) or any(stated_absence(e.quote) for e in item.evidence):
            out["unsaid"].append(item)
        elif item.independent_sources < 2:
            out["single_source"].append(item.model_copy(update={"section": "single_source"}))
            note("'unsaid' item that states no absence moved to 'reported by one source only'")
        else:
            note("'unsaid' item that states no absence dropped")
    for item in sections.get("single_source", []):
        if corroborator is not None and is_sentence(item.statement) and not leans_on_previous(item.statement):
            found = credit(item, disputed.undisputed(corroborator.search(item.statement, []), item.statement),
                           independent)
            if _shown(found, independent, verifier, texts) >= 2 and not disputed.against(_spans(found), found.statement):
                out["agreements"].append(found.model_copy(update={"section": "agreements"}))
                note("one-source item that two independent sources state moved to key agreements")
                continue
        out["single_source"].append(item)
    warnings = [f"sections: {n} {why}" if n > 1 else f"sections: {why}" for why, n in moved.items()]
    return out, warnings
