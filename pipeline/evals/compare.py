"""Prompt-change workflow: run two pipeline variants on one corpus, score both against the same gold,
show what changed fact by fact, and gate the candidate against the stored baseline.

A SPEC is comma-separated key=value pairs: engine, model, base_url, api_key, prompts (a folder of
prompt templates overriding the shipped ones), cache_dir, cache (on/off), label. Example:
``engine=llm,base_url=http://127.0.0.1:8080/v1,model=qwen,prompts=prompts-new/``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence

from pydantic import BaseModel

from ..models import BriefError, UsageError
from .baseline import Drop
from .bootstrap import Interval, paired, unpaired
from .gold import GoldSet
from .metrics import CREDIT, Matcher, Scores, score_brief
from .scoring import LOWER_IS_BETTER, TRACKED, MakeBrief, default_make_brief, mean_metrics, spread, tracked

SPEC_KEYS = {"engine", "model", "base_url", "api_key", "prompts", "cache_dir", "cache", "label"}
OUTCOME_CREDIT = {"hit": 1.0, "partial": CREDIT["partial"], "misplaced": 0.0, "miss": 0.0}


class VariantSpec(BaseModel):
    label: str
    engine: Optional[str] = None
    model: Optional[str] = None
    base_url: Optional[str] = None
    api_key: Optional[str] = None
    prompts: Optional[str] = None
    cache_dir: Optional[str] = None
    cache: bool = True

    def describe(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.settings().items())

    def settings(self) -> dict[str, str]:
        """What makes this variant's briefs, as shown to people: unset keys say what they default to."""
        return {"engine": self.engine or "offline", "model": self.model or ("-" if self.engine != "llm" else "(server's)"),
                "base_url": self.base_url or "-", "prompts": self.prompts or "(shipped)"}

    def brief_kwargs(self, *, use_cache: bool = True) -> dict[str, Any]:
        kw: dict[str, Any] = {"engine": self.engine or "offline"}
        for key in ("model", "base_url", "api_key"):
            if getattr(self, key):
                kw[key] = getattr(self, key)
        if self.prompts:
            kw["prompts_dir"] = Path(self.prompts)
        if self.cache_dir:
            kw["cache_dir"] = Path(self.cache_dir)
        kw["use_cache"] = self.cache and use_cache
        return kw


def parse_spec(text: str, label: str) -> VariantSpec:
    fields: dict[str, Any] = {"label": label}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in SPEC_KEYS:
            raise UsageError(f"bad variant spec {text!r}: {part!r} is not one of "
                             f"{', '.join(sorted(SPEC_KEYS))} as key=value")
        fields[key] = value.strip()
    if fields.get("engine") not in (None, "offline", "llm"):
        raise UsageError(f"bad variant spec {text!r}: engine must be offline or llm")
    if "cache" in fields:
        fields["cache"] = fields["cache"].lower() not in ("off", "no", "false", "0")
    return VariantSpec(**fields)


class VariantResult(BaseModel):
    spec: VariantSpec
    prompt_versions: dict[str, str] = {}  # prompt name -> name@version+sha, as the briefs record them
    runs: list[dict[str, Optional[float]]]  # tracked metrics, one per repeat
    outcomes: list[dict[str, str]]  # fact id -> outcome, one per repeat
    units: list[dict[str, list[float]]] = []  # per repeat: metric -> its per-item / per-span values

    @property
    def mean(self) -> dict[str, Optional[float]]:
        return mean_metrics(self.runs)

    @property
    def spread(self) -> dict[str, Optional[float]]:
        return spread(self.runs)

    def fact_credit(self, fact_id: str, any_section: bool = False) -> float:
        table = {**OUTCOME_CREDIT, "misplaced": 1.0} if any_section else OUTCOME_CREDIT
        return sum(table[o[fact_id]] for o in self.outcomes) / len(self.outcomes)

    def fact_label(self, fact_id: str) -> str:
        seen = {o[fact_id] for o in self.outcomes}
        return seen.pop() if len(seen) == 1 else f"{self.fact_credit(fact_id):.2f}"


def run_variant(spec: VariantSpec, inputs: Any, gold: GoldSet, matcher: Matcher, *, repeat: int = 1,
                make: MakeBrief = default_make_brief) -> VariantResult:
    """Make and score the brief `repeat` times. Repeats bypass the response cache (else they would all
    be the first run again), so their spread shows how much the model's output varies."""
    runs, outcomes, units, versions = [], [], [], {}
    for _ in range(repeat):
        brief = make(inputs, **spec.brief_kwargs(use_cache=repeat == 1))
        versions.update(brief.header.prompt_versions)
        s = score_brief(brief, gold, matcher)
        runs.append(tracked(s))
        outcomes.append({f.id: f.outcome for f in s.facts})
        units.append(item_units(s))
    return VariantResult(spec=spec, prompt_versions=versions, runs=runs, outcomes=outcomes, units=units)


def item_units(s: Scores) -> dict[str, list[float]]:
    """The values each brief-level metric averages, so their deltas can be bootstrapped."""
    unsupported = {p.item_id for p in s.unsupported_items}
    matched: dict[str, bool] = {}
    for f in s.facts:
        if f.item_id is not None and f.verdict_any != "none":
            matched[f.item_id] = matched.get(f.item_id, False) or f.item_section == f.section
    spans = [0.0 if k < len(r.unsupported_evidence) else 1.0 for r in s.items for k in range(r.n_evidence)]
    return {"citation_precision": spans,
            "citation_recall": [float(r.every_sentence_supported) for r in s.items],
            "supported_share": [float(r.id not in unsupported) for r in s.items],
            "redundancy": [float(r.restates is not None) for r in s.items],
            "unmatched_items": [float(r.id in set(s.unmatched)) for r in s.items if r.section != "single_source"],
            "section_precision": [float(v) for v in matched.values()]}


def intervals(gold: GoldSet, a: "VariantResult | dict[str, str]", b: VariantResult) -> dict[str, Optional[Interval]]:
    """Bootstrap CIs of B - A: paired over facts for recall, within each brief for the item metrics.
    `a` may be a stored outcome map (the baseline), which has facts but no items."""
    out: dict[str, Optional[Interval]] = {}
    facts = gold.facts

    def credit(v, fid: str, any_section: bool) -> float:
        if isinstance(v, VariantResult):
            return v.fact_credit(fid, any_section=any_section)
        o = v.get(fid, "miss")
        return 1.0 if any_section and o == "misplaced" else OUTCOME_CREDIT[o]

    for key, subset, anywhere in [("recall", facts, False), ("recall_any_section", facts, True),
                                  *((f"recall_{sec}", [f for f in facts if f.section == sec], False)
                                    for sec in ("agreements", "divergences", "unsaid"))]:
        out[key] = paired([credit(a, f.id, anywhere) for f in subset], [credit(b, f.id, anywhere) for f in subset],
                          [f.weight for f in subset]) if subset else None
    for key in ("supported_share", "citation_precision", "citation_recall", "section_precision", "redundancy",
                "unmatched_items"):
        ua = [x for u in a.units for x in u.get(key, [])] if isinstance(a, VariantResult) else []
        ub = [x for u in b.units for x in u.get(key, [])]
        out[key] = unpaired(ua, ub)
    return out


class FactChange(BaseModel):
    id: str
    section: str
    a: str
    b: str
    change: str  # gained / lost / unchanged


def fact_changes(gold: GoldSet, a: VariantResult | dict[str, str], b: VariantResult) -> list[FactChange]:
    """Per fact: gained (more credit in b), lost (less), unchanged. `a` may be a stored outcome map."""
    out = []
    for f in gold.facts:
        if isinstance(a, VariantResult):
            ca, la = a.fact_credit(f.id), a.fact_label(f.id)
        else:
            la = a.get(f.id, "miss")
            ca = OUTCOME_CREDIT[la]
        cb = b.fact_credit(f.id)
        change = "gained" if cb > ca + 1e-9 else "lost" if cb < ca - 1e-9 else "unchanged"
        out.append(FactChange(id=f.id, section=f.section, a=la, b=b.fact_label(f.id), change=change))
    return out


def _fmt(mean: Optional[float], sd: Optional[float], repeat: int) -> str:
    if mean is None:
        return "n/a"
    return f"{mean:.3f} ±{sd:.3f}" if repeat > 1 and sd is not None else f"{mean:.3f}"


def variant_lines(a: dict[str, str], a_versions: dict[str, str], b: dict[str, str],
                  b_versions: dict[str, str]) -> list[str]:
    """The two variants in full, then what differs between them (settings and prompt versions): a column
    head is too narrow for a base_url, and the part that differs must not be the part cut off."""
    lines = [f"A: {', '.join(f'{k}={v}' for k, v in a.items())}", f"B: {', '.join(f'{k}={v}' for k, v in b.items())}"]
    diff = [f"{k} {a.get(k, '-')} -> {b.get(k, '-')}" for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    if a_versions or b_versions:
        changed = [f"{name} {a_versions.get(name, '-')} -> {b_versions.get(name, '-')}"
                   for name in sorted({*a_versions, *b_versions}) if a_versions.get(name) != b_versions.get(name)]
        diff += [f"prompt {c}" for c in changed]
        if not changed:
            lines.append(f"prompt versions, the same in A and B: {', '.join(sorted(b_versions.values())) or '-'}")
    lines.append("A and B differ in: " + ("; ".join(diff) if diff else "nothing (the same settings and prompts)"))
    return lines


def render_comparison(a_label: str, a_metrics: dict[str, Optional[float]], a_sd: dict[str, Optional[float]],
                      b: VariantResult, changes: Sequence[FactChange], repeat: int,
                      cis: Optional[dict[str, Optional[Interval]]] = None,
                      gate_drops: Optional[Sequence[Drop]] = None, tolerance: Optional[float] = None) -> str:
    """The metric table and the facts gained and lost. With `gate_drops` (A is the baseline the gate
    holds B to) the verdict column is the gate's, so the table and the exit status cannot disagree; the
    bootstrap interval's reading stays beside it."""
    b_mean, b_sd = b.mean, b.spread
    cis = cis or {}
    failed = {d.metric for d in gate_drops or ()}
    head = (f"{'metric':<22} {'A':<14} {'B':<14} {'delta':>7}  95% CI (bootstrap)    verdict")
    lines = [head, "-" * len(head)]  # A and B in full: variant_lines(), above the table
    for k in TRACKED:
        av, bv = a_metrics.get(k), b_mean.get(k)
        delta = "" if av is None or bv is None else f"{bv - av:+.3f}"
        ci = cis.get(k)
        if ci is None or not delta:
            band, verdict = "", ""
        else:
            band = f"[{ci.low:+.3f}, {ci.high:+.3f}]"
            verdict = ci.verdict if k not in LOWER_IS_BETTER else {"gain": "worse", "loss": "better"}.get(
                ci.verdict, ci.verdict)
        if gate_drops is not None and delta:
            verdict = (f"FAIL: worse by more than {tolerance}" if k in failed else "pass") + \
                (f" (CI: {verdict})" if verdict else "")
        lines.append(f"{k:<22} {_fmt(av, a_sd.get(k), repeat):<14} {_fmt(bv, b_sd.get(k), repeat):<14} {delta:>7}  "
                     f"{band:<20} {verdict}".rstrip())
    lines += ["", f"{'fact':<6} {'section':<12} {'A':<10} {'B':<10} change"]
    for c in changes:
        mark = {"gained": "+ gained", "lost": "- lost", "unchanged": ""}[c.change]
        lines.append(f"{c.id:<6} {c.section:<12} {c.a:<10} {c.b:<10} {mark}")
    count = {k: [c.id for c in changes if c.change == k] for k in ("gained", "lost")}
    lines += ["", f"gained {len(count['gained'])}: {', '.join(count['gained']) or '-'}   "
                  f"lost {len(count['lost'])}: {', '.join(count['lost']) or '-'}   "
                  f"unchanged {sum(c.change == 'unchanged' for c in changes)}"]
    return "\n".join(lines)


def render_gate(drops: Sequence[Drop], key: str, path: str, tolerance: float) -> str:
    if not drops:
        return f"gate: PASS against {path} [{key}] (tolerance {tolerance})"
    worst = "; ".join(f"{d.metric} {d.baseline:.3f} -> {d.candidate:.3f} ({d.candidate - d.baseline:+.3f})"
                      for d in drops)
    return f"gate: FAIL against {path} [{key}] (tolerance {tolerance}): {worst}"


def deciding_line(drops: Optional[Sequence[Drop]], tolerance: float) -> str:
    """The one line that says why the exit status is what it is."""
    if drops is None:
        return "exit 0: no --baseline given, nothing is gated (the table compares A and B only)"
    if not drops:
        return f"exit 0: no tracked metric of B is worse than the baseline's by more than --tolerance {tolerance}"
    return (f"exit 1: worse than the baseline by more than --tolerance {tolerance}: "
            + "; ".join(f"{d.metric} {d.baseline:.3f} -> {d.candidate:.3f} ({d.candidate - d.baseline:+.3f})"
                        for d in drops))


def baseline_mismatch(entry_settings: dict[str, str], b_settings: dict[str, str]) -> list[str]:
    """What makes B's briefs differently from how the baseline's were made (engine, model, corpus,
    matcher): a gate across them measures that difference, not the change under test."""
    return [f"{k} {entry_settings[k]} (baseline) vs {b_settings.get(k, '-')} (B)" for k in entry_settings
            if entry_settings[k] != b_settings.get(k, "-")]
