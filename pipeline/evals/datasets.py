"""External corpora with reference gold, for measuring the pipeline the way an outsider would.

The data lives outside the repo (``../shared/evaldata`` beside the project, or ``$BRIEF_EVALDATA``) and
is never copied in. Adapters turn each story into a Corpus (in-memory documents with outlet and title)
and a GoldSet in the same format as the hand-labelled gold:

- allsides: every roundup paragraph but the last -> agreements (what all coverage agrees on), the last
  paragraph -> divergences (how left/center/right coverage differed); one fact per sentence. A roundup
  of one paragraph gives agreements only.
- summhay: each topic's documents; insights present in >= 2 of the documents used -> agreements.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator, Optional

from pydantic import BaseModel

from ..models import BriefError
from ..text.sentences import split_sentences
from .gold import GoldFact, GoldSet
from .splits import SPLITS, halves, story_split, wanted

DATASETS = ("allsides", "summhay")
ALLSIDES_FILE = "allsides/roundups_dev.jsonl"
SUMMHAY_FILES = ("summhay/topic_news1.json", "summhay/topic_news2.json")
HUMAN_COVERAGE_FILE = "summhay/human_coverage_dev.json"


class CorpusDoc(BaseModel):
    name: str
    text: str
    title: Optional[str] = None
    outlet: Optional[str] = None


class Corpus(BaseModel):
    id: str
    title: str
    documents: list[CorpusDoc]

    def records(self) -> list[dict]:
        """The documents as make_brief takes in-memory records: text with title, outlet and name."""
        return [{"text": d.text, "title": d.title, "outlet": d.outlet, "name": d.name} for d in self.documents]


def evaldata_dir(required: bool = True) -> Optional[Path]:
    """$BRIEF_EVALDATA, else ../shared/evaldata beside the project root (or the working directory)."""
    env = os.environ.get("BRIEF_EVALDATA")
    candidates = [Path(env)] if env else []
    root = Path(__file__).resolve().parents[2]
    candidates += [root.parent / "shared" / "evaldata", Path.cwd().parent / "shared" / "evaldata"]
    for c in candidates:
        if c.is_dir():
            return c
    if required:
        raise BriefError("external eval data not found: set BRIEF_EVALDATA or put it at "
                         f"{candidates[-1 if not env else 0]}")
    return None


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (the one splitter, text/sentences.py), spaces normalised."""
    return split_sentences(" ".join(paragraph.replace("\u00a0", " ").split()))


def _read_jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise BriefError(f"dataset file not found: {path}") from None


def allsides(limit: Optional[int] = None, root: Optional[Path] = None, split: str = "all") -> Iterator[tuple[Corpus, GoldSet]]:
    """AllSides roundups: the left/center/right articles' opening paragraphs, and the editors' roundup.
    `split`: each story's half is fixed by a hash of its id (`splits.story_split`)."""
    path = (root or evaldata_dir()) / ALLSIDES_FILE
    n = 0
    for row in _read_jsonl(path):
        if limit is not None and n >= limit:
            return
        if not wanted(split, story_split("allsides", str(row.get("id")))):
            continue
        docs = []
        for side in ("left", "center", "right"):
            art = (row.get("news") or {}).get(side)
            body = "\n\n".join(p.strip() for p in (art or {}).get("newBody") or [] if p.strip())
            if body:
                docs.append(CorpusDoc(name=f"{side}.txt", text=body, title=art.get("newsTitle"),
                                      outlet=art.get("newsSource")))
        paras = [p for p in row.get("roundup") or [] if p.strip()]
        if len(docs) < 2 or not paras:
            continue  # nothing to compare, or nothing to compare against
        facts = []
        for i, para in enumerate(paras):
            section = "divergences" if len(paras) > 1 and i == len(paras) - 1 else "agreements"
            prefix = "D" if section == "divergences" else "A"
            for s in sentences(para):
                facts.append(GoldFact(id=f"{prefix}{sum(f.section == section for f in facts) + 1}",
                                      section=section, text=s))
        if not facts:
            continue
        cid = f"allsides-{row['id']}"
        n += 1
        yield (Corpus(id=cid, title=row.get("issue") or cid, documents=docs),
               GoldSet(corpus=cid, facts=facts, path=f"{path}#{row['id']}"))


def summhay(max_docs: Optional[int] = None, limit: Optional[int] = None,
            root: Optional[Path] = None, split: str = "all") -> Iterator[tuple[Corpus, GoldSet]]:
    """SummHay news topics: 100 documents each; insights in >= 2 of the documents used are agreements.

    `split` halves each topic twice, by hashes of ids (`splits.halves`): its documents (50 / 50) and its
    subtopics (5 / 4). A half's corpus is its documents; its gold, the insights of its subtopics found in
    >= 2 of them. No document and no scored insight is on both sides (a document covers two subtopics,
    so a dev document may also tell held-out insights: they are simply not scored there)."""
    base = root or evaldata_dir()
    for k, rel in enumerate(SUMMHAY_FILES):
        if limit is not None and k >= limit:
            return
        path = base / rel
        try:
            topic = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BriefError(f"dataset file not found: {path}") from None
        docs_raw = topic["documents"]
        if split != "all":
            doc_half = halves("summhay-document", [d["document_id"] for d in docs_raw])
            sub_half = halves("summhay-subtopic", [s["subtopic_id"] for s in topic["subtopics"]])
            docs_raw = [d for d in docs_raw if doc_half[d["document_id"]] == split]
        docs_raw = docs_raw[:max_docs] if max_docs else docs_raw
        count: dict[str, int] = {}
        for d in docs_raw:
            for iid in set(d.get("insights_included") or []):
                count[iid] = count.get(iid, 0) + 1
        facts = [GoldFact(id=ins["insight_id"], section="agreements", text=ins["insight"])
                 for sub in topic["subtopics"] if split == "all" or sub_half[sub["subtopic_id"]] == split
                 for ins in sub["insights"] if count.get(ins["insight_id"], 0) >= 2]
        docs = [CorpusDoc(name=f"{d['document_id']}.txt", text=d["document_text"],
                          outlet=(d.get("document_metadata") or {}).get("article_source")) for d in docs_raw]
        if not facts:
            continue
        cid = f"summhay-{topic['topic_id']}" + ("" if split == "all" else f"-{split}")
        yield (Corpus(id=cid, title=topic.get("topic") or cid, documents=docs),
               GoldSet(corpus=cid, facts=facts, path=str(path)))


def load_dataset(name: str, *, limit: Optional[int] = None, max_docs: Optional[int] = None,
                 root: Optional[Path] = None, split: str = "all") -> list[tuple[Corpus, GoldSet]]:
    if split not in SPLITS:
        raise BriefError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    if name == "allsides":
        return list(allsides(limit, root, split))
    if name == "summhay":
        return list(summhay(max_docs, limit, root, split))
    raise BriefError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
