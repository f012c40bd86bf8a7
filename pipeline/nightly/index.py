"""A night's index: index.json, index.md and index.html, events by number of independent sources."""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..brief.files import write_files
from ..brief.page_style import page_head
from ..brief.present import SECTION_NOUNS, display_name, plural
from ..brief.render import md_escape

SECTION_KEYS = ("agreements", "divergences", "unsaid")
_STATUS = {"ok": "briefed", "failed": "FAILED", "budget": "NOT DONE (budget reached)", "pending": "not run"}


def index_data(date: str, outcomes, singles, *, budget: dict, warnings: list[str], seconds: float,
               timings: dict | None = None) -> dict:
    events = []
    for o in outcomes:
        e = o.event
        shown = o.status == "ok" or o.kept_from
        events.append({
            "id": e.id, "slug": e.slug, "folder": o.folder, "title": e.title, "status": o.status,
            "error": o.error, "kept_from": o.kept_from, "independent_sources": o.independent,
            "counts": o.counts, "members": e.members, "sources": o.sources, "degraded": o.degraded,
            "link": f"{o.folder}/brief.html" if shown else None,
        })
    return {
        "schema": "briefsmith-night/1", "date": date, "briefsmith_version": __version__,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seconds": seconds,
        "timings": timings or {},
        "status": {**{s: sum(o.status == s for o in outcomes) for s in ("ok", "failed", "budget")},
                   "degraded": sum(o.status == "ok" and bool(o.degraded) for o in outcomes)},
        "events": events, "single_source": singles, "budget": budget, "warnings": warnings,
    }


def source_name(s: dict) -> str:
    """A source as the brief names it (display_name: outlet, else title, else file name)."""
    return display_name(s.get("outlet"), s.get("title"), s["name"])


def _source_line(s: dict) -> tuple[str, str]:
    """(name, headline): the headline only when it says more than the name."""
    name, title = source_name(s), s.get("title") or ""
    return name, title if title and title != name else ""


def _status_line(ev: dict) -> str:
    status = _STATUS.get(ev["status"], ev["status"])
    if ev["status"] != "ok" and ev.get("kept_from"):
        status += f"; showing the brief of {ev['kept_from']}"
    if ev["status"] == "ok" and ev.get("degraded"):  # written, but part of it is the rules' floor
        status += f"; {plural(len(ev['degraded']), 'call')} lost for good, the rules' items stand in"
    return status


def _counts(ev: dict) -> list[str]:
    c = ev.get("counts") or {}
    return [plural(c.get(k, 0), *SECTION_NOUNS[k]) for k in SECTION_KEYS] if c else ["no brief"]


def _event_line(ev: dict) -> str:
    """One line per event: its sources, its items per section, its status."""
    return " · ".join([plural(ev["independent_sources"], "independent source"), *_counts(ev), _status_line(ev)])


def _summary(data: dict) -> str:
    st = data["status"]
    parts = [plural(len(data["events"]), "event") + f" with two or more independent sources ({st['ok']} briefed"
             + (f", {st['degraded']} with a call lost" if st.get("degraded") else "")
             + (f", {st['failed']} failed" if st["failed"] else "") + (f", {st['budget']} left undone" if st["budget"] else "")
             + ")"]
    if data["single_source"]:
        parts.append(plural(len(data["single_source"]), "single-source article") + " (listed, not briefed)")
    return "; ".join(parts) + "."


def to_markdown(data: dict) -> str:
    """The index as Markdown; everything from the articles escaped (md_escape, as in a brief)."""
    lines = [f"# Briefs of {data['date']}", "", _summary(data), ""]
    for n, ev in enumerate(data["events"], start=1):
        title = md_escape(ev["title"])
        head = f"[{title}]({ev['link']})" if ev["link"] else title
        lines.append(f"{n}. **{head}** — {_event_line(ev)}")
        if ev.get("error"):
            lines.append(f"   - error: {md_escape(ev['error'])}")
        for s in ev["sources"]:
            name, title = _source_line(s)
            lines.append(f"   - {md_escape(name)}" + (f": {md_escape(title)}" if title else ""))
    if data["single_source"]:
        lines += ["", "## Single-source articles (listed, not briefed)", ""]
        for s in data["single_source"]:
            for src in s["sources"]:
                name, title = _source_line(src)
                lines.append(f"- {md_escape(name)}" + (f": {md_escape(title)}" if title else ""))
    if data["warnings"]:
        lines += ["", f"## {plural(len(data['warnings']), 'warning')}", ""]
        lines += [f"- {md_escape(w)}" for w in data["warnings"]]
    return "\n".join(lines) + "\n"


def _e(text) -> str:
    return html.escape(str(text or ""), quote=True)


def _href(url) -> str:
    return _e(url) if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


def _source_li(s: dict) -> str:
    name, title = _source_line(s)
    url = _href(s.get("url"))
    head = f'<a href="{url}" rel="noopener noreferrer">{_e(title)}</a>' if url and title else _e(title)
    return f"<li><b>{_e(name)}</b>" + (f" — {head}" if head else "") + "</li>"


_SECTION_CLASS = dict(zip(SECTION_KEYS, SECTION_KEYS))


def _event_li(ev: dict) -> str:
    title = f'<a href="{_e(ev["link"])}">{_e(ev["title"])}</a>' if ev["link"] else _e(ev["title"])
    c = ev.get("counts") or {}
    counts = "".join(f'<span class="count {k}">{_e(plural(c.get(k, 0), *SECTION_NOUNS[k]))}</span>'
                     for k in SECTION_KEYS) if c else '<span class="muted">no brief</span>'
    flagged = ev["status"] != "ok" or ev.get("degraded")
    status = f' <span class="flag">{_e(_status_line(ev))}</span>' if flagged else ""
    error = f'<p class="check">{_e(ev["error"])}</p>' if ev.get("error") else ""
    sources = (f"<details><summary>{plural(len(ev['sources']), 'source')}: "
               f"{_e(', '.join(dict.fromkeys(source_name(s) for s in ev['sources'])))}</summary>"
               f"<ul>{''.join(_source_li(s) for s in ev['sources'])}</ul></details>")
    return (f'<li class="item event {_e(ev["status"])}"><p class="statement"><b>{title}</b>{status}</p>'
            f'<p class="counts"><span class="muted">{plural(ev["independent_sources"], "independent source")}</span>'
            f"{counts}</p>{error}{sources}</li>")


def to_html(data: dict) -> str:
    """The index in the brief's own look (page_head: the same style sheet and CSP), one item per event."""
    title = f"Briefs of {data['date']}"
    out = [page_head(title), f"<header><h1>{_e(title)}</h1></header><main>",
           f'<section class="overview" id="overview"><p class="lede">{_e(_summary(data))}</p></section>']
    if data["events"]:
        out.append('<section class="section agreements" id="events"><h2>Events</h2><ol class="items">'
                   + "".join(_event_li(ev) for ev in data["events"]) + "</ol></section>")
    singles = [src for s in data["single_source"] for src in s["sources"]]
    if singles:
        out.append('<section class="section single_source" id="single_source"><h2>Single-source articles '
                   '<span class="muted">(listed, not briefed)</span></h2><ul class="items">'
                   + "".join(f'<li class="item">{_source_li(src)[4:-5]}</li>' for src in singles) + "</ul></section>")
    if data["warnings"]:
        out.append(f'<section id="warnings"><h2>{plural(len(data["warnings"]), "warning")}</h2><ul class="warnings">'
                   + "".join(f"<li>{_e(w)}</li>" for w in data["warnings"]) + "</ul></section>")
    out.append(f'<footer>briefsmith {_e(data["briefsmith_version"])} · finished {_e(data["finished_at"])}</footer>'
               "</main></body></html>")
    return "\n".join(out) + "\n"


def write_index(night_dir: Path, date: str, outcomes, singles, *, budget: dict, warnings: list[str],
                seconds: float, timings: dict | None = None) -> dict:
    data = index_data(date, outcomes, singles, budget=budget, warnings=warnings, seconds=seconds, timings=timings)
    files = {"index.md": to_markdown(data).encode(), "index.html": to_html(data).encode(),
             # last: a night is complete once its index.json is there
             "index.json": json.dumps(data, indent=2, ensure_ascii=False).encode()}
    write_files(night_dir, files)
    return data
