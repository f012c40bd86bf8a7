"""The offline engine's section behaviours on a story that is not the seeds (written here, any topic):
agreement of several sources, conflicting figures as a divergence, noted absences as things unsaid."""
from pipeline import make_brief
from pipeline.ground.check import item_support

REPORTS = [
    ("Valley Post: The Aurel river burst its banks on Sunday and flooded 300 homes in the town of Brisk, the mayor "
     "said. Emergency crews evacuated residents from the lowest streets overnight. The regional water board made no "
     "mention of the dam upstream in its statement. Schools in Brisk will stay closed until Wednesday."),
    ("Brisk Herald: About 300 homes in Brisk were flooded on Sunday when the Aurel river burst its banks. "
     "Residents of the lowest streets were evacuated overnight by emergency crews. Schools in the town will "
     "stay closed until Wednesday, the council said."),
    ("Riverland Radio: The Aurel river burst its banks on Sunday, flooding 450 homes in Brisk according to the "
     "fire service. Emergency crews evacuated residents of the lowest streets during the night. Officials "
     "omitted any mention of the warnings issued last spring."),
]


def test_other_story_sections():
    brief = make_brief(REPORTS, engine="offline")
    for item in brief.items():  # every kept span supports its item, whatever the story
        assert all(s.support.supported for s in item_support(item)), item.statement
    # what every report says is a key agreement of several independent sources
    assert any(i.independent_sources >= 2 for i in brief.agreements), [i.statement for i in brief.agreements]
    # 300 vs 450 homes: a divergence that keeps each figure with its sources
    conflict = [i for i in brief.divergences if i.basis == "conflicting-figures"]
    assert conflict, [i.statement for i in brief.divergences]
    values = " ".join(v.value for i in conflict for v in i.variants)
    assert "300" in values and "450" in values
    # what the reports say was not mentioned is a thing unsaid
    unsaid = " ".join(i.statement for i in brief.unsaid)
    assert "made no mention of the dam" in unsaid and "omitted any mention" in unsaid
