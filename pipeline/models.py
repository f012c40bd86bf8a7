"""The data that flows through one brief, stage by stage.

Offsets are always character offsets into ``Document.text`` (the cleaned text) unless a field name
says ``raw_``; ``Document.to_raw`` maps a cleaned offset back into the raw decoded file.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Literal, Optional

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
    # what the line is: only "body" sentences are ever offered as evidence
    role: Literal["body", "heading", "dateline", "byline", "caption"] = "body"

    @property
    def evidence_ok(self) -> bool:
        return self.role == "body" and not self.heading


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
    shared: bool = False  # carried by two or more independent sources: corroboration, each one credited


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
    removed: list[dict] = Field(default_factory=list)  # copies collapsed into a passage, each with what it matched
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
    """An exact span of a source that supports a claim: `quote == brief.source(doc_id).text[start:end]`."""
    doc_id: str = Field(description="Id of the source document (SourceInfo.id).")
    source: str = Field(description="The source's file name (or text-N for an in-memory text), for humans.")
    start: int = Field(description="Start offset (characters) of the quote in the source's cleaned text.")
    end: int = Field(description="End offset (exclusive) of the quote in the source's cleaned text.")
    quote: str = Field(description="The source's own words, text[start:end]: always copied from the source, "
                                   "never from a model.")
    raw_start: int = Field(description="Start offset of the quote in the raw decoded file (before cleaning).")
    raw_end: int = Field(description="End offset (exclusive) of the quote in the raw decoded file.")
    match: Literal["exact", "normalized", "sentence"] = Field(
        "exact", description="How the quote was found: exact (verbatim), normalized (after unifying quote marks "
                             "and spaces), sentence (a whole sentence of the source, taken as it is).")


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
    value: str = Field(description="What these sources say (a figure as written, or a position).")
    sources: list[str] = Field(description="Ids of the sources that say it.")


class BriefItem(BaseModel):
    """One statement of the brief, in one section, with the sources that carry it and their exact words.

    `item.citations` gives its sources as (citation number, outlet) pairs, e.g. [(1, "Valley Courier")].
    """
    id: str = Field(description="A1, A2... for agreements, D1... for divergences, U1... for things unsaid, S1... for facts one source reports.")
    section: ItemSection = Field(description="agreements, divergences, unsaid or single_source.")
    statement: str = Field(description="The statement, one sentence or two.")
    kind: str = Field("reported_fact", description="reported_fact, position (a party's position, demand or "
                                                   "condition) or absence (something noted as not said or done).")
    holders: list[str] = Field(default_factory=list, description="Who holds or says it, as the sources attribute it.")
    sources: list[str] = Field(description="Ids of every source that carries it (SourceInfo.id), in citation order.")
    independent_sources: int = Field(description="How many of those sources are independent: syndicated copies of "
                                                 "one story count once.")
    evidence: list[Evidence] = Field(description="The exact spans that support the statement: the same words "
                                                 "once per source, and at most a few spans of any one source.")
    evidence_omitted: int = Field(0, description="Further supporting spans not listed: repeats of a listed quote "
                                                 "and spans beyond the cap per source.")
    variants: list[Variant] = Field(default_factory=list, description="For a divergence: each side and who says it.")
    numbers: list[str] = Field(default_factory=list, description="The figures in its claims, as written.")
    checks: list[str] = Field(default_factory=list, description="Findings of the deterministic checks "
                                                                "(conflicting figures among its sources).")
    verified: bool = Field(description="True when every claim behind it was found verbatim in its source.")
    basis: str = Field("", description="Why it is in its section: the rule that put it there (independent-sources, "
                                       "conflicting-figures, absence-cue...) or llm-<label> (agree, differ, position, "
                                       "absence, single) when the model placed it.")
    origin: Literal["model", "rules"] = Field("rules", description="Where its statement and section came from: "
                                              "model (both the model's, checked) or rules (the offline engine's, "
                                              "alone or as the floor under a model answer that did not hold).")

    _brief: Optional["Brief"] = PrivateAttr(default=None)

    @property
    def citations(self) -> list[tuple[int, str]]:
        """(citation number, outlet) for each source, in citation order: what [1][3] stand for.
        The outlet is the source's outlet name, else its title, else its file name."""
        if self._brief is None:
            raise ValueError(f"item {self.id} is not part of a Brief: its sources are ids only ({self.sources})")
        return [(s.n, s.outlet or s.title or s.name) for s in map(self._brief.source, self.sources)]


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
    """One article the brief was made from, with its cleaned text (the evidence offsets point into it)."""
    id: str = Field(description="Stable id derived from the content hash.")
    n: int = Field(description="Citation number, 1-based: [n] in the Markdown and HTML.")
    name: str = Field(description="File name relative to the input folder, or text-N for an in-memory text.")
    sha256: str = Field(description="SHA-256 of the raw bytes (of the UTF-8 text for in-memory inputs).")
    title: Optional[str] = Field(None, description="Headline: from metadata, HTML tags or the article's own heading.")
    outlet: Optional[str] = Field(None, description="Publisher: from metadata or HTML tags (og:site_name...).")
    date: Optional[str] = Field(None, description="Publication date, ISO 8601 when it could be read as a date.")
    url: Optional[str] = Field(None, description="Where the article was published.")
    syndication_group: int = Field(description="Sources with the same number are syndicated copies of one story.")
    text: str = Field(description="The cleaned text: every evidence offset points into it.")


class Usage(BaseModel):
    calls: int = 0  # requests sent over the network, failed attempts included
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    retries: int = 0  # transient-fault retries
    reasks: int = 0  # invalid responses asked again
    failed_attempts: int = 0
    reprimes: int = 0  # llama.cpp: retries preceded by the last answered request, so they answer as the first try would
    # the structured-output mode the answers came in (json_schema, llamacpp, json_object; the weakest if
    # several), and how many answers came in each, cached ones included
    structured_mode: Optional[str] = None
    answers_by_mode: dict[str, int] = Field(default_factory=dict)


class BriefHeader(BaseModel):
    """How the brief was made: engine, model, prompts, usage, timings and the run's warnings."""
    title: str = Field(description="The brief's title.")
    engine: Literal["offline", "llm"] = Field(description="offline (deterministic rules) or llm (a language model).")
    engine_note: str = Field(description="What the engine did, in a sentence for readers.")
    model: Optional[str] = Field(None, description="The model, for the llm engine.")
    base_url: Optional[str] = Field(None, description="The endpoint, credentials removed, for the llm engine.")
    prompt_versions: dict[str, str] = Field(default_factory=dict, description="Prompt name -> name@version+sha.")
    usage: Usage = Field(default_factory=Usage, description="Calls, tokens, cache hits, retries and re-asks.")
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
    warnings: list[str] = Field(default_factory=list, description="Every warning of the run (skipped files among "
                                                                  "them), as 'name: problem'.")
    dedup: dict = Field(default_factory=dict, description="What deduplication merged: passages, merged, "
                                                          "syndication_groups (ids of copies of one story).")
    merge: dict = Field(default_factory=dict, description="LLM path: clusters, merge calls, claims shown to the "
                                                          "model, claims dropped for budget (always 0).")
    created_at: str = Field(description="When the run started, ISO 8601 UTC.")
    briefsmith_version: str = Field(description="The briefsmith version that made it.")


class Brief(BaseModel):
    """A brief: key agreements, points of divergence and things unsaid, every item citing exact spans of
    its sources. `to_markdown()`, `to_html()` and `save(folder)` give it to readers; `items()` lists every
    item; `source(doc_id)` finds a source."""
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["1"] = Field("1", description="Version of this format.")
    header: BriefHeader = Field(description="How the brief was made.")
    sources: list[SourceInfo] = Field(description="The articles, numbered for citation.")
    agreements: list[BriefItem] = Field(description="Key agreements: what independent sources concur on.")
    divergences: list[BriefItem] = Field(description="Points of divergence: where sources or parties differ.")
    unsaid: list[BriefItem] = Field(description="Things unsaid: what sources note was not said or done.")
    single_source: list[BriefItem] = Field(default_factory=list,
                                           description="Reported by one source only: salient facts no other source carries.")

    _run: Optional["RunResult"] = PrivateAttr(default=None)  # the run that made it (make_brief), for its manifest

    def model_post_init(self, __context) -> None:
        for item in self.items():
            item._brief = self  # so that item.citations can name its sources

    def items(self) -> list[BriefItem]:
        """Every item: agreements, divergences, things unsaid, then facts one source reports."""
        return [*self.agreements, *self.divergences, *self.unsaid, *self.single_source]

    def source(self, doc_id: str) -> SourceInfo:
        """The source with this id (an item's `sources` and an evidence's `doc_id` hold such ids)."""
        for s in self.sources:
            if s.id == doc_id:
                return s
        raise KeyError(doc_id)

    def to_markdown(self) -> str:
        """The brief as Markdown (what brief.md holds)."""
        return _presented("to_markdown")(self)

    def to_html(self) -> str:
        """The brief as a self-contained HTML page, no script (what brief.html holds)."""
        return _presented("to_html")(self)

    def save(self, folder) -> dict[str, Path]:
        """Write brief.json, brief.md, brief.html and manifest.json into `folder` (created if missing), the
        same four files as `brief run`, each atomically: a failure leaves earlier files whole. Returns
        {file name: path}. A brief read back from JSON has no run: its manifest lists what the brief records."""
        return _presented("save")(self, folder)


# The renderers and the writer live in brief/, which imports this module: brief/__init__.py registers them
# here (and pipeline/__init__.py imports brief/), so that the data model depends on no renderer.
_PRESENTERS: dict[str, Callable] = {}


def register_presenters(**functions: Callable) -> None:
    """Give Brief its to_markdown(brief), to_html(brief) and save(brief, folder)."""
    _PRESENTERS.update(functions)


def _presented(name: str) -> Callable:
    if name not in _PRESENTERS:  # only if pipeline/brief was never imported, which `import pipeline` does
        raise RuntimeError(f"Brief.{name} needs pipeline.brief imported (it registers the renderers)")
    return _PRESENTERS[name]


class BriefError(Exception):
    """A failure the user can act on: printed as one line, never as a traceback."""


class UsageError(BriefError):
    """A command line that cannot be run as given (exit 2, like argparse's own errors)."""


class RunResult(BaseModel):
    """One run: the Brief, and what the manifest reports of how it was made."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    brief: Brief
    documents: list[Document]
    warnings: list[LoadWarning]
    dedup: DedupResult
    calls: list[dict] = []
    dropped_items: list[DroppedItem] = []  # items no cited span supports (ground stage)
    degraded: list[dict] = []  # LLM calls that failed for good, and what stood in for their answers
    endpoint: dict = {}  # LLM engine: the server and model quirks found, and what the requests adapted
    verifier: dict = {}  # the ground stage's verifier: its kind and counters (judge calls apart from other calls)
