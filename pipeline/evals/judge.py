"""LLM judge: the same backend as the pipeline (LLMClient, cached on disk) asked, fact by fact, whether
a brief item states the fact (prompt judge_fact, output JudgeVerdict).

To save tokens the judge sees only the ``top_k`` items the rules verifier ranks closest to the fact
(plus the closest ones in the fact's own section). The judge names one best item; when that item is
in another section than the fact, the fact counts as misplaced (no section-correct credit).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from ..llm.client import LLMClient
from ..llm.config import LLMConfig
from ..llm.replies import JudgeVerdict
from ..llm.prompts import Prompt, prompt_for
from .gold import GoldFact
from ..verify import get_verifier
from .match import Candidate, FactMatch, Match

IN_SECTION_EXTRA = 2  # closest same-section items always shown, even past top_k


def judge_prompt(prompts_dir: Optional[Path] = None) -> Prompt:
    """judge_fact from prompts_dir when it has one (a prompt under test), else the shipped template."""
    return prompt_for("judge_fact", prompts_dir)


def shortlist(fact: GoldFact, candidates: Sequence[Candidate], top_k: Optional[int]) -> list[Candidate]:
    """The candidates worth the judge's tokens, in their original order."""
    if top_k is None or len(candidates) <= top_k:
        return list(candidates)
    texts = [" ".join([c.text, *c.parts]) for c in candidates]
    score = dict.fromkeys(range(len(candidates)), 0.0)
    score.update(get_verifier("rules").rank(fact.text, texts, k=len(texts)))
    ranked = [candidates[i] for i in sorted(score, key=lambda i: (-score[i], i))]
    keep = {c.id for c in ranked[:top_k]}
    keep |= {c.id for c in [c for c in ranked if c.section == fact.section][:IN_SECTION_EXTRA]}
    return [c for c in candidates if c.id in keep]


def item_lines(candidates: Sequence[Candidate]) -> str:
    return "\n".join(f"[{c.id}] ({c.section or 'item'}) {' '.join(' '.join([c.text, *c.parts]).split())}"
                     for c in candidates)


class LLMJudge:
    def __init__(self, client: LLMClient, *, prompt: Optional[Prompt] = None, top_k: Optional[int] = 8):
        self.client = client
        self.prompt = prompt or judge_prompt()
        self.top_k = top_k

    @property
    def name(self) -> str:
        # the model the server lists when none was configured (asked once, on first use)
        return f"llm:{self.client.model_name()}"

    @classmethod
    def from_config(cls, config: LLMConfig, *, prompts_dir: Optional[Path] = None,
                    top_k: Optional[int] = 8, log_path: Optional[Path] = None) -> LLMJudge:
        return cls(LLMClient(config, log_path=log_path), prompt=judge_prompt(prompts_dir), top_k=top_k)

    def _verdict(self, fact: GoldFact, shown: Sequence[Candidate]) -> Match:
        if not shown:
            return Match(verdict="none", reason="no candidate items", matcher=self.name)
        v = self.client.structured(self.prompt, {"fact": fact.text, "section": fact.section, "items": item_lines(shown)}, JudgeVerdict,
                                   label=f"judge {fact.id}")
        by_id = {c.id: c for c in shown}
        if v.verdict == "none":
            return Match(verdict="none", reason=v.reason, matcher=self.name)
        if v.item_id not in by_id:
            return Match(verdict="none", matcher=self.name,
                         reason=f"judge said {v.verdict} but named no item it was shown ({v.item_id!r})")
        c = by_id[v.item_id]
        return Match(verdict=v.verdict, item_id=c.id, item_section=c.section, reason=v.reason, matcher=self.name)

    def match(self, facts: Sequence[GoldFact], candidates: Sequence[Candidate]) -> list[FactMatch]:
        shown = {f.id: shortlist(f, candidates, self.top_k) for f in facts}
        best = self.client.map(lambda f: self._verdict(f, shown[f.id]), list(facts), label="judge")
        out = []
        for f, m in zip(facts, best):
            in_sec = m if m.item_section in (None, f.section) else Match(
                verdict="none", matcher=self.name, reason=f"the judge's best item {m.item_id} is in {m.item_section}")
            out.append(FactMatch(fact_id=f.id, section=f.section, best=m, in_section=in_sec))
        return out
