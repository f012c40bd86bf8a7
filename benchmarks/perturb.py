"""Pairs for fitting and testing the verifier, made by editing real news sentences (AllSides dev stories only).

Each source sentence gives a faithful pair (the sentence, or one clause of it, against the sentence in its
paragraph) and wrong ones, one per kind the edit applies to: figure, role, speaker, date, negation,
certainty, quantifier, clause (a claim from another story added), unrelated (another story's sentence),
other_fact (another paragraph's sentence of the same story). Deterministic: the same file gives the
same pairs. Usage: python benchmarks/perturb.py OUT.jsonl [--split dev|heldout] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evals.splits import story_split  # noqa: E402
from pipeline.text.attribution import find_holder  # noqa: E402
from pipeline.verify.signals import split_sentences, word_count  # noqa: E402

KINDS = ("figure", "role", "speaker", "date", "negation", "certainty", "quantifier", "clause", "unrelated",
         "other_fact")
_NUM = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_WORDNUM = {"two": "five", "three": "seven", "four": "nine", "five": "two", "six": "three", "seven": "four",
            "eight": "eleven", "nine": "one", "ten": "twelve", "dozens": "hundreds", "hundreds": "dozens"}
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")
_AUX = re.compile(r"\b(is|are|was|were|will|has|have|had|can|would|should|did|does)\b(?!\s+not)")
_NEG = re.compile(r"\b(is|are|was|were|will|has|have|had|can|would|should|did|does)\s+not\s+")
_HEDGES = [(r"\bmay\b", "will"), (r"\bmight\b", "will"), (r"\bcould\b", "will"), (r"\bis expected to\b", "will"),
           (r"\bare expected to\b", "will"), (r"\bplans to\b", "will"), (r"\bhinted\b", "confirmed"),
           (r"\bsuggested\b", "confirmed"), (r"\bis considering\b", "has approved"), (r"\blikely\b", "certain"),
           (r"\bproposed\b", "enacted"), (r"\breportedly\b", ""), (r"\ballegedly\b", "")]
_PARTS = [(r"\bsome\b", "all"), (r"\bseveral\b", "all"), (r"\bmany\b", "all"), (r"\bmost\b", "all"),
          (r"\bmore than half of\b", "all of"), (r"\ba majority of\b", "all of"),
          (r"\b(?:two|three|four|five|six) of the\b", "all of the"), (r"\bfew\b", "all")]


def _sub_once(pattern: str, repl: str, text: str) -> str | None:
    def keep_case(m: re.Match) -> str:
        return repl[:1].upper() + repl[1:] if m.group(0)[:1].isupper() else repl
    new, n = re.subn(pattern, keep_case, text, count=1, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", new) if n and new != text else None


def edits(s: str, names_in_story: list[str], rng: random.Random, other: str) -> dict[str, str]:
    """The wrong versions of sentence `s` this story allows, by kind."""
    out: dict[str, str] = {}
    m = _NUM.search(s)
    if m and not (1900 <= float(m.group(0).replace(",", "")) <= 2100):
        v = m.group(0).replace(",", "")
        bump = str(int(float(v)) + rng.choice([2, 3, 7, 10])) if "." not in v else str(round(float(v) * 1.5, 1))
        out["figure"] = s[:m.start()] + bump + s[m.end():]
    else:
        for w, r in _WORDNUM.items():
            new = _sub_once(rf"\b{w}\b", r, s)
            if new:
                out["figure"] = new
                break
    runs = list(dict.fromkeys(x for x in _NAME_RUN.findall(s) if x not in _WEEKDAYS + _MONTHS))
    if len(runs) >= 2 and runs[0] not in runs[1] and runs[1] not in runs[0]:
        a, b = runs[0], runs[1]
        out["role"] = s.replace(a, "\0").replace(b, a).replace("\0", b)
    holder = find_holder(s)
    if holder and holder[:1].isupper():
        others = [n for n in names_in_story if n not in holder and holder not in n and n not in s]
        if others:
            out["speaker"] = s.replace(holder, rng.choice(others), 1)
    for names in (_WEEKDAYS, _MONTHS):
        for d in names:
            if re.search(rf"\b{d}\b", s):
                out["date"] = re.sub(rf"\b{d}\b", names[(names.index(d) + 2) % len(names)], s, count=1)
                break
    if _NEG.search(s):
        out["negation"] = _NEG.sub(lambda x: x.group(1) + " ", s, count=1)
    elif _AUX.search(s):
        out["negation"] = _AUX.sub(lambda x: x.group(1) + " not", s, count=1)
    for pat, repl in _HEDGES:
        new = _sub_once(pat, repl, s)
        if new:
            out["certainty"] = new
            break
    for pat, repl in _PARTS:
        new = _sub_once(pat, repl, s)
        if new:
            out["quantifier"] = new
            break
    tail = other.rstrip(".")
    if word_count(tail) >= 5:
        out["clause"] = s.rstrip(".") + ", and " + tail[0].lower() + tail[1:] + "."
    return out


def faithful(s: str) -> str:
    """A faithful statement: the sentence's first clause when it stands alone, else the sentence itself."""
    head = re.split(r",\s+(?:while|but|and|as|which|who|after)\b", s)[0]
    return head.rstrip(",") + "." if word_count(head) >= 7 and head != s else s


def stories(path: Path, split: str):
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if story_split("allsides", str(row.get("id"))) != split:
            continue
        paras = list(row.get("roundup") or [])
        for side in (row.get("news") or {}).values():
            if isinstance(side, dict) and isinstance(side.get("text"), str):
                paras.extend(side["text"].split("\n\n")[:3])
        yield str(row["id"]), [p for p in paras if isinstance(p, str) and p.strip()]


def make_pairs(path: Path, split: str, limit: int = 0, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    all_stories = list(stories(path, split))
    pool = [s for _, paras in all_stories for p in paras for s in split_sentences(p) if 8 <= word_count(s) <= 40]
    out: list[dict] = []
    for sid, paras in all_stories:
        names = list(dict.fromkeys(x for p in paras for x in _NAME_RUN.findall(p) if " " in x))
        for p in paras:
            sents = split_sentences(p)
            for i, s in enumerate(sents):
                if not 8 <= word_count(s) <= 40:
                    continue
                evidence = " ".join(sents[max(0, i - 1): i + 2])  # the sentence in its paragraph
                out.append({"claim": faithful(s), "evidence": evidence, "label": 1, "kind": "faithful", "story": sid})
                for kind, wrong in edits(s, names, rng, rng.choice(pool)).items():
                    out.append({"claim": wrong, "evidence": evidence, "label": 0, "kind": kind, "story": sid})
                # a claim the evidence does not touch: another story's, or another fact of the same story
                out.append({"claim": rng.choice(pool), "evidence": evidence, "label": 0, "kind": "unrelated",
                            "story": sid})
                others = [x for q in paras if q != p for x in split_sentences(q) if 8 <= word_count(x) <= 40]
                if others:
                    out.append({"claim": rng.choice(others), "evidence": evidence, "label": 0, "kind": "other_fact",
                                "story": sid})
        if limit and len(out) >= limit:
            break
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--split", default="dev", choices=("dev", "heldout"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--file", type=Path, default=ROOT.parent / "shared/evaldata/allsides/roundups_dev.jsonl")
    a = ap.parse_args(argv)
    pairs = make_pairs(a.file, a.split, a.limit)
    a.out.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    from collections import Counter
    print(f"{len(pairs)} pairs -> {a.out}: {dict(Counter(p['kind'] for p in pairs))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
