"""Rulings and fines, as outlets tell them: a charge whose target the sentence before names, a defence said
in a regulator's or a court's words, a speaker introduced by a
sentence too short to be a claim, and a figure for the whole set beside the figure in dispute (any story)."""
from __future__ import annotations

from pipeline.cluster.figures import quantity_conflicts
from pipeline.models import Claim
from pipeline.run import make_brief
from pipeline.text.attribution import find_parties
from story_docs import story_docs as _docs


def _holders(brief) -> list[set[str]]:
    return [{v.value.split(":")[0] for v in d.variants} for d in brief.divergences]


SCHOOL = {
    "wire.txt": ["The Kelby education board voted in May to close Millbrook Primary School.",
                 "A High Court judge ruled on Friday that the board acted unlawfully when it decided to close the school.",
                 "Parents said they had been shut out of the process from the start.",
                 "Board chair Ann Vale said the board had carried out a thorough ten-week consultation with every family."],
    "local.txt": ["A judge has quashed the Kelby education board's decision to close Millbrook Primary School.",
                  "The board's decision was unlawful, the High Court ruled.",
                  "Parents' group leader Tom Reyes said parents had never been consulted.",
                  "\"We were told, not asked,\" he said."],
}


def test_a_charge_against_the_body_the_sentence_before_names_meets_its_defence():
    # "shut out of the process" names no one: the board it charges is named in the sentence before
    brief = make_brief(_docs(SCHOOL), engine="offline")
    assert any("Ann Vale" in " ".join(h) and h - {"Board chair Ann Vale", "Ann Vale"} for h in _holders(brief)), \
        [d.statement for d in brief.divergences]


def test_a_denied_answer_word_is_no_defence():
    story = {k: list(v) for k, v in SCHOOL.items()}
    story["wire.txt"][3] = "Board chair Ann Vale said the board had not acted lawfully in every respect."
    brief = make_brief(_docs(story), engine="offline")
    assert not [h for h in _holders(brief) if any("Ann Vale" in x for x in h)], [d.statement for d in brief.divergences]


FIRM = {
    "wire.txt": ["The regulator fined Dunmore Energy 3 million pounds on Tuesday for overcharging customers.",
                 "Charity head Lena Moss said Dunmore had known for years and sat on it.",
                 "Dunmore rejected that account.",
                 "Its chief executive, Carl Ives, said: \"We found the fault ourselves and reported it to the regulator.\""],
    "trade.md": ["Dunmore Energy has been fined 3 million pounds by the regulator for overcharging customers.",
                 "\"They knew all along and sat on it,\" said Lena Moss, who leads the charity Warmhomes.",
                 "\"The company was slow. It acted only when it was caught,\" she said.",
                 "Dunmore said every customer had now been refunded in full."],
}


def test_a_speaker_introduced_by_a_short_sentence_speaks_for_the_body_it_names():
    # "Dunmore rejected that account." has too few words to be a claim, yet says whose "Its" is
    brief = make_brief(_docs(FIRM), engine="offline")
    assert any(any("Lena Moss" in x for x in h) and any("Carl Ives" in x for x in h) for h in _holders(brief)), \
        [d.statement for d in brief.divergences]


def test_a_role_in_a_charity_named_after_lowercase_words_speaks_for_it():
    parties = find_parties(["Lena Moss, chief executive of the fuel charity Warmhomes, said the fine was overdue.",
                            "Warmhomes said the firm knew for years."])
    assert parties.canonical("Lena Moss") == parties.canonical("Warmhomes"), parties.names()


def test_a_council_run_home_names_no_council():
    parties = find_parties(["Birch House, a council-run care home, will close in March, the council said.",
                            "The council said the decision was lawful."])
    assert parties.canonical("the council") != parties.canonical("Birch House"), parties.names()


def _claim(i: int, doc: str, text: str) -> Claim:
    return Claim(id=f"{doc}:s{i}", statement=text, doc_id=doc, carriers=[doc])


def test_the_whole_set_is_no_side_of_a_dispute_about_a_part():
    claims = [_claim(0, "a", "Dunmore supplies about 1.4 million homes across the region."),
              _claim(1, "b", "Meters in some 12,000 homes were switched without checks."),
              _claim(2, "c", "Meters in about 12,000 homes were switched without checks.")]
    assert not quantity_conflicts(claims, group_of=lambda d: d)
    claims.append(_claim(3, "d", "Meters in nearly 20,000 homes were switched without checks."))
    [k] = quantity_conflicts(claims, group_of=lambda d: d)
    assert "1.4 million" not in k.statement() and "20,000" in k.statement()


def test_a_side_that_does_not_name_its_holder_is_told_with_the_name():
    from pipeline.sections.positions import told_by
    quoted = _claim(0, "a", "Dunmore knew for years and did nothing.")
    assert told_by("Lena Moss", quoted).startswith("Lena Moss: ")
    named = _claim(1, "a", "Lena Moss said Dunmore knew for years.")
    assert told_by("Lena Moss", named) == named.statement


def test_a_figure_said_not_to_have_been_given_is_a_thing_unsaid():
    from pipeline.text.absence import stated_absence
    assert stated_absence("No figure has been given for the board's own legal costs in defending the claim.")
    assert stated_absence("The firm has given no timetable for the refunds.")
    assert not stated_absence("No figure was higher than last year's.")
    story = {"wire.txt": ["The regulator fined Dunmore Energy 3 million pounds on Tuesday for overcharging customers.",
                          "No figure has been given for how much Dunmore spent on its own lawyers during the case."],
             "local.txt": ["Dunmore Energy was fined 3 million pounds by the regulator for overcharging customers.",
                           "The firm has given no timetable for refunding the customers it overcharged."]}
    brief = make_brief(_docs(story), engine="offline")
    unsaid = " ".join(i.statement for i in brief.unsaid)
    assert "lawyers" in unsaid and "timetable" in unsaid, unsaid


def test_people_living_somewhere_or_facing_eviction_from_it_are_its_residents():
    from pipeline.text.quantities import find_quantities
    [q] = find_quantities("There are 52 people living at Alder Court.")
    assert (q.thing, q.value) == ("resident", 52)
    [q] = find_quantities("Some 60 elderly people faced being thrown out of the block.")
    assert q.thing == "resident" and q.value == 60
    assert find_quantities("About 200 people attended the meeting.") == []  # people, and nothing said of them
    story = {"wire.txt": ["The council lost its court fight to close Alder Court, a sheltered housing block.",
                          "The ruling means the block's 52 residents can stay."],
             "local.txt": ["A judge has stopped the council closing Alder Court sheltered housing.",
                           "There are 52 people living at Alder Court."],
             "tabloid.txt": ["Judge saves Alder Court from the council's axe.",
                             "Nearly 70 elderly people faced being thrown out of Alder Court."]}
    figures = [d.statement for d in make_brief(_docs(story), engine="offline").divergences
               if d.statement.startswith("Sources differ on")]
    assert any("52" in s and "70" in s for s in figures), figures


def test_the_chargers_own_campaign_named_in_their_introduction_is_not_whom_they_charge():
    story = {"wire.txt": ["The Kelby council voted in May to close the town library.",
                          "A judge ruled on Friday that the council acted unlawfully in deciding to close the library.",
                          "Council leader Paul Kent said the decision was taken lawfully and in good faith."],
             "local.txt": ["A judge has quashed the Kelby council's decision to close the library.",
                           "The council's decision was unlawful, the judge said.",
                           "\"They never consulted us,\" said Ruth Obi, chair of the Save Kelby campaign, whose son uses the library."]}
    brief = make_brief(_docs(story), engine="offline")
    assert any(any("Ruth Obi" in x for x in h) and any("Paul Kent" in x for x in h) for h in _holders(brief)), \
        [d.statement for d in brief.divergences]


def test_a_count_of_homes_that_shares_only_a_name_with_a_count_of_residents_is_no_measure_to_restate():
    # the embed verifier read "There are six council people living at Brackenholt House" as the same fact as
    # "... opened as one of six council homes in the county" (court-closure): only the name was shared
    from pipeline.sections.measures import _shares_more_than_names
    from pipeline.text.quantities import find_quantities

    def one(text):
        [q] = find_quantities(text)
        return text, q
    homes = one("Alder Court opened in 1974 as one of six council homes in the county.")
    residents = one("There are 52 people living at Alder Court.")
    assert not _shares_more_than_names(*homes, *residents)
    families = one("The plans include the demolition of Larch Court, a council block that is home to 40 families.")
    households = one("Sixty households will lose their homes when Larch Court is demolished.")
    assert _shares_more_than_names(*families, *households)
