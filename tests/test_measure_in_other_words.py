"""One count told in other words ("close 25 shops" / "shut 35 stores") is a figure divergence, and the
rest of the sentences that give it ("cut 900 jobs") is still an agreement: on a story that is not about
the seeds, with the embedding verifier (word closeness) and with the rules (which cannot tell)."""
from __future__ import annotations

import pytest

from pipeline.models import Claim, Evidence
from pipeline.sections.offline import offline_sections
from pipeline.sections.verdicts import Judge
from pipeline.text.clauses import without_conjunct
from pipeline.text.quantities import find_quantities
from pipeline.verify import get_verifier

# a bakery chain's cuts: two outlets count stores, one counts shops, with a different figure
BAKERY = [
    ("d1", "Harlow Bakeries will cut 900 jobs and close 25 shops, the company said on Tuesday, blaming a rise "
           "in flour and energy prices."),
    ("d2", "Harlow Bakeries said it would cut 900 jobs and close 35 stores after sales fell for a third year."),
    ("d3", "Struggling chain Harlow Bakeries is to cut 900 jobs and close 35 loss-making stores in the north."),
    ("d3", "Union leaders said the cuts came without warning."),
]


def _claims(rows):
    """Each sentence a claim of its outlet, quoted as the extraction stage quotes it (an exact span)."""
    return [Claim(id=f"{d}:s{k}", statement=t, doc_id=d, carriers=[d], verified=True,
                  evidence=[Evidence(doc_id=d, source=f"{d}.txt", start=0, end=len(t), quote=t, raw_start=0,
                                     raw_end=len(t))])
            for k, (d, t) in enumerate(rows)]


def _sections(rows, verifier: str):
    return offline_sections(_claims(rows), lambda d: int(d[1:]), lambda ds: len(set(ds)),
                            judge=Judge(get_verifier(verifier)))


def test_a_hyphenated_modifier_keeps_the_counted_noun():
    q, = find_quantities("The chain will shut 40 loss-making convenience stores.")
    assert (q.noun, q.thing, q.value) == ("stores", "store", 40.0)
    # a dash with spaces ends the phrase as before; a hyphenated noun is not a modifier of the next word
    assert find_quantities("a two-hour call \u2014 the longest yet")[0].surface == "two-hour"
    assert all(q.noun != "workers" for q in find_quantities("Police questioned 12 co-workers on Friday."))


@pytest.mark.parametrize("sentence, figure, expected", [
    ("Harlow Bakeries will cut 900 jobs and close 25 shops, the company said on Tuesday.", "25 shops",
     "Harlow Bakeries will cut 900 jobs, the company said on Tuesday."),
    ("Struggling Harlow is to cut 900 jobs and close 35 stores in the north.", "35 stores",
     "Struggling Harlow is to cut 900 jobs."),
    # the figure is the clause's own, not a conjunct's: nothing to delete
    ("Harlow will close 25 shops.", "25 shops", None),
    ("Harlow cut jobs, and 25 shops will close next year.", "25 shops", None),
    # what is left would say more than the sentence does (a review found each of these)
    ("Harlow will cut 900 jobs and close 25 shops if the sale fails, the firm said.", "25 shops", None),
    ("Reports that Harlow would cut 900 jobs and close 25 shops are false, the company said.", "25 shops", None),
    ("The plan for Harlow to cut 900 jobs and close 25 shops was rejected by shareholders.", "25 shops", None),
    ("Harlow will cut 900 jobs and close 25 shops in Leeds and Bristol.", "25 shops", None),
    ("Harlow is to hire 900 bakers and close 25 shops and 3 factories in Wales.", "25 shops", None),
    ("Harlow will cut 900 jobs and sell 25 shops to Brennan, which will keep them open.", "25 shops", None),
    ("Harlow will keep its bakeries and its 25 shops open through the winter.", "25 shops", None),
    ("Did Harlow cut 900 jobs and close 25 shops?", "25 shops", None),
    # an outlet's own cause after the figure stays with it
    ("Harlow said it would cut 900 jobs and shut 35 stores after sales fell.", "35 stores", None),
])
def test_without_conjunct_deletes_only_the_conjunct_holding_the_figure(sentence, figure, expected):
    at = sentence.index(figure)
    assert without_conjunct(sentence, at, at + len(figure)) == expected


def test_shops_and_stores_counted_differently_is_a_divergence_and_the_jobs_an_agreement():
    out = _sections(BAKERY, "embed")
    figures = [i for i in out["divergences"] if i.basis == "conflicting-figures"]
    assert len(figures) == 1, [i.statement for i in out["divergences"]]
    assert [sorted(v.sources) for v in figures[0].variants] == [["d2", "d3"], ["d1"]]
    # the jobs are agreed by all three, stated without the disputed count
    jobs = [i for i in out["agreements"] if "900 jobs" in i.statement]
    assert jobs and jobs[0].independent_sources >= 2, [i.statement for i in out["agreements"]]
    assert not any(w in jobs[0].statement for w in ("25", "35", "shops", "stores"))


def test_the_rules_cannot_tell_shops_from_stores():
    out = _sections(BAKERY, "rules")
    assert not [i for i in out["divergences"] if i.basis == "conflicting-figures"]


def test_shops_opened_and_stores_closed_are_two_measures():
    rows = [("d1", "Harlow Bakeries will open 25 shops in the south, the company said on Tuesday."),
            ("d2", "Harlow Bakeries said it would close 35 stores after sales fell for a third year."),
            ("d3", "Struggling chain Harlow Bakeries is to close 35 stores in the north.")]
    assert not [i for i in _sections(rows, "embed")["divergences"] if i.basis == "conflicting-figures"]


def test_a_shared_subject_or_near_nouns_do_not_make_one_measure():
    """Different acts, and nouns word vectors put close that are not one thing ("men"/"women")."""
    filler = [("d4", "Weather forecasters expect a dry spring across the region."),
              ("d5", "The football club unveiled a new stadium design on Friday."),
              ("d6", "Bus fares rise by ten pence from April.")]
    opened = [("d1", "Harlow Bakeries will open 25 shops in the south next year, the company said."),
              ("d2", "Harlow Bakeries said it would close 35 stores after sales fell for a third year."),
              ("d3", "Struggling chain Harlow Bakeries is to close 35 stores in the north.")]
    strike = [("d1", "At Brennan Mills the strike left 300 men without pay, as talks with managers collapsed."),
              ("d2", "The walkout had left 200 women without pay after managers walked out of talks."),
              ("d3", "At Brennan Mills the walkout left 200 women without pay, the union said.")]
    for rows in (opened + filler, strike + filler):
        out = _sections(rows, "embed")
        assert not [i for i in out["divergences"] if i.basis == "conflicting-figures"], \
            [i.statement for i in out["divergences"]]


@pytest.mark.parametrize("rows", [
    [("d1", "Harlow Bakeries hired 300 men at its Leeds plant this year."),
     ("d2", "Harlow Bakeries hired 120 women at its Leeds plant this year."),
     ("d3", "Harlow Bakeries hired 120 women at the Leeds plant.")],
    [("d1", "The marathon drew 3,000 men to the start line in Corvale on Sunday."),
     ("d2", "The marathon drew 2,400 women to the start line in Corvale on Sunday."),
     ("d3", "On Sunday the Corvale marathon drew 2,400 women to the start line.")],
])
def test_the_two_sides_of_a_pair_are_never_one_measure(rows):
    """Restated with one figure, "hired 300 men" and "hired 120 women" read alike to the embedding model; men
    and women are two counts, not one told two ways (a review found it)."""
    filler = [("d1", "Flour prices rose sharply over the winter, according to trade figures."),
              ("d2", "The chain was founded in 1952 in a small village in Kent."),
              ("d3", "Analysts expect other chains to follow.")]
    out = _sections(rows + filler, "embed")
    assert not [i for i in out["divergences"] if i.basis == "conflicting-figures"], \
        [i.statement for i in out["divergences"]]


def test_homes_built_and_households_displaced_are_two_measures():
    rows = [("d1", "The council approved 480 new homes on the old airfield on Monday night."),
            ("d2", "Planners backed 480 homes on the airfield site, the council said."),
            ("d3", "The scheme will displace 40 households from the Orchard estate, campaigners said."),
            ("d3", "The council approved the homes on Monday.")]
    out = _sections(rows, "embed")
    assert not [i for i in out["divergences"] if i.basis == "conflicting-figures"], \
        [i.statement for i in out["divergences"]]


def test_the_llm_paths_floor_reads_with_the_runs_verifier(tmp_path):
    """The small profile starts from the offline engine's brief under the same verifier: a count that only
    the embedding model reads as one measure (grocer-results: "40 stores" / "60 shops") is a divergence of the
    LLM brief too, and with the rules it is in neither (a scripted model over real HTTP)."""
    from pathlib import Path

    from fake_openai_server import FakeOpenAIServer
    from pipeline.run import run_pipeline
    from scripted_llm import newsroom

    grocer = Path(__file__).resolve().parents[1] / "evals" / "corpora" / "grocer-results"
    small_model = {"meta": {"n_params": 1_543_714_304}}

    def stores(verifier: str, **endpoint) -> bool:
        brief = run_pipeline(grocer, use_cache=False, verifier=verifier, **endpoint).brief
        return any(i.basis == "conflicting-figures" and "60" in i.statement and "40" in i.statement
                   for i in brief.divergences)

    assert stores("embed") and not stores("rules")  # the offline engine
    for verifier, found in (("embed", True), ("rules", False)):
        with FakeOpenAIServer(newsroom, dialect="llamacpp", model="m", model_info=small_model) as s:
            assert stores(verifier, base_url=s.base_url, model="m", profile="small") is found, verifier



def test_the_full_profiles_floor_reads_with_the_runs_verifier():
    """Where the model writes nothing, the full profile's brief is its floor, the offline engine's items: read
    with the run's verifier, so grocer-results' "40 stores" / "60 shops" conflict is there with embed only."""
    from pathlib import Path

    from fake_openai_server import FakeOpenAIServer
    from pipeline.run import run_pipeline
    from scripted_llm import _PGROUP, _user, newsroom

    def mute_writer(request: dict):  # extraction and judging as the newsroom model; no written items
        return {"items": []} if _PGROUP.search(_user(request)) else newsroom(request)

    grocer = Path(__file__).resolve().parents[1] / "evals" / "corpora" / "grocer-results"
    for verifier, found in (("embed", True), ("rules", False)):
        with FakeOpenAIServer(mute_writer) as s:
            brief = run_pipeline(grocer, use_cache=False, verifier=verifier, base_url=s.base_url, model="m",
                                 profile="full").brief
        stores = [i for i in brief.divergences if i.basis == "conflicting-figures" and "60" in i.statement]
        assert bool(stores) is found, (verifier, [i.statement for i in brief.divergences])
