"""The LLM engine's sections: one schema-bound merge of the verified claims, then the deterministic figure checks."""
from __future__ import annotations

from .items import make_item
from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..cluster.group import group_claims
from ..cluster.similarity import ClaimIndex
from ..ingest.tokens import count_tokens
from ..llm.client import LLMClient
from ..llm.prompts import Prompt
from ..llm.replies import MergeOutput
from ..models import BriefItem, Claim, DedupResult, Document, Limits, Sections
from ..text.quantities import find_numbers

# Tokens of claim lines one merge prompt may carry: well inside a 128k-token context with the instructions
# and the answer. Past it (about 100 documents) claims telling the same fact go in as one line.
MERGE_BUDGET = 60_000


def _claim_lines(groups: dict[str, list[Claim]], source_label: dict[str, str]) -> list[str]:
    lines = []
    for label, members in groups.items():
        c = members[0]
        docs = ",".join(dict.fromkeys(source_label[m.doc_id] for m in members))
        lines.append(f"[{label}] doc={docs} holder={c.holder or 'unknown'} kind={c.kind.value}: "
                     + " ".join(c.statement.split()))
    return lines


def _merge_input(verified: list[Claim], dd: DedupResult, source_label: dict[str, str],
                 budget: int) -> tuple[dict[str, list[Claim]], str, list[str]]:
    """The claims as the merge prompt lists them, under short labels (c1.. and S1..: hex ids cost ~30 tokens
    a line): each claim on its own line while they fit the budget, else one line per group of claims that
    state the same fact, the most widely told first, until the budget is spent."""
    singles = {f"c{n}": [c] for n, c in enumerate(verified, start=1)}
    lines = _claim_lines(singles, source_label)
    if count_tokens("\n".join(lines)) <= budget:
        return singles, "\n".join(lines), []
    index = ClaimIndex(verified)
    groups = [[verified[i] for i in g] for g in group_claims(index, dd.group_of.__getitem__)]
    groups.sort(key=lambda g: -dd.independent_count(list(dict.fromkeys(d for c in g for d in c.carriers))))
    grouped = {f"c{n}": g for n, g in enumerate(groups, start=1)}
    kept: dict[str, list[Claim]] = {}
    kept_lines, used = [], 0
    for (label, members), line in zip(grouped.items(), _claim_lines(grouped, source_label)):
        cost = count_tokens(line) + 1
        if used + cost > budget:
            break
        kept[label], used = members, used + cost
        kept_lines.append(line)
    warnings = [f"merge: {len(verified)} claims sent as {len(kept)} groups of the same fact"
                + (f"; {len(grouped) - len(kept)} groups told by the fewest sources left out to fit "
                   f"{budget:,} tokens" if len(kept) < len(grouped) else "")]
    return kept, "\n".join(kept_lines), warnings


def _source_lines(docs: list[Document], dd: DedupResult, source_label: dict[str, str]) -> str:
    lines = []
    for d in docs:
        copies = [source_label[o] for o in dd.syndication_groups[dd.group_of[d.id]] if o != d.id]
        note = f" (copy of {', '.join(copies)})" if copies else ""
        lines.append(f"{source_label[d.id]}: {d.meta.outlet or d.name}{' - ' + d.meta.title if d.meta.title else ''}{note}")
    return "\n".join(lines)


def merge(client: LLMClient, prompt: Prompt, docs: list[Document], claims: list[Claim], dd: DedupResult,
          limits: Limits) -> Sections:
    verified = [c for c in claims if c.verified]
    by_id = {c.id: c for c in verified}
    source_label = {d.id: f"S{n}" for n, d in enumerate(docs, start=1)}
    by_label, claim_text, warnings = _merge_input(verified, dd, source_label, MERGE_BUDGET)
    out = client.structured(prompt, {"sources": _source_lines(docs, dd, source_label), "claims": claim_text},
                            MergeOutput, label=f"the {len(verified)} verified claims")
    group_of, independent = dd.group_of.__getitem__, dd.independent_count
    sections: dict[str, list[BriefItem]] = {}
    for name in ("agreements", "divergences", "unsaid"):
        items = []
        for mi in getattr(out, name):
            members = [m for i in dict.fromkeys(mi.claim_ids) if i in by_label for m in by_label[i]]
            if not members:
                warnings.append(f"merge: dropped {name} item citing no verified claim: {mi.statement[:80]!r}")
                continue
            checks = conflicting_numbers(members, group_of)
            cited = {x for c in members for x in c.carriers}
            unsourced = [n for n in find_numbers(mi.statement)
                         if not any(n in d.text for d in docs if d.id in cited)]
            if unsourced:
                checks.append(f"numbers not found in the cited sources: {', '.join(unsourced)}")
            item = make_item(name, mi.statement, members, independent=independent, basis="llm-merge", checks=checks)
            if name == "agreements" and item.independent_sources < 2:
                item.checks.append("only one independent source")
            items.append(item)
        sections[name] = items[: getattr(limits, name)]
    # conflicting figures are found deterministically whether or not the model noticed them; the model
    # noticed when one of its divergences states at least two of the differing values
    for k in quantity_conflicts(verified, group_of):
        members = [by_id[i] for i in k.claim_ids]
        surfaces = [{sf.strip('"').lower() for sf in v.value.split('", "')} for v in k.variants]
        if any(sum(any(sf in it.statement.lower() for sf in group) for group in surfaces) >= 2
               for it in sections["divergences"]):
            continue
        sections["divergences"].append(make_item("divergences", k.statement(), members, independent=independent,
                                                 basis="conflicting-figures", kind="reported_fact", variants=k.variants))
    return Sections(**sections, warnings=warnings)
