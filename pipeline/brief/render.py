"""The brief for people: Markdown and HTML with numbered citations. Article text is always escaped, so no
markup or script from an article reaches a reader's page."""
from __future__ import annotations

import html
import re

from ..models import Brief, BriefItem

SECTION_TITLES = {"agreements": "Key agreements", "divergences": "Points of divergence", "unsaid": "Things unsaid"}
# enough to stop emphasis, links, images, code and tables; the line starts are always ours
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Plain text for Markdown: HTML is neutralised and Markdown syntax shown literally."""
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text)).strip()


def _cites(brief: Brief, item: BriefItem) -> str:
    return "".join(f"[{brief.source(d).n}]" for d in item.sources)


def _source_label(brief: Brief, doc_id: str) -> str:
    s = brief.source(doc_id)
    return s.outlet or s.name


def to_markdown(brief: Brief) -> str:
    h = brief.header
    lines = [f"# {md_escape(h.title)}", ""]
    engine = "offline engine (deterministic, no model)" if h.engine == "offline" else f"LLM `{md_escape(h.model or '?')}`"
    lines.append(f"*{len(brief.sources)} sources · {engine} · {h.created_at}*")
    lines += ["", f"> {md_escape(h.engine_note)}", ""]
    for name, title in SECTION_TITLES.items():
        items: list[BriefItem] = getattr(brief, name)
        lines += [f"## {title}", ""]
        if not items:
            lines += ["*Nothing found.*", ""]
        for item in items:
            flag = "" if item.verified else " **(unverified)**"
            lines.append(f"{item.id[1:]}. {md_escape(item.statement)} {_cites(brief, item)}{flag}")
            for v in item.variants:
                lines.append(f"   - {md_escape(v.value)}: " + ", ".join(md_escape(_source_label(brief, d)) + f" [{brief.source(d).n}]" for d in v.sources))
            for note in item.checks:
                lines.append(f"   - *check:* {md_escape(note)}")
            shown = set()
            for ev in item.evidence:
                if ev.doc_id in shown:
                    continue
                shown.add(ev.doc_id)
                lines.append(f"   - [{brief.source(ev.doc_id).n}] \u201c{md_escape(ev.quote)}\u201d")
        lines.append("")
    lines += ["## Sources", ""]
    for s in brief.sources:
        parts = [md_escape(p) for p in (s.outlet, s.title, s.date) if p]
        url = f" <{html.escape(s.url)}>" if s.url and re.match(r"https?://", s.url) else ""
        lines.append(f"{s.n}. {md_escape(s.name)}" + (" \u2014 " + ", ".join(parts) if parts else "") + url)
    u = h.usage
    lines += ["", "---", f"*briefsmith {h.briefsmith_version} · prompts: "
              + (", ".join(f"{md_escape(k)} {md_escape(v)}" for k, v in h.prompt_versions.items()) or "none")
              + f" · calls {u.calls}, cache hits {u.cache_hits}, tokens {u.prompt_tokens}+{u.completion_tokens}*", ""]
    return "\n".join(lines)


_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}blockquote{color:#555;margin:0;padding-left:1rem;border-left:3px solid #ddd}
li{margin:.6rem 0}ul.ev{font-size:.9rem;color:#444}sup a{text-decoration:none}.warn{color:#a40}.meta{color:#666;font-size:.9rem}"""


def to_html(brief: Brief) -> str:
    e = html.escape
    h = brief.header
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           # no script runs on this page, whatever the articles contained
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
           f"<title>{e(h.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(h.title)}</h1>",
           f'<p class="meta">{len(brief.sources)} sources · engine: {e(h.engine)}{" · model: " + e(h.model) if h.model else ""} · {e(h.created_at)}</p>',
           f"<blockquote>{e(h.engine_note)}</blockquote>"]
    for name, title in SECTION_TITLES.items():
        out.append(f"<h2>{e(title)}</h2>")
        items: list[BriefItem] = getattr(brief, name)
        if not items:
            out.append("<p><em>Nothing found.</em></p>")
            continue
        out.append("<ol>")
        for item in items:
            cites = "".join(f'<sup><a href="#src{brief.source(d).n}">[{brief.source(d).n}]</a></sup>' for d in item.sources)
            flag = "" if item.verified else ' <span class="warn">(unverified)</span>'
            out.append(f'<li id="{e(item.id)}">{e(item.statement)} {cites}{flag}<ul class="ev">')
            for v in item.variants:
                out.append(f"<li>{e(v.value)}: " + ", ".join(f"{e(_source_label(brief, d))} [{brief.source(d).n}]" for d in v.sources) + "</li>")
            for note in item.checks:
                out.append(f'<li class="warn">check: {e(note)}</li>')
            for ev in item.evidence:
                out.append(f"<li>[{brief.source(ev.doc_id).n}] \u201c{e(ev.quote)}\u201d</li>")
            out.append("</ul></li>")
        out.append("</ol>")
    out.append("<h2>Sources</h2><ol>")
    for s in brief.sources:
        parts = ", ".join(e(p) for p in (s.outlet, s.title, s.date) if p)
        link = f' <a href="{e(s.url)}" rel="noopener noreferrer">{e(s.url)}</a>' if s.url and re.match(r"https?://", s.url) else ""
        out.append(f'<li id="src{s.n}">{e(s.name)}{" — " + parts if parts else ""}{link}</li>')
    out.append("</ol></body></html>")
    return "\n".join(out)
