"""The LLM engine: schema-bound extraction per chunk, verification against the sources, a schema-bound merge,
then the same deterministic checks the offline engine gets."""
from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Optional

from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..cluster.group import group_claims
from ..ingest.chunk import chunk_document
from ..ingest.dedup import DedupResult
from ..brief.items import make_item
from ..llm.client import LLMClient
from ..models import BriefItem, Claim, ClaimKind, Document, Sentence
from ..llm.replies import ExtractionOutput, MergeOutput
from ..llm.prompts import Prompt, load_prompt, parse_prompt
from ..text.quantities import find_dates, find_numbers
from ..sections.offline import Limits
from ..cluster.similarity import ClaimIndex
from ..ingest.tokens import count_tokens
from ..ground.align import Aligner


def _prompt(name: str, prompts_dir: Optional[Path]) -> Prompt:
    if prompts_dir is None:
        return load_prompt(name)
    path = Path(prompts_dir) / f"{name}.md"
    if not path.is_file():  # a variant folder need only hold the prompts it changes
        return load_prompt(name)
    return parse_prompt(path.read_bytes().decode("utf-8"), source=str(path))


def _meta(doc: Document) -> str:
    m = doc.meta
    fields = {"source": doc.name, "outlet": m.outlet, "title": m.title, "date": m.date}
    return "; ".join(f"{k}: {v}" for k, v in fields.items() if v)


class _Carriers:
    """Which documents carried the sentence(s) under an evidence span, via the dedup passages."""

    def __init__(self, sentences: list[Sentence], dd: DedupResult):
        self.starts: dict[str, list[int]] = {}
        self.sents: dict[str, list[Sentence]] = {}
        for s in sentences:
            self.sents.setdefault(s.doc_id, []).append(s)
        for doc_id, ss in self.sents.items():
            ss.sort(key=lambda s: s.start)
            self.starts[doc_id] = [s.start for s in ss]
        self.dd = dd

    def spans(self, doc_id: str, start: int, end: int):
        ss, starts = self.sents.get(doc_id, []), self.starts.get(doc_id, [])
        k = max(bisect_right(starts, start) - 1, 0)
        while k < len(ss) and ss[k].start < end:
            if ss[k].end > start:
                yield self.dd.passage_for(ss[k])
            k += 1


def _worth_skipping(by_doc: dict[str, list[Sentence]], dd: DedupResult, overhead: int):
    """Which sentences to send. A sentence an earlier document already carried is not sent again, but
    dropping a run of them mid-document splits the chunk, and the extra call repeats the instructions: such
    a run is dropped only when it is longer than the instructions (measured on 50 articles sharing
    paragraphs: 180 calls -> 60, prompt tokens 274k -> 199k)."""
    send: set[tuple[str, int]] = set()
    for doc_id, ss in by_doc.items():
        i = 0
        while i < len(ss):
            if dd.is_representative(ss[i]):
                send.add((doc_id, ss[i].idx))
                i += 1
                continue
            j = i
            while j < len(ss) and not dd.is_representative(ss[j]):
                j += 1
            inside = i > 0 and j < len(ss)
            if inside and sum(count_tokens(x.text) for x in ss[i:j]) < overhead:
                send.update((doc_id, x.idx) for x in ss[i:j])
            i = j
    return lambda s: (s.doc_id, s.idx) in send


def extract(client: LLMClient, prompt: Prompt, docs: list[Document], sentences: list[Sentence], dd: DedupResult,
            max_chunk_tokens: int, skip_duplicates: bool = True) -> tuple[list[Claim], int]:
    by_doc: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_doc.setdefault(s.doc_id, []).append(s)
    keep = _worth_skipping(by_doc, dd, overhead=count_tokens(prompt.system)) if skip_duplicates else None
    chunks = [c for d in docs for c in chunk_document(d, by_doc.get(d.id, []), max_tokens=max_chunk_tokens,
                                                        keep=keep)]
    docs_by_id = {d.id: d for d in docs}
    aligners = {d.id: Aligner(d) for d in docs}
    carriers = _Carriers(sentences, dd)

    def call(chunk):
        doc = docs_by_id[chunk.doc_id]
        return client.structured(prompt, {"meta": _meta(doc), "doc_id": doc.id, "document": chunk.text},
                                 ExtractionOutput, label=f"chunk {chunk.id} ({doc.name})")  # errors name the file

    outputs = client.map(call, chunks, label="extraction")
    claims: list[Claim] = []
    unverified = 0
    for chunk, out in zip(chunks, outputs):
        aligner = aligners[chunk.doc_id]
        for k, ec in enumerate(out.claims):
            evidence, missing = [], []
            for quote in ec.evidence:
                found = aligner.evidence(quote)
                (evidence.extend(found) if found else missing.append(quote))
            docs_carrying: list[str] = []
            extra = []
            for ev in list(evidence):
                for p in carriers.spans(ev.doc_id, ev.start, ev.end):
                    for span in p.carriers:
                        if span.doc_id not in docs_carrying:
                            docs_carrying.append(span.doc_id)
                        if span.doc_id != ev.doc_id:  # the syndicated copy's own words
                            extra.append(aligners[span.doc_id].span(span.start, span.end, "sentence"))
            if chunk.doc_id not in docs_carrying:
                docs_carrying.insert(0, chunk.doc_id)
            verified = bool(evidence)
            unverified += not verified
            claims.append(Claim(
                id=f"{chunk.id}:k{k}", statement=ec.statement, holder=ec.holder, kind=ClaimKind(ec.kind),
                doc_id=chunk.doc_id, evidence=evidence + extra, unverified_quotes=missing,
                numbers=ec.numbers or find_numbers(ec.statement), dates=ec.dates or find_dates(ec.statement),
                carriers=docs_carrying, verified=verified))
    return claims, unverified


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
          limits: Limits) -> tuple[dict[str, list[BriefItem]], list[str]]:
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
    return sections, warnings


def llm_brief_sections(docs, sentences, dd, config, *, timer, max_chunk_tokens, prompts_dir, log_path, limits,
                       skip_duplicates=True):
    limits = limits or Limits()
    client = LLMClient(config, log_path=log_path)
    p_extract, p_merge = _prompt("extract_claims", prompts_dir), _prompt("merge_sections", prompts_dir)
    with timer.stage("extract"):
        claims, unverified = extract(client, p_extract, docs, sentences, dd, max_chunk_tokens, skip_duplicates)
    with timer.stage("merge"):
        sections, merge_warnings = merge(client, p_merge, docs, claims, dd, limits)
    # the client's own warnings (mode downgrade, damaged cache entries) come from every stage: read them last
    warnings = list(client.warnings)
    if unverified:
        warnings.append(f"{unverified} extracted claims had no quote found in the sources and were not used")
    calls = [r.model_dump() for r in client.records]
    versions = {"extract_claims": p_extract.id, "merge_sections": p_merge.id}
    return sections, client.usage, versions, calls, warnings + merge_warnings
