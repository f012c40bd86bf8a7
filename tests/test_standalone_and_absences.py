"""What a reader can place: a sentence that leans on the one before it (a pronoun, the unattributed end of
a quotation) never states an agreement; a side's holder is a name, never "He"; absences told as "nobody
has put a figure on", "neither ... has given", "no word yet on" are absences, and a cue inside a relative
clause ("who has in the past declined to ...") is not. Stories here are not about the seeds."""
from __future__ import annotations

from pipeline import make_brief
from pipeline.sections.rules import leans_on_previous, stated_absence
from story_docs import story_docs as _docs


def test_a_sentence_leaning_on_the_one_before_is_recognised():
    assert leans_on_previous('Last winter people paid for that."')  # a quotation's end, no speaker
    assert leans_on_previous("Last winter people paid for that.\u201d")
    assert leans_on_previous("He said the wall had been inspected in May.")
    assert leans_on_previous("This one went beyond what the wall was built for, and it stood.")
    # the end of a quotation that names its speaker stands; so does a sentence opening with a quotation
    assert not leans_on_previous("The money would be better spent on schools,\u201d the ministry's statement read.")
    assert not leans_on_previous('"We warned them twice," Quint said.')
    assert not leans_on_previous('"This wall was never built for a storm like that," Reyes said.')  # the speaker's "this"
    assert not leans_on_previous('The mayor called the storm "the worst in living memory."')
    assert not leans_on_previous("The sea wall at Carrow Point collapsed during the storm.")


QUOTE = {
    "north-post.txt": ["The sea wall at Carrow Point collapsed during Tuesday's storm, flooding 60 homes.",
                       'Council leader Mara Quint said: "We warned the harbour authority twice that the wall was '
                       'too low.', 'Last winter people paid for that."'],
    "bay-times.txt": ["Storm waves brought down the Carrow Point sea wall on Tuesday, and 60 homes were flooded.",
                      '"We warned the harbour authority twice that the wall was too low," council leader Mara Quint '
                      'said.', 'Last winter people paid for that."'],
}


def test_an_unattributed_quotation_end_is_no_agreement_statement():
    brief = make_brief(_docs(QUOTE), engine="offline")
    statements = [a.statement for a in brief.agreements]
    assert statements, "the wall's collapse is told by both outlets"
    assert not [s for s in statements if s.startswith("Last winter people paid")], statements


HOLDER = {
    "north-post.txt": ["The sea wall at Carrow Point collapsed during Tuesday's storm, flooding 60 homes.",
                       "Council leader Mara Quint demanded an independent inquiry into why the sea wall failed."],
    "bay-times.txt": ["Storm waves brought down the Carrow Point sea wall on Tuesday, and 60 homes were flooded.",
                      "Harbour authority chief Tom Reyes visited the site on Wednesday.",
                      "He said no independent inquiry into the sea wall was needed because the wall had been "
                      "inspected in May."],
}


def test_a_side_said_by_he_is_held_by_the_person_named_before():
    brief = make_brief(_docs(HOLDER), engine="offline")
    sides = [v.value.split(":")[0].strip() for d in brief.divergences for v in d.variants]
    assert sides, [d.statement for d in brief.divergences]
    assert not [s for s in sides if s.lower() in ("he", "she", "they", "it")], sides
    assert "Tom Reyes" in sides, sides


QUOTED_AFTER = {
    "north-post.txt": ["The sea wall at Carrow Point collapsed during Tuesday's storm, flooding 60 homes.",
                       "Council leader Mara Quint demanded an independent inquiry into why the sea wall failed."],
    "bay-times.txt": ["Storm waves brought down the Carrow Point sea wall on Tuesday, and 60 homes were flooded.",
                      "At the harbour, the authority's chief engineer, Tom Reyes, made no secret of his view.",
                      "\u201cNo independent inquiry into the sea wall is needed, because the wall was inspected in "
                      "May,\u201d he said."],
}


def test_a_quote_given_to_he_after_it_is_held_by_the_person_set_in_apposition_before():
    brief = make_brief(_docs(QUOTED_AFTER), engine="offline")
    sides = [v.value.split(":")[0].strip() for d in brief.divergences for v in d.variants]
    assert "Tom Reyes" in sides and any(s.endswith("Mara Quint") for s in sides), [d.statement for d in brief.divergences]


def test_absences_in_other_words_and_a_relative_clause_decoy():
    for absent in ("Nobody has yet put a figure on the cost of the repairs.",
                   "Neither the council nor the harbour authority has given any estimate of the cost.",
                   "There is no word yet on when residents can go home.",
                   "The authority has declined to publish its inspection report, which the council says it asked to see."):
        assert stated_absence(absent), absent
    assert stated_absence("The insurer declined to give a profit forecast for next year.")
    assert stated_absence("Police have not given any details of the arrest.")
    for present in ("Reyes, who has in the past declined to discuss the wall, this time gave a date for its repair.",
                    'Ms Poe hit back: "Blaming the builder doesn\'t give anyone their savings back."',
                    "The tenants did not give up.",
                    "The council, which had not said how it would pay, approved the repair budget on Monday."):
        assert not stated_absence(present), present


ABSENCES = {
    "north-post.txt": ["The sea wall at Carrow Point collapsed during Tuesday's storm, flooding 60 homes.",
                       "It was unclear when residents would be able to return home.",
                       "The council has not said when repairs to the sea wall will begin."],
    "bay-times.txt": ["Storm waves brought down the Carrow Point sea wall on Tuesday, and 60 homes were flooded.",
                      "There is no word yet on when people will be able to go back to their homes.",
                      "It is not known whether the wall's repair will be paid for by the council."],
}


def test_one_absence_in_two_wordings_is_one_item_crediting_both_and_two_absences_stay_two():
    brief = make_brief(_docs(ABSENCES), engine="offline", verifier="embed")  # rules read "return home" apart from "go back"
    names = {s.id: s.name for s in brief.sources}
    home = [u for u in brief.unsaid if "home" in u.statement]
    assert len(home) == 1, [u.statement for u in brief.unsaid]
    assert {names[d] for d in home[0].sources} == set(ABSENCES)
    # "when repairs will begin" and "whether the repair will be paid for" are two absences
    repair = [u for u in brief.unsaid if "repair" in u.statement]
    assert len(repair) == 2 and all(len(u.sources) == 1 for u in repair), [(u.statement, u.sources) for u in repair]


def test_a_passive_saying_verb_opens_no_speaker():
    from pipeline.sections.rules import speaker
    assert speaker("The Dockers Union said it would strike.") == "The Dockers Union"
    assert speaker("Customers were warned to be on their guard against fraudsters.") is None
    assert speaker("They were told to leave their homes.") is None
