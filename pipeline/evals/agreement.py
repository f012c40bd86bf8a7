"""Is the scorer right? Agreement of our matchers with people on SummHay's human coverage labels.

Each of the file's 114 summaries has reference insights, each labelled by a person fully_covered,
partially_covered or not_covered by the summary's bullets; six LLM judges' predictions of the same
labels sit beside them (``predictions_*``: FULL_COVERAGE / PARTIAL_COVERAGE / NO_COVERAGE). We treat
every insight as a gold fact and every bullet as a candidate item, run our matcher, and report
accuracy and Cohen's kappa, three-way and binary (covered = full or partial).

Thresholds were tuned on the ``dev`` split only; ``test`` is the other half, split by subtopic so no
insight text appears on both sides (an insight recurs in every summary of its subtopic).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Optional, Sequence

from pydantic import BaseModel

from ..models import BriefError
from .gold import GoldFact
from .match import Candidate, FactMatch, VerifierMatcher

HUMAN = {"fully_covered": "full", "partially_covered": "partial", "not_covered": "none"}
JUDGE = {"FULL_COVERAGE": "full", "PARTIAL_COVERAGE": "partial", "NO_COVERAGE": "none"}
SPLITS = ("dev", "test", "all")

# Citation markers and markdown furniture in the summaries: "[7,26,43]", "[32][6]", "**", leading "- ".
_CITES = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_MARKUP = re.compile(r"^\s*(?:[-*\u2022]|#+|\d+\.)\s*|\*\*|__")


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two raters over the same items: (p_o - p_e) / (1 - p_e)."""
    if len(a) != len(b) or not a:
        raise ValueError("kappa needs two equally long, non-empty label lists")
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if p_e == 1 else (p_o - p_e) / (1 - p_e)


def accuracy(a: Sequence[str], b: Sequence[str]) -> float:
    return sum(x == y for x, y in zip(a, b)) / len(a)


def binary(labels: Sequence[str]) -> list[str]:
    return ["covered" if x != "none" else "not" for x in labels]


class Figures(BaseModel):
    rater: str
    n: int
    accuracy_binary: float
    kappa_binary: float
    accuracy_3way: float
    kappa_3way: float


def figures(rater: str, human: Sequence[str], pred: Sequence[str]) -> Figures:
    hb, pb = binary(human), binary(pred)
    return Figures(rater=rater, n=len(human), accuracy_binary=round(accuracy(hb, pb), 3),
                   kappa_binary=round(cohen_kappa(hb, pb), 3), accuracy_3way=round(accuracy(human, pred), 3),
                   kappa_3way=round(cohen_kappa(human, pred), 3))


def clean_bullet(line: str) -> str:
    return _MARKUP.sub("", _CITES.sub("", line)).strip()


class Labelled(BaseModel):
    """One summary with its insights as gold facts and bullets as candidates."""
    key: str
    split: str
    facts: list[GoldFact]
    candidates: list[Candidate]
    human: dict[str, str]  # insight id -> full/partial/none
    judges: dict[str, dict[str, str]]  # judge name -> insight id -> full/partial/none


def load_human_coverage(path: Path) -> list[Labelled]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BriefError(f"SummHay human labels not found: {path}") from None
    subtopics = sorted({(r["topic_fn"], r["subtopic_id"]) for r in rows})
    by_topic: dict[str, list[str]] = {}
    for topic, sub in subtopics:
        by_topic.setdefault(topic, []).append(sub)
    split_of = {sub: ("dev" if i % 2 == 0 else "test") for subs in by_topic.values() for i, sub in enumerate(subs)}
    out = []
    for i, r in enumerate(rows):
        facts = [GoldFact(id=x["insight_id"], section="agreements", text=x["insight"]) for x in r["reference_insights"]]
        cands = [Candidate(id=str(j), section="agreements", text=clean_bullet(b))
                 for j, b in enumerate(r["summary"]) if clean_bullet(b)]
        judges = {k[len("predictions_"):]: {p["insight_id"]: JUDGE[p["coverage"]] for p in r[k]}
                  for k in r if k.startswith("predictions_")}
        out.append(Labelled(key=f"{i}:{r['summkey']}", split=split_of[r["subtopic_id"]], facts=facts,
                            candidates=cands, human={a["insight_id"]: HUMAN[a["coverage"]] for a in r["annotation"]},
                            judges=judges))
    return out


Matcher = Callable[[Sequence[GoldFact], Sequence[Candidate]], list[FactMatch]]


def evaluate(data: Sequence[Labelled], matchers: dict[str, Matcher], split: str = "test") -> list[Figures]:
    """Figures for our matchers and for the file's six judges, on the same insights of one split."""
    rows = [d for d in data if split == "all" or d.split == split]
    human: list[str] = []
    preds: dict[str, list[str]] = {}
    for d in rows:
        ours = {name: {m.fact_id: m.best.verdict for m in fn(d.facts, d.candidates)} for name, fn in matchers.items()}
        for f in d.facts:
            human.append(d.human[f.id])
            for name, verdicts in ours.items():
                preds.setdefault(name, []).append(verdicts[f.id])
            for judge, verdicts in d.judges.items():
                preds.setdefault(f"judge:{judge}", []).append(verdicts[f.id])
    if not human:
        raise BriefError(f"no SummHay items in split {split!r}")
    return [figures(name, human, p) for name, p in preds.items()]


def default_matchers(llm: Optional[Matcher] = None) -> dict[str, Matcher]:
    m = VerifierMatcher()
    out: dict[str, Matcher] = {m.name: m.match}
    if llm is not None:
        out["llm"] = llm
    return out


def render(figs: Sequence[Figures], split: str) -> str:
    lines = [f"SummHay human coverage agreement, split={split} (n={figs[0].n} insights)",
             f"{'rater':<32} {'acc(bin)':>9} {'kappa(bin)':>11} {'acc(3)':>8} {'kappa(3)':>9}"]
    for f in figs:
        lines.append(f"{f.rater:<32} {f.accuracy_binary:>9.3f} {f.kappa_binary:>11.3f} "
                     f"{f.accuracy_3way:>8.3f} {f.kappa_3way:>9.3f}")
    return "\n".join(lines)
