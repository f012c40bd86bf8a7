"""The sections' definitions (issue 20), on small multi-outlet stories that are not about the seeds: an
agreement needs two independent sources, a divergence's sides name holders and sources, a thing unsaid is
an absence a source states, and a fact told in other words is credited to every source that tells it."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from pipeline.models import BriefItem, Claim, Variant
from pipeline.sections.enforce import enforce
from pipeline.sections.offline import offline_sections
from pipeline.sections.rules import divergence_problem, is_sentence, stated_absence
from story_docs import story_docs

# A library closure, told by three outlets; every outlet is a paragraph per sentence.
LIBRARY = {
    "harbour-times.txt": [
        "Brackley council will close its Eastfield library at the end of June, the council said on Monday.",
        "The council has not said how much the building's repairs will cost.",
        "Both the council and the library trust agreed to move the local archive to the town hall.",
        "Council leader Mara Quint said the decision was painful but unavoidable.",
        "The library lent 41,000 books last year.",
    ],
    "valley-post.txt": [
        "The Eastfield library in Brackley is to shut at the end of June, council officials confirmed on Monday.",
        "With readers bristling at being left out of the talks, the council trumpeted a new mobile library van.",
        "The Friends of Eastfield Library group said the council had refused to consult residents.",
        "A petition to keep the library open has gathered 2,300 signatures.",
    ],
    "brackley-wire.txt": [
        "Brackley council confirmed on Monday that Eastfield library will close its doors at the end of June.",
        "Council leader Mara Quint said residents had been consulted throughout the review.",
        "It is unclear what will happen to the library's six staff.",
    ],
}


def _docs(story: dict[str, list[str]]) -> list[dict]:
    return story_docs(story, titled=True)


@pytest.fixture(scope="module")
def library():
    return make_brief(_docs(LIBRARY), engine="offline")


def _outlets(brief, item: BriefItem) -> set[str]:
    names = {s.id: s.name for s in brief.sources}
    return {names[d] for d in item.sources}


def test_a_paraphrased_fact_is_credited_to_every_outlet_that_tells_it(library):
    # three wordings of one closure ("will close", "is to shut", "will close its doors"): one agreement, three outlets
    closure = [i for i in library.agreements if "June" in i.statement]
    assert len(closure) == 1, [i.statement for i in library.agreements]
    assert _outlets(library, closure[0]) == set(LIBRARY)
    assert closure[0].independent_sources == 3
    assert {e.doc_id for e in closure[0].evidence} == set(closure[0].sources)


def test_a_one_source_agreement_is_no_key_agreement(library):
    # "Both the council and the library trust agreed ..." is reported by one outlet only
    assert not [i for i in library.agreements if "archive" in i.statement]
    assert all(i.independent_sources >= 2 for i in library.agreements)
    assert [i for i in library.single_source if "archive" in i.statement]


def test_a_has_not_said_absence_is_found(library):
    unsaid = [i.statement for i in library.unsaid]
    assert any("has not said how much" in s for s in unsaid), unsaid
    assert any("It is unclear what will happen" in s for s in unsaid), unsaid


def test_a_bristling_sentence_is_not_an_absence(library):
    assert not stated_absence("With readers bristling at being left out of the talks, the council trumpeted a van.")
    assert not [i for i in library.unsaid if "bristling" in i.statement]
    for cue in ("The mayor has not said when the bridge reopens.", "The firm declined to say how many jobs go.",
                "The report did not mention the second site.", "There was no mention of the budget.",
                "The cause is not yet known.", "It is unclear who will pay.", "The names have not been released."):
        assert stated_absence(cue), cue


def test_the_position_conflict_has_two_held_sides(library):
    # the Friends group (one outlet) against the council leader (another) on consultation
    sides = [i for i in library.divergences if any("consult" in v.value for v in i.variants)]
    assert sides, [i.statement for i in library.divergences]
    for item in library.divergences:
        assert divergence_problem(item.variants, figures=item.basis == "conflicting-figures") is None


def test_a_one_outlet_divergence_with_no_holders_is_rejected():
    same = [Variant(value="The bridge will reopen in May.", sources=["d1"]),
            Variant(value="Repairs could take until autumn.", sources=["d1"])]
    assert divergence_problem(same) == "a side that names no holder"
    held = [Variant(value="the council: The bridge will reopen in May.", sources=["d1"]),
            Variant(value="the council: Repairs could take until autumn.", sources=["d1"])]
    assert divergence_problem(held) == "two sides with the same holder and the same sources"
    ok = [Variant(value="the council: The bridge will reopen in May.", sources=["d1"]),
          Variant(value="engineers: Repairs could take until autumn.", sources=["d1"])]
    assert divergence_problem(ok) is None
    # the same check on what a writer hands in (the LLM merge's items go through it too)
    item = BriefItem(id="", section="divergences", statement="Sources differ on the reopening.", sources=["d1"],
                     independent_sources=1, variants=same, basis="llm-differ", evidence=[], verified=False)
    out, warnings = enforce({"agreements": [], "divergences": [item], "unsaid": [], "single_source": []}, None,
                            lambda ds: len(set(ds)))
    assert out["divergences"] == [] and any("names no holder" in w for w in warnings)


def test_an_opening_contrast_in_one_outlet_with_no_parties_is_no_divergence():
    rows = [("d1", "The bridge will reopen in May after repairs to its deck."),
            ("d1", "However, the repairs could take until autumn if the weather turns."),
            ("d2", "Ferry tickets sold out within an hour of the announcement on Friday.")]
    claims = [Claim(id=f"{d}:s{k}", statement=t, doc_id=d, carriers=[d]) for k, (d, t) in enumerate(rows)]
    out = offline_sections(claims, lambda d: int(d[1:]), lambda ds: len(set(ds)))
    assert not out["divergences"], [i.statement for i in out["divergences"]]


def test_an_llm_agreement_with_one_source_moves_to_one_source_only():
    item = BriefItem(id="", section="agreements", statement="The archive moves to the town hall.",
                     sources=["d1"], independent_sources=1, basis="llm-agree", evidence=[], verified=False)
    out, warnings = enforce({"agreements": [item], "divergences": [], "unsaid": [], "single_source": []}, None,
                            lambda ds: len(set(ds)))
    assert out["agreements"] == [] and [i.section for i in out["single_source"]] == ["single_source"]
    assert any("moved to 'reported by one source only'" in w for w in warnings)


def test_fragments_and_headlines_are_not_statements():
    assert not is_sentence("The outcome of the council vote scheduled for Thursday.")
    assert not is_sentence("Residents' reaction to the closure of the library.")
    assert is_sentence("Officials spoke about the closure on Monday.")
    story = {"a.txt": ["Library closure agreed as council cuts costs",
                       "Brackley council will close its Eastfield library at the end of June, the council leader "
                       "told a packed meeting of residents on Monday evening in the town hall.",
                       "All eyes will now be on:", "- The outcome of the council vote scheduled for Thursday."],
             "b.txt": ["Library closure agreed as council cuts costs",
                       "Eastfield library in Brackley is to shut at the end of June, council officials confirmed "
                       "on Monday after a long meeting with residents and staff at the town hall.",
                       "Readers will watch:", "- The outcome of the council vote scheduled for Thursday."]}
    brief = make_brief(_docs(story), engine="offline")
    shown = [i.statement for i in brief.items()]
    assert not [s for s in shown if s.startswith("Library closure agreed")], shown
    assert not [s for s in shown if s.startswith("The outcome of the council vote")], shown


def test_a_one_article_brief_warns_it_cannot_have_agreements():
    brief = make_brief(_docs({"a.txt": LIBRARY["harbour-times.txt"]}), engine="offline")
    assert not brief.agreements
    assert any("cannot have key agreements" in w for w in brief.header.warnings)


class _Reader:
    """A verifier stand-in that reads "homes" and "households" as one thing (what the embed or llm verifier
    does by meaning), and records what it was asked."""
    kind = "test"

    def __init__(self):
        self.asked: list[tuple[str, str]] = []

    def _norm(self, s: str) -> str:
        return " ".join(s.lower().replace("households", "homes").rstrip(".").split())

    def same_fact_many(self, pairs):
        from pipeline.verify import Verdict
        self.asked.extend(pairs)
        return [Verdict(supported=self._norm(a) == self._norm(b), score=1.0) for a, b in pairs]

    def supports_many(self, pairs):
        from pipeline.verify import Verdict
        return [Verdict(supported=self._norm(a) == self._norm(b), score=1.0) for a, b in pairs]

    def rank(self, statement, sentences, k=3):
        return []


def test_forty_homes_and_sixty_households_is_a_figure_divergence():
    from pipeline.sections.verdicts import Judge
    rows = [("d1", "The flood damaged 40 homes in Marren on Sunday."),
            ("d2", "The flood damaged 40 homes in Marren on Sunday, the council said."),
            ("d3", "The flood damaged 60 households in Marren on Sunday."),
            ("d3", "Volunteers handed out 200 sandbags.")]
    claims = [Claim(id=f"{d}:s{k}", statement=t, doc_id=d, carriers=[d]) for k, (d, t) in enumerate(rows)]
    reader = _Reader()
    out = offline_sections(claims, lambda d: int(d[1:]), lambda ds: len(set(ds)), judge=Judge(reader))
    figures = [i for i in out["divergences"] if i.basis == "conflicting-figures"]
    assert len(figures) == 1, [i.statement for i in out["divergences"]]
    assert [sorted(v.sources) for v in figures[0].variants] == [["d1", "d2"], ["d3"]]
    # the verifier was asked about the households sentence restated with the other figure
    assert ("The flood damaged 40 homes in Marren on Sunday.", "The flood damaged 40 households in Marren on Sunday.") \
        in reader.asked or any("40 households" in b for _, b in reader.asked)
    # a verifier that reads them as two things: two measures, no divergence
    class Apart(_Reader):
        def _norm(self, s: str) -> str:
            return s
    plain = offline_sections(claims, lambda d: int(d[1:]), lambda ds: len(set(ds)), judge=Judge(Apart()))
    assert not [i for i in plain["divergences"] if i.basis == "conflicting-figures"]


@pytest.mark.parametrize("story", ["library", "harbor-blast"])
def test_the_llm_path_obeys_the_same_definitions(tmp_path, story):
    """The merge's items go through the same section checks: agreements of two sources, held sides, stated
    absences (a scripted model over real HTTP: tests/scripted_llm.py)."""
    from pathlib import Path

    from fake_openai_server import FakeOpenAIServer
    from pipeline.run import run_pipeline
    from scripted_llm import newsroom

    inputs = _docs(LIBRARY) if story == "library" else Path(__file__).resolve().parents[1] / "evals/corpora" / story
    with FakeOpenAIServer(newsroom) as server:
        brief = run_pipeline(inputs, base_url=server.base_url, model="m", cache_dir=tmp_path).brief
    assert brief.header.engine == "llm"
    assert all(i.independent_sources >= 2 for i in brief.agreements), [i.statement for i in brief.agreements]
    for item in brief.divergences:
        assert divergence_problem(item.variants, figures=item.basis == "conflicting-figures") is None, item
        assert "lead with different things" not in item.statement
    for item in brief.unsaid:
        assert item.basis == "one-party-only" or stated_absence(item.statement) or \
            any(stated_absence(e.quote) for e in item.evidence), item.statement


def test_one_party_on_every_side_is_no_divergence():
    """A party's one position carried by two outlets (what a small model labelled "differ" on a dev story)
    sets no one against it; the same check lets outlets differ on a figure, whoever they are."""
    alone = [Variant(value="the residents' group: the park floods every spring", sources=["d1"]),
             Variant(value="the residents' group: new flats would push water into the lanes", sources=["d2", "d3"])]
    assert divergence_problem(alone) == "every side is one party's: no two parties are set against each other"
    two = [alone[0], Variant(value="the developer: the ponds will keep the site dry", sources=["d2"])]
    assert divergence_problem(two) is None
    figures = [Variant(value='"40 flats"', sources=["d1"]), Variant(value='"60 flats"', sources=["d2"])]
    assert divergence_problem(figures, figures=True) is None
