"""Divergences between parties: a sentence answering another party's account ("X's version, however,
..."), two parties' positions on one point that conflict (a demand or refusal against what the other holds),
and a charge one party lays against a body set against that body's defence, which share no words."""
from __future__ import annotations

import re

from ..models import Claim, ClaimKind
from ..text.attribution import CONTRAST, institutions
from ..verify.signals import content_stems
from .placement import (DEMAND, NEGATED, OPENING_CONTRAST, SAID_VERB, SAME_POINT, Placement, holder_of, parties_of,
                        sentence_index, side_of)
from .rules import speaker

REFUSAL = re.compile(r"\b(?:reject\w*|refus\w*|oppos\w*|turn(?:ed|s)?\s+down|snub\w*)\b", re.IGNORECASE)


def paired_contrasts(p: Placement) -> None:
    """Divergences: a sentence that opens by answering the previous one about another party ("X's
    statement, however, ...") states a divergence together with it: two sides, the parties each names. The
    pair only composes its claims: the first half may also be an agreement, the second an absence."""
    for c in p.claims:
        if not p.room("divergences") or not OPENING_CONTRAST.match(c.statement):
            continue
        # the account it answers: the sentence before, or the one before that when the sentence between
        # names no party ("The ministry's statement said ... It also cited ... The union's, however, ...")
        prev = p.by_pos.get((c.doc_id, sentence_index(c) - 1))
        if prev is not None and not parties_of(prev, p.parties):
            prev = p.by_pos.get((c.doc_id, sentence_index(c) - 2))
        if prev is None or not parties_of(prev, p.parties) - parties_of(c, p.parties):
            continue
        first = holder_of(prev, p.parties, p.parties.mentioned(c.statement))
        second = holder_of(c, p.parties, p.parties.mentioned(prev.statement))
        if first and second and p.parties.same_party(first, prev.statement, second, c.statement):
            continue  # one party answering itself
        p.add_divergence(f"{prev.statement} {c.statement}", [prev, c], [side_of(prev, first), side_of(c, second)],
                         basis="paired-contrast")


def _position_pairs(p: Placement) -> list[tuple[float, int, int]]:
    """Pairs of stance claims of different parties on one point (similar enough) that conflict: a demand
    or refusal on either side, or one side negated; most similar first."""
    claims, index, parties = p.claims, p.index, p.parties

    def stance(c: Claim) -> bool:
        return bool(p.holder(c)) and (c.kind == ClaimKind.position or bool(DEMAND.search(c.statement))
                                   or bool(CONTRAST.search(c.statement)))

    # candidates: stance claims sharing a rare term (the corpus index's postings), and those of one document;
    # the other side may be any party's statement ("X refused to consult" / "Y said it consulted throughout")
    stances = [i for i, c in enumerate(claims) if stance(c) and c.kind != ClaimKind.absence]
    is_stance = set(stances) | {i for i, c in enumerate(claims) if c.kind != ClaimKind.absence and (
        speaker(c.statement) or p.holder(c) and SAID_VERB.search(c.statement))}
    in_doc: dict[str, list[int]] = {}
    for i in stances:
        in_doc.setdefault(claims[i].doc_id, []).append(i)
    pairs: list[tuple[float, int, int]] = []
    for i in stances:
        ci = claims[i]
        others = {j for t in index.vectors[i] for j in index.postings.get(t, ()) if j != i and j in is_stance}
        others.update(j for j in in_doc[ci.doc_id] if j > i)
        for j in sorted(others):
            cj = claims[j]
            if not p.holder(cj):
                continue  # a side names its holder ("He said ..." with no one named before it names none)
            if parties.same_party(p.holder(ci), ci.statement, p.holder(cj), cj.statement):
                continue  # one party told two ways (a person and the institution they speak for)
            if p.group_of(ci.doc_id) == p.group_of(cj.doc_id) and ci.doc_id != cj.doc_id:
                continue  # syndicated copies are one source, not two sides
            s = p.alike(i, j)
            if s < SAME_POINT:
                continue
            # a conflict, not two phrasings of one agreement: a demand or refusal on one side only, a demand
            # against a refusal ("insisted the rise must go ahead" / "rejected the rise"), or one side negated;
            # the same refusal on both sides ("X rejected the offer" / "Y rejected the offer") is one position
            di, dj = DEMAND.search(ci.statement), DEMAND.search(cj.statement)
            conflict = (bool(di) != bool(dj) or bool(NEGATED.search(ci.statement)) != bool(NEGATED.search(cj.statement))
                        or bool(di and dj) and bool(REFUSAL.search(ci.statement)) != bool(REFUSAL.search(cj.statement)))
            if conflict:
                pairs.append((s, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    return pairs


_RUN_WORD = re.compile(r"[a-z0-9']+")
SAME_WORDS = 6  # words in a row two sides share, no saying verb among them: they say one thing


def _same_words(a: str, b: str) -> bool:
    """Whether two sentences share SAME_WORDS words in a row that report no one ("water supplies had not
    been affected"): however else they differ, on that they agree."""
    wa, wb = _RUN_WORD.findall(a.lower()), _RUN_WORD.findall(b.lower())
    runs = {tuple(wa[k:k + SAME_WORDS]) for k in range(len(wa) - SAME_WORDS + 1)}
    return any(tuple(wb[k:k + SAME_WORDS]) in runs and not SAID_VERB.search(" ".join(wb[k:k + SAME_WORDS]))
               for k in range(len(wb) - SAME_WORDS + 1))


def party_positions(p: Placement) -> None:
    """Divergences: positions of different parties on the same point, a demand or refusal of one party set
    against what another party holds on that point (`_position_pairs`); each party a side. One pairing per
    two parties unless clearly the same point. Takes its claims."""
    shown: set[frozenset[str]] = set()
    for s, i, j in _position_pairs(p):
        if not p.room("divergences"):
            break
        ci, cj = p.claims[i], p.claims[j]
        if ci.id in p.used or cj.id in p.used:
            continue
        hi, hj = p.holder(ci), p.holder(cj)
        key = frozenset((hi, hj))
        if key in shown and s < 2 * SAME_POINT:
            continue  # one pairing per two parties unless clearly the same point
        if p.judge.same_fact(ci.statement, cj.statement) or _same_words(ci.statement, cj.statement) and \
                bool(NEGATED.search(ci.statement)) == bool(NEGATED.search(cj.statement)):
            continue  # both reject the offer, both say supplies were not affected: one position, not two (but
            # "had known about the weakness in the system" / "had not known about ...": two)
        shown.add(key)
        if p.add_point(f"{hi} and {hj} take different positions. {told_by(hi, ci)} {told_by(hj, cj)}",
                       [(hi, ci), (hj, cj)], basis="party-positions", kind="position"):
            p.take([ci, cj])


# A charge one party lays against another's conduct, and the answer that defends it: the two share few words
# ("We warned the authority the wall was too low" / "The defences performed as designed"), so the similarity
# the other position pairs need cannot find them; the parties do.
CHARGE = re.compile(r"\b(?:ignor(?:ed|ing)|fail(?:ed|ure)|refused|did\s+nothing|warned|warnings|blam\w+|accus\w+|"
                    r"fault|negligen\w*|too\s+(?:low|late|slow|small|weak)|should\s+have|let\s+\w+\s+down|"
                    r"at\s+risk|unsafe|less\s+safe|gambl\w+|reckless\w*|shut\s+out|(?:never|not)\s+(?:\w+\s+){0,2}consult\w*|"
                    r"not\s+asked|sat\s+on\s+it|did\s+not\s+(?:listen|act)|didn['\u2019]t\s+(?:listen|act|lift)|"
                    r"looked\s+the\s+other\s+way|turned\s+a\s+blind\s+eye|cover(?:ed)?[-\s]up|"
                    r"knew\s+(?:for\s+(?:years|months)|all\s+along))\b",
                    re.IGNORECASE)
ANSWER = re.compile(r"\b(?:denie[sd]|deny|reject\w*|as\s+(?:designed|intended|planned|required)|follow(?:ed|s)|"
                    r"complied|compl(?:y|ies)\s+with|met\s+(?:all|every)|acted\s+(?:swiftly|quickly|promptly|responsibly|"
                    r"appropriately|immediately|in\s+accordance)|properly|correctly|in\s+line\s+with|"
                    r"not\s+to\s+blame|nothing\s+wrong|(?:had|has|did)\s+not\s+fail(?:ed)?|defend\w*|"
                    r"independent(?:ly)?\s+(?:\w+\s+){0,2}(?:assess\w*|validat\w*|check\w*|approv\w*|review\w*)|"
                    r"(?:as|is|was|were|be)\s+safe|lawful(?:ly)?|within\s+the\s+law|in\s+good\s+faith|thorough|"
                    r"extensive|engaged\s+fully|fully\s+consult\w*|self-report\w*|proactive(?:ly)?|voluntarily|"
                    r"already\s+(?:refunded|repaid|compensated|paid)|"
                    r"(?:identified|found|discovered|spotted|flagged|reported|brought)\b[^.;]{0,40}\b(?:ourselves|itself))\b",
                    re.IGNORECASE)
# "had not acted lawfully", "was not done properly": a denied answer word is a charge, not a defence
_DENIED_ANSWER = re.compile(r"\b(?:not|n['\u2019]t|never)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def answers(text: str) -> bool:
    """Whether a sentence says a defence (an answer word not denied)."""
    return any(not _DENIED_ANSWER.search(text[max(0, m.start() - 30):m.start()]) for m in ANSWER.finditer(text))


def told_by(holder: str, c: Claim) -> str:
    """A side's sentence, with its holder named where the sentence does not name them ('Nadia Pellow: "Corriston
    knew for years and did nothing."'): a quotation cut from its attribution says no one's name."""
    if holder.split()[-1] in c.statement:
        return c.statement
    return f"{holder}: \u201c{c.statement}\u201d"


def _introduced(text: str, holder: str) -> str:
    """The words that introduce a holder in their own sentence: from the name to the next verb of saying
    ('"...," said Ann Vale, chair of the Save the Library campaign, ...' -> ', chair of the ... campaign, ...')."""
    k = text.find(holder.split()[-1])
    if k < 0:
        return ""
    rest = text[k + len(holder.split()[-1]):]
    m = SAID_VERB.search(rest)
    return rest[:m.start()] if m else rest


def _bodies(p: Placement, text: str) -> set[str]:
    """The parties a sentence names and the bodies it describes ("the authority"): whom a charge is against."""
    return p.parties.mentioned(text) | institutions(text)


# what a charge may be about besides a body: the thing it names ("the plan would put passengers at risk" /
# "the plan has passed an independent safety assessment")
_THING = re.compile(r"\b(?:the|this|its|their)\s+(plan|plans|proposal|scheme|change|changes|decision|policy|system|"
                    r"wall|defences|project|design|rules|procedure|procedures)\b", re.IGNORECASE)


# the matter a defence names: "acted properly over the sale of the car park"
_MATTER = re.compile(r"\b(?:over|about|regarding|concerning|in\s+(?:relation\s+to|its\s+handling\s+of))\s+([^,;.]{3,80})",
                     re.IGNORECASE)


def another_matter(defence: str, charge: str) -> bool:
    """Whether a defence names a matter of its own that shares no word with the charge: "acted properly over
    the sale of the car park" answers no charge about a roof."""
    a = ANSWER.search(defence)
    m = _MATTER.search(defence, a.end()) if a else None
    matter = set(content_stems(m.group(1))) if m else set()
    return bool(matter) and not matter & set(content_stems(charge))


def _things(text: str) -> set[str]:
    return {m.group(1).lower() for m in _THING.finditer(text)}


def _speaks_for(p: Placement, c: Claim, bodies: set[str], before: str) -> bool:
    """Whether the holder of `c` is one of `bodies` or is introduced as speaking for one: "Kelby Water
    said", "Council leader Paul Kent said", "Its estates director, Paul Kent, said" after a sentence naming
    the trust."""
    h = p.holder(c)
    last = h.split()[-1]
    k = c.statement.find(last)
    told = h + " " + (c.statement[:k + len(last)] if k >= 0 else "")
    if k >= 0 and re.match(r"\W*(?:its|their)\b", c.statement, re.IGNORECASE):
        told += " " + before  # "Its estates director": the body of the sentence before
    return any(p.parties.same_party(h, c.statement, b, "") or re.search(rf"(?<![\w-]){re.escape(b)}s?(?![\w-])", told, re.I)
               for b in bodies)


def _charged(p: Placement, cb: Claim) -> tuple[set[str], set[str]]:
    """Whom a charge is against (the bodies it names, not the charger's own) and the things it names."""
    hb = p.holder(cb) or ""
    # the charging party's own body, named where it is introduced ("the leader of the council, X, ...")
    intro = p.sentence_before(cb)
    own = institutions(intro[:intro.index(hb.split()[-1])]) if hb and hb.split()[-1] in intro else set()
    own |= institutions(hb)  # "the union argues ...": the union is not whom it charges
    own |= institutions(_introduced(cb.statement, hb)) if hb else set()  # '..., said X, chair of the campaign'
    bodies = {t for t in p.parties.mentioned(cb.statement) if not p.parties.same_party(t, "", hb, cb.statement)}
    bodies |= institutions(cb.statement) - own
    things = _things(cb.statement)
    if not bodies and not things:
        # "families had been shut out of the process": whom it charges is the body the sentence
        # before names ("... the council's decision ...")
        bodies = {t for t in p.parties.mentioned(intro) if not p.parties.same_party(t, "", hb, cb.statement)}
        bodies |= institutions(intro) - own
    return bodies, things


def _stance(c: Claim) -> str | None:
    """A charge, a defence, or neither."""
    if answers(c.statement):
        return "answer"
    return "charge" if CHARGE.search(c.statement) else None


# a sentence that voices a position: a verb of saying, a quotation, or a reply ("hit back, insisting ...")
_VOICED = re.compile(rf"{SAID_VERB.pattern}|[\"\u201c\u201d]|\b(?:insist\w*|call(?:ed|s|ing)?|hit(?:s|ting)?\s+back|argu\w+|"
                     r"claim\w*|warn\w*|accus\w+|blam\w+)\b", re.IGNORECASE)


def sides_gathered(p: Placement) -> None:
    """Each side of two parties' positions with the other outlets' sentences in which its holder takes that
    position ("shut out of the process" beside '"They never consulted us," said Tolley'): the same party
    laying a charge, or the charged body (or one who speaks for it) defending itself, or the same party
    on the same point. Such sentences share few words, so the corroboration search misses them."""
    for point in p.points:
        if point["kw"].get("kind") != "position":
            continue
        taken = {m.id for side in point["sides"] for m in side}
        firsts = [side[0] for side in point["sides"]]
        charge = next((c for c in firsts if _stance(c) == "charge"), None)
        bodies = _charged(p, charge)[0] if charge is not None else set()
        for h, side in zip(point["holders"], point["sides"]):
            first, kind = side[0], _stance(side[0])
            if kind is not None:  # a sentence about the holder that voices nothing ("X, 58, led the fight")
                # (it stays disputed: releasing it let a lenient verdict build a wrong agreement on rail-strike)
                side[1:] = [c for c in side[1:] if _stance(c) is not None or _VOICED.search(c.statement)]
            groups = {p.group_of(m.doc_id) for m in side}
            ranked = sorted((c for c in p.claims if c.id not in taken and c.id not in p.used
                             and c.kind != ClaimKind.absence and p.holder(c) and p.group_of(c.doc_id) not in groups),
                            key=lambda c: (-p.alike(p.pos[first.id], p.pos[c.id]), c.id))
            for c in ranked:
                if p.group_of(c.doc_id) in groups or _stance(c) != kind:
                    continue
                if kind is None and p.alike(p.pos[first.id], p.pos[c.id]) < SAME_POINT:
                    continue
                own = p.parties.same_party(h, first.statement, p.holder(c), c.statement)
                speaks = kind == "answer" and bool(bodies) and _speaks_for(p, c, bodies, p.sentence_before(c))
                if not (own or speaks):
                    continue
                side.append(c)
                groups.add(p.group_of(c.doc_id))
                taken.add(c.id)
                p.disputed.add(c.id)
        p.rebuild(point)


def charges_answered(p: Placement) -> None:
    """Divergences: a party's charge against another body (a fault word, the body named in the sentence)
    set against what is said in that body's defence (an answer word, the body named in its sentence or the one
    before, by a holder who lays no charge and is not the charging party); one pairing per two holders, the
    closest pair first. Takes its claims."""
    claims = [c for c in p.claims if c.kind != ClaimKind.absence and c.id not in p.used and p.holder(c)]
    # "we found the fault ourselves and reported it": a defence that names the fault charges no one
    charges = [c for c in claims if _stance(c) == "charge"]
    chargers = {p.holder(c) for c in charges}

    before = p.sentence_before
    pairs: list[tuple[float, Claim, Claim]] = []
    for cb in charges:
        hb = p.holder(cb)
        bodies, things = _charged(p, cb)
        if not bodies and not things:
            continue
        for ca in claims:
            ha = p.holder(ca)
            if (ha in chargers or not answers(ca.statement)
                    or p.parties.same_party(ha, ca.statement, hb, cb.statement)
                    or another_matter(ca.statement, cb.statement)):
                continue
            # the charged body's defence is said by that body or one who speaks for it; a fire officer praising
            # "the council's staff" answers no charge against the council
            if not (things & _things(ca.statement)
                    or bodies & (_bodies(p, ca.statement) | _bodies(p, before(ca))) and _speaks_for(p, ca, bodies, before(ca))):
                continue
            pairs.append((p.alike(p.pos[cb.id], p.pos[ca.id]), cb, ca))
    pairs.sort(key=lambda x: (-x[0], x[1].id, x[2].id))
    shown: set[frozenset[str]] = set()
    for _, cb, ca in pairs:
        if not p.room("divergences"):
            break
        hb, ha = p.holder(cb), p.holder(ca)
        if frozenset((hb, ha)) in shown or cb.id in p.used or ca.id in p.used:
            continue
        if p.add_point(f"{hb} and {ha} take different positions. {told_by(hb, cb)} {told_by(ha, ca)}",
                       [(hb, cb), (ha, ca)], basis="party-positions", kind="position"):
            shown.add(frozenset((hb, ha)))
            p.take([cb, ca])
