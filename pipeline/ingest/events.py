"""Group a day's articles into events: same event together, different events apart, one event per article.

An article is seen through its headline and lede (what a reader sees first and what differs most between
two stories on one topic), its body's vocabulary, its named entities and its date. Two articles' similarity
mixes the cosines of those (tf-idf weighted over the night's feed, so a word every story uses counts for
little); average-linkage agglomeration joins articles while the mean similarity between two groups stays
above a threshold, which, unlike joining any pair above it, does not chain two events through one article
that mentions both. Syndicated copies (dedup's groups) start in one group and cannot be split.

An optional embedder (a function from texts to unit vectors, e.g. wordllama's) adds a paraphrase-aware
cosine of the headline+lede to the lexical one.
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from ..text.numbers import is_number_word
from ..text.words import RELATIONAL, STOPWORDS, stem

_WORD = re.compile(r"[a-z][a-z'\-]+")
_ENTITY = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z]\.(?:[A-Z]\.)+)(?:[ \-](?:[A-Z][a-z]+|[A-Z]{2,}))*")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Words every news story uses besides the function words: dates and the trade's own ("news", "report").
_FEED_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday today yesterday week year
years news report although last new""".split())
_STOP = STOPWORDS | RELATIONAL | _FEED_WORDS
_ENTITY_STOP = frozenset("""The A An In On At For But And Or If As It Its This That These Those He She They We I
Our Their His Her When While After Before During Since Today Yesterday Monday Tuesday Wednesday Thursday Friday
Saturday Sunday January February March April May June July August September October November December Mr Mrs Ms
Dr Also Here There What Why How Who Read More Photo Image Getty Reuters AP AFP""".split())


def terms(text: str) -> list[str]:
    return [stem(w.strip("'-")) for w in _WORD.findall(text.lower())
            if w not in _STOP and not is_number_word(w) and len(w) > 2]


def entities(text: str) -> list[str]:
    out = []
    for m in _ENTITY.finditer(text):
        words = [w for w in m.group().split() if w not in _ENTITY_STOP]
        if words and (len(words) > 1 or len(words[0]) > 2):
            out.append(" ".join(words).lower())
    return out


@dataclass
class Article:
    id: str  # stable: the document's content-hash id
    title: str  # headline, or the first line of the text
    text: str  # the cleaned body
    date: Optional[str] = None  # ISO date if known
    outlet: Optional[str] = None
    copy_group: Optional[str] = None  # articles sharing one are syndicated copies (dedup)

    @property
    def lede(self) -> str:
        words = self.text.split()
        return " ".join(words[:60])


@dataclass
class Event:
    id: str
    slug: str
    title: str
    members: list[str]  # article ids, most central first
    scores: dict[str, float] = field(default_factory=dict)  # member -> mean similarity to the rest


@dataclass
class Weights:
    """How the similarities mix, and when two groups are one event. Tuned on the dev split (benchmarks)."""
    head: float = 0.40
    body: float = 0.35
    entity: float = 0.25
    embed: float = 0.0  # share of the headline+lede cosine given to the embedder (when one is given)
    # mean similarity two groups need to join (dev split: benchmarks nightly). 0.14 since the Snowball
    # stemmer (text/words.py): dev purity/completeness 0.935/0.918 (0.13: 0.926/0.924; old stemmer 0.935/0.911)
    threshold: float = 0.14
    max_days: int = 3  # articles further apart than this are different events however alike
    far_penalty: float = 0.0  # dated further apart than max_days: never one event
    top_terms: Optional[int] = 40  # terms kept per article and feature


IDF_SPAN = 500


def _tfidf(docs: list[list[str]], top: Optional[int] = None) -> list[dict[str, float]]:
    """Unit tf-idf vectors; with `top`, only each document's `top` heaviest terms (its most telling words):
    pairs are found through shared terms, and a topic word in hundreds of documents would make every one of
    them a pair (1,000 articles on two topics: 87 s before, a second after)."""
    n = len(docs)
    # idf as if the feed were at least IDF_SPAN articles (the others sharing none of these words): a small
    # feed's own story words stay telling instead of sinking with its size, and thresholds hold across sizes
    span = max(n, IDF_SPAN)
    df = Counter(t for d in docs for t in set(d))
    vecs = []
    for d in docs:
        tf = Counter(d)
        # a word in half of a large feed tells no event apart; in a small feed it may be the event's own
        v = {t: (1 + math.log(c)) * math.log(1 + span / df[t]) for t, c in tf.items() if n < 20 or df[t] < 0.5 * n}
        if top is not None and len(v) > top:
            v = dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    return vecs


def _pair_cosines(vecs: list[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Cosine of every pair sharing a term, through an inverted index (pairs sharing none are 0)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for t, x in v.items():
            postings[t].append((i, x))
    sims: dict[tuple[int, int], float] = defaultdict(float)
    for plist in postings.values():
        if len(plist) < 2:
            continue
        for a in range(len(plist)):
            i, x = plist[a]
            for b in range(a + 1, len(plist)):
                j, y = plist[b]
                sims[(i, j)] += x * y
    return sims


def _day(iso: Optional[str]) -> Optional[date]:
    m = _ISO.search(iso or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def similarities(articles: Sequence[Article], w: Weights,
                 embed: Optional[Callable[[list[str]], list[list[float]]]] = None) -> dict[tuple[int, int], float]:
    heads = [f"{a.title}. {a.lede}" for a in articles]
    head = _pair_cosines(_tfidf([terms(h) for h in heads], w.top_terms))
    body = _pair_cosines(_tfidf([terms(a.text[:3000]) for a in articles], w.top_terms))
    ent = _pair_cosines(_tfidf([entities(f"{a.title}. {a.text[:3000]}") for a in articles], w.top_terms))
    emb: dict[tuple[int, int], float] = {}
    if embed is not None and w.embed > 0:
        vectors = embed(heads)
        n = len(articles)
        for i in range(n):
            vi = vectors[i]
            for j in range(i + 1, n):
                s = float(sum(x * y for x, y in zip(vi, vectors[j]))) if not hasattr(vi, "dot") else float(vi.dot(vectors[j]))
                if s > 0.3:
                    emb[(i, j)] = s
    days = [_day(a.date) for a in articles]
    out: dict[tuple[int, int], float] = {}
    for pair in set(head) | set(body) | set(ent) | set(emb):
        h = head.get(pair, 0.0)
        if emb:
            h = (1 - w.embed) * h + w.embed * emb.get(pair, 0.0)
        s = w.head * h + w.body * body.get(pair, 0.0) + w.entity * ent.get(pair, 0.0)
        di, dj = days[pair[0]], days[pair[1]]
        if di and dj and abs((di - dj).days) > w.max_days:
            s *= w.far_penalty
        if s > 0.02:
            out[pair] = s
    return out


def cluster(n: int, sims: dict[tuple[int, int], float], threshold: float,
            must_link: Sequence[Sequence[int]] = ()) -> list[list[int]]:
    """Average-linkage agglomeration over a sparse similarity graph (missing pairs count as 0)."""
    parent = list(range(n))
    for group in must_link:
        for i in group[1:]:
            parent[i] = group[0]
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        members[r].append(i)
    root_of = {i: r for r, ms in members.items() for i in ms}
    # total similarity between clusters
    link: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in sims.items():
        a, b = root_of[i], root_of[j]
        if a != b:
            link[a][b] = link[a].get(b, 0.0) + s
            link[b][a] = link[b].get(a, 0.0) + s
    heap = [(-s / (len(members[a]) * len(members[b])), a, b) for a in link for b, s in link[a].items() if a < b]
    heapq.heapify(heap)
    size = {r: len(ms) for r, ms in members.items()}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in size or b not in size:
            continue
        current = link[a].get(b, 0.0) / (size[a] * size[b])
        if abs(current + neg) > 1e-12:
            continue  # stale entry
        if current < threshold:
            break
        # merge b into a
        members[a].extend(members.pop(b))
        size[a] += size.pop(b)
        for c, s in link.pop(b).items():
            if c == a:
                continue
            link[c].pop(b, None)
            link[a][c] = link[a].get(c, 0.0) + s
            link[c][a] = link[a][c]
        link[a].pop(b, None)
        for c, s in link[a].items():
            heapq.heappush(heap, (-s / (size[a] * size[c]), min(a, c), max(a, c)))
    return [sorted(ms) for ms in members.values()]


def slugify(title: str, limit: int = 6) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    kept = [w for w in words if w not in _STOP][:limit] or words[:limit] or ["event"]
    return "-".join(kept)[:60].strip("-")


def group_events(articles: Sequence[Article], weights: Optional[Weights] = None,
                 embed: Optional[Callable] = None) -> list[Event]:
    """Events of `articles`, largest first; each article in exactly one (singletons included)."""
    w = weights or Weights()
    articles = list(articles)
    sims = similarities(articles, w, embed)
    copies: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        if a.copy_group:
            copies[a.copy_group].append(i)
    groups = cluster(len(articles), sims, w.threshold, [g for g in copies.values() if len(g) > 1])
    events = []
    for g in groups:
        centr = {i: (sum(sims.get((min(i, j), max(i, j)), 0.0) for j in g if j != i) / max(len(g) - 1, 1)) for i in g}
        order = sorted(g, key=lambda i: (-round(centr[i], 6), articles[i].id))
        # The id and slug come from the earliest member (then the smallest id): articles that join the story
        # later do not move them. The most central member's headline is the one shown.
        anchor = min((articles[i] for i in g), key=lambda a: (_day(a.date) or date.max, a.id))
        events.append(Event(id=event_id(anchor.id), slug=slugify(anchor.title), title=articles[order[0]].title,
                            members=[articles[i].id for i in order],
                            scores={articles[i].id: round(centr[i], 4) for i in order}))
    events.sort(key=lambda e: (-len(e.members), e.id))
    return events


def event_id(anchor_id: str) -> str:
    return "e" + hashlib.sha256(anchor_id.encode()).hexdigest()[:10]


def headline(title: Optional[str], text: str) -> str:
    """The article's headline, or its first line when it has none."""
    if title and title.strip():
        return " ".join(title.split())[:200]
    first = next((line for line in text.splitlines() if line.strip()), "")
    words = first.split()
    return " ".join(words[:25]) + (" ..." if len(words) > 25 else "")


def articles_of(docs, group_of: Optional[dict] = None) -> list[Article]:
    """Articles to group from loaded Documents; `group_of` (dedup's) marks syndicated copies."""
    return [Article(id=d.id, title=headline(d.meta.title, d.text), text=d.text, date=d.meta.date,
                    outlet=d.meta.outlet, copy_group=str(group_of[d.id]) if group_of else None) for d in docs]


MIN_WORDS = 60


def several_events(docs, group_of: Optional[dict] = None, min_articles: int = 2) -> list[Event]:
    """The events among `docs` that have at least `min_articles` articles, when there is more than one of
    them: what `brief run` warns about (one brief of two stories interleaves them)."""
    # a note of a few lines has too few words to tell its story apart: only articles count
    docs = [d for d in docs if len(d.text.split()) >= MIN_WORDS]
    if len(docs) < 2 * min_articles:
        return []
    # a story that a twentieth of the inputs tell is a story of its own; smaller groups are side notes of one
    floor = max(min_articles, math.ceil(0.05 * len(docs)))
    events = [e for e in group_events(articles_of(docs, group_of)) if len(e.members) >= floor]
    return events if len(events) > 1 else []


# --- quality ----------------------------------------------------------------------------------------

def purity_completeness(pred: Sequence[Sequence[str]], gold: dict[str, str]) -> tuple[float, float]:
    """Purity: share of articles in the majority gold event of their group. Completeness (inverse purity):
    share of articles in the group holding most of their gold event."""
    n = sum(len(g) for g in pred) or 1
    purity = sum(Counter(gold[a] for a in g).most_common(1)[0][1] for g in pred if g) / n
    by_gold: dict[str, Counter] = defaultdict(Counter)
    for k, g in enumerate(pred):
        for a in g:
            by_gold[gold[a]][k] += 1
    completeness = sum(c.most_common(1)[0][1] for c in by_gold.values()) / n
    return purity, completeness


def several_events_warning(docs, group_of: Optional[dict] = None) -> list[str]:
    """The warning `brief run` gives when its inputs tell several stories, naming them ([] when one)."""
    found = several_events(docs, group_of)
    if not found:
        return []
    names = "; ".join(f"'{e.title[:80]}' ({len(e.members)} articles)" for e in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return [f"these inputs look like {len(found)} separate events: {names}{more}; one brief of them mixes their "
            "items: brief each event on its own, or let `brief nightly` group them"]
