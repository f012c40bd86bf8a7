"""The eval report: one model, printed as a fixed-width table and written as report.json + report.md."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional

from pydantic import BaseModel

from ..models import SECTIONS, Brief, BriefError, Usage
from .gold import GoldSet
from .metrics import Scores

SHORT = {"agreements": "agr", "divergences": "div", "unsaid": "uns", None: "-"}


class BriefRef(BaseModel):
    path: Optional[str] = None
    title: str
    engine: str
    model: Optional[str] = None
    prompt_versions: dict[str, str] = {}


class GoldRef(BaseModel):
    path: Optional[str] = None
    corpus: str
    n_facts: int


class EvalReport(Scores):
    matcher: str  # "verify:<kind>" or "llm:<model>"
    brief: BriefRef
    gold: GoldRef
    judge_usage: Optional[Usage] = None  # calls the LLM judge made (llm matcher only)


def make_report(scores: Scores, brief: Brief, gold: GoldSet, matcher: str, *, brief_path: Optional[str] = None,
                judge_usage: Optional[Usage] = None) -> EvalReport:
    h = brief.header
    return EvalReport(
        **scores.model_dump(), matcher=matcher, judge_usage=judge_usage,
        brief=BriefRef(path=brief_path, title=h.title, engine=h.engine, model=h.model,
                       prompt_versions=h.prompt_versions),
        gold=GoldRef(path=gold.path, corpus=gold.corpus, n_facts=len(gold.facts)))


def _pct(x: Optional[float]) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def _ids(ids: list[str], most: int = 8) -> str:
    return f" ({', '.join(ids[:most])}{', ...' if len(ids) > most else ''})" if ids else ""


def summary_lines(r: EvalReport) -> list[str]:
    per = "  ".join(f"{s} {_pct(r.per_section[s]).strip()}" for s in SECTIONS)
    o = r.outcomes
    return [
        f"brief: {r.brief.path or r.brief.title}  engine={r.brief.engine}  model={r.brief.model or '-'}  "
        f"gold: {r.gold.corpus} ({r.gold.n_facts} facts)  matcher: {r.matcher}",
        f"recall {_pct(r.recall).strip()}  (any section {_pct(r.recall_any_section).strip()})  {per}",
        f"facts: {o['hit']} hit, {o['partial']} partial, {o['misplaced']} misplaced, {o['miss']} miss  "
        f"| items {r.n_items}, unsupported {len(r.unsupported_items)}, unsourced numbers {len(r.unsourced_numbers)}",
        f"citation precision {_pct(r.citation_precision).strip()}  citation recall {_pct(r.citation_recall).strip()}  "
        f"section precision {_pct(r.section_precision).strip()}  redundancy {_pct(r.redundancy).strip()}  "
        f"unmatched items {_pct(r.unmatched_items).strip()}" + _ids(r.unmatched),
        *([f"outlets credited {_pct(r.outlets_credited).strip()} (of the outlets the gold says state each agreed fact, "
           f"those its item credits)"] if r.outlets_credited is not None else []),
    ]


def render_table(r: EvalReport, width: int = 60) -> str:
    head = f"{'fact':<6} {'sec':<3} {'outcome':<9} {'item':<8} {'sec':<3} {'score':>5}  {'matcher':<8} reason"
    lines = [head, "-" * len(head)]
    for f in r.facts:
        score = "" if f.score is None else f"{f.score:.2f}"
        reason = f.reason if len(f.reason) <= width else f.reason[: width - 3] + "..."
        lines.append(f"{f.id:<6} {SHORT[f.section]:<3} {f.outcome:<9} {f.item_id or '-':<8} "
                     f"{SHORT.get(f.item_section, '-'):<3} {score:>5}  {f.matcher:<8} {reason}")
    lines.append("")
    lines.extend(summary_lines(r))
    for p in r.unsupported_items:
        lines.append(f"unsupported: {p.item_id} ({p.section}): {p.problem}")
    for row in r.items:
        for ev in row.unsupported_evidence:
            quote = ev.quote if len(ev.quote) <= width else ev.quote[: width - 3] + "..."
            lines.append(f"unsupported span of {row.id} ({ev.source}): {ev.reason}: \"{quote}\"")
    for n in r.unsourced_numbers:
        lines.append(f"unsourced number: {n.number} in {n.item_id} ({n.section})")
    return "\n".join(lines)


def render_markdown(r: EvalReport) -> str:
    def cell(s: object) -> str:
        return str(s).replace("|", "\\|").replace("\n", " ")

    lines = [f"# Eval: {cell(r.gold.corpus)}", "", *(f"- {cell(x)}" for x in summary_lines(r)), "",
             "| fact | section | outcome | item | item section | score | matcher | reason |",
             "|---|---|---|---|---|---|---|---|"]
    for f in r.facts:
        lines.append(f"| {f.id} | {f.section} | {f.outcome} | {f.item_id or ''} | {f.item_section or ''} | "
                     f"{'' if f.score is None else f'{f.score:.2f}'} | {f.matcher} | {cell(f.reason)} |")
    bad_spans = [(row, ev) for row in r.items for ev in row.unsupported_evidence]
    if r.unsupported_items or r.unsourced_numbers or bad_spans:
        lines += ["", "## Soundness", ""]
        lines += [f"- unsupported {p.item_id} ({p.section}): {cell(p.problem)}" for p in r.unsupported_items]
        lines += [f"- unsupported span of {row.id} ({cell(ev.source)} {ev.start}:{ev.end}): {cell(ev.reason)}"
                  for row, ev in bad_spans]
        lines += [f"- unsourced number {n.number} in {n.item_id} ({n.section})" for n in r.unsourced_numbers]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target, then rename: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(r: EvalReport, out_dir: str | Path) -> tuple[Path, Path]:
    d = Path(out_dir)
    try:
        j, m = d / "report.json", d / "report.md"
        write_atomic(j, r.model_dump_json(indent=2) + "\n")
        write_atomic(m, render_markdown(r))
    except OSError as exc:
        raise BriefError(f"cannot write the report into {d}: {exc}") from None
    return j, m
