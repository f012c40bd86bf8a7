"""Sentence-level deduplication and syndication grouping.

Every sentence is mapped to a passage: exact duplicates (equal after normalisation) first, then
near duplicates (Jaccard of word shingles >= threshold). Near-duplicate candidates come from MinHash
LSH banding, so the work is linear in the number of sentences; every candidate is then verified
with the exact Jaccard. Clustering is greedy in document order: a passage joins the most similar
earlier representative it is a near duplicate of, so every carrier is within the threshold of its
representative (no transitive drift through chains of small edits).

A near duplicate never hides what another outlet said: two sentences whose figures or negations differ
("would raise taxes" / "would not raise taxes") stay two passages, however many words they share.

Documents that copy each other (share >= syndication_share of the smaller one's passages, or are
near duplicates as wholes) form one syndication group: one source of evidence, never corroboration.
Quotations do not count toward that share: independent outlets carry an official's words verbatim, and
that is corroboration. A passage carried by several groups is marked `shared` (each outlet is credited);
only a carrier inside its representative's own group is a copy, listed in `removed` with what it matched.

Everything here is deterministic across processes and platforms: iteration follows document
order, and hashing uses shake_128 with explicit byte order, never Python's salted hash().
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from functools import lru_cache
from itertools import combinations

from ..models import DedupResult, Document, Passage, Sentence, Span, sentence_key
from ..text.numbers import FRACTIONS, MULTIPLES, ORDINALS, SCALES, TENS, UNITS

# Invisible characters that scraped text carries at random: soft hyphen, zero-width, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# Characters that join rather than separate: apostrophes inside words (Acme's / Acme’s),
# separators inside numbers (1,000 / 3.5) and dotted abbreviations (U.S.). Each alternative
# starts with its literal so the scan is fast; the lookbehinds then check the context.
_JOINERS = re.compile(r"['’‘ʼ`´](?<=\w.)(?=\w)|[.,](?<=\d.)(?=\d)|\.(?<=\b\w\.)(?=\w\b)")
_WORD = re.compile(r"\w+")
# Text between quotation marks on one line: “…”, "…", «…», „…“
_QUOTE = re.compile(r'“([^“”\n]+)”|"([^"\n]+)"|«([^«»\n]+)»|„([^„“”\n]+)[“”]')

# Words whose difference changes what a sentence says: a near duplicate differing in one is not merged.
# Contractions arrive without their apostrophe ("didn't" -> "didnt"), see _JOINERS.
_NEGATIONS = frozenset("""not no never nor neither none nobody nothing without cannot didnt dont doesnt isnt
wasnt werent arent hasnt havent hadnt wont wouldnt couldnt shouldnt cant mustnt""".split())
# any consistent value per word will do: only whether two sentences' figures are the same is asked
_FIGURE_WORDS = {**FRACTIONS, **ORDINALS, **MULTIPLES, **UNITS, **TENS, **SCALES, "dozen": 12}
# a sentence at least this share inside quotation marks is a quotation: shared by independent outlets
# as corroboration, never evidence of copying
_QUOTED_SHARE = 0.5

_MAX_CANDIDATES = 32  # verified per passage; bounds the work when many passages look alike
_MIN_SHARED = 2  # one shared sentence (a common quote) never makes two documents copies
_PAIR_BUDGET = 5_000_000  # document pairs counted for shared passages (~2 s of work at most)
_ESTIMATE_MARGIN = 0.25  # with 64 lanes an estimate this far below the truth has p < 1e-4


def normalize_words(text: str) -> list[str]:
    """The words compared for duplicates: case, whitespace, quotes, dashes, punctuation ignored."""
    t = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    return _WORD.findall(_JOINERS.sub("", t))


def _signals(words: list[str]) -> tuple[frozenset, frozenset]:
    """The figures (as values: "thirty" = "30") and negation words of a normalised sentence."""
    figures = set()
    for w in words:
        if w[0].isdigit():
            try:
                figures.add(float(w))
            except ValueError:
                figures.add(w)  # "6-3", "2pm": compared as written
        elif w in _FIGURE_WORDS:
            figures.add(float(_FIGURE_WORDS[w]))
    return frozenset(figures), frozenset(w for w in words if w in _NEGATIONS)


def _shingles(words: list[str], k: int) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(k))))


def _jaccard(a: set, b: set) -> float:
    inter = len(a & b)
    union = len(a) + len(b) - inter
    return inter / union if union else 0.0


class _MinHasher:
    """MinHash signatures packed in one int: num_perm lanes of 16 bits, a 15-bit hash in each.

    A shingle's hash in every lane comes from simple tabulation over its words: the XOR of one
    random table entry per (word, position), each entry a whole packed vector drawn once per
    distinct word from shake_128. Lane-wise min over shingles is SWAR arithmetic on the packed
    ints (bit 15 of each lane is a guard bit for the compare), so a shingle costs ~10 big-int
    operations instead of num_perm Python-level hashes and comparisons: ~4x faster than the
    textbook loop, measured. 15-bit lanes are plenty for LSH banding: a spurious match needs every
    row of a band to tie, and candidates are verified with the exact Jaccard anyway.
    """

    def __init__(self, shingle: int, num_perm: int):
        self.k = shingle
        self.n_bytes = 2 * num_perm
        self.values = sum(0x7FFF << (16 * i) for i in range(num_perm))
        self.guards = sum(1 << (16 * i + 15) for i in range(num_perm))
        self._tables: dict[str, tuple[int, ...]] = {}

    def _table(self, word: str) -> tuple[int, ...]:
        n, raw = self.n_bytes, hashlib.shake_128(word.encode()).digest(self.n_bytes * self.k)
        t = tuple(
            int.from_bytes(raw[j * n:(j + 1) * n], "little") & self.values for j in range(self.k)
        )
        self._tables[word] = t
        return t

    def signature(self, words: list[str]) -> int:
        """Requires len(words) >= shingle."""
        get = self._tables.get
        tables = [get(w) or self._table(w) for w in words]
        n = len(words) - self.k + 1
        hashes = [t[0] for t in tables[:n]]
        for j in range(1, self.k):
            hashes = list(map(int.__xor__, hashes, [t[j] for t in tables[j:j + n]]))
        return self.min(hashes)

    def min(self, packed: list[int]) -> int:
        """Lane-wise minimum of packed vectors."""
        g = self.guards
        m = packed[0]
        for v in packed[1:]:
            ge = ((m | g) - v) & g  # guard bit stays set in lanes where m >= v
            m ^= (m ^ v) & (ge - (ge >> 15))  # take v in those lanes
        return m

    def estimate(self, a: int, b: int) -> float:
        """MinHash estimate of the Jaccard: the share of lanes that agree."""
        return array("H", (a ^ b).to_bytes(self.n_bytes, "little")).count(0) / (self.n_bytes // 2)

    def band_keys(self, sig: int, bands: int) -> list[bytes]:
        raw = sig.to_bytes(self.n_bytes, "little")
        w = self.n_bytes // bands
        return [raw[i:i + w] for i in range(0, self.n_bytes, w)]


class _LSH:
    """Banded buckets of item ids; a bucket holds an int until it has a second member (memory)."""

    def __init__(self, bands: int):
        self.buckets: list[dict[bytes, int | list[int]]] = [{} for _ in range(bands)]

    def candidates(self, keys: list[bytes]) -> list[int]:
        """Items sharing a band, most shared bands first, then earliest; at most _MAX_CANDIDATES."""
        hits: dict[int, int] = {}
        for bucket, key in zip(self.buckets, keys):
            got = bucket.get(key)
            if got is None:
                continue
            for item in (got,) if type(got) is int else got:
                hits[item] = hits.get(item, 0) + 1
        return sorted(hits, key=lambda i: (-hits[i], i))[:_MAX_CANDIDATES]

    def add(self, item: int, keys: list[bytes]) -> None:
        for bucket, key in zip(self.buckets, keys):
            got = bucket.get(key)
            if got is None:
                bucket[key] = item
            elif type(got) is int:
                bucket[key] = [got, item]
            else:
                got.append(item)


def dedup(
    docs: list[Document],
    sentences: list[Sentence],
    *,
    threshold: float = 0.8,
    shingle: int = 3,
    num_perm: int = 64,
    bands: int = 16,
    min_words: int = 6,
    syndication_share: float = 0.5,
    doc_threshold: float = 0.6,
    quote_min_words: int = 8,
) -> DedupResult:
    """Map every sentence to a passage and group syndicated documents.

    threshold: Jaccard of word shingles for a near duplicate; min_words: shorter sentences merge
    only on exact match (shingle sets that small are noise); syndication_share, doc_threshold:
    see _syndication.
    """
    if num_perm < 1 or bands < 1 or num_perm % bands:
        raise ValueError(f"num_perm ({num_perm}) must be a positive multiple of bands ({bands})")
    if shingle < 1:
        raise ValueError("shingle must be >= 1")
    doc_pos: dict[str, int] = {}
    for i, d in enumerate(docs):
        if d.id in doc_pos:
            raise ValueError(f"duplicate document id {d.id!r}")
        doc_pos[d.id] = i
    for s in sentences:
        if s.doc_id not in doc_pos:
            raise ValueError(f"sentence {sentence_key(s)} belongs to no given document")
    sents = sorted(sentences, key=lambda s: (doc_pos[s.doc_id], s.idx))
    for a, b in zip(sents, sents[1:]):
        if a.doc_id == b.doc_id and a.idx == b.idx:
            raise ValueError(f"sentence {sentence_key(a)} given twice")

    key_text, key_of = _exact_keys(sents)
    hasher = _MinHasher(shingle, num_perm)
    near = _near_clusters(key_text, hasher, bands=bands, threshold=threshold, min_words=min_words)
    passages, passage_of, merged, counts = _passages(sents, key_of, near)
    groups, links, synd_stats = _syndication(
        docs, sents, doc_pos, key_text, key_of, near, hasher,
        bands=bands, share=syndication_share, doc_threshold=doc_threshold,
    )
    quotes = shared_quotes(docs, min_words=quote_min_words)
    removed = _mark_shared(passages, groups, docs)
    stats = {
        "documents": len(docs),
        "sentences": len(sents),
        "passages": len(passages),
        **counts,
        "near_kept_apart": near.kept_apart,
        "shared_passages": sum(p.shared for p in passages),
        "copies_removed": len(removed),
        "candidates_verified": near.verified,
        "candidate_cap_hits": near.capped,
        "syndication_groups": len(groups),
        **synd_stats,
        "shared_quotes": len(quotes),
        "params": {
            "threshold": threshold, "shingle": shingle, "num_perm": num_perm, "bands": bands,
            "min_words": min_words, "syndication_share": syndication_share,
            "doc_threshold": doc_threshold, "quote_min_words": quote_min_words,
        },
    }
    return DedupResult(
        passages=passages,
        passage_of=passage_of,
        syndication_groups=groups,
        group_of={doc_id: g for g, ids in enumerate(groups) for doc_id in ids},
        merged=merged,
        syndication_links=links,
        shared_quotes=quotes,
        removed=removed,
        stats=stats,
    )


def _exact_keys(sents: list[Sentence]) -> tuple[list[str], list[int]]:
    """One key per distinct normalised text, in order of first occurrence; each sentence's key.

    Keys are joined strings, split again when needed: far less memory than lists of words.
    """
    index: dict[str, int] = {}
    key_text: list[str] = []
    key_of: list[int] = []
    for s in sents:
        text = " ".join(normalize_words(s.text))
        k = index.get(text) if text else None  # punctuation only: a duplicate of nothing
        if k is None:
            k = len(key_text)
            key_text.append(text)
            if text:
                index[text] = k
        key_of.append(k)
    return key_text, key_of


class _Clusters:
    def __init__(self, n: int):
        self.rep_of = list(range(n))  # key -> representative key (itself if a representative)
        self.sim = [1.0] * n  # Jaccard to the representative key
        self.sigs: list[int | None] = [None] * n  # MinHash, for keys with >= shingle words
        self.verified = self.capped = 0
        self.kept_apart = 0  # near duplicates not merged: their figures or negations differ


def _near_clusters(
    key_text: list[str], hasher: _MinHasher, *, bands: int, threshold: float, min_words: int
) -> _Clusters:
    """Greedy leaders in order of first occurrence: a key joins the most similar earlier
    representative within the threshold, else becomes one. Only representatives enter the LSH."""
    k_sh = hasher.k
    out = _Clusters(len(key_text))
    lsh = _LSH(bands)
    for k, text in enumerate(key_text):
        words = text.split()
        if len(words) < k_sh:
            continue
        sig = out.sigs[k] = hasher.signature(words)
        if len(words) < min_words:
            continue
        keys = hasher.band_keys(sig, bands)
        best, best_j = -1, 0.0
        cands = lsh.candidates(keys)
        if cands:
            out.capped += len(cands) == _MAX_CANDIDATES
            out.verified += len(cands)
            mine, signals = _shingles(words, k_sh), _signals(words)
            vetoed = False
            for r in cands:
                other = key_text[r].split()
                j = _jaccard(mine, _shingles(other, k_sh))
                if j >= threshold and j > best_j:
                    if _signals(other) == signals:
                        best, best_j = r, j
                    else:
                        vetoed = True
            out.kept_apart += vetoed and best < 0
        if best >= 0:
            out.rep_of[k], out.sim[k] = best, best_j
        else:
            lsh.add(k, keys)
    return out


def _passages(
    sents: list[Sentence], key_of: list[int], near: _Clusters
) -> tuple[list[Passage], dict[str, str], list[dict], dict[str, int]]:
    members: dict[int, list[int]] = {}  # representative key -> sentence positions
    for pos, k in enumerate(key_of):
        members.setdefault(near.rep_of[k], []).append(pos)
    passages: list[Passage] = []
    passage_of: dict[str, str] = {}
    merged: list[dict] = []
    n_exact = n_near = 0
    # insertion order is the order of first occurrence, and a representative key occurs before
    # every key merged into it, so positions[0] is the passage's first occurrence
    for rep_key, positions in members.items():
        first = sents[positions[0]]
        pid = f"{first.doc_id}:p{first.idx}"
        carriers = [
            Span(doc_id=sents[p].doc_id, start=sents[p].start, end=sents[p].end) for p in positions
        ]
        n_nearby = sum(key_of[p] != rep_key for p in positions)
        kind = "near" if n_nearby else "exact" if len(positions) > 1 else "unique"
        passages.append(
            Passage(id=pid, text=first.text, rep=carriers[0], carriers=carriers, dup=kind)
        )
        for p in positions:
            passage_of[sentence_key(sents[p])] = pid
        if len(positions) > 1:
            n_near += n_nearby
            n_exact += len(positions) - 1 - n_nearby
            sims = [round(near.sim[key_of[p]], 4) for p in positions]
            merged.append({
                "passage": pid,
                "kind": kind,
                "text": first.text if len(first.text) <= 160 else first.text[:157] + "...",
                "similarity": min(sims),
                "carriers": [
                    {"doc_id": c.doc_id, "start": c.start, "end": c.end, "similarity": x}
                    for c, x in zip(carriers, sims)
                ],
            })
    return passages, passage_of, merged, {"exact_duplicates": n_exact, "near_duplicates": n_near}


def _syndication(
    docs: list[Document],
    sents: list[Sentence],
    doc_pos: dict[str, int],
    key_text: list[str],
    key_of: list[int],
    near: _Clusters,
    hasher: _MinHasher,
    *,
    bands: int,
    share: float,
    doc_threshold: float,
) -> tuple[list[list[str]], list[dict], dict]:
    """Group documents that are copies of each other (union-find); headings are ignored.

    Headings and quotations are left out: independent outlets share an official's words verbatim.
    Two documents are linked when they share at least `share` of the smaller one's passages
    (a truncated wire copy is still a copy; never on one shared sentence alone), or when their
    word shingles as wholes have Jaccard >= doc_threshold (catches copies re-split into different
    sentences). Returns the groups, in document order, and the links that formed them.
    """
    n_docs = len(docs)
    doc_keys: list[list[int]] = [[] for _ in range(n_docs)]  # distinct keys per doc
    doc_reps: list[set[int]] = [set() for _ in range(n_docs)]  # distinct passages per doc
    seen: set[tuple[int, int]] = set()
    for pos, s in enumerate(sents):
        if s.heading or quoted_share(s.text) >= _QUOTED_SHARE:
            continue
        d, k = doc_pos[s.doc_id], key_of[pos]
        if (d, k) not in seen:
            seen.add((d, k))
            doc_keys[d].append(k)
            doc_reps[d].add(near.rep_of[k])

    parent = list(range(n_docs))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)  # the earliest document names the group

    # Shared passages, counted per pair of documents carrying them. A passage in m documents
    # costs m*(m-1)/2: if boilerplate in thousands of documents would blow the budget, the most
    # widely carried passages are left out of the count (and reported in the stats).
    carried_by: dict[int, list[int]] = {}  # passage -> the docs carrying it, ascending
    for d in range(n_docs):
        for r in doc_reps[d]:
            carried_by.setdefault(r, []).append(d)
    fanout_cut = _fanout_cut([len(ds) for ds in carried_by.values()])
    shared: dict[tuple[int, int], int] = {}
    skipped = 0
    for ds in carried_by.values():
        if len(ds) >= fanout_cut:
            skipped += 1
            continue
        for pair in combinations(ds, 2):
            shared[pair] = shared.get(pair, 0) + 1
    links: dict[tuple[int, int], dict] = {}
    for (a, b), n in shared.items():
        smaller = min(len(doc_reps[a]), len(doc_reps[b]))
        if n >= _MIN_SHARED and n >= share * smaller:
            links[(a, b)] = {"shared_passages": n, "share": round(n / smaller, 4)}
            union(a, b)

    # Whole documents: a document's shingle set is the union of its sentences', so its MinHash
    # is the lane-wise min of theirs (sentences shorter than a shingle add nothing). Only pairs
    # not yet in one group need the exact check, and a MinHash estimate far below the threshold
    # rules a pair out without building the shingle sets.
    lsh = _LSH(bands)
    doc_sigs: dict[int, int] = {}

    @lru_cache(maxsize=64)  # bounded: all documents' shingle sets at once can take gigabytes
    def doc_shingles(d: int) -> set:
        return set().union(*(_shingles(key_text[k].split(), hasher.k) for k in doc_keys[d]))

    for d in range(n_docs):
        sigs = [near.sigs[k] for k in doc_keys[d] if near.sigs[k] is not None]
        if not sigs:
            continue
        sig = doc_sigs[d] = hasher.min(sigs)
        keys = hasher.band_keys(sig, bands)
        for other in lsh.candidates(keys):
            if root(other) == root(d):
                continue
            if hasher.estimate(doc_sigs[other], sig) < doc_threshold - _ESTIMATE_MARGIN:
                continue
            j = _jaccard(doc_shingles(other), doc_shingles(d))
            if j >= doc_threshold:
                links.setdefault((other, d), {})["doc_jaccard"] = round(j, 4)
                union(other, d)
        lsh.add(d, keys)

    groups: dict[int, list[str]] = {}
    for d in range(n_docs):
        groups.setdefault(root(d), []).append(docs[d].id)
    link_report = [
        {"docs": [docs[a].id, docs[b].id], **info} for (a, b), info in sorted(links.items())
    ]
    stats = {"passages_too_common_to_pair": skipped}
    return list(groups.values()), link_report, stats


def _mark_shared(passages: list[Passage], groups: list[list[str]], docs: list[Document]) -> list[dict]:
    """Mark passages that independent sources carry (`shared`) and list the copies: a carrier after the
    first of its syndication group (a reprint, or a repeat in one document), with the carrier it matched."""
    group_of = {d: g for g, ids in enumerate(groups) for d in ids}
    names = {d.id: d.name for d in docs}
    removed = []
    for p in passages:
        first: dict[int, Span] = {}
        for c in p.carriers:
            g = group_of[c.doc_id]
            if g not in first:
                first[g] = c
                continue
            kept = first[g]
            removed.append({
                "doc_id": c.doc_id, "source": names.get(c.doc_id, c.doc_id), "start": c.start, "end": c.end,
                "passage": p.id, "kind": p.dup,
                "why": "repeated in the same document" if kept.doc_id == c.doc_id else "syndicated copy",
                "matched": {"doc_id": kept.doc_id, "source": names.get(kept.doc_id, kept.doc_id),
                            "start": kept.start, "end": kept.end},
            })
        p.shared = len(first) >= 2
    return removed


def quoted_share(text: str) -> float:
    """Share of a sentence's characters inside quotation marks. A quotation segment cut across sentences
    counts too: an opening mark never closed runs to the end, a closing mark never opened from the start."""
    inside = [False] * len(text)
    for m in _QUOTE.finditer(text):
        g = m.lastindex
        for i in range(m.start(g), m.end(g)):
            inside[i] = True
    rest = _QUOTE.sub(lambda m: " " * len(m.group(0)), text)
    opens = [i for i, ch in enumerate(rest) if ch in "“«„" or (ch == '"' and i < 3)]
    closes = [i for i, ch in enumerate(rest) if ch in "”»" or (ch == '"' and i >= 3)]
    if opens and not closes:
        inside[opens[0]:] = [True] * (len(text) - opens[0])
    elif closes and not opens:
        inside[:closes[-1]] = [True] * closes[-1]
    letters = [flag for ch, flag in zip(text, inside) if ch.isalnum()]
    return sum(letters) / len(letters) if letters else 0.0


def _fanout_cut(fanouts: list[int]) -> int:
    """The smallest fan-out left out so that counting pairs stays within _PAIR_BUDGET."""
    total = 0
    for m in sorted(fanouts):
        total += m * (m - 1) // 2
        if total > _PAIR_BUDGET:
            return m
    return max(fanouts, default=0) + 1


def shared_quotes(docs: list[Document], *, min_words: int = 8) -> list[dict]:
    """Quoted strings (>= min_words words) that occur, normalised, in more than one document.

    Catches a quote repeated by several outlets inside otherwise different sentences, which the
    sentence-level pass cannot see. Spans cover the text inside the quotation marks.
    """
    found: dict[str, list[tuple[int, int, int]]] = {}  # normalised quote -> (doc, start, end)
    for d, doc in enumerate(docs):
        for m in _QUOTE.finditer(doc.text):
            g = m.lastindex  # the alternative that matched
            words = normalize_words(m.group(g))
            if len(words) >= min_words:
                found.setdefault(" ".join(words), []).append((d, m.start(g), m.end(g)))
    out = []
    for occ in found.values():
        doc_idx = sorted({d for d, _, _ in occ})
        if len(doc_idx) < 2:
            continue
        d0, s0, e0 = occ[0]
        out.append({
            "text": docs[d0].text[s0:e0],
            "docs": [docs[d].id for d in doc_idx],
            "spans": [{"doc_id": docs[d].id, "start": s, "end": e} for d, s, e in occ],
        })
    return out
