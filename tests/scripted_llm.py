"""A scripted stand-in for a model, for end-to-end tests of the LLM path over real HTTP.

It answers the extraction prompt with one claim per sentence of the fenced document (quotes copied
verbatim, so they verify) and the merge prompt by simple rules over the claim lines. It is not smart; it
is deterministic and schema-valid, which is what the tests of the plumbing need.

Run it by hand for `brief run --base-url`:  python tests/scripted_llm.py --port 8765
"""
from __future__ import annotations

import re
from collections import Counter
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_openai_server  # noqa: E402

_DOC = re.compile(r'<document id="([^"]+)">\n?(.*?)\n?</document>', re.DOTALL)
_CLAIM = re.compile(r"^\[([^\]]+)\] doc=(\S+) holder=(.*?) kind=(\w+): (.*)$", re.MULTILINE)
_ABSENCE = re.compile(r"no mention|stopped short|omit|left out|without reaching|failing to", re.I)
_POSITION = re.compile(r"insist|demand|condition|call(?:ed)? for|reject|cessation", re.I)
_WORD = re.compile(r"[a-z]{4,}")
_STOP = {"that", "with", "from", "this", "were", "have", "will", "said", "their", "would", "also", "both",
         "into", "after", "which", "about", "been"}


def _user(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])|\n+", text)
    return [p.strip() for p in parts if len(p.split()) >= 6 and not p.strip().endswith(":")]


def extraction(request: dict) -> dict:
    m = _DOC.search(_user(request))
    text = m.group(2) if m else ""
    claims = []
    for s in _sentences(text):
        kind = "absence" if _ABSENCE.search(s) else "position" if _POSITION.search(s) else "reported_fact"
        holder = "Kremlin" if "Kremlin" in s else "White House" if "White House" in s else "the outlet"
        claims.append({"statement": s, "holder": holder, "kind": kind, "evidence": [s],
                       "numbers": re.findall(r"\b\d+\b", s), "dates": []})
    return {"claims": claims}


def _terms(s: str) -> set[str]:
    return {w for w in _WORD.findall(s.lower()) if w not in _STOP}


def merge(request: dict) -> dict:
    claims = _CLAIM.findall(_user(request))
    out = {"agreements": [], "divergences": [], "unsaid": []}
    used: set[str] = set()
    for cid, doc, _holder, kind, statement in claims:
        if kind == "absence" and cid not in used:
            out["unsaid"].append({"statement": statement, "claim_ids": [cid]})
            used.add(cid)
    # an agreement: the first unused claim of another source sharing >= 4 content words, found through an
    # index of the words (all pairs took a minute at 100 documents)
    terms = [_terms(c[4]) for c in claims]
    index: dict[str, list[int]] = {}
    for p, ts in enumerate(terms):
        for t in ts:
            index.setdefault(t, []).append(p)
    for p, (cid, doc, _holder, kind, statement) in enumerate(claims):
        if cid in used:
            continue
        if kind == "position":
            out["divergences"].append({"statement": statement, "claim_ids": [cid]})
            used.add(cid)
            continue
        if "," in doc:  # a line that is a group told by several sources ("S1,S3") is an agreement itself
            out["agreements"].append({"statement": statement, "claim_ids": [cid]})
            used.add(cid)
            continue
        shared = Counter(q for t in terms[p] for q in index[t])
        mates = [q for q, n in shared.items() if n >= 4 and claims[q][1] != doc and claims[q][0] not in used]
        if mates:
            ids = [cid, claims[min(mates)][0]]
            out["agreements"].append({"statement": statement, "claim_ids": ids})
            used.update(ids)
    for name in out:
        out[name] = out[name][:8]
    return out


def newsroom(request: dict) -> dict:
    """Routes by the prompt: the merge prompt carries <claims>, extraction a <document>."""
    return merge(request) if "<claims>" in _user(request) else extraction(request)


def main(argv=None) -> None:
    """The fake server's command line (--port, --latency, --faults ...), answering as the newsroom."""
    fake_openai_server.main(argv, responder=newsroom)


if __name__ == "__main__":
    main()
