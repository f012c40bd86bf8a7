"""The brief as one HTML page: overview first, items with source chips, evidence linked into the sources' text.

Everything from the articles is escaped and the page runs no script (Content-Security-Policy), so no markup
from an article reaches a reader; links go only to http(s) URLs and to places within the page.
"""
from __future__ import annotations

import heapq
import html
import re
from collections import defaultdict

from ..models import LISTS, Brief, BriefItem, Evidence, SourceInfo
from .page_style import page_head
from .present import (SECTION_NOUNS, SECTION_TITLES, Chip, by_reach, chips, copies_of, covers, plural, sides,
                      source_labels, span_anchor, support_note, why)

e = html.escape
# how much of a brief of hundreds of sources a reader is shown at once (the rest one click away)
CHIPS_SHOWN = 8
OVERVIEW_SOURCES = 12
GRID_SOURCES = 20


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _n(s: SourceInfo) -> str:
    return f'<span class="n">{s.n}</span>'


CHIP_CHARS = 40  # a source named by a long headline is shortened at a word, never cut mid-word


def _chip_label(label: str) -> str:
    return e(_short(label, CHIP_CHARS))


def _chip(chip: Chip, labels: dict[str, str]) -> str:
    m = chip.main
    inner = (f'<a href="#src{m.n}" title="{e(labels[m.id])}{e(" — " + m.title) if m.title and m.title != labels[m.id] else ""}">'
             f"{_n(m)} {_chip_label(labels[m.id])}</a>")
    if not chip.copies:
        return f'<li class="chip">{inner}</li>'
    copies = ", ".join(f'<a href="#src{c.n}" title="{e(labels[c.id])}">{_n(c)} {_chip_label(labels[c.id])}</a>'
                       for c in chip.copies)
    return (f'<li class="chip copies" title="syndicated copies of one story: one independent source">{inner}'
            f' <span class="copy">+ {"copy" if len(chip.copies) == 1 else "copies"}:</span> {copies}</li>')


def _chips(brief: Brief, doc_ids: list[str], labels: dict[str, str]) -> str:
    groups = chips(brief, doc_ids)
    out = '<ul class="chips">' + "".join(_chip(c, labels) for c in groups[:CHIPS_SHOWN]) + "</ul>"
    if len(groups) > CHIPS_SHOWN:
        rest = groups[CHIPS_SHOWN:]
        out += (f'<details class="more"><summary>+ {plural(len(rest), "more source")}</summary><ul class="chips">'
                + "".join(_chip(c, labels) for c in rest) + "</ul></details>")
    return out


def _cite(brief: Brief, ev: Evidence, labels: dict[str, str]) -> str:
    s = brief.source(ev.doc_id)
    how = " · matched after normalising quotes and spaces" if ev.match == "normalized" else ""
    if support_note(ev):
        how += f' · <span class="flag">{e(support_note(ev))}</span>'
    return (f'<span class="cite">{_n(s)} {e(labels[s.id])}<span class="where"> · <a href="#{span_anchor(brief, ev)}">'
            f"in the text</a> (characters {ev.start:,}–{ev.end:,})</span>{how}</span>")


def _side_cites(brief: Brief, side) -> str:
    """[n] once per source of a side, linked to its first quote (else to the source); a long list is cut."""
    first: dict[str, str] = {}
    for ev in side.evidence:
        first.setdefault(ev.doc_id, f"#{span_anchor(brief, ev)}")
    docs = list(dict.fromkeys([*first, *side.sources]))
    links = [f'<a href="{first.get(d, f"#src{brief.source(d).n}")}">[{brief.source(d).n}]</a>' for d in docs[:CHIPS_SHOWN]]
    if len(docs) > CHIPS_SHOWN:
        links.append(f'<span class="muted">and {len(docs) - CHIPS_SHOWN:,} more</span>')
    return " ".join(links)


def _item(brief: Brief, item: BriefItem, labels: dict[str, str]) -> str:
    out = [f'<li class="item" id="{e(item.id)}">',
           f'<p class="statement"><a class="id" href="#{e(item.id)}">{e(item.id)}</a>{e(item.statement)}'
           + ("" if item.verified else ' <span class="flag">(unverified)</span>') + "</p>"]
    if item.section == "divergences":
        sd = sides(brief, item)
        if sd:
            out.append('<div class="sides">')
            for side in sd:
                out.append(f'<div class="side"><span class="who">{e(side.label)}</span>{e(side.text)} '
                           f"{_side_cites(brief, side)}</div>")
            out.append("</div>")
    out.append(_chips(brief, item.sources, labels))
    out.append(f'<p class="why">Why here: {e(why(brief, item))}.</p>')
    for note in item.checks:
        out.append(f'<p class="check">Check: {e(note)}</p>')
    if item.evidence:
        n_docs = len({ev.doc_id for ev in item.evidence})
        more = f" (and {plural(item.evidence_omitted, 'more span')} of the same sources, not listed)" \
            if item.evidence_omitted else ""
        out.append(f"<details><summary>Evidence: {plural(len(item.evidence), 'quote')} from "
                   f"{plural(n_docs, 'source')}{more}</summary><ol class=\"evidence\">")
        for ev in item.evidence:
            out.append(f"<li><blockquote>{e(ev.quote)}</blockquote>{_cite(brief, ev, labels)}</li>")
        out.append("</ol></details>")
    out.append("</li>")
    return "".join(out)


def _overview(brief: Brief, labels: dict[str, str]) -> list[str]:
    h = brief.header
    copies = copies_of(brief)
    out = ['<section class="overview" id="overview" aria-label="Overview"><div>',
           '<h2>What this brief covers</h2>', f'<p class="lede">{e(covers(brief))}.</p>', '<p class="counts">']
    for name in LISTS:
        k = len(getattr(brief, name))
        one, many = SECTION_NOUNS[name]
        out.append(f'<a class="count {name}" href="#{name}">{plural(k, one, many)}</a>')
    out.append("</p>")
    out.append(f'<p class="meta">{e(h.engine_note)}</p>')
    if h.warnings:
        out.append(f'<h2>{plural(len(h.warnings), "warning")}</h2><ul class="warnings">')
        shown = h.warnings[:8]
        out += [f"<li>{e(w)}</li>" for w in shown]
        if len(h.warnings) > len(shown):
            out.append(f"<li>… and {len(h.warnings) - len(shown):,} more (all in manifest.json)</li>")
        out.append("</ul>")
    # folded on a phone (the first items must be on its first screen), always open on a wider screen
    out.append(f'</div><div><details class="srcfold"><summary><h2>Sources ({len(brief.sources):,})</h2></summary>'
               '<ol class="srclist">')
    shown = by_reach(brief, OVERVIEW_SOURCES)
    for s in shown:
        bits = [x for x in (s.date[:10] if s.date else None,) if x]
        title = f" — {e(s.title)}" if s.title and s.title != labels[s.id] else ""
        cp = copies[s.id]
        copy = (f' <span class="muted">(copy of {", ".join(f"[{c.n}]" for c in cp)})</span>' if cp else "")
        out.append(f'<li>{_n(s)} <a href="#src{s.n}"><b>{e(labels[s.id])}</b></a>{title}'
                   + (f' <span class="muted">· {e(", ".join(bits))}</span>' if bits else "") + f"{copy}</li>")
    if len(shown) < len(brief.sources):
        out.append(f'<li class="muted">… and {len(brief.sources) - len(shown):,} more (these carry the most items): '
                   'all under <a href="#sources">Source texts</a></li>')
    out.append("</ol></details></div></section>")
    return out


def _coverage(brief: Brief, labels: dict[str, str]) -> list[str]:
    """Items by sources: who reported what. A row with one source is a story only one outlet tells."""
    cols = by_reach(brief, GRID_SOURCES)
    more = (f" Shown: the {len(cols)} sources that carry the most items, of {len(brief.sources):,}."
            if len(cols) < len(brief.sources) else "")
    out = ['<section id="coverage"><h2>Coverage: who reported what</h2>',
           '<p class="legend">● quoted in the evidence · ○ carries it without a quote shown · '
           '“copy”: a syndicated copy of another source in the row · rows in italics rest on one independent source.' + more + '</p>',
           '<div class="coverage-wrap"><table class="coverage"><thead><tr><th class="stmt" scope="col">Item</th>']
    for s in cols:
        out.append(f'<th scope="col" title="{e(labels[s.id])}"><a href="#src{s.n}">{_n(s)}</a><br>{e(_short(labels[s.id]))}</th>')
    out.append('<th scope="col">independent</th></tr></thead><tbody>')
    for name in LISTS:
        items: list[BriefItem] = getattr(brief, name)
        if not items:
            continue
        out.append(f'<tr class="group"><th colspan="{len(cols) + 2}" scope="rowgroup">{e(SECTION_TITLES[name])}</th></tr>')
        for item in items:
            quoted = {ev.doc_id: ev for ev in reversed(item.evidence)}
            cited = set(item.sources)
            groups_seen: dict[int, str] = {}
            for d in item.sources:
                groups_seen.setdefault(brief.source(d).syndication_group, d)
            cls = ' class="alone"' if item.independent_sources <= 1 else ""
            stmt = item.statement if len(item.statement) <= 90 else item.statement[:88].rstrip() + "…"
            out.append(f'<tr{cls}><td class="stmt" title="{e(item.statement)}"><a href="#{e(item.id)}">{e(item.id)}</a> {e(stmt)}</td>')
            for s in cols:
                if s.id not in cited:
                    out.append('<td class="off"></td>')
                elif groups_seen[s.syndication_group] != s.id:
                    out.append(f'<td class="copy" title="copy of [{brief.source(groups_seen[s.syndication_group]).n}]">copy</td>')
                elif s.id in quoted:
                    out.append(f'<td class="on"><a href="#{span_anchor(brief, quoted[s.id])}" title="{e(labels[s.id])}: see the quote">●</a></td>')
                else:
                    out.append(f'<td class="on" title="{e(labels[s.id])}">○</td>')
            out.append(f'<td class="count">{item.independent_sources}</td></tr>')
    out.append("</tbody></table></div></section>")
    return out


def _short(label: str, width: int = 16) -> str:
    """At most `width` characters, cut after a whole word (a single long word is cut with the ellipsis)."""
    if len(label) <= width:
        return label
    cut = label[: width - 1]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _marked_text(brief: Brief, s: SourceInfo, spans: dict[tuple[int, int], list[str]]) -> str:
    """The source's text with every cited span marked and given its anchor. Spans nest; a span that
    crosses another is cut at the other's end and continued (the anchor stays on its first part)."""
    text = s.text
    heap = [(a, -b, k, f"s{s.n}-{a}-{b}", tuple(spans[(a, b)])) for k, (a, b) in enumerate(sorted(spans))]
    heapq.heapify(heap)
    seq = len(heap)
    out: list[str] = []
    pos = 0
    stack: list[int] = []  # ends of the open marks
    while heap:
        a, nb, _, anchor, items = heapq.heappop(heap)
        b = -nb
        while stack and stack[-1] <= a:
            end = stack.pop()
            out.append(e(text[pos:end]) + "</mark>")
            pos = end
        if stack and b > stack[-1]:  # crosses the open mark: continue after it, without the anchor
            seq += 1
            heapq.heappush(heap, (stack[-1], -b, seq, "", items))
            b = stack[-1]
        if b <= a:
            continue
        out.append(e(text[pos:a]))
        pos = a
        ident = f' id="{anchor}"' if anchor else ""
        back = "".join(f'<a href="#{i}">{i}</a> ' for i in items).strip()
        out.append(f'<sup class="back">{back}</sup><mark{ident} title="cited by {" ".join(items)}">' if anchor
                   else f'<mark title="cited by {" ".join(items)}">')
        stack.append(b)
    while stack:
        end = stack.pop()
        out.append(e(text[pos:end]) + "</mark>")
        pos = end
    out.append(e(text[pos:]))
    return "".join(out)


def _sources_full(brief: Brief, labels: dict[str, str]) -> list[str]:
    spans: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in brief.items():
        for ev in item.evidence:
            ids = spans[ev.doc_id][(ev.start, ev.end)]
            if item.id not in ids:
                ids.append(item.id)
    copies = copies_of(brief)
    out = ['<section class="sources-full" id="sources"><h2>The sources, with the cited passages marked</h2>']
    for s in brief.sources:
        meta = [x for x in (s.title if s.title != labels[s.id] else None, s.date[:10] if s.date else None) if x]
        url = _safe_url(s.url)
        out.append(f'<article class="source" id="src{s.n}"><h3>{_n(s)} {e(labels[s.id])}</h3><p class="meta">'
                   + " · ".join(e(m) for m in meta)
                   + (f' · <a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>' if url else "")
                   + f" · file {e(s.name)}"
                   + (f" · syndicated copy of {', '.join(f'[{c.n}] ' + e(labels[c.id]) for c in copies[s.id])}" if copies[s.id] else "")
                   + "</p>")
        if s.id in spans:
            out.append(f'<div class="fulltext">{_marked_text(brief, s, spans[s.id])}</div></article>')
        else:  # nothing of it is quoted: its text stays in brief.json, not on the page
            out.append('<p class="muted">Not quoted in this brief; its text is in brief.json.</p></article>')
    out.append("</section>")
    return out


def to_html(brief: Brief) -> str:
    """The brief as a self-contained HTML page (no script, no external resource)."""
    h = brief.header
    labels = source_labels(brief)
    # no script runs on this page, whatever the articles contained (the CSP in the head)
    out = [page_head(h.title), f"<header><h1>{e(h.title)}</h1></header>", "<main>"]
    out += _overview(brief, labels)
    out.append('<nav class="toc" aria-label="Contents">' + "".join(
        f'<a href="#{n}">{e(SECTION_TITLES[n])}</a>' for n in LISTS)
        + '<a href="#coverage">Coverage</a><a href="#sources">Source texts</a></nav>')
    out.append('<div class="sections">')
    for name in LISTS:
        items: list[BriefItem] = getattr(brief, name)
        out.append(f'<section class="section {name}" id="{name}"><h2>{e(SECTION_TITLES[name])} '
                   f'<span class="muted">({len(items)})</span></h2>')
        if not items:
            out.append('<p class="muted"><em>Nothing found.</em></p>')
        else:
            out.append('<ol class="items">' + "".join(_item(brief, it, labels) for it in items) + "</ol>")
        out.append("</section>")
    out.append("</div>")
    out += _coverage(brief, labels)
    out += _sources_full(brief, labels)
    u = h.usage
    out.append(f'<footer>briefsmith {e(h.briefsmith_version)} · made {e(h.created_at)} · prompts: '
               + (e(", ".join(f"{k} {v}" for k, v in h.prompt_versions.items())) or "none")
               + (f" · {plural(u.calls, 'call')}, {plural(u.cache_hits, 'cache hit')}, "
                  f"{u.prompt_tokens:,}+{u.completion_tokens:,} tokens" if h.engine == "llm" else "")
               + "</footer></main></body></html>")
    return "\n".join(out)
