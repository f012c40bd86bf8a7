"""The brief as Markdown: the overview, every item with its sources, reason and every evidence span, the
warnings and a coverage table. Article text is escaped: no markup or link from an article survives."""
from __future__ import annotations

import html
import re

from ..models import LISTS, Brief, BriefItem
from .present import (SECTION_NOUNS, SECTION_TITLES, by_reach, chips, copies_of, covers, engine_line, plural, sides,
                      source_labels, support_note, why)

# enough to stop emphasis, links, images, code and tables; the line starts are always ours
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# what would make a line a heading, a list item or a rule when it starts one
_LINE_START = re.compile(r"^(?=[#+=-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Plain text for Markdown: HTML is neutralised and Markdown syntax shown literally, on one line."""
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text)).strip()


def _n(brief: Brief, doc_id: str) -> str:
    return f"[{brief.source(doc_id).n}]"


SOURCES_SHOWN = 12  # per item; every citation number stays on the statement's line
GRID_SOURCES = 20


def _sources_line(brief: Brief, item: BriefItem, labels: dict[str, str]) -> str:
    parts = []
    groups = chips(brief, item.sources)
    for chip in groups[:SOURCES_SHOWN]:
        part = f"{_n(brief, chip.main.id)} {md_escape(labels[chip.main.id])}"
        if chip.copies:
            word = "copy" if len(chip.copies) == 1 else "copies"
            part += f" (+ syndicated {word}: " + ", ".join(f"{_n(brief, c.id)} {md_escape(labels[c.id])}" for c in chip.copies) + ")"
        parts.append(part)
    if len(groups) > SOURCES_SHOWN:
        parts.append(f"and {plural(len(groups) - SOURCES_SHOWN, 'more independent source')}")
    return " · ".join(parts)


def _item(brief: Brief, item: BriefItem, labels: dict[str, str]) -> list[str]:
    cites = "".join(_n(brief, d) for d in item.sources)
    flag = "" if item.verified else " **(unverified)**"
    lines = [f"**{item.id}.** {md_escape(item.statement)} {cites}{flag}", ""]
    lines.append(f"- Sources: {_sources_line(brief, item, labels)}")
    lines.append(f"- Why here: {md_escape(why(brief, item))}.")
    for note in item.checks:
        lines.append(f"- Check: {md_escape(note)}")
    side_of: dict[tuple[str, int, int], str] = {}
    if item.section == "divergences":
        sd = sides(brief, item)
        quoted = sd and all(s.evidence and s.text == " … ".join(e.quote for e in s.evidence) for s in sd)
        if quoted:  # the sides are the quotes: say so on each quote rather than print them twice
            side_of = {(e.doc_id, e.start, e.end): s.label for s in sd for e in s.evidence}
        elif sd:
            lines.append("- Sides:")
            for s in sd:
                lines.append(f"  - **{md_escape(s.label)}**: {md_escape(s.text)} " + "".join(_n(brief, d) for d in s.sources))
    if item.evidence:
        more = f"; {plural(item.evidence_omitted, 'more span')} of the same sources not listed" \
            if item.evidence_omitted else ""
        lines.append(f"- Evidence ({plural(len(item.evidence), 'quote')}{more}):")
        for ev in item.evidence:
            side = side_of.get((ev.doc_id, ev.start, ev.end))
            how = ", matched after normalising quotes and spaces" if ev.match == "normalized" else ""
            if support_note(ev):
                how += f", **{md_escape(support_note(ev))}**"
            lines.append(f"  - {_n(brief, ev.doc_id)} {md_escape(labels[ev.doc_id])}"
                         + (f", {md_escape(side)}'s side" if side else "")
                         + f" (characters {ev.start:,}–{ev.end:,}{how}):")
            lines.append("    > " + _LINE_START.sub("\\\\", md_escape(ev.quote)))
    lines.append("")
    return lines


def _coverage(brief: Brief) -> list[str]:
    cols = by_reach(brief, GRID_SOURCES)
    head = "| Item | " + " | ".join(f"[{s.n}]" for s in cols) + " | independent |"
    more = (f" Shown: the {len(cols)} sources that carry the most items, of {len(brief.sources):,}."
            if len(cols) < len(brief.sources) else "")
    lines = ["## Coverage: who reported what", "",
             "x: quoted in the evidence · o: carries it without a quote shown · c: a syndicated copy of another "
             "source in the row." + more, "", head, "|" + "---|" * (len(cols) + 2)]
    for name in LISTS:
        for item in getattr(brief, name):
            quoted = {ev.doc_id for ev in item.evidence}
            first_of: dict[int, str] = {}
            for d in item.sources:
                first_of.setdefault(brief.source(d).syndication_group, d)
            cells = []
            for s in cols:
                if s.id not in item.sources:
                    cells.append(" ")
                elif first_of[s.syndication_group] != s.id:
                    cells.append("c")
                else:
                    cells.append("x" if s.id in quoted else "o")
            lines.append(f"| {item.id} | " + " | ".join(cells) + f" | {item.independent_sources} |")
    return lines + [""]


def to_markdown(brief: Brief) -> str:
    h = brief.header
    labels = source_labels(brief)
    line = f"{covers(brief)}, made by the {engine_line(brief)} on {h.created_at}."
    counts = " · ".join(plural(len(getattr(brief, n)), *SECTION_NOUNS[n]) for n in LISTS)
    lines = [f"# {md_escape(h.title)}", "", f"*{md_escape(line)}*", "", f"**{counts}**", "",
             f"> {md_escape(h.engine_note)}", ""]
    if h.warnings:
        lines += [f"**{plural(len(h.warnings), 'warning')}:**", ""]
        lines += [f"- {md_escape(w)}" for w in h.warnings[:50]]
        if len(h.warnings) > 50:
            lines.append(f"- … and {len(h.warnings) - 50:,} more (all in manifest.json)")
        lines.append("")
    lines += ["## Sources", ""]
    copies = copies_of(brief)
    for s in brief.sources:
        parts = [md_escape(p) for p in (s.title if s.title != labels[s.id] else None, s.date[:10] if s.date else None) if p]
        url = f" <{html.escape(s.url)}>" if s.url and re.match(r"https?://", s.url) and ">" not in s.url else ""
        copy = f" (syndicated copy of {', '.join(f'[{c.n}]' for c in copies[s.id])})" if copies[s.id] else ""
        lines.append(f"{s.n}. **{md_escape(labels[s.id])}**" + (" — " + " · ".join(parts) if parts else "") + url + copy
                     + (f" — file {md_escape(s.name)}" if s.name != labels[s.id] else ""))
    lines.append("")
    for name in LISTS:
        items: list[BriefItem] = getattr(brief, name)
        lines += [f"## {SECTION_TITLES[name]}", ""]
        if not items:
            lines += ["*Nothing found.*", ""]
        for item in items:
            lines += _item(brief, item, labels)
    lines += _coverage(brief)
    u = h.usage
    lines += ["---", f"*briefsmith {md_escape(h.briefsmith_version)} · prompts: "
              + (", ".join(f"{md_escape(k)} {md_escape(v)}" for k, v in h.prompt_versions.items()) or "none")
              + (f" · {plural(u.calls, 'call')}, {plural(u.cache_hits, 'cache hit')}, "
                 f"{u.prompt_tokens:,}+{u.completion_tokens:,} tokens" if h.engine == "llm" else "") + "*", ""]
    return "\n".join(lines)
