"""The `embed` verifier: sentence embeddings find the evidence sentences that may state a statement, the
rules' exact signals veto, and a small learned model (logistic regression over similarity and the rules'
readings, weights in embed_weights.json, fitted on dev data only by benchmarks/verifier_fit.py) decides.

A long text is never judged whole: each sentence of the statement is judged against the few evidence
sentences most like it (MiniCheck / AlignScore chunking).
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..text.clauses import JOINED
from .encoder import Encoder, load_encoder
from .meaning import hedges
from ..text.words import STOPWORDS
from .signals import content_stems, split_sentences, word_count
from .support import EXACT, MIN_QUOTE_WORDS, findings
from ..text.instructions import INSTRUCTION_REASON, reported
from .verdict import BaseVerifier, EvidenceText, Verdict

WEIGHTS = Path(__file__).with_name("embed_weights.json")
TOP_K = 3  # evidence sentences a statement sentence is judged on
SHARE = 0.3  # a sentence sharing this share of its key words is where its names and figures may come from

# Every reading read_pair makes; the decision uses FEATURES of them (the fitted file names its own list).
READINGS = ("cos_best", "cos_top", "coverage", "said_coverage", "novel", "log_words", "opposed", "certainty",
            "quantifier", "hedged", "match_mean", "match_min", "match_low")
FEATURES = ("cos_best", "coverage", "novel", "log_words", "opposed", "certainty", "quantifier", "hedged",
            "match_min", "match_low")


def _sentences(evidence: EvidenceText) -> list[str]:
    if isinstance(evidence, str):
        return split_sentences(evidence) or [evidence]
    return [s for s in evidence if s.strip()] or [""]


CLAUSE_KEYS = 3  # a clause with this many key words is a claim of its own


def claim_units(statement: str) -> list[str]:
    """The statement's sentences, then the clauses of each that carry CLAUSE_KEYS key words or more."""
    parts = split_sentences(statement) or [statement]
    clauses = [c for p in parts for c in (JOINED.split(p) if JOINED.search(p) else [])
               if len(set(content_stems(c))) >= CLAUSE_KEYS]
    return parts + clauses


class PairReading:
    """One statement sentence read against its evidence: the exact problems (vetoes) and the features."""

    def __init__(self, veto: Optional[str], features: dict[str, float], evidence: str):
        self.veto, self.features, self.evidence = veto, features, evidence


def read_pair(enc: Encoder, part: str, sentences: list[str], *, k: int = TOP_K) -> PairReading:
    """Pick the k sentences most like `part` (cosine, ties to shared words), read the rules' findings there."""
    import numpy as np

    vecs = enc.encode([part] + sentences)
    cos = vecs[1:] @ vecs[0]
    key = set(content_stems(part))
    lex = np.array([len(key & set(content_stems(s))) / len(key) if key else 0.0 for s in sentences])
    order = np.argsort(-(cos + lex), kind="stable")[:k]
    chosen = sorted(int(i) for i in order)
    best = " ".join(sentences[i] for i in chosen)
    doc = " ".join(sentences)
    # a quote of a few sentences is read whole for names and figures; a document, where its claim is made
    near = doc if len(sentences) <= k else (" ".join(s for s, x in zip(sentences, lex) if x >= SHARE) or doc)
    f = findings(part, best, context=near, anywhere=doc)
    exact = [f.problems[n] for n in EXACT if n in f.problems]
    have = set(content_stems(doc))
    novel = sum(1 for x in key if x not in have) / len(key) if key else 1.0
    feats = {
        "cos_best": float(cos.max()) if len(cos) else 0.0,
        "cos_top": float(cos[chosen].mean()) if chosen else 0.0,
        "coverage": f.score, "said_coverage": f.said_score, "novel": novel,
        "log_words": math.log1p(word_count(part)),
        "opposed": float("opposed" in f.problems), "certainty": float("certainty" in f.problems),
        "quantifier": float("quantifier" in f.problems), "hedged": float(hedges(part) > 0),
    }
    feats.update(word_matches(enc, part, [sentences[i] for i in chosen]))
    return PairReading(exact[0] if exact else None, feats, best)


def _piece_counts(piece: str) -> bool:
    w = piece[2:] if piece.startswith("##") else piece
    return w.isalnum() and w.lower() not in STOPWORDS


def word_matches(enc: Encoder, part: str, evidence: list[str]) -> dict[str, float]:
    """BERTScore-style: how well each content word piece of the claim is matched by some word piece of the
    evidence (contextual vectors): the mean, the weakest, and the mean of the two weakest. A swapped name
    or an antonym leaves a piece nothing matches; a paraphrase leaves close ones."""
    import numpy as np

    (toks, vecs), *ev = enc.token_vectors([part] + evidence)
    keep = [i for i, t in enumerate(toks) if _piece_counts(t)]
    if not keep or not ev:
        return {"match_mean": 0.0, "match_min": 0.0, "match_low": 0.0}
    E = np.vstack([v for _, v in ev])
    best = (vecs[keep] @ E.T).max(1)
    low = np.sort(best)[:2]
    return {"match_mean": float(best.mean()), "match_min": float(best.min()), "match_low": float(low.mean())}


class Decision:
    """Logistic regression over FEATURES, standardised; the threshold chosen on dev for balanced accuracy."""

    def __init__(self, spec: dict):
        if not set(spec.get("features") or ()) <= set(READINGS):
            raise ValueError("embed_weights.json names features read_pair does not read; refit "
                             "(benchmarks/verifier_fit.py)")
        self.features = list(spec["features"])
        self.mean, self.scale = spec["mean"], spec["scale"]
        self.weights, self.bias, self.threshold = spec["weights"], spec["bias"], spec["threshold"]

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(w * (feats[n] - m) / s for n, w, m, s in
                            zip(self.features, self.weights, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def load_decision(path: str = str(WEIGHTS)) -> Decision:
    return Decision(json.loads(Path(path).read_text(encoding="utf-8")))


class EmbedVerifier(BaseVerifier):
    kind = "embed"

    def __init__(self, encoder: Optional[Encoder] = None, decision: Optional[Decision] = None):
        super().__init__()
        self.encoder = encoder or load_encoder()
        self.decision = decision or load_decision()

    def judge_parts(self, statement: str, sentences: list[str]) -> Verdict:
        """Each sentence of the statement must hold, and each clause of it that makes a claim of its own
        (an added clause cannot ride on a well-backed sentence): the exact vetoes first, then the decision."""
        worst: Optional[Verdict] = None
        for part in claim_units(statement):
            r = read_pair(self.encoder, part, sentences)
            if r.veto:
                self.counts["vetoed"] += 1
                return Verdict(supported=False, score=0.0, reason=r.veto)
            p = self.decision.probability(r.features)
            v = Verdict(supported=p >= self.decision.threshold, score=round(p, 4),
                        reason="" if p >= self.decision.threshold else
                        f"not carried by the evidence (similarity {r.features['cos_best']:.2f}, "
                        f"key words {r.features['coverage']:.0%})")
            if not v.supported:
                return v
            worst = v if worst is None or v.score < worst.score else worst
        return worst or Verdict(supported=False, score=0.0, reason="empty statement")

    def supports_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[Verdict]:
        todo = [(s, _sentences(e)) for s, e in pairs]
        # one encoding pass for everything the batch needs: the model is fastest on full batches
        texts = list(dict.fromkeys([p for s, _ in todo for p in claim_units(s)] +
                                   [x for _, ss in todo for x in ss]))
        self.encoder.token_vectors(texts)  # sentence and word-piece vectors in one run of the model
        out = []
        for (statement, sents), (_, evidence) in zip(todo, pairs):
            if isinstance(evidence, str) and word_count(evidence) < MIN_QUOTE_WORDS:
                n = word_count(evidence)
                out.append(Verdict(supported=False, score=0.0, reason=f"quote too short ({n} word{'s' if n != 1 else ''})"))
                continue
            sents = reported(sents)  # an instruction planted for a model is never evidence
            out.append(self.judge_parts(statement, sents) if sents else
                       Verdict(supported=False, score=0.0, reason=INSTRUCTION_REASON))
        self.counts["pairs"] += len(pairs)
        return out

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        both = self.supports_many([(a, b) for a, b in pairs] + [(b, a) for a, b in pairs])
        n = len(pairs)
        out = []
        for ab, ba in zip(both[:n], both[n:]):
            ok = ab.supported and ba.supported
            out.append(Verdict(supported=ok, score=min(ab.score, ba.score), reason="" if ok else (ab.reason or ba.reason)))
        return out

    def rank(self, statement: str, sentences: Sequence[str], k: int = 3) -> list[tuple[int, float]]:
        if not sentences:
            return []
        vecs = self.encoder.encode([statement] + list(sentences))
        cos = vecs[1:] @ vecs[0]
        order = sorted(range(len(sentences)), key=lambda i: (-float(cos[i]), i))[:k]
        return [(i, max(0.0, min(1.0, float(cos[i])))) for i in order]
