"""Figures as news writes them (words, ranges, bounds, units, what is counted) and the conflicts between sources."""
import pytest

from pipeline.cluster.figures import quantity_conflicts
from pipeline.models import Claim
from pipeline.text.numbers import find_numbers, same_value
from pipeline.text.quantities import compatible, find_quantities


def q(text):
    return [(x.dimension, x.thing, x.value) for x in find_quantities(text)]


def one(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


# --- reading figures -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("three workers", 3), ("Seventeen people were hurt", 17), ("twenty-three miners", 23),
    ("one hundred and five passengers", 105), ("a dozen firefighters", 12), ("1,200 jobs", 1200),
    ("1.2 million people were displaced", 1_200_000), ("half a million residents", 500_000),
    ("3.5 million viewers", 3_500_000), ("two thousand fans", 2000), ("Forty-one candidates", 41),
])
def test_numbers_in_words_and_digits(text, value):
    assert one(text).value == value


@pytest.mark.parametrize("text,low,high", [
    ("between 10 and 15 people were missing", 10, 15),
    ("10-15 houses were destroyed", 10, 15),
    ("three or four climbers", 3, 4),
    ("dozens of people were evacuated", 24, 200),
])
def test_ranges(text, low, high):
    assert one(text).interval() == (low, high)


@pytest.mark.parametrize("text,qualifier,low,high", [
    ("at least three people died", "at least", 3, 3.75),
    ("more than 40 flights were cancelled", "more than", 40, 50),
    ("nearly 200 homes", "nearly", 170, 200),
    ("up to 15 trucks", "up to", 7.5, 15),
    ("about 1,000 protesters", "about", 850, 1150),
    ("fewer than 20 patients", "fewer than", 10, 20),
])
def test_bounds(text, qualifier, low, high):
    found = one(text)
    assert found.qualifier == qualifier and found.interval() == pytest.approx((low, high))


def test_what_is_counted_is_the_head_noun():
    assert q("Police arrested 40 protesters on Saturday.") == [("count", "arrested", 40)]
    assert q("The firm will cut 1,500 jobs by 2026.") == [("count", "job", 1500)]
    assert q("A crowd of 40,000 fans watched the final.") == [("count", "fan", 40000)]
    assert q("releasing 23 severely wounded soldiers") == [("count", "soldier", 23)]  # modifiers skipped
    assert q("The team scored three goals in the first half.") == [("count", "goal", 3)]


def test_people_counted_by_what_happened_to_them_whatever_noun_names_them():
    for text in ("Five workers were killed in the blast.", "Three people were killed.", "At least three people died.",
                 "The explosion killed three workers.", "The death toll rose to 5 on Tuesday.", "Three dead"):
        assert [x.thing for x in find_quantities(text)] == ["killed"], text
    assert q("Three dead, 17 injured as blast rips through plant") == [("count", "killed", 3), ("count", "injured", 17)]
    assert q("Between 10 and 15 people are missing.")[0][1] == "missing"


def test_parts_of_a_count_and_the_states_news_phrases():
    assert q("The storm killed 12 people, including three children.") == [("count", "killed", 12),
                                                                           ("count", "killed:child", 3)]
    assert q("Forty people, including six police officers, were injured.") == [("count", "injured", 40),
                                                                                ("count", "injured:officer", 6)]
    assert q("The 30 injured include four children.") == [("count", "injured", 30), ("count", "injured:child", 4)]
    assert q("Two bus drivers were among the injured.") == [("count", "injured:driver", 2)]
    assert q("Seventeen people were taken to hospital.") == [("count", "injured", 17)]
    assert q("Some 2,000 people were forced from their homes.") == [("count", "evacuated", 2000)]
    assert q("Four patients remain in critical condition.") == [("count", "critical", 4)]
    # people with nothing said to have happened to them, or one person, measure nothing
    assert q("About 3,000 people live in the valley.") == []
    assert q("One passenger said the driver braked hard.") == []
    assert q("One person was killed.") == [("count", "killed", 1)]


def test_a_part_never_conflicts_with_the_whole():
    assert conflicts("Seventeen people were injured, among them two firefighters.",
                     "The 17 injured include two firefighters.", "Two firefighters were among the injured.") == []
    # nor with the same noun counted for another reason
    assert conflicts("Around 80 firefighters fought the fire.", "Seventeen people, including two firefighters, were hurt.",
                     "Some 80 firefighters were at the scene.") == []


def test_units_and_measures():
    assert q("A 6.4-magnitude earthquake struck the region.") == [("magnitude", "earthquake", 6.4)]
    assert q("The party won 52% of the vote.") == [("percent", "vote", 52)]
    assert q("A third of voters stayed home.") == [("percent", "voter", pytest.approx(100 / 3))]
    assert q("The company reported revenue of $1.2 million.") == [("money:USD", "revenue", 1_200_000)]
    assert q("The slick covered 2 km of coastline.") == [("length", "coastline", 2000)]


def test_seed_call_lengths_are_one_measure():
    assert q("In a high-stakes, two-hour phone call, Trump") == [("duration", "talk", 120)]
    assert q("where they diverged in their more than 90-minute chat.") == [("duration", "talk", 90)]
    assert q("concluded an almost three-hour long call with") == [("duration", "talk", 180)]
    assert q("Following nearly two hours of discussions, both") == [("duration", "talk", 120)]


def test_durations_of_other_events():
    assert q("After a 12-hour meeting, the board resigned.") == [("duration", "talk", 720)]
    assert q("The four-day strike ended on Monday.") == [("duration", "strike", 5760)]
    assert q("He served for 30 days as acting chief.") == []  # a time span, not the length of a thing


def test_not_figures():
    assert q("On March 18, 2025 the leaders spoke") == []           # dates and years
    assert q("The Lakers won 112-104 on Sunday.") == []             # a score
    assert q("One of the workers was hurt.") == []                  # "one of" is not a count
    assert q("The car makes 1,025 horsepower on E85.") == []        # a unit with nothing measured
    assert q("It weighs 4,275 pounds.") == []
    assert q("The meeting starts at 10:30 on Friday.") == []


def test_numbers_as_written():
    assert find_numbers("175 prisoners, 23 wounded and 1,025 hp on 3.5 days") == ["175", "23", "1,025", "3.5"]


def test_loose_equality():
    assert same_value(120, 110) and not same_value(90, 120) and not same_value(120, 180)


def test_bounds_agree_with_what_they_allow():
    three, at_least_three, five = one("three people died"), one("at least three people died"), one("five people died")
    assert compatible(three, at_least_three) and not compatible(three, five) and not compatible(at_least_three, five)
    assert compatible(one("between 10 and 15 people are missing"), one("12 people are missing"))
    assert not compatible(one("more than 90-minute chat"), one("two-hour call"))
    assert compatible(one("nearly two hours of talks"), one("two-hour call"))


# --- conflicts between sources ---------------------------------------------------------------------

def claim(cid, doc, text):
    return Claim(id=cid, statement=text, doc_id=doc, carriers=[doc], verified=True)


def conflicts(*texts, groups=None):
    claims = [claim(f"c{i}", f"d{i}", t) for i, t in enumerate(texts)]
    return quantity_conflicts(claims, group_of=(groups or {}).get if groups else (lambda d: d))


def test_spelled_out_death_tolls_conflict():
    # one outlet says five, the others three: a divergence, with both sides and their sources
    ks = conflicts("Five workers were killed in the explosion at the plant.",
                   "Three people were killed and 17 injured in the blast.",
                   "The blast killed three people, officials said.",
                   "Three dead, 17 injured as blast rips through chemical plant")
    assert len(ks) == 1
    k = ks[0]
    assert k.thing == "killed" and k.statement().startswith("Sources differ on the number killed")
    assert [v.sources for v in k.variants] == [["d1", "d2", "d3"], ["d0"]]
    assert "Five workers were killed" in k.variants[1].value


@pytest.mark.parametrize("texts", [
    ("At least three people were killed.", "Three people died in the fire."),           # a bound that allows it
    ("17 people were injured.", "Three people were killed."),                            # different measures
    ("Twelve people remain missing.", "Between 10 and 15 people are missing."),          # inside the range
    ("The company will cut 1,200 jobs.", "It will cut 1,200 jobs over two years."),      # the same figure
    ("The four-day strike ended.", "The 30-day truce began."),                           # different things
    ("Turnout was 64 percent.", "Turnout was 64%, the highest since 1992."),              # one figure two ways
    ("Turnout was 64 percent.", "Unemployment rose to 5.2%."),                            # two measures
    ("The airline cancelled more than 400 flights.", "Over 420 flights were cancelled."),  # bounds that meet
    ("Okafor scored 31 points.", "The team conceded 31 points."),                         # the same value
    ("The quake killed 12 people.", "Twelve people died in the quake."),                  # words and digits
])
def test_no_conflict(texts):
    assert conflicts(*texts) == []


@pytest.mark.parametrize("texts,thing", [
    (("The 6.4-magnitude earthquake struck at dawn.", "A magnitude 6.1 quake hit the coast."), "earthquake"),
    (("Turnout was high as she won 52% of the vote.", "She took 48 percent of the vote."), "vote"),
    (("The company will cut 1,200 jobs.", "About 1,500 jobs will go."), "job"),
    (("Dozens of people were evacuated.", "Some 300 residents were evacuated."), "evacuated"),
    (("The crowd of 40,000 fans cheered.", "A crowd of 25,000 fans watched."), "fan"),
    (("Turnout was 64 percent, officials said.", "Turnout reached 61% in the capital."), "turnout"),
    (("She won the seat by 1,204 votes.", "The incumbent lost by 1,402 votes."), "vote"),
    (("Okafor scored 31 points in the win.", "Okafor finished with 29 points."), "point"),
    (("Shares fell 8% on Monday, wiping out $2 billion of market value.",
      "The sell-off wiped out $3.5 billion of market value."), "value"),
    (("The airline cancelled more than 400 flights.", "About 250 flights were cancelled."), "flight"),
    (("Police set up a 5 km exclusion zone.", "Homes within a radius of eight kilometres were cleared."), "zone"),
])
def test_conflicts_in_other_stories(texts, thing):
    ks = conflicts(*texts)
    assert [k.thing for k in ks] == [thing]


def test_conflicting_figures_need_two_independent_sources():
    claims = [claim("a", "d1", "They spoke in a two-hour phone call."),
              claim("b", "d2", "Their more than 90-minute chat ended."),
              claim("c", "d3", "An almost three-hour long call ended."),
              claim("d", "d4", "Nearly two hours of discussions followed.")]
    found = quantity_conflicts(claims, group_of={"d1": 1, "d2": 2, "d3": 3, "d4": 4}.__getitem__)
    assert len(found) == 1
    k = found[0]
    assert k.dimension == "duration" and len(k.variants) == 3
    assert set(k.variants[0].sources) == {"d1", "d4"}  # the most widely reported value first
    assert "how long the call lasted" in k.statement()
    # the same documents as one syndicated source: no independent disagreement
    assert quantity_conflicts(claims[:2], group_of={"d1": 1, "d2": 1}.__getitem__) == []


def test_a_source_that_reports_both_values_is_no_side():
    ks = conflicts("Three people were killed, and police later said five had died.", "Five workers were killed.",
                   groups={"d0": 1, "d1": 2})
    assert ks == []


def test_agreeing_figures_are_not_a_conflict():
    assert conflicts("175 prisoners from each side will be exchanged.",
                     "It would see 175 prisoners from each side returned.") == []


def test_statements_use_the_sources_words_not_stems():
    k = conflicts("Police arrested 40 protesters.", "Police arrested 75 protesters on Friday.")[0]
    assert k.statement() == 'Sources differ on the number of protesters arrested: "40 protesters"; "75 protesters".'


def test_loose_figures_for_matching_sentences_are_never_conflict_slots():
    # what measures nothing named is kept only for matching (two sentences with one figure likely tell one fact)
    assert q("About 3,000 people live in the valley.") == []
    loose = [(x.dimension, x.thing, x.value) for x in find_quantities("About 3,000 people live in the Model 170 zone.",
                                                                      loose=True)]
    assert ("count", "person", 3000) in loose and ("number", "", 170) in loose
    assert [x.dimension for x in find_quantities("It weighs 4,275 pounds.", loose=True)] == ["mass"]


def test_a_state_after_a_phrase_about_those_counted_is_what_is_counted():
    # "Three men working the night shift ... were killed" counts the killed, as "Three men were killed" does
    from pipeline.text.quantities import find_quantities
    [q] = find_quantities("Two porters working the late shift at the Kelby mill were injured when a crane fell.")
    assert q.thing == "injured", q
    [q] = find_quantities("About 300 people living near the depot were evacuated overnight.")
    assert q.thing == "evacuated", q
    # a phrase followed by what is no state leaves the count as it was
    [q] = find_quantities("Two porters working at the mill were interviewed by the inspectors.")
    assert q.thing == "porter", q
