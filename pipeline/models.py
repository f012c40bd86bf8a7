"""The data that flows through one brief, stage by stage.

Offsets are always character offsets into ``Document.text`` (the cleaned text) unless a field name
says ``raw_``; ``Document.to_raw`` maps a cleaned offset back into the raw decoded file.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from enum import Enum
from typing import Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SECTIONS = ("agreements", "divergences", "unsaid")  # the brief's three sections (what gold facts are scored in)
Section = Literal["agreements", "divergences", "unsaid"]
# Facts only one source carries are not "unsaid": they get a list of their own, "Reported by one source only".
LISTS = (*SECTIONS, "single_source")
ItemSection = Literal["agreements", "divergences", "unsaid", "single_source"]


# --- loading and cleaning -------------------------------------------------------------------------

class DocMeta(BaseModel):
    title: Optional[str] = None
    outlet: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None


class Removal(BaseModel):
    """One piece of page furniture the cleaner dropped: never silent, always located."""
    kind: str  # e.g. "also-read", "tags", "markdown-link", "ads"
    raw_start: int
    raw_end: int
    text: str


class Document(BaseModel):
    id: str  # stable: derived from the content hash
    name: str  # file name relative to the input root, or "text-N" for in-memory texts
    path: Optional[str] = None
    sha256: str  # of the raw bytes (or of the utf-8 text for in-memory inputs)
    format: str  # txt | md | html | json | jsonl | text
    raw: str  # decoded raw text (for html: the markup; for json(l): the record's text field)
    text: str  # cleaned text; every offset in the pipeline points in here
    meta: DocMeta = Field(default_factory=DocMeta)
    removals: list[Removal] = Field(default_factory=list)
    # Piecewise map cleaned -> raw: breakpoints (clean_pos, raw_pos), sorted by clean_pos.
    # Inside a piece both advance together; see to_raw.
    offset_map: list[tuple[int, int]] = Field(default_factory=list)

    def to_raw(self, pos: int) -> int:
        if not self.offset_map:
            return pos
        # tuples compare by clean_pos first; inf puts pos after every breakpoint that starts at it
        k = max(bisect_right(self.offset_map, (pos, float("inf"))) - 1, 0)
        clean0, raw0 = self.offset_map[k]
        return raw0 + (pos - clean0)


class LoadWarning(BaseModel):
    path: str
    problem: str


# --- segmentation, dedup, chunking ----------------------------------------------------------------

class Sentence(BaseModel):
    doc_id: str
    idx: int  # position in the document, 0-based
    para: int  # paragraph index
    start: int
    end: int
    text: str  # == doc.text[start:end]
    heading: bool = False  # a title or sub-heading line, not a statement


class Span(BaseModel):
    doc_id: str
    start: int
    end: int


class Passage(BaseModel):
    """A unit of text after deduplication: one representative and every place it was carried."""
    id: str
    text: str
    rep: Span  # the representative occurrence (first seen)
    carriers: list[Span]  # every occurrence, the representative included
    dup: Literal["unique", "exact", "near"] = "unique"


def sentence_key(s: Sentence) -> str:
    return f"{s.doc_id}:{s.idx}"


class DedupResult(BaseModel):
    passages: list[Passage]  # in document order of their representatives
    passage_of: dict[str, str]  # f"{doc_id}:{sentence_idx}" -> passage id, for every sentence
    syndication_groups: list[list[str]]  # doc ids; every document in exactly one group
    group_of: dict[str, int]  # doc id -> index into syndication_groups
    merged: list[dict] = Field(default_factory=list)  # for the manifest: what was merged and why
    syndication_links: list[dict] = Field(default_factory=list)  # the pairs that formed the groups
    shared_quotes: list[dict] = Field(default_factory=list)  # quotes (>= 8 words) in several docs
    stats: dict = Field(default_factory=dict)

    _by_id: dict[str, Passage] | None = PrivateAttr(default=None)

    def passage(self, passage_id: str) -> Passage:
        if self._by_id is None:
            self._by_id = {p.id: p for p in self.passages}
        return self._by_id[passage_id]

    def passage_for(self, s: Sentence) -> Passage:
        return self.passage(self.passage_of[sentence_key(s)])

    def is_representative(self, s: Sentence) -> bool:
        """True for the first occurrence of its passage; later copies can be skipped downstream."""
        rep = self.passage_for(s).rep
        return rep.doc_id == s.doc_id and rep.start == s.start

    def independent_count(self, doc_ids: Iterable[str]) -> int:
        """How many independent sources these documents are: syndicated copies count once."""
        return len({self.group_of[d] for d in doc_ids})


class Chunk(BaseModel):
    id: str
    doc_id: str
    start: int
    end: int
    text: str  # == doc.text[start:end]
    n_tokens: int


# --- claims ---------------------------------------------------------------------------------------

class ClaimKind(str, Enum):
    fact = "reported_fact"
    position = "position"  # a party's position, demand or condition
    absence = "absence"  # something the sources note was not said / not done


class Evidence(BaseModel):
    doc_id: str
    source: str  # Document.name, for humans
    start: int
    end: int
    quote: str  # == source_text[start:end], always copied from the source, never from a model
    raw_start: int
    raw_end: int
    match: Literal["exact", "normalized", "sentence"] = "exact"


class Claim(BaseModel):
    id: str
    statement: str
    holder: Optional[str] = None  # who holds or says it: "the ministry", "Acme Chemicals", "the outlet"...
    kind: ClaimKind = ClaimKind.fact
    doc_id: str  # the document it was extracted from
    evidence: list[Evidence] = Field(default_factory=list)
    unverified_quotes: list[str] = Field(default_factory=list)
    numbers: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    carriers: list[str] = Field(default_factory=list)  # every doc that carried the same passage
    verified: bool = False


# --- the brief ------------------------------------------------------------------------------------

class Variant(BaseModel):
    """One side of a divergence: what a set of sources says."""
    value: str
    sources: list[str]  # doc ids


class BriefItem(BaseModel):
    id: str
    section: ItemSection
    statement: str
    kind: str = "reported_fact"
    holders: list[str] = Field(default_factory=list)
    sources: list[str]  # doc ids, in citation order
    independent_sources: int  # syndicated copies count once
    evidence: list[Evidence]
    variants: list[Variant] = Field(default_factory=list)
    numbers: list[str] = Field(default_factory=list)
    checks: list[str] = Field(default_factory=list)  # deterministic check findings
    verified: bool
    basis: str = ""  # why the item is in its section (rule name or "llm-merge")


class Limits(BaseModel):
    """How many items each list may hold: a budget in proportion to the corpus's distinct clustered facts
    (facts two or more independent sources tell), at least `floor`, at most the list's cap (a user's setting)."""
    agreements: int = 40
    divergences: int = 20
    unsaid: int = 15
    single_source: int = 10
    share: float = 1.0
    floor: int = 8

    def budget(self, name: str, distinct_facts: int) -> int:
        return min(getattr(self, name), max(self.floor, math.ceil(self.share * distinct_facts)))


class ClaimSet(BaseModel):
    """What the claims stage hands on: every claim, verified or not, and what the stage has to say."""
    claims: list[Claim]
    warnings: list[str] = Field(default_factory=list)

    def verified(self) -> list[Claim]:
        return [c for c in self.claims if c.verified]


class Sections(BaseModel):
    """What the sections stage hands on: the three lists of items, and its warnings."""
    agreements: list[BriefItem] = Field(default_factory=list)
    divergences: list[BriefItem] = Field(default_factory=list)
    unsaid: list[BriefItem] = Field(default_factory=list)
    single_source: list[BriefItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def by_name(self) -> dict[str, list[BriefItem]]:
        return {name: getattr(self, name) for name in LISTS}


class DroppedItem(BaseModel):
    """An item the ground stage did not show: none of its cited spans supports its statement."""
    statement: str
    section: str
    reason: str


class SourceInfo(BaseModel):
    id: str
    n: int  # citation number, 1-based
    name: str
    sha256: str
    title: Optional[str] = None
    outlet: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    syndication_group: int  # docs in one group are copies of each other
    text: str  # cleaned text: the evidence offsets point in here


class Usage(BaseModel):
    calls: int = 0  # requests sent over the network, failed attempts included
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    retries: int = 0  # transient-fault retries
    reasks: int = 0  # invalid responses asked again
    failed_attempts: int = 0
    # the structured-output mode the answers came in (json_schema, llamacpp, json_object; the weakest if
    # several), and how many answers came in each, cached ones included
    structured_mode: Optional[str] = None
    answers_by_mode: dict[str, int] = Field(default_factory=dict)


class BriefHeader(BaseModel):
    title: str
    engine: Literal["offline", "llm"]
    engine_note: str
    model: Optional[str] = None
    base_url: Optional[str] = None
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    dedup: dict = Field(default_factory=dict)
    created_at: str
    briefsmith_version: str


class Brief(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["1"] = "1"
    header: BriefHeader
    sources: list[SourceInfo]
    agreements: list[BriefItem]
    divergences: list[BriefItem]
    unsaid: list[BriefItem]
    single_source: list[BriefItem] = Field(default_factory=list)  # "Reported by one source only"

    def items(self) -> list[BriefItem]:
        return [*self.agreements, *self.divergences, *self.unsaid, *self.single_source]

    def source(self, doc_id: str) -> SourceInfo:
        for s in self.sources:
            if s.id == doc_id:
                return s
        raise KeyError(doc_id)


class BriefError(Exception):
    """A failure the user can act on: printed as one line, never as a traceback."""


class RunResult(BaseModel):
    """One run: the Brief, and what the manifest reports of how it was made."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    brief: Brief
    documents: list[Document]
    warnings: list[LoadWarning]
    dedup: DedupResult
    calls: list[dict] = []
    dropped_items: list[DroppedItem] = []  # items no cited span supports (ground stage)
