"""The offline engine's merge: rule passes that place grouped claims into sections that mean their names.

- Key agreements: facts two or more independent sources state, as the judge (`verdicts`) confirms over every
  source (`corroborate`); an agreement the parties are reported to have made counts only when two or more
  independent sources report it. No floor and no looser second grouping: a brief may have none.
- Points of divergence: figures independent sources report differently; positions of different parties
  on the same point that conflict (never a party with itself: `PartyIndex.same_party`); a sentence
  answering another party's ("X said ...; Y, however, ..."); one point another independent source sets
  against something. Every side names its holder and its sources, and no two sides share both (`rules`).
- Things unsaid: only absences a source states ("has not said", "declined to say", "no mention of": `rules`),
  and what one party's statement covered that another party's left out when both are reported (`coverage`).
- Reported by one source only (`single_source`): salient facts no other source carries; never "unsaid".

Every item's statement is a sentence (a subject and a verb), not a list item completing a lead-in and not a
headline (`rules.is_statement`); a fact that is also disputed (a figure conflict cites it) is no agreement.
A claim lands in one item at most, in pass order (`PASSES`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..ground.check import ground_item
from ..models import BriefItem, Claim, ClaimKind, Document, Limits, Variant
from ..text.absence import absent_part, comparable_absences, same_question
from ..text.attribution import ABSENCE, speaker_head
from ..text.clauses import joined_claims, shorter_statements, without_conjunct
from ..text.dates import Day, calendar_days
from ..text.lexical import content_terms
from ..text.quantities import find_quantities
from ..verify.signals import content_stems, figures, same_figure
from .coverage import omissions
from .items import make_item
from .measures import joined_measures
from .placement import (AGREED, NEGATED, OPENING_CONTRAST, Placement, by_centrality, holder_of, representative,
                        side_of)
from .positions import charges_answered, paired_contrasts, party_positions, sides_gathered
from .rules import is_sentence, leans_on_previous, stated_absence


# One point told by two independent sources, one side contrasting: chosen on the AllSides dev half
# (divergence recall 0.071 -> 0.077 at 0.25 and 3 pairs, recall 0.180 -> 0.181; 0.075 at 0.2, 0.071 at
# 0.3 and above; leaving out pairs grouped as one fact, the same; pairs of different speakers
# alone added nothing; every same-point pair, conflict or not, 0.097, but that is no divergence; a
# negation on one side or a sentence-opening contrast too, 0.086, but "ended without a deal" / "broke
# up" is no conflict and an opening "But" answers its own source's sentence before it).
CROSS_POINT = 0.25
CROSS_MAX = 3


def _absence_substance(text: str) -> int:
    """Content words beyond the absence cue: 'Some points were notable by their absence' has none."""
    return len(content_terms(ABSENCE.sub(" ", text), drop_reporting=True))



# contrast connectives only: "disputes" or "differences" in a sentence name a topic, not a turn
_CONNECTIVE = re.compile(r"\b(?:however|but|whereas|while|conversely|by\s+contrast|in\s+contrast|instead|"
                         r"on\s+the\s+other\s+hand|despite)\b", re.IGNORECASE)


def _inner_contrast(text: str) -> bool:
    """A contrast inside the sentence, not one opening it (that one answers the sentence before)."""
    return any(m.start() > 0 for m in _CONNECTIVE.finditer(OPENING_CONTRAST.sub("", text, count=1)))



def figure_conflicts(p: Placement) -> None:
    """Divergences: figures that independent sources report differently (`quantity_conflicts`), each value a
    side with its sources. First, because a figure two sources disagree on is the plainest divergence; the
    item only cites its claims, so the figures may still be told elsewhere. One measure named two ways
    ("40 homes" / "60 households") is one slot when the verifier reads it so (`measures`)."""
    joined = joined_measures(p.claims, p.index, p.group_of, p.judge)
    for k in quantity_conflicts(p.claims, p.group_of, joined):
        if not p.room("divergences"):
            break
        p.add_divergence(k.statement(), [p.by_id[i] for i in k.claim_ids], k.variants,
                         basis="conflicting-figures", kind="reported_fact")


# Two days for one event: independent sources' sentences whose days differ by at most DATE_SPAN days, whose
# words around the day share an event word ("discovered the raid on October 31" / "discovered the attack on
# 3 November"), and which are otherwise this alike (chosen on the dev stories: the two date conflicts at
# 0.16 and 0.23+, another event's day at most 0.10 there; two days of two events on the seeds share no
# event word)
DATE_POINT = 0.12
DATE_SPAN = 14
MONTH_SPAN = 92  # a month named whole ("in January") against a day or another month: within a quarter
MONTH_CLOSE = 0.55  # embedding cosine of two sentences dating one event by a month named whole: on the dev
# stories 0.57-0.63 for court-closure's closing date told as "January" and "31 March"; other events' months at
# most 0.53 once two given years must agree (a thin margin: the LLM verifier should decide these)




# the first word after a sentence's subject: an auxiliary, "to", or a past tense
_AFTER_SUBJECT = re.compile(r"\b(?:will|would|was|were|is|are|has|have|had|did|does|do|can|could|may|might|must|"
                            r"shall|should|to|\w{3,}ed)\b", re.IGNORECASE)


def _subject(text: str) -> set[str]:
    """The content words a sentence opens with, before its verb ("Traders were ..." -> {trader})."""
    m = _AFTER_SUBJECT.search(text)
    return set(content_stems(text[:m.start()])) if m else set()


def _around_day(text: str, d: Day) -> set[str]:
    """The words just before a day, or after it when it opens the sentence: the event it dates. The
    subject is not the event: "Traders were evacuated on 5 April" and "Traders were allowed back on 6 April"
    share only who, not what."""
    before = content_stems(" ".join(text[:d.start].split()[-6:]))
    words = set(before or content_stems(" ".join(text[d.start + len(d.surface):].split()[:6])))
    return words - _subject(text) or words


def _dated(text: str, d: Day) -> str:
    """A side's words: the day with the few words before it that say what it dates ("strike again on 22 December")."""
    return " ".join(text[:d.start].split()[-5:] + [d.surface]).strip(" ,")


def date_conflicts(p: Placement) -> None:
    """Divergences: one event dated differently by independent sources, each day a side with its sources."""
    dated = [(i, c, calendar_days(c.statement, months=True)) for i, c in enumerate(p.claims)
             if c.kind != ClaimKind.absence]
    dated = [x for x in dated if x[2]]
    pairs = []
    for a, (i, ci, da) in enumerate(dated):
        for j, cj, db in dated[a + 1:]:
            if p.group_of(ci.doc_id) == p.group_of(cj.doc_id) or any(x.fits(y) for x in da for y in db):
                continue
            s = p.alike(i, j)
            near = [(x, y) for x in da for y in db if x.day and y.day and abs(x.ordinal() - y.ordinal()) <= DATE_SPAN
                    and _around_day(ci.statement, x) & _around_day(cj.statement, y)]
            if s >= DATE_POINT and near:
                pairs.append((s, ci, cj, near[0]))
            # a month named whole shares few words with the day it disputes ("due to shut its doors for good in
            # January" / "due to close on 31 March"): the verifier's reading of the two sentences decides
            months = [(x, y) for x in da for y in db if not (x.day and y.day) and not x.other_year(y)
                      and abs(x.ordinal() - y.ordinal()) <= MONTH_SPAN]
            if months and not near:
                close = p.judge.sentence_closeness(ci.statement, cj.statement)
                if close is not None and close >= MONTH_CLOSE:
                    pairs.append((s, ci, cj, months[0]))
    # as for figures, each day must be told by a source that does not also give the other: an outlet that
    # dates two events to two days ("stopped on 2 March", "resumes on 14 March") sets neither against another
    telling: dict[tuple[int, int], set[int]] = {}
    for _, c, ds in dated:
        for d in ds:
            telling.setdefault(d[:2], set()).update(p.group_of(doc) for doc in (c.carriers or [c.doc_id]))
    shown: set[frozenset] = set()
    for s, ci, cj, (x, y) in sorted(pairs, key=lambda t: (-t[0], t[1].id, t[2].id)):
        tx, ty = telling[x[:2]], telling[y[:2]]
        if not p.room("divergences") or frozenset((x[:2], y[:2])) in shown or not (tx - ty and ty - tx):
            continue
        shown.add(frozenset((x[:2], y[:2])))
        # each day's side: every source that dates the same event to it (words around the day shared, or a
        # sentence as alike as the pair: "detected on Nov. 3" / "discovered the attack on 3 November")
        sides = []
        for day, seed in ((x, ci), (y, cj)):
            told = [(c, d) for k, c, ds in dated for d in ds if d[:2] == day[:2]
                    and (_around_day(c.statement, d) & _around_day(seed.statement, day)
                         or p.alike(k, p.pos[seed.id]) >= DATE_POINT)]
            sides.append(told)
        variants = [Variant(value=", ".join(dict.fromkeys(f'"{_dated(c.statement, d)}"' for c, d in told)),
                            sources=list(dict.fromkeys(doc for c, _ in told for doc in (c.carriers or [c.doc_id]))))
                    for told in sides]
        claims = list({c.id: c for told in sides for c, _ in told}.values())
        p.add_divergence(f"Sources differ on the date: {variants[0].value}; {variants[1].value}.", claims, variants,
                         basis="conflicting-figures", kind="reported_fact")


def _absent(c: Claim) -> bool:
    return stated_absence(c.statement)


def stated_absences(p: Placement) -> None:
    """Things unsaid: what a source states was not said, not disclosed or is not known (`rules.stated_absence`:
    a cue word inside something present, "bristling at being left out, X boasted ...", is not one), most
    widely reported first. An absence with fewer than three content words beyond its cue says nothing in
    particular ("notable by their absence") and is left out. Takes its claims: an absence is no agreement."""
    absences = [g for g in p.groups if any(_absent(c) for c in g)]
    absences.sort(key=lambda g: (-p.reach([c for c in g if _absent(c)]),
                                 -max(_absence_substance(c.statement) for c in g if _absent(c))))
    queue = list(absences)
    while queue:
        g = queue.pop(0)
        members = [c for c in p.fresh(g) if _absent(c) and c.id not in p.absent]
        if not members or max(_absence_substance(c.statement) for c in members) < 3:
            continue
        if not p.room("unsaid"):
            break
        rep = representative(members, p.index, p.pos)
        # the same absence other sources state in other words ("not yet been identified" / "have not
        # released their names"): one item citing each
        what = absent_part(rep.statement) or ""
        found = [c for c in p.corroborator.search(rep.statement, members, _absent)
                 if c.id not in p.absent and c.id not in p.used
                 and same_question(what, absent_part(c.statement) or "")]  # "when ..." is not "whether ..."
        found += _same_absence(p, rep, found)
        p.add("unsaid", rep.statement, found, basis="absence-cue", kind="absence")
        p.take_absences(found)
        other = [c for c in members if c.id not in p.absent and not same_question(what, absent_part(c.statement) or "")]
        if other:
            queue.insert(0, other)  # a member asking another question ("whether ...", not "when ...") is its own absence


def _same_absence(p: Placement, rep: Claim, found: list[Claim]) -> list[Claim]:
    """Absences of other sources that say the same thing is missing in other words ("It was unclear when
    residents could return home" / "There is no word yet on when people can go back to their homes"): what
    each says is missing (`text.absence.comparable_absences`), compared by the judge without the cues; one per
    source."""
    have = {p.group_of(d) for c in found for d in (c.carriers or [c.doc_id])}
    pairs = [(c, comparable_absences(rep.statement, c.statement)) for c in p.claims
             if _absent(c) and c.id not in p.absent and c.id not in p.used and p.group_of(c.doc_id) not in have]
    pairs = [(c, pair) for c, pair in pairs if pair is not None]
    out: list[Claim] = []
    for (c, _), same in zip(pairs, p.judge.same_fact_many([pair for _, pair in pairs])):
        if same and p.group_of(c.doc_id) not in have:
            have.add(p.group_of(c.doc_id))
            out.append(c)
    return out


def party_omissions(p: Placement) -> None:
    """Things unsaid: what one party's statement covered that another party's statement on the same point
    left out, when both are reported (`coverage.omissions`). Only cites its claims."""
    def one_party(a: Claim, b: Claim) -> bool:
        return p.parties.same_party(a.holder or "", a.statement, b.holder or "", b.statement)

    for o in omissions(p.claims, p.parties, p.index, p.independent, one_party):
        if not p.room("unsaid"):
            break
        covered = [p.by_id[i] for i in o.covered]
        p.add("unsaid", o.statement(), covered + [p.by_id[o.other]], basis="one-party-only", kind="absence",
              variants=[side_of(c, o.covered_by) for c in covered] + [side_of(p.by_id[o.other], o.left_out_by)])


def cross_source_contrasts(p: Placement) -> None:
    """Divergences: one point told by two independent sources, one side setting it against something
    ("..., but residents say ...", "while ..."): how coverage differs on that point. A contrast inside the
    sentence only: a sentence-opening "But ..." answers the sentence before it (`paired_contrasts`), not the
    other source, and a bare negation ("ended without a deal") is no conflict. Each source a side; the pair
    only cites its claims (the shared fact may also be an agreement)."""
    claims, index = p.claims, p.index
    contrasting = [i for i, c in enumerate(claims) if c.kind != ClaimKind.absence and _inner_contrast(c.statement)]
    cross: list[tuple[float, int, int]] = []
    seen_pairs: set[tuple[int, int]] = set()
    for i in contrasting:  # candidates: claims sharing two or more of a contrasting claim's rarer terms
        ci = claims[i]
        shared = Counter(j for t in index.vectors[i] for j in index.postings.get(t, ()) if j != i)
        for j in sorted(j for j, k in shared.items() if k >= 2):
            a, b = min(i, j), max(i, j)
            cj = claims[j]
            if (a, b) in seen_pairs or cj.kind == ClaimKind.absence or p.group_of(ci.doc_id) == p.group_of(cj.doc_id):
                continue
            seen_pairs.add((a, b))
            s = index.similarity(a, b)
            if s < CROSS_POINT:
                continue
            if ci.holder and cj.holder and p.parties.same_party(ci.holder, ci.statement, cj.holder, cj.statement):
                continue  # one speaker quoted twice: two reports of one party, not two sides
            hi, hj = speaker_head(ci.statement), speaker_head(cj.statement)
            if hi and hi == hj:
                continue  # the same subject opens both ("Fire chief Jane Roe said" / "Roe told")
            cross.append((s, a, b))
    cross.sort(key=lambda x: (-x[0], x[1], x[2]))
    paired: set[str] = set()
    for s, i, j in cross[:CROSS_MAX]:
        if not p.room("divergences"):
            break
        ci, cj = claims[i], claims[j]
        if ci.id in paired or cj.id in paired:
            continue
        hi, hj = holder_of(ci, p.parties), holder_of(cj, p.parties)
        if p.judge.same_fact(ci.statement, cj.statement):
            continue  # two tellings of one fact ("two-hour" and "two-hour"), not two sides
        if p.add_point(f"{ci.statement} {cj.statement}", [(hi, ci), (hj, cj)], basis="same-point"):
            paired.update((ci.id, cj.id))


def sides_corroborated(p: Placement) -> None:
    """Divergences: each side of a two-party conflict credited with every source that states that side's
    position (the corroboration search, confirmed by the verifier), before agreements are formed, so no
    side's sentence is also shown as an agreement."""
    p.corroborate_points()


def _agreement_groups(p: Placement) -> list[list[Claim]]:
    """Groups that may state a fact two sources share, most widely told first, then those stating figures
    or the parties' agreement; one-source groups too, as the corroboration search may find the fact
    elsewhere in other words."""
    def score(g: list[Claim]) -> tuple:
        cue = any(AGREED.search(c.statement) for c in g)
        return (-(p.reach(g) + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))), g[0].id)
    return sorted((g for g in p.groups if any(c.kind != ClaimKind.absence for c in g)), key=score)


def agreements(p: Placement) -> None:
    """Key agreements: a fact two or more independent sources state, and an agreement the parties are
    reported to have made that two or more sources report. Each group's statement is its most central
    member that can stand as an item (a sentence, not a headline, not a disputed figure); the corroboration
    search then asks the judge which sentences of every source state it, and the item counts and cites
    those. Under two independent sources it is no agreement (its claims stay for the single-source list).
    Takes its claims."""
    for g in _agreement_groups(p):
        if not p.room("agreements"):
            break
        members = p.fresh(g)
        usable = [c for c in members if _can_state(p, c)]
        # the most central member first; when other sources do not state it in its words (one outlet's
        # details around the fact), the telling of another source (of the group, or one the search confirmed)
        # may be the one they share. Of the tellings tried, the one the most sources state whole is shown: a
        # source credited only for its main clause ("X passed the budget 7-2, and the mayor welcomed it" over
        # "X approved the budget 7-2") is not shown as saying the rest
        queue, tried, best = by_centrality(usable, p.index, p.pos), set(), None
        while queue and len(tried) < REP_TRIES:
            rep = queue.pop(0)
            if p.group_of(rep.doc_id) in tried:
                continue
            tried.add(p.group_of(rep.doc_id))
            item, found, whole = _agreement(p, rep, members)
            if item is not None and (best is None or whole > best[2]):
                best = (item, found, whole)
            if best is not None and best[2] >= best[0].independent_sources:
                break  # every source it credits states it whole: no telling can do better
            queue += [c for c in found if c not in queue and p.group_of(c.doc_id) not in tried and _can_state(p, c)]
        if best is None or best[2] < best[0].independent_sources:
            part = _shared_part(p, usable, members)
            # the part two sources share, shown where no whole telling is stated by as many of its sources
            if part is not None and (best is None or part[2] > best[2]):
                best = part
        if best is not None:
            p.out["agreements"].append(best[0])
            p.take(best[1])
        # a telling the shown one did not take, whose figure a divergence disputes: the rest of it
        rest = p.fresh(members)
        extra = _undisputed_part(p, rest) if rest and p.room("agreements") else None
        if extra is not None:
            p.out["agreements"].append(extra[0])
            p.take(extra[1])


def _shared_part(p: Placement, usable: list[Claim], members: list[Claim]):
    """Where no source's sentence is stated whole by the others, each telling its own details around one
    fact ("discussed trade and agreed that X" / "spoke about the region, agreeing that X"): the shorter
    statement of a member's sentence (text.clauses, by deletion only) that its own sentence supports, a second
    independent source states, and the most sources state whole; with that count, or None."""
    if p.reach(members) < 2:
        return None
    best = None
    for rep in by_centrality(usable, p.index, p.pos)[:REP_TRIES]:
        for part in shorter_statements(rep.statement):
            if (not is_sentence(part) or len(content_terms(part)) < SHARED_PART_KEYS
                    or figures(rep.statement) != figures(part)):  # a figure left out may be the disputed one
                continue
            item, found, whole = _agreement(p, rep, members, statement=part)
            if item is not None and (best is None or whole > best[2]):
                best = (item, found, whole)
    return best


def _undisputed_part(p: Placement, members: list[Claim]):
    """Where every telling gives a figure a divergence disputes ("cut 1,200 jobs and close 40 stores" while
    another outlet says 60 shops), the statement without the conjunct that gives it ("cut 1,200 jobs"), when
    its own sentence supports it and two independent sources state it whole; with that count, or None."""
    at_issue = set().union(*(p.disputed_figures.get(c.id, set()) for c in members))
    if p.reach(members) < 2 or not at_issue:
        return None
    best = None
    for rep in [c for c in by_centrality(members, p.index, p.pos) if c.id in p.disputed_figures][:REP_TRIES]:
        if rep.id in p.disputed or not p.statement_ok(rep) or _absent(rep) or leans_on_previous(rep.statement):
            continue
        part, words = rep.statement, p.disputed_words.get(rep.id, set())
        for _ in range(3):  # one conjunct at a time, the quantities found again in what is left
            q = next((q for q in reversed(find_quantities(part))
                      if any(same_figure(v, w) for v in figures(q.surface) for w in at_issue)
                      or any(f'"{q.surface}"' in w for w in words)), None)
            if q is None:
                break
            part = without_conjunct(part, q.start, q.end)
            if part is None:
                break
        if (part is None or part == rep.statement or not is_sentence(part) or len(content_terms(part)) < SHARED_PART_KEYS
                or any(same_figure(v, w) for v in figures(part) for w in at_issue)):
            continue
        item, found, whole = _agreement(p, rep, members, statement=part)
        # two sources must state the part whole: one outlet's other details ("after sales fell") are not
        # shown as what the others say
        if item is not None and whole >= 2 and (best is None or whole > best[2]):
            best = (item, found, whole)
    return best


SHARED_PART_KEYS = 4  # key words a shorter statement keeps: fewer says too little to credit a source on


REP_TRIES = 2  # sources whose telling of a group's fact is tried as its statement


def _can_state(p: Placement, c: Claim) -> bool:
    """Whether a claim's sentence can stand as an agreement's statement: not disputed, a statement; not an
    absence (the unsaid list's: it may back an agreement, "agreed on X but stopped short of Y", but does not
    state it), nor a sentence that leans on the one before it (`rules.leans_on_previous`)."""
    return (c.id not in p.disputed and c.id not in p.disputed_figures and c.id not in p.accounts
            and p.statement_ok(c) and not _absent(c) and not leans_on_previous(c.statement))


def _agreement(p: Placement, rep: Claim, members: list[Claim],
               statement: str | None = None) -> tuple[BriefItem | None, list[Claim], int]:
    """The agreement stating `rep` (or `statement`, a part of its sentence that its sentence must support),
    crediting the sentences the search confirms (None under two sources), and how many independent sources
    state it whole (not only its main clause or one of its clauses)."""
    said = statement or rep.statement
    # a sentence a divergence cites is a side of it: it backs no agreement
    found = [c for c in p.fresh(p.corroborator.search(said, members)) if p.backs(c, said)]
    if rep not in found:
        if statement is not None:
            return None, found, 0  # its own sentence does not state the part: no shorter statement of it
        found.insert(0, rep)
    if p.reach(found) < 2:
        return None, found, 0
    agreed = any(AGREED.search(c.statement) and not NEGATED.search(c.statement) for c in found)
    item = make_item("agreements", said, found, independent=p.independent,
                     basis="parties-agreed" if agreed else "independent-sources",
                     checks=conflicting_numbers(found, p.group_of))
    grounded, spans = ground_item(item, p.independent, p.judge.verifier, p.texts) if item.evidence else (item, [])
    if grounded is None or grounded.independent_sources < 2:
        return None, found, 0  # the spans that back it come from one source: the ground stage would show one
    whole = p.independent(list({s.evidence.doc_id for s in spans
                                if s.support.supported and s.parts and _carries_clauses(said, s.evidence.quote)}))
    return item, found, whole


def _carries_clauses(statement: str, quote: str) -> bool:
    """Whether a quote carries half the key words of each joined claim of 3+ key words of the statement
    (text.clauses.joined_claims): a sentence can match a statement well while one clause of it ("..., and the
    mayor welcomed the vote") is that outlet's own. Only chooses between tellings; the verifier alone decides
    what a source is credited with."""
    have = set(content_terms(quote))
    for clause in joined_claims(statement):
        key = set(content_terms(clause))
        if len(key) >= 3 and len(key & have) < 0.5 * len(key):
            return False
    return True


def single_source(p: Placement) -> None:
    """Reported by one source only: salient facts (a figure or a holder) that one independent source
    carries, most topical first, spread across sources one each per round; never "unsaid"."""
    singles = [[c for c in p.fresh(g) if c.id not in p.absent] for g in p.groups]
    singles = [g for g in singles if g and p.reach(g) == 1]
    singles = [[c for c in g if p.statement_ok(c)] for g in singles]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder or AGREED.search(g[0].statement))
               and g[0].kind != ClaimKind.absence]
    singles.sort(key=lambda g: (-p.topical[g[0].id], g[0].id))
    per_source: dict[int, int] = {}
    for rnd in range(p.budget["single_source"]):
        for g in singles:
            if not p.room("single_source"):
                break
            c = g[0]
            src = p.group_of(c.doc_id)
            if c.id in p.used or per_source.get(src, 0) > rnd:
                continue
            per_source[src] = per_source.get(src, 0) + 1
            p.add("single_source", c.statement, g, basis="single-source")
            p.take(g)


# The passes in order: a claim a pass takes is not placed again, so absences and positions come before
# agreements, and agreements before single-source facts.
PASSES: tuple[Callable[[Placement], None], ...] = (
    figure_conflicts, date_conflicts, stated_absences, party_omissions, paired_contrasts, party_positions, charges_answered,
    cross_source_contrasts, sides_corroborated, sides_gathered, agreements, single_source)


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None, *, docs: list[Document] | None = None,
                     judge=None) -> dict[str, list[BriefItem]]:
    """The four lists, the rule passes run in order over one shared placement. `docs` lets the rules tell
    headlines and list items from statements; `judge` (`verdicts.get_judge()` by default) decides support."""
    if not claims:
        return {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
    p = Placement(claims, group_of, independent, limits or Limits(), docs, judge)
    for rule in PASSES:
        rule(p)
    return p.out
