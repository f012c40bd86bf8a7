"""What a reader sees of a brief, whatever the format: source labels, copies, reasons, sides, plurals."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..models import Brief, BriefItem, Evidence, SourceInfo

SECTION_TITLES = {"agreements": "Key agreements", "divergences": "Points of divergence", "unsaid": "Things unsaid",
                  "single_source": "Reported by one source only"}
SECTION_NOUNS = {"agreements": ("agreement", "agreements"), "divergences": ("divergence", "divergences"),
                 "unsaid": ("thing unsaid", "things unsaid"),
                 "single_source": ("fact one source reports", "facts one source reports")}

_IRREGULAR = {"copy": "copies", "thing unsaid": "things unsaid", "file was": "files were", "is": "are",
              "was": "were", "has": "have", "person": "people"}


def plural(n: int, word: str, many: Optional[str] = None) -> str:
    """'1 source', '2 sources', '1 copy', '3 copies': counts as a reader expects them."""
    if n == 1:
        return f"{n} {word}"
    if many is None:
        many = _IRREGULAR.get(word) or (word + "es" if re.search(r"(s|x|z|ch|sh)$", word) else
                                       word[:-1] + "ies" if re.search(r"[^aeiou]y$", word) else word + "s")
    return f"{n:,} {many}"


def display_name(outlet: Optional[str], title: Optional[str], name: str) -> str:
    """What a reader calls a source, in a brief and in a night's index alike (one naming path): its outlet,
    else its title, else its file name."""
    return outlet or title or name


def source_label(s: SourceInfo) -> str:
    """A brief's source as display_name() names it."""
    return display_name(s.outlet, s.title, s.name)


def source_labels(brief: Brief) -> dict[str, str]:
    """doc id -> label, unique within the brief: two articles of one outlet get their title added."""
    base = {s.id: source_label(s) for s in brief.sources}
    counts: dict[str, int] = {}
    for v in base.values():
        counts[v] = counts.get(v, 0) + 1
    out = {}
    for s in brief.sources:
        label = base[s.id]
        if counts[label] > 1 and s.outlet and s.title:
            label = f"{s.outlet}: {s.title}"
        out[s.id] = label
    return out


@dataclass
class Chip:
    """One independent source of an item, with the syndicated copies of it that the item also cites."""
    main: SourceInfo
    copies: list[SourceInfo] = field(default_factory=list)


def chips(brief: Brief, doc_ids: list[str]) -> list[Chip]:
    """Group cited documents by syndication group, in citation order: copies of one story are one chip."""
    by_id = {s.id: s for s in brief.sources}
    out: dict[int, Chip] = {}
    for d in doc_ids:
        s = by_id[d]
        if s.syndication_group in out:
            out[s.syndication_group].copies.append(s)
        else:
            out[s.syndication_group] = Chip(main=s)
    return list(out.values())


def by_reach(brief: Brief, limit: int) -> list[SourceInfo]:
    """At most `limit` sources, those cited by the most items, in citation order: what an overview or a
    grid can show of a brief of hundreds of articles."""
    if len(brief.sources) <= limit:
        return list(brief.sources)
    reach = {s.id: 0 for s in brief.sources}
    for item in brief.items():
        for d in item.sources:
            reach[d] += 1
    top = sorted(brief.sources, key=lambda s: (-reach[s.id], s.n))[:limit]
    return sorted(top, key=lambda s: s.n)


def copies_of(brief: Brief) -> dict[str, list[SourceInfo]]:
    """doc id -> the other documents in its syndication group (empty for an independent article)."""
    groups: dict[int, list[SourceInfo]] = {}
    for s in brief.sources:
        groups.setdefault(s.syndication_group, []).append(s)
    return {s.id: [o for o in groups[s.syndication_group] if o.id != s.id] for s in brief.sources}


_BASIS = {
    "independent-sources": "{n_independent} {report} it",
    "conflicting-figures": "the sources give different figures for the same thing",
    "paired-contrast": "a source sets one party's account against another's",
    "party-positions": "a party states a demand or condition",
    "stated-contrast": "a source contrasts the parties' positions",
    "absence-cue": "a source points out something that was not said or not done",
    "one-party-only": "two outlets report it in one party's statement; no source has it from the other",
    "same-point": "another source sets the same point against something else",
    "single-source": "only {only} reports it",
    "llm-merge": "the model grouped the sources' claims into this {noun}",
}


def why(brief: Brief, item: BriefItem) -> str:
    """Why the item is in its section, in words (from its basis, the rule or step that put it there)."""
    labels = source_labels(brief)
    groups = chips(brief, item.sources)
    only = labels[groups[0].main.id] if groups else "one source"
    text = _BASIS.get(item.basis)
    if text is None:
        text = item.basis.replace("-", " ").replace("_", " ") if item.basis else "no reason was recorded"
    text = text.format(n_independent=plural(item.independent_sources, "independent source"), only=only,
                       report="reports" if item.independent_sources == 1 else "report",
                       noun=SECTION_NOUNS[item.section][0])
    # which engine step wrote it: "model" on the LLM path; "rules" is every offline item, and an LLM item that
    # fell back to the rules says so in its checks
    origin = getattr(item, "origin", None)
    if isinstance(origin, str) and origin and origin != "rules":
        text += f" (origin: {origin.replace('-', ' ').replace('_', ' ')})"
    return text


def support_note(ev: Evidence) -> str:
    """'' when nothing says the span fails its statement; else why it may not support it (grounding's check)."""
    supported = getattr(ev, "supported", None)
    if supported is False:
        reason = getattr(ev, "support_reason", None) or getattr(ev, "reason", None)
        return "may not support the statement" + (f": {reason}" if reason else "")
    return ""


@dataclass
class Side:
    """One side of a divergence: who holds it (or which outlets tell it), what it is, and its citations."""
    label: str
    text: str
    sources: list[str]  # doc ids
    evidence: list[Evidence] = field(default_factory=list)


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE) is not None


def sides(brief: Brief, item: BriefItem) -> list[Side]:
    """The sides of a divergence, side by side: sides the engine gave as structure; else the item's variants
    (figures by outlet); else its quotes, each under the holder it names, when they name at least two.
    Empty when the item shows one side only."""
    labels = source_labels(brief)
    structured = getattr(item, "sides", None)  # a model that gives sides as structure (LLM engine)
    if structured:
        out = []
        for sd in structured:
            srcs = list(getattr(sd, "sources", []) or [])
            holder = getattr(sd, "holder", None)
            label = holder or ", ".join(labels[d] for d in srcs if d in labels) or "?"
            out.append(Side(label=label, text=getattr(sd, "value", None) or getattr(sd, "text", "") or "",
                            sources=srcs, evidence=[e for e in item.evidence if e.doc_id in srcs]))
        if len(out) >= 2:
            return out
    if len(item.variants) >= 2:
        def who(doc_ids: list[str]) -> str:  # copies of one story are one voice; a long list is cut short
            groups = chips(brief, doc_ids)
            names = [labels[c.main.id] + (" (+ copy)" if len(c.copies) == 1 else f" (+ {len(c.copies)} copies)"
                                          if c.copies else "") for c in groups[:4]]
            if len(groups) > 4:
                names[-1:] = [names[-1], f"and {plural(len(groups) - 4, 'more source')}"]
            return ", ".join(names)
        def label(v) -> str:  # a party's position goes under the party it names, a figure under its outlets
            head = v.value.split(": ", 1)[0]
            if ": " in v.value and head in item.holders:
                return head  # headed by its party, whoever else its outlets' sentences name
            named = [h for h in item.holders if _mentions(v.value, h)]
            return named[0] if len(named) == 1 else who([d for d in v.sources if d in labels])
        def side(v) -> Side:
            name = label(v)  # a value already headed by its party ("Acme: ...") is not headed twice
            text = v.value[len(name) + 2:] if v.value.startswith(f"{name}: ") else v.value
            return Side(label=name, text=text, sources=list(v.sources),
                        evidence=[e for e in item.evidence if e.doc_id in v.sources])
        return [side(v) for v in item.variants]
    # else the quotes, when they name different holders: "the ministry: ... | the union: ..."; one position
    # told by several outlets is not two sides
    by_holder: dict[str, list[Evidence]] = {}
    for ev in item.evidence:
        named = [h for h in item.holders if _mentions(ev.quote, h)]
        by_holder.setdefault(named[0] if len(named) == 1 else "", []).append(ev)
    if "" not in by_holder and len(by_holder) >= 2:
        return [Side(label=h, text=" … ".join(e.quote for e in evs), sources=list(dict.fromkeys(e.doc_id for e in evs)),
                     evidence=evs) for h, evs in by_holder.items()]
    return []


def date_range(brief: Brief) -> str:
    dates = sorted(s.date[:10] for s in brief.sources if s.date)
    if not dates:
        return ""
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def covers(brief: Brief) -> str:
    """What the brief covers, in words: 'A brief of 5 articles (4 independent sources: ...), dated ...'."""
    n_indep = len({s.syndication_group for s in brief.sources})
    dates = date_range(brief)
    return (f"A brief of {plural(len(brief.sources), 'article')}"
            + (f" ({plural(n_indep, 'independent source')}: syndicated copies count once)"
               if n_indep != len(brief.sources) else "")
            + (f", dated {dates}" if dates else ""))


def engine_line(brief: Brief) -> str:
    h = brief.header
    if h.engine == "offline":
        return "offline engine (deterministic rules, no language model)"
    return f"language model {h.model or '?'}"


def span_anchor(brief: Brief, ev: Evidence) -> str:
    """The id of an evidence span in the page's source view: one per distinct span."""
    return f"s{brief.source(ev.doc_id).n}-{ev.start}-{ev.end}"


def citations(brief: Brief, item: BriefItem) -> list[tuple[int, str]]:
    """(citation number, outlet label) for every source an item cites, in citation order."""
    labels = source_labels(brief)
    return [(brief.source(d).n, labels[d]) for d in item.sources]
