"""The `full` profile's sections: the model's atomic claims grouped across sources (the lexical grouping and
the verifier's `same_fact` propose), the model confirming, merging or splitting those groups as it writes one
neutral statement per point (prompt write_groups), and the verifier keeping what the cited sentences support.
Every source whose sentences support a kept statement is credited (corroboration within the groups it
touched). The rules' items stay the floor: an item whose sentences no kept statement covers is shown as the
rules made it, with origin "rules"."""
from __future__ import annotations

from collections.abc import Callable

from ..cluster.group import group_claims
from ..ground.check import ground_item
from ..cluster.similarity import ClaimIndex
from ..ingest.tokens import count_tokens
from ..llm.client import LLMClient, LLMError
from ..llm.full_replies import WrittenItem, WrittenOutput
from ..llm.numbered import FENCES, Numbering, instruction_tokens
from ..llm.prompts import Prompt, neutralise
from ..models import LISTS, BriefError, BriefItem, Claim, ClaimKind, Limits, Variant
from ..text.attribution import ABSENCE, CONTRAST, POSITION
from ..text.numbers import find_numbers
from ..verify.phrases import added_phrase
from ..verify.signals import figures, same_figure
from ..verify.refer import refer
from .items import make_item
from .llm import batches, takes_a_stance
from .offline import offline_sections
from .roles import role_problem
from .verdicts import get_judge

MAX_FULL = 3  # claims of one group shown in full; the rest as ids on an "also:" line
PER_CALL = 40  # groups per write call at most: a long answer is where a model loses its place
REPLY_PER_GROUP = 80  # tokens kept in the context for each group's answer (ids, label, a 30-word statement)
LEAD_IN_CHARS = 400  # how far back the sentence before a cited one is looked for
SAME_FACT_NEIGHBOURS = 0.12  # lexical similarity under which two groups are not even asked about


def propose(claims: list[Claim], group_of: Callable[[str], int], verifier) -> tuple[list[list[Claim]], int]:
    """Groups of claims that may state one point: the lexical grouping, then groups joined where the
    verifier says their first claims state the same fact (a paraphrase the words alone miss)."""
    if not claims:
        return [], 0
    index = ClaimIndex(claims)
    groups = group_claims(index, group_of)
    head = {g[0]: k for k, g in enumerate(groups)}
    parent = list(range(len(groups)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    pairs = []
    for i, k in head.items():
        for j, _ in index.neighbours(i, SAME_FACT_NEIGHBOURS)[:5]:
            if j in head and head[j] > k:
                pairs.append((k, head[j]))
    verdicts = verifier.same_fact_many([(claims[groups[a][0]].statement, claims[groups[b][0]].statement)
                                        for a, b in pairs]) if pairs else []
    joined = 0
    for (a, b), v in zip(pairs, verdicts):
        if v.supported and find(a) != find(b):
            parent[find(b)] = find(a)
            joined += 1
    merged: dict[int, list[Claim]] = {}
    for k, g in enumerate(groups):
        merged.setdefault(find(k), []).extend(claims[i] for i in g)
    return list(merged.values()), joined


class Shown:
    """One proposed group as the model reads it: a few claims in full, the rest by id."""

    def __init__(self, gid: str, members: list[Claim], numbering: Numbering, labels: dict[str, str], room: int):
        full = [members[0]]
        for c in members[1:]:
            adds = c.doc_id not in {f.doc_id for f in full} and (
                set(c.numbers) - {n for f in full for n in f.numbers} or c.kind != full[0].kind or c.holder != full[0].holder)
            if adds and len(full) < MAX_FULL:
                full.append(c)
        if len(full) == 1 and len(members) > 1:
            full.append(next(c for c in members[1:]))  # two wordings let the model write its own
        while True:
            also = [c for c in members if c not in full]
            body = [f"{numbering.number[c.id]} {labels[c.doc_id]} {neutralise(' '.join(c.statement.split()), FENCES)}"
                    for c in full]
            if also:
                body.append("also: " + "; ".join(f"{numbering.number[c.id]} {labels[c.doc_id]}" for c in also))
            self.text = "\n".join([f"[{gid}]", *body])
            self.tokens = count_tokens(self.text) + 1
            if self.tokens <= room or len(full) == 1:
                break
            full.pop()
        self.id, self.members = gid, members


def settled(s: Shown) -> bool:
    """A claim alone in its group, stating a fact: nothing for the model to merge, pair or reword."""
    return len(s.members) == 1 and s.members[0].kind != ClaimKind.position


def _absence(text: str, cited: list[Claim]) -> bool:
    return bool(ABSENCE.search(text)) or any(c.kind == ClaimKind.absence for c in cited)


class Writer:
    """Composes the model's written items into brief items, judged by the verifier."""

    def __init__(self, numbering: Numbering, group_of_claim: dict[str, list[Claim]], verifier,
                 independent: Callable[[list[str]], int], doc_text: dict[str, str]):
        self.numbering, self.group_of_claim, self.verifier = numbering, group_of_claim, verifier
        self.independent, self.doc_text = independent, doc_text
        self.rejected: dict[str, int] = {}
        self.dropped: list[dict] = []  # each statement the checks rejected, and why (the manifest lists them)

    def _reject(self, why: str, statement: str = "") -> None:
        key = why.split(":", 1)[0]
        self.rejected[key] = self.rejected.get(key, 0) + 1
        self.dropped.append({"statement": statement, "reason": why[:300]})

    def _supporting(self, statement: str, claims: list[Claim]) -> tuple[list[Claim], str]:
        """The claims whose source's sentences support the statement (judged source by source), and why
        none do when none does."""
        by_doc: dict[str, list[Claim]] = {}
        for c in claims:
            by_doc.setdefault(c.doc_id, []).append(c)
        docs = list(by_doc)
        # each quote read with the names its source gives elsewhere ("the company" for the firm it names)
        quotes = [list(dict.fromkeys(refer(statement, q, self.doc_text.get(d, ""))
                                     for c in by_doc[d] for e in c.evidence for q in self._with_lead_in(e)))
                  for d in docs]
        verdicts = self.verifier.supports_many([(statement, q) for q in quotes])
        kept = [c for d, v in zip(docs, verdicts) if v.supported for c in by_doc[d]]
        why = "; ".join(dict.fromkeys(v.reason or "unsupported" for v in verdicts if not v.supported))
        return kept, why

    def _with_lead_in(self, e, after: bool = False) -> list[str]:
        """A cited sentence and the one before it (and with `after`, the one after it): "It declined to..."
        names its subject there, and a model that writes the name is right to."""
        text = self.doc_text.get(e.doc_id, "")
        before = text[max(0, e.start - LEAD_IN_CHARS):e.start].rstrip()
        cut = max(before.rfind(". ", 0, len(before) - 1), before.rfind("\n", 0, len(before) - 1))
        lead = " ".join(before[cut + 1:].split()) if cut >= 0 else ""
        out = [lead, e.quote] if len(lead.split()) >= 4 else [e.quote]
        if after:
            rest = text[e.end:e.end + LEAD_IN_CHARS]
            stop = min((i for i in (rest.find(". ", 1), rest.find("\n", 1)) if i > 0), default=-1)
            follow = " ".join(rest[:stop + 1].split()) if stop > 0 else ""
            if len(follow.split()) >= 4:
                out.append(follow)
        return out

    def grounded(self, item: BriefItem | None) -> BriefItem | None:
        """The item as the ground stage will judge it, span by span (a divergence's side by its own words), so
        that a statement the ground stage would drop does not hide the rules' item for its sentences."""
        if item is None:
            return None
        kept, spans = ground_item(item, self.independent, self.verifier, self.doc_text)
        if kept is None:
            why = "; ".join(dict.fromkeys(s.support.reason or "unsupported" for s in spans)) or "no evidence"
            self._reject(f"ground: {why}", item.statement)
        return kept

    def compose(self, answer: WrittenItem, offered: set[int]) -> BriefItem | None:
        ids = [n for n in dict.fromkeys(answer.ids) if n in offered]
        statement = " ".join(answer.statement.split())
        if not ids or not statement:
            self._reject("cites no claim of its call", statement)
            return None
        cited = [self.numbering.claim(n) for n in ids]
        docs = {d for c in cited for d in c.carriers or [c.doc_id]}
        unsourced = [n for n in find_numbers(statement) if not any(n in self.doc_text[d] for d in docs)]
        if unsourced:
            self._reject(f"numbers not in the cited sources: {', '.join(unsourced)}", statement)
            return None
        # who said it is often in the next sentence ("... a press release," said the union's leader)
        quotes = list(dict.fromkeys(q for c in cited for e in c.evidence for q in self._with_lead_in(e, after=True)))
        role = role_problem(statement, quotes)
        if role:
            self._reject(role, statement)
            return None
        added = added_phrase(statement, quotes)  # "agreed to raise bus fares" over "agreed on a vote"
        if added:
            self._reject(f"added phrase: {added}", statement)
            return None
        label, sides, variants, checks = answer.label, [], [], []
        if label == "differ":
            for s in answer.sides:
                members = [self.numbering.claim(n) for n in dict.fromkeys(s.ids) if n in offered]
                if members:
                    sides.append((members, s.holder.strip(), s.position.strip()))
            distinct = {tuple(sorted(c.id for c in m)) for m, _, _ in sides}
            if len(sides) < 2 or len(distinct) < 2 or len({(h.lower(), p.lower()) for _, h, p in sides}) < 2:
                label = "single"
                checks.append("'differ' rejected: it needs two sides with their own claims and positions")
        if label == "differ":
            side_claims = [c for m, _, _ in sides for c in m]
            v = self.verifier.supports(statement, list(dict.fromkeys(e.quote for c in side_claims for e in c.evidence)))
            if not v.supported:
                self._reject(f"unsupported: {v.reason}", statement)
                return None
            variants = [Variant(value=f"{h}: {p}" if p else h,
                                sources=list(dict.fromkeys(d for c in m for d in c.carriers or [c.doc_id])))
                        for m, h, p in sides]
            return make_item("divergences", statement, side_claims, independent=self.independent,
                             basis="model-differ", kind="position", variants=variants, checks=checks
                             ).model_copy(update={"origin": "model"})
        # corroboration: the claims of every group it touched are asked too, so each source that states it counts
        pool = list({c.id: c for c in cited + [m for c in cited for m in self.group_of_claim.get(c.id, [])]}.values())
        kept, why = self._supporting(statement, pool)
        if not any(c in kept for c in cited):
            self._reject(f"unsupported: {why}", statement)
            return None
        n = self.independent(list(dict.fromkeys(d for c in kept for d in c.carriers or [c.doc_id])))
        if label == "absence" and not _absence(statement, cited):
            checks.append("'absence' rejected: no cited claim notes an absence")
            label = "single"
        if label == "position" and not (any(takes_a_stance(c) for c in cited) or POSITION.search(statement)):
            label = "single"
        if label == "absence":
            section, kind = "unsaid", "absence"
        else:
            section = "agreements" if n >= 2 else "single_source"
            kind = "position" if label == "position" else None
            if label == "agree" and n < 2:
                checks.append("stated by one independent source only")
        return make_item(section, statement, kept, independent=self.independent, basis=f"model-{answer.label}",
                         kind=kind, checks=checks).model_copy(update={"origin": "model"})


def _spans(item: BriefItem) -> set[tuple[str, int, int]]:
    return {(e.doc_id, e.start, e.end) for e in item.evidence}


# what a model item can stand in for: a fact for a fact; a conflict the rules found stays unless the model
# states that conflict, an absence unless the model states that absence
_FAMILY = {"agreements": "fact", "single_source": "fact", "divergences": "divergence", "unsaid": "absence"}


def told_apart(conflict: BriefItem, model_items: list[BriefItem], verifier) -> bool:
    """A figure conflict the rules found ("3 percent" against "11 per cent") whose each side a different kept
    model statement states from that side's sentences, the two not one fact ("fares rose 3 percent",
    "card payments are 11 per cent of fares"): the model read two facts where the rules saw one in conflict."""
    if conflict.basis != "conflicting-figures" or verifier is None:
        return False
    facts = [i for i in model_items if i.section != "divergences"]
    stating = []
    for v in conflict.variants:
        side = {(e.doc_id, e.start, e.end) for e in conflict.evidence if e.doc_id in v.sources}
        wanted = figures(v.value)
        by = [i for i in facts if _spans(i) & side and wanted and all(
            any(same_figure(a, b) for b in figures(i.statement)) for a in wanted)]
        if not by:
            return False
        stating.append(by[0])
    if len({id(i) for i in stating}) < len(stating):
        return False
    return not any(verifier.same_fact(a.statement, b.statement).supported
                   for k, a in enumerate(stating) for b in stating[k + 1:])


def floor(rules: dict[str, list[BriefItem]], model_items: list[BriefItem], verifier=None) -> list[BriefItem]:
    """The rules' items whose sentences no kept model statement of their kind covers (half their spans), less
    the figure conflicts the model's kept statements told apart."""
    covered: dict[str, set] = {}
    for i in model_items:
        covered.setdefault(_FAMILY[i.section], set()).update(_spans(i))
    out = []
    for name in LISTS:
        for item in rules[name]:
            if name == "divergences" and told_apart(item, model_items, verifier):
                continue
            spans = _spans(item)
            if spans and len(spans & covered.get(_FAMILY[name], set())) * 2 >= len(spans):
                continue
            out.append(item.model_copy(update={"origin": "rules", "checks": item.checks + [
                "rules' item: no model statement covers these sentences"]}))
    return out


def write_full(client: LLMClient, prompt: Prompt, claims: list[Claim], sentences: list[Claim],
               labels: dict[str, str], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
               doc_text: dict[str, str], verifier, budget: int, limits: Limits) -> tuple[dict, dict, list[str]]:
    """Sections (name -> items), figures for the manifest, warnings."""
    numbering = Numbering(claims)
    overhead = instruction_tokens(prompt, WrittenOutput, count_tokens)
    room = budget - overhead
    if room < 2 * REPLY_PER_GROUP:
        raise BriefError(f"--context-tokens {budget} cannot hold the writing instructions ({overhead} tokens), "
                         "one group and its answer")
    groups, joined = propose(claims, group_of, verifier)
    group_of_claim = {c.id: g for g in groups for c in g}
    shown = [Shown(f"P{k}", g, numbering, labels, room - REPLY_PER_GROUP) for k, g in enumerate(groups, start=1)]
    # a claim no other claim was grouped with is settled: the model already wrote it, in its own words, when it
    # extracted it, and a second call could only reword it; it is judged like every written statement
    # (one party's position alone is sent: it may be one side of a divergence the model pairs with another)
    plan = batches([s for s in shown if not settled(s)], room, PER_CALL, REPLY_PER_GROUP)
    def ask(batch: list[Shown]) -> WrittenOutput:
        label = f"groups {batch[0].id}..{batch[-1].id}" if len(batch) > 1 else f"group {batch[0].id}"
        return client.structured(prompt, {"groups": "\n".join(s.text for s in batch)}, WrittenOutput, label=label)

    # a call that fails for good (off the schema after re-asks, or faults outlasting the retries) costs its
    # groups only: the rules' items stand for their sentences
    outputs = client.map(ask, plan, label="write", fallback="the rules' items stand for these groups")
    invalid = [e.label for e in outputs if isinstance(e, LLMError)]
    outputs = [None if isinstance(o, LLMError) else o for o in outputs]
    writer = Writer(numbering, group_of_claim, verifier, independent, doc_text)
    model_items: list[BriefItem] = []
    answered = 0
    for s in shown:
        if settled(s):
            c = s.members[0]
            label = {ClaimKind.absence: "absence", ClaimKind.position: "position"}.get(c.kind, "single")
            item = writer.grounded(writer.compose(WrittenItem(ids=[numbering.number[c.id]], label=label, sides=[],
                                                              statement=c.statement), {numbering.number[c.id]}))
            if item is not None:
                model_items.append(item)
    for batch, out in zip(plan, outputs):
        offered = {numbering.number[c.id] for s in batch for c in s.members}
        for a in (out.items if out is not None else []):
            answered += 1
            item = writer.grounded(writer.compose(a, offered))
            if item is not None:
                model_items.append(item)
    # the floor is the offline engine's brief under the run's verifier (an llm one: embed, as the search reads)
    rules = offline_sections(sentences, group_of, independent, limits, judge=get_judge(verifier))
    rest = floor(rules, model_items, verifier)
    out_sections: dict[str, list[BriefItem]] = {name: [] for name in LISTS}
    for item in sorted(model_items, key=lambda i: -i.independent_sources) + rest:
        out_sections[item.section].append(item)
    placed = {name: its[: getattr(limits, name)] for name, its in out_sections.items()}
    figures = {"claims": len(claims), "groups_proposed": len(groups), "groups_joined_by_same_fact": joined,
               "groups_settled": sum(settled(s) for s in shown), "write_calls": len(plan),
               "claims_shown": sum(len(s.members) for s in shown),
               "claims_dropped_for_budget": 0, "statements_written": answered, "statements_kept": len(model_items),
               "statements_rejected": writer.rejected, "rejected_statements": writer.dropped, "rules_floor_items": len(rest), "failed_write_calls": invalid}
    warnings = []  # a failed call is named once, by the engine's report (the client's `degraded`)
    return placed, figures, warnings
