"""The LLM merge, cluster by cluster: for each cluster of claims the rules formed, the model says how the
sources relate (agree / differ / one party's position / absence / one source) and writes one neutral
statement citing sentence ids. Batches of clusters fit the context budget; every answer is checked, and
an answer that does not hold falls back to the rules' item for that cluster, with a note."""
from __future__ import annotations

import re
from collections.abc import Callable

from ..cluster.figures import conflicting_numbers
from ..ground.check import ground_item
from ..verify.support import check_written
from ..ingest.tokens import count_tokens
from ..llm.client import LLMClient, LLMError
from ..llm.numbered import Numbering, instruction_tokens, line
from ..llm.prompts import Prompt
from ..llm.replies import GroupItem, MergeOutput
from ..models import LISTS, BriefError, BriefItem, Claim, ClaimKind, Limits, ItemSection, Variant
from ..text.attribution import CONTRAST, POSITION
from ..text.numbers import find_numbers
from .clusters import Cluster
from .items import make_item
from .rules import ACCOUNTS, divergence_problem, stated_absence


SECTION_OF: dict[str, ItemSection] = {"agree": "agreements", "differ": "divergences", "position": "divergences",
                                  "absence": "unsaid", "single": "single_source"}
KEPT: dict[str, str] = {"agreements": "agree", "divergences": "differ", "unsaid": "absence"}  # the rules' sections the model words
MAX_SHOWN = 3  # sentences of one cluster the model reads in full
# clusters per merge call. The instructions (~630 tokens) are sent once per call, so ten keep the prompt
# tokens near 1.3 times the sources' on the seeds (five: 1.8); a 1.5B model on five copied one group's
# statement into all five answers (benchmarks/RESULTS.md), so `--merge-batch 1` is the setting for small
# local models, whose server reuses the instructions' prefix from one call to the next
MERGE_BATCH = 10
REPLY_TOKENS_PER_GROUP = 90  # room kept in the context for each cluster's answer


class Shown:
    """What the model is shown of one cluster: the rules' representative sentence, the members that add
    something to it (another holder, other figures, another kind), at most MAX_SHOWN in full, and the
    rest as ids on an "also:" line, so a point twenty sources repeat costs one sentence."""

    def __init__(self, cluster: Cluster, numbering: Numbering, labels: dict[str, str],
                 independent: Callable[[list[str]], int], budget: int):
        members = cluster.members
        self.labels = allowed_labels(members, independent, cluster.section)
        rep = next((c for c in members if c.statement == cluster.rules.statement), members[0])
        full, also = [rep], []
        for c in members:
            if c is rep:
                continue
            adds = (c.holder and c.holder != rep.holder) or set(c.numbers) - set(rep.numbers) or c.kind != rep.kind
            (full if adds and len(full) < MAX_SHOWN else also).append(c)
        while True:
            body = [f"{numbering.number[c.id]} {labels[c.doc_id]} {line(0, c.statement)[2:]}" for c in full]
            if also:
                body.append("also: " + "; ".join(f"{numbering.number[c.id]} {labels[c.doc_id]}" for c in also))
            n = independent(list(dict.fromkeys(d for c in members for d in c.carriers)))
            head = f"[{cluster.id}] ({n} source{'' if n == 1 else 's'}) {choice(self.labels)}"
            self.text = "\n".join([head, *body])
            self.tokens = count_tokens(self.text) + 1
            if self.tokens <= budget or len(full) == 1:
                break
            also.insert(0, full.pop())  # fewer sentences in full; every member is still listed and cited
        self.cluster, self.shown = cluster, full + also

    @property
    def settled(self) -> bool:
        """Nothing for the model to decide: one sentence, one label ("single"); its item is that sentence."""
        return self.labels == ["single"] and len(self.cluster.members) == 1


def choice(labels: list[str]) -> str:
    """The group header's label choice, in words: a small model copies "a|b" as if it were one label."""
    return f"label {labels[0]}" if len(labels) == 1 else f"choose {', '.join(labels[:-1])} or {labels[-1]}"


def batches(shown: list, budget: int, per_call: int = MERGE_BATCH,
            reply_tokens: int = REPLY_TOKENS_PER_GROUP) -> list[list]:
    """Groups in calls of at most per_call, each call's groups (`.tokens`) and their answers within budget tokens
    (both profiles' writers batch this way)."""
    out: list[list[Shown]] = []
    used = 0
    for s in shown:
        need = s.tokens + reply_tokens  # the group, and room for its answer
        if out and len(out[-1]) < per_call and used + need <= budget:
            out[-1].append(s)
            used += need
        else:
            out.append([s])
            used = need
    return out


def takes_a_stance(c: Claim) -> bool:
    return c.kind == ClaimKind.position or bool(POSITION.search(c.statement) or CONTRAST.search(c.statement))


def _absence(c: Claim) -> bool:
    return stated_absence(c.statement)  # the section rules' definition: an absence the sentence states


def allowed_labels(members: list[Claim], independent: Callable[[list[str]], int],
                   rules_section: str | None = None) -> list[str]:
    """The labels the checks below can accept for a cluster, offered to the model in the group's header: a
    small model then chooses among answers that can hold instead of guessing ones the checks must reject.
    A cluster the rules placed as an agreement, a divergence or a thing unsaid keeps that section, which the
    rules checked (two independent sources state its sentence; two sides with their holders; a sentence
    states the absence): the model words it. A 1.5B model called three agreements "differ", with each
    source's own telling of the point as a side, a two-party contrast an "absence", and "the three men have
    not been named" a fact of one source; the brief lost them. One source's items stay the model's to label."""
    n = independent(list(dict.fromkeys(d for c in members for d in c.carriers)))
    if rules_section in KEPT and (rules_section != "agreements" or n >= 2):
        return [KEPT[rules_section]]
    stance = any(takes_a_stance(c) for c in members)
    out = ["agree"] if n >= 2 else []
    if stance and n >= 2 and len(members) >= 2:
        out.append("differ")
    absence = any(_absence(c) for c in members)
    if stance and not absence:  # a sentence noting what a party left out is that first (as the rules place it)
        out.append("position")
    if absence:
        out.append("absence")
    if n == 1:
        out.append("single")
    return out


def _check_section(label: str, cited: list[Claim], sides: list[tuple[list[Claim], str, str]],
                   members: list[Claim], independent: Callable[[list[str]], int]) -> str | None:
    """Why the model's section does not hold for what it cited, or None when it does."""
    docs = list(dict.fromkeys(d for c in cited for d in c.carriers))
    # which sources agree is the support check's to say (it picks the evidence from every member): the
    # model need not list all twenty ids of a point twenty sources repeat
    if label == "agree" and independent(list(dict.fromkeys(d for c in members for d in c.carriers))) < 2:
        return "an agreement needs two independent sources in the group"
    if label == "single" and independent(docs) > 1:
        return "cited sentences come from several sources"
    if label == "absence" and not any(_absence(c) for c in cited):
        return "no cited sentence notes an absence"
    if label in ("differ", "position") and not any(takes_a_stance(c) for c in cited):
        return "no cited sentence states a stance, demand or contrast"
    if label == "differ":
        if len(sides) < 2:
            return "a divergence needs at least two sides with valid ids"
        if len({tuple(sorted(c.id for c in members)) for members, _, _ in sides}) < 2:
            return "the sides cite the same sentences"
        if len({" ".join(p.lower().split()) for _, _, p in sides}) < 2:
            return "the sides state the same position"
    return None


def _shared_figures(members: list[Claim], independent: Callable[[list[str]], int]) -> list[str]:
    """Figures that two or more independent sources of the cluster state: the point's own numbers, which a
    statement of the point must keep (a small model writes "many homes lost power" for "9,000 homes")."""
    docs_of: dict[str, list[str]] = {}
    for c in members:
        for n in dict.fromkeys(find_numbers(c.statement)):
            docs_of.setdefault(n, []).extend(c.carriers)
    return [n for n, docs in docs_of.items() if independent(list(dict.fromkeys(docs))) >= 2]


_QUOTED = re.compile(r'[“"]([^“”"\n]+)[”"]')
_WORDS = re.compile(r"[^\W_]+")


def _words(text: str) -> str:
    return " " + " ".join(_WORDS.findall(text.lower().replace("’", "'"))) + " "


def _shared_quotes(members: list[Claim], independent: Callable[[list[str]], int]) -> list[str]:
    """Words of three or more that one member quotes and two or more independent sources of the cluster
    state word for word: what was said, as the sources agree it was said. A small model shortens a quote
    ("huge upside" for "huge upside, including enormous economic deals") and the point loses its substance."""
    out: list[str] = []
    for c in members:
        for q in _QUOTED.findall(c.statement):
            q, said = q.strip(" ,.;:"), _words(q)
            if len(said.split()) < 3 or q in out:
                continue
            docs = list(dict.fromkeys(d for m in members if said in _words(m.statement) for d in m.carriers))
            if independent(docs) >= 2:
                out.append(q)
    return out


_ARTICLES = {"the", "and", "its", "his", "her", "their"}


def _unattributed_quote(statement: str, members: list[Claim]) -> str | None:
    """A member's quotation the statement gives as its own words, with no quotation marks and no name of its
    speaker, or None: the 1.5B model wrote '"Our crews faced ... night," the fire chief said' as a plain fact
    (and a witness's "Then the whole sky went orange" as "The whole sky went orange")."""
    if any(q in statement for q in '"“”'):
        return None
    said = _words(statement)
    for c in members:
        for q in _QUOTED.findall(c.statement):
            quoted = _words(q)
            if len(quoted.split()) < 3 or (quoted not in said and said not in quoted):
                continue
            names = [w for w in _words(c.holder or "").split() if len(w) > 2 and w not in _ARTICLES]
            if not any(_words(w) in said for w in names):
                return q.strip(" ,.;:")
    return None


def _statement_problem(statement: str, grounded: BriefItem | None, spans, unsourced: list[str],
                       shared: list[str], verifier=None, quotes: list[str] = (), members: list[Claim] = ()) -> str | None:
    """Why the model's statement cannot be shown, or None. A source sentence may back one clause of the
    rules' items; a statement the model wrote must be backed whole by the evidence it will cite."""
    if unsourced:
        return f"numbers not in the cluster's sources: {', '.join(unsourced)}"
    dropped = [n for n in shared if n not in set(find_numbers(statement))]
    if dropped:
        return f"it leaves out the figure{'s' if len(dropped) > 1 else ''} the sources agree on: {', '.join(dropped)}"
    unquoted = [q for q in quotes if _words(q) not in _words(statement)]
    if unquoted:
        return f"it leaves out words the sources quote alike: {'; '.join(unquoted)}"[:200]
    bare = _unattributed_quote(statement, list(members))
    if bare:
        return f"it gives a quotation as its own words, with neither quotation marks nor its speaker: {bare}"[:200]
    if grounded is None:
        return "; ".join(dict.fromkeys(sp.support.reason or "unsupported" for sp in spans))[:200]
    quotes = [e.quote for e in grounded.evidence]
    # a verifier that reads meaning (embed, llm) judges the whole (a fair paraphrase stands); the rules
    # backend is the lexical check, and for a merge that is check_written, every clause of it
    by_meaning = verifier is not None and getattr(verifier, "kind", "rules") != "rules"
    whole = verifier.supports(statement, quotes) if by_meaning else check_written(statement, " ".join(quotes))
    return None if whole.supported else f"not all of it is in the evidence: {whole.reason or 'unsupported'}"[:200]


_SPACED_INITIALS = re.compile(r"\b(?:[A-Z]\. )+[A-Z]\.")


def _as_written(statement: str, texts: list[str]) -> str:
    """The model's statement with initials spelt as its sources spell them: a small model writes "U. S." for
    "U.S." (its tokens), and the names check then misses the name."""
    def closed(m: re.Match) -> str:
        joined = m.group(0).replace(" ", "")
        return joined if any(joined in t for t in texts) else m.group(0)
    return _SPACED_INITIALS.sub(closed, statement)


def compose(cluster: Cluster, answer: GroupItem | None, numbering: Numbering, shown_ids: set[int],
            group_of: Callable[[str], int], independent: Callable[[list[str]], int], doc_text: dict[str, str],
            off_schema: str | None = None, verifier=None) -> BriefItem:
    """The brief item for one cluster: the model's when its ids, section and statement hold, else the rules'.
    The rules' item is the floor: a model item the section checks would drop, or an agreement fewer sources
    back than the rules' sentence, gives way to it whole, as a lost call does."""
    item = _compose(cluster, answer, numbering, shown_ids, group_of, independent, doc_text, off_schema, verifier)
    why = _below_floor(item, cluster, independent, verifier)
    if why is None:
        return item
    said = [c for c in item.checks if c.startswith(("section from the rules", "statement from the rules"))]
    return cluster.rules.model_copy(update={"origin": "rules",
                                            "checks": cluster.rules.checks + said + [f"rules used: {why}"]})


def _below_floor(item: BriefItem, cluster: Cluster, independent: Callable[[list[str]], int],
                 verifier=None) -> str | None:
    """Why the cluster's item shows less than the rules' item would, or None. The section checks run after the
    merge (sections/enforce.py), where the rules' item for the cluster is no longer at hand: a divergence
    without two valid sides is dropped there, an agreement one source backs is moved out of the agreements;
    a thing unsaid the model words as a plain fact would stand there on the rules' basis, saying nothing unsaid."""
    rules = cluster.rules
    if item.section == rules.section and item.statement == rules.statement and item.variants == rules.variants:
        return None  # the rules' own item
    if item.section == "divergences":
        why = divergence_problem(item.variants, figures=item.basis == "conflicting-figures")
        if why is not None:
            return f"the model's divergence would be dropped ({why})"
    if item.section == "unsaid" and not stated_absence(item.statement):
        return "the model's statement of a thing unsaid states no absence"
    if rules.section == "agreements" and item.section == "agreements":
        floor, _ = ground_item(rules, independent) if verifier is None else ground_item(rules, independent, verifier)
        if floor is not None and item.independent_sources < floor.independent_sources:
            return (f"the model's statement is backed by {item.independent_sources} independent source(s), "
                    f"the rules' sentence by {floor.independent_sources}")
    return None


def _compose(cluster: Cluster, answer: GroupItem | None, numbering: Numbering, shown_ids: set[int],
             group_of: Callable[[str], int], independent: Callable[[list[str]], int], doc_text: dict[str, str],
             off_schema: str | None = None, verifier=None) -> BriefItem:
    member_ids = {numbering.number[c.id] for c in cluster.members}

    def fallback(reason: str) -> BriefItem:
        return cluster.rules.model_copy(update={"origin": "rules",
                                                "checks": cluster.rules.checks + [f"rules used: {reason}"]})

    if answer is None:
        return fallback(off_schema or "the model gave no answer for this cluster")
    ids = [n for n in dict.fromkeys(answer.ids) if n in member_ids]
    if not ids:
        return fallback("the model cited no sentence of this cluster")
    cited = [numbering.claim(n) for n in ids]
    sides = []
    for s in answer.sides:
        members = [numbering.claim(n) for n in dict.fromkeys(s.ids) if n in member_ids]
        if members:
            sides.append((members, s.holder.strip(), s.position.strip()))
    offered = allowed_labels(cluster.members, independent, cluster.section)
    problem = (None if answer.label in offered else f"not among this group's labels ({', '.join(offered)})") or \
        _check_section(answer.label, cited + [c for m, _, _ in sides for c in m], sides, cluster.members, independent)
    section = SECTION_OF[answer.label] if problem is None else cluster.section
    notes = [] if problem is None else [f"section from the rules ({answer.label!r} rejected: {problem})"]
    cluster_docs = {d for c in cluster.members for d in c.carriers}
    statement = _as_written(" ".join(answer.statement.split()), [doc_text[d] for d in cluster_docs])
    unsourced = [n for n in find_numbers(statement) if not any(n in doc_text[d] for d in cluster_docs)]
    variants = [Variant(value=f"{h}: {p}" if p else h, sources=list(dict.fromkeys(d for c in m for d in c.carriers)))
                for m, h, p in sides] if section == "divergences" and answer.label == "differ" and problem is None else []
    kind = {"absence": "absence", "position": "position", "differ": "position"}.get(answer.label) if problem is None else None
    # the statement is judged as the ground stage judges it: it stands when sentences of the cluster support
    # it, and the item cites those; the model's ids chose the section, the support check chooses the evidence
    # two accounts one outlet set side by side stay that, in the model's words: what each account states may
    # still back an agreement other outlets share (enforce.Disputes), as the rules' item allowed
    accounts = section == "divergences" and cluster.rules.basis in ACCOUNTS
    basis = cluster.rules.basis if problem is not None or accounts else f"llm-{answer.label}"
    candidate = make_item(section, statement, cluster.members, independent=independent, basis=basis, kind=kind,
                          variants=variants, checks=notes)
    grounded, spans = ground_item(candidate, independent) if verifier is None else \
        ground_item(candidate, independent, verifier)
    # (a divergence's figures are on its sides, so its statement may name the question alone)
    shared = _shared_figures(cluster.members, independent) if not variants else []
    quotes = _shared_quotes(cluster.members, independent) if not variants else []
    why = _statement_problem(statement, grounded, spans, unsourced, shared, verifier, quotes, cluster.members)
    if why is not None:
        if problem is not None:
            return fallback(f"model statement unsupported ({why}); {notes[0]}")
        # the model's section stands; the statement is the rules' best source sentence for the cluster
        return cluster.rules.model_copy(update={
            "section": section, "origin": "rules",
            "checks": cluster.rules.checks + [f"statement from the rules: the model's was unsupported ({why})"]})
    kept = {(e.doc_id, e.start, e.end) for e in grounded.evidence}
    members = [c for c in cluster.members if any((e.doc_id, e.start, e.end) in kept for e in c.evidence)]
    item = make_item(section, statement, members, independent=independent, basis=candidate.basis, kind=kind,
                     variants=variants, checks=conflicting_numbers(members, group_of) + notes)
    if section == "divergences" and answer.label == "position" and problem is None and item.independent_sources < 2:
        # one party's stance as one source reports it (counted over the sentences that back the statement)
        # is that source's item, not a divergence by itself
        item = make_item("single_source", statement, members, independent=independent, basis=candidate.basis,
                         kind=kind, variants=variants, checks=item.checks)
    if section == "agreements" and item.independent_sources < 2:
        item.checks.append("only one independent source")
    return item.model_copy(update={"origin": "model" if problem is None else "rules"})


def merge(client: LLMClient, prompt: Prompt, clusters: list[Cluster], numbering: Numbering, labels: dict[str, str],
          group_of: Callable[[str], int], independent: Callable[[list[str]], int], doc_text: dict[str, str],
          budget: int, per_call: int = MERGE_BATCH, verifier=None) -> tuple[list[BriefItem], dict]:
    """One item per cluster, in cluster order, and figures for the manifest. `verifier` (a pipeline.verify
    Verifier) judges the model's statements when given, else the lexical check_written does."""
    overhead = instruction_tokens(prompt, MergeOutput, count_tokens)
    room = budget - overhead
    if room < 2 * REPLY_TOKENS_PER_GROUP:
        raise BriefError(f"--context-tokens {budget} cannot hold the merge instructions ({overhead} tokens), "
                         "one cluster and its answer")
    shown = [Shown(c, numbering, labels, independent, room - REPLY_TOKENS_PER_GROUP) for c in clusters]
    if per_call < 1:
        raise BriefError(f"--merge-batch must be 1 or more, not {per_call}")
    # a settled cluster is not sent: the model could only reword its one sentence (a call of 4-5 s on a
    # small local model), and the sentence itself is the best-supported statement there is
    plan = batches([s for s in shown if not s.settled], room, per_call)

    def ask(batch: list[Shown]) -> MergeOutput:
        first, last = batch[0].cluster.id, batch[-1].cluster.id
        label = f"cluster {first}" if first == last else f"clusters {first}..{last}"
        return client.structured(prompt, {"groups": "\n".join(s.text for s in batch)}, MergeOutput, label=label)

    # a call that fails for good (off the schema after re-asks, or the endpoint's faults outlasting the
    # retries) costs its clusters only: the rules' items stand for them, saying why
    outputs = client.map(ask, plan, label="merge", fallback="the rules' items stand for these clusters")
    failed = {n: e for n, e in enumerate(outputs) if isinstance(e, LLMError)}
    invalid = [e.label for e in failed.values() if any(r.label == e.label and r.outcome == "invalid"
                                                       for r in list(client.records))]
    by_cluster: dict[str, BriefItem] = {}
    for s in shown:
        if s.settled:
            by_cluster[s.cluster.id] = compose(s.cluster, None, numbering, set(), group_of, independent, doc_text,
                                               "nothing for the model to decide (one sentence, one source)",
                                               verifier)
    for n, (batch, out) in enumerate(zip(plan, outputs)):
        # the reason without the endpoint's address: the brief is the same wherever the model ran
        lost = (f"the merge call failed for good ({str(failed[n]).split(': ', 1)[-1].replace(client.endpoint, 'the endpoint')})"
                if n in failed else None)
        out = None if lost else out
        answers: dict[str, GroupItem] = {}
        for a in (out.items if out is not None else []):
            answers.setdefault(a.group.strip(), a)
        bad = {str(e.get("group", "")).strip(): why for e, why in (out.left_out if out is not None else [])
               if isinstance(e, dict)}
        for s in batch:
            why = bad.get(s.cluster.id)
            by_cluster[s.cluster.id] = compose(
                s.cluster, answers.get(s.cluster.id), numbering, {numbering.number[c.id] for c in s.shown}, group_of,
                independent, doc_text, lost or (f"the model's answer for this cluster was off the schema ({why})"
                                                if why else None), verifier)
    items = [by_cluster[c.id] for c in clusters]
    figures = {"clusters": len(clusters), "clusters_settled": sum(s.settled for s in shown), "merge_calls": len(plan),
               "claims_in_clusters": sum(len(c.members) for c in clusters),
               "claims_shown": sum(len(s.shown) for s in shown),
               "claims_dropped_for_budget": 0, "invalid_batches": invalid}  # a cluster cites every member, whatever the model was shown
    return items, figures


def place(items: list[BriefItem], fixed: list[BriefItem], limits: Limits) -> dict[str, list[BriefItem]]:
    """Items into their sections, in cluster order; figure conflicts lead the divergences as the rules have it."""
    out: dict[str, list[BriefItem]] = {name: [] for name in LISTS}
    out["divergences"].extend(fixed)
    for item in items:
        out[item.section].append(item)
    return {name: its[: getattr(limits, name)] for name, its in out.items()}
