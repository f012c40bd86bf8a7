"""A night's index: index.json, index.md and index.html, events by number of independent sources."""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..brief.files import write_files
from ..brief.render import md_escape

SECTION_NAMES = {"agreements": "agreements", "divergences": "divergences", "unsaid": "unsaid"}
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
            "counts": o.counts, "members": e.members, "sources": o.sources,
            "link": f"{o.folder}/brief.html" if shown else None,
        })
    return {
        "schema": "briefsmith-night/1", "date": date, "briefsmith_version": __version__,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seconds": seconds,
        "timings": timings or {},
        "status": {s: sum(o.status == s for o in outcomes) for s in ("ok", "failed", "budget")},
        "events": events, "single_source": singles, "budget": budget, "warnings": warnings,
    }


def _status_line(ev: dict) -> str:
    status = _STATUS.get(ev["status"], ev["status"])
    if ev["status"] != "ok" and ev.get("kept_from"):
        status += f"; showing the brief of {ev['kept_from']}"
    return status


def _counts(ev: dict) -> str:
    c = ev.get("counts") or {}
    return ", ".join(f"{c.get(k, 0)} {name}" for k, name in SECTION_NAMES.items()) if c else "no brief"


def to_markdown(data: dict) -> str:
    """The index as Markdown; everything from the articles escaped (md_escape, as in a brief)."""
    lines = [f"# Briefs of {data['date']}", ""]
    st = data["status"]
    lines += [f"{len(data['events'])} events briefed ({st['ok']} ok, {st['failed']} failed, {st['budget']} left "
              f"undone), {len(data['single_source'])} single-source articles.", ""]
    for n, ev in enumerate(data["events"], start=1):
        title = md_escape(ev["title"])
        head = f"[{title}]({ev['link']})" if ev["link"] else title
        lines.append(f"{n}. **{head}** — {ev['independent_sources']} independent sources; {_counts(ev)}; "
                     f"{_status_line(ev)}")
        if ev.get("error"):
            lines.append(f"   - error: {md_escape(ev['error'])}")
        for s in ev["sources"]:
            lines.append(f"   - {md_escape(s.get('outlet') or s['name'])}: {md_escape(s.get('title') or s['name'])}")
    if data["single_source"]:
        lines += ["", "## Single-source articles (listed, not briefed)", ""]
        for s in data["single_source"]:
            for src in s["sources"]:
                lines.append(f"- {md_escape(src.get('outlet') or src['name'])}: {md_escape(src.get('title') or src['name'])}")
    return "\n".join(lines) + "\n"


def _e(text) -> str:
    return html.escape(str(text or ""), quote=True)


def _href(url) -> str:
    return _e(url) if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


def to_html(data: dict) -> str:
    rows = []
    for ev in data["events"]:
        title = f'<a href="{_e(ev["link"])}">{_e(ev["title"])}</a>' if ev["link"] else _e(ev["title"])
        sources = "".join(
            f'<li>{_e(s.get("outlet") or s["name"])}: '
            + (f'<a href="{_href(s.get("url"))}" rel="noopener noreferrer">{_e(s.get("title") or s["name"])}</a>'
               if _href(s.get("url")) else _e(s.get("title") or s["name"])) + "</li>" for s in ev["sources"])
        error = f'<p class="error">{_e(ev["error"])}</p>' if ev.get("error") else ""
        rows.append(f'<li class="{_e(ev["status"])}"><h2>{title}</h2><p>{ev["independent_sources"]} independent '
                    f'sources · {_e(_counts(ev))} · {_e(_status_line(ev))}</p>{error}<ul>{sources}</ul></li>')
    singles = "".join(f'<li>{_e(src.get("outlet") or src["name"])}: {_e(src.get("title") or src["name"])}</li>'
                      for s in data["single_source"] for src in s["sources"])
    st = data["status"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefs of {_e(data['date'])}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
li.failed h2::after,li.budget h2::after{{content:" ⚠";color:#b00}}.error{{color:#b00}}h2{{font-size:1.1rem;margin:.2rem 0}}
</style></head><body>
<h1>Briefs of {_e(data['date'])}</h1>
<p>{len(data['events'])} events ({st['ok']} briefed, {st['failed']} failed, {st['budget']} left undone),
{len(data['single_source'])} single-source articles.</p>
<ol>{''.join(rows)}</ol>
<h2>Single-source articles (listed, not briefed)</h2><ul>{singles}</ul>
</body></html>
"""


def write_index(night_dir: Path, date: str, outcomes, singles, *, budget: dict, warnings: list[str],
                seconds: float, timings: dict | None = None) -> dict:
    data = index_data(date, outcomes, singles, budget=budget, warnings=warnings, seconds=seconds, timings=timings)
    files = {"index.md": to_markdown(data).encode(), "index.html": to_html(data).encode(),
             # last: a night is complete once its index.json is there
             "index.json": json.dumps(data, indent=2, ensure_ascii=False).encode()}
    write_files(night_dir, files)
    return data
