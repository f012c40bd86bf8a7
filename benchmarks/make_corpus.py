"""Build benchmark corpora from the SummHay topic documents, in a temporary folder (never in the repo).

- write_topic(): one topic's 100 documents as .txt files, as a user would point `brief run` at them.
- make_corpus(): N synthetic articles. Each article takes one topic, samples paragraphs from that topic's
  documents in random order up to 3,500-6,500 characters, and rewrites a share of its sentences with one small edit (a word
  dropped or two neighbouring words swapped). The result is what a large news event looks like to the
  pipeline: every article different, heavy overlap between them (syndicated paragraphs, exact and
  near-duplicate sentences), and a long tail of sentences that are nearly but not quite the same, so
  deduplication and the merge both have real work. Everything comes from a seeded RNG: the same
  arguments give byte-identical files.

    python benchmarks/make_corpus.py OUT_DIR [--articles 1000] [--seed 5] [--edit-rate 0.25]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
TOPIC_FILES = ("summhay/topic_news1.json", "summhay/topic_news2.json")

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def evaldata_dir() -> Optional[Path]:
    env = os.environ.get("BRIEF_EVALDATA")
    for c in ([Path(env)] if env else []) + [REPO.parent / "shared" / "evaldata", Path.cwd().parent / "shared" / "evaldata"]:
        if c.is_dir():
            return c
    return None


def load_topic(rel: str, root: Optional[Path] = None) -> dict:
    root = root or evaldata_dir()
    if root is None:
        raise SystemExit("../shared/evaldata not found beside the repository")
    return json.loads((root / rel).read_text(encoding="utf-8"))


def topic_texts(topic: dict) -> list[tuple[str, str]]:
    """(file name, text) of a topic's documents, in order."""
    return [(f"{k:03d}_{d['document_id']}.txt", d["document_text"].strip() + "\n")
            for k, d in enumerate(topic["documents"])]


def write_topic(out_dir: Path, rel: str, *, max_docs: Optional[int] = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in topic_texts(load_topic(rel))[:max_docs]:
        p = out_dir / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def _edit(sentence: str, rng: random.Random) -> str:
    words = sentence.split(" ")
    if len(words) < 8:
        return sentence
    i = rng.randrange(1, len(words) - 2)  # never the first word or the one carrying the full stop
    if rng.random() < 0.5:
        del words[i]
    else:
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def synth_articles(n_articles: int = 1000, *, seed: int = 5, edit_rate: float = 0.25,
                   topics: tuple[str, ...] = TOPIC_FILES) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pools = []
    for rel in topics:
        paras = [p.strip() for d in load_topic(rel)["documents"] for p in d["document_text"].split("\n\n")
                 if len(p.split()) >= 12]
        pools.append(paras)
    out = []
    for i in range(n_articles):
        t = i % len(pools)
        # about as long as the topic documents (4.6-5.3k characters on average)
        target, paras, size = rng.randint(3500, 6500), [], 0
        for p in rng.sample(pools[t], len(pools[t])):
            paras.append(p)
            size += len(p)
            if size >= target:
                break
        body = []
        for p in paras:
            sents = _SENT.split(p)
            body.append(" ".join(_edit(s, rng) if rng.random() < edit_rate else s for s in sents))
        out.append((f"{i:04d}_t{t + 1}.txt", "\n\n".join(body) + "\n"))
    return out


def make_corpus(out_dir: Path, n_articles: int = 1000, **kwargs) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in synth_articles(n_articles, **kwargs):
        p = out_dir / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--edit-rate", type=float, default=0.25)
    a = ap.parse_args(argv)
    if a.out.resolve().is_relative_to(REPO):
        print("refusing to write a generated corpus inside the repository", file=sys.stderr)
        return 2
    paths = make_corpus(a.out, a.articles, seed=a.seed, edit_rate=a.edit_rate)
    print(f"wrote {len(paths)} articles ({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB) to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- a night's feed: many events, each told by several outlets, with gold event labels ------------------

ALLSIDES = "allsides/roundups_dev.jsonl"


def mixed_feed(*, articles: int = 1000, summhay_docs: int = 20, split: Optional[int] = None,
               root: Optional[Path] = None) -> list[dict]:
    """Records {name, title, outlet, date, text, event} of a mixed feed: the seeds (one event), `summhay_docs`
    documents of each SummHay topic (one event each) and AllSides stories (one event each, told by left,
    centre and right outlets in their own words) until `articles`. `split` 0 or 1 takes only the even or
    odd AllSides stories and SummHay documents [0, n) or [n, 2n): the dev and held-out feeds of the
    grouping's settings."""
    root = root or evaldata_dir()
    if root is None:
        raise SystemExit("../shared/evaldata not found beside the repository")
    out: list[dict] = []
    meta = json.loads((REPO / "seeds" / "meta.json").read_text(encoding="utf-8"))
    for p in sorted((REPO / "seeds").glob("*.txt")):
        m = meta.get(p.name, {})
        out.append({"name": f"seeds_{p.name}", "title": m.get("title"), "outlet": m.get("outlet"),
                    "date": m.get("date"), "text": p.read_text(encoding="utf-8"), "event": "seeds"})
    lo = 0 if split in (None, 0) else summhay_docs
    for k, rel in enumerate(TOPIC_FILES, start=1):
        docs = load_topic(rel, root)["documents"][lo: lo + summhay_docs]
        for d in docs:
            out.append({"name": f"summhay{k}_{d['document_id']}.txt", "title": None, "outlet": None, "date": None,
                        "text": d["document_text"].strip() + "\n", "event": f"summhay{k}"})
    with open(root / ALLSIDES, encoding="utf-8") as fh:
        for idx, line in enumerate(fh):
            if len(out) >= articles:
                break
            if split is not None and idx % 2 != split:
                continue
            story = json.loads(line)
            for side, a in sorted(story["news"].items()):
                body = "\n\n".join(p.strip() for p in a.get("newBody") or [] if p.strip())
                if not body or len(out) >= articles:
                    continue
                out.append({"name": f"allsides{story['id']}_{side}.txt", "title": a.get("newsTitle"),
                            "outlet": a.get("newsSource"), "date": (story.get("date") or "")[:10] or None,
                            "text": body + "\n", "event": f"allsides{story['id']}"})
    return out[:articles]


def write_feed(out_dir: Path, records: list[dict]) -> dict[str, str]:
    """The feed as .txt files with a meta.json, and gold.json ({file name: event}) beside the folder."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta, gold = {}, {}
    for r in records:
        (out_dir / r["name"]).write_text(r["text"], encoding="utf-8")
        meta[r["name"]] = {k: r[k] for k in ("title", "outlet", "date") if r.get(k)}
        gold[r["name"]] = r["event"]
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    (out_dir.parent / f"{out_dir.name}.gold.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
    return gold
