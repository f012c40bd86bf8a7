"""Cross-source contrasts on one point, no party paired with itself, and what one party's statement covered
that another's left out (not about the seeds; the seeds' own check is at the end)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import make_brief
from pipeline.models import Claim
from pipeline.sections.offline import offline_sections
from pipeline.text.attribution import find_parties, reported_subject, speaker_head

ROOT = Path(__file__).resolve().parents[1]

UNION_A = "In its statement after the talks, the Transit Drivers Union said the company had refused to discuss pensions and night-shift safety."
UNION_B = "The union's statement said managers would not negotiate on pensions, which it called the heart of the dispute."
BUS_A = "Harlow Buses said in a statement that the talks had been constructive and that it had offered a four per cent pay rise."
BUS_B = "In a statement, Harlow Buses said the talks had been constructive and that its offer of a four per cent pay rise stood."


def _strike(union_b: str = UNION_B, bus_b: str = BUS_B, bus_a: str = BUS_A) -> list[dict]:
    a = (f"Talks between Harlow Buses and the drivers' union ended on Tuesday without a deal after six hours.\n\n"
         f"{UNION_A}\n\n{bus_a}\n\nThe company said services would run as normal on Wednesday.\n\n"
         "The union said drivers would decide next week whether to strike.")
    b = (f"Harlow Buses and the Transit Drivers Union broke up their talks on Tuesday after a long day.\n\n"
         f"{union_b}\n\n{bus_b}\n\nThe company said it hoped to meet the union again soon.\n\n"
         "The union said a ballot on strike action would open on Monday.")
    c = ("Bus drivers could strike later this month after talks between Harlow Buses and their union broke up on Tuesday.\n\n"
         "Harlow Buses said in a statement that the talks had been constructive and that a four per cent pay rise was on the table.\n\n"
         "The union said its members had been patient for too long.\n\n"
         "The company said passengers should check timetables before travelling.")
    return [{"text": a, "outlet": "Valley Courier", "name": "a.txt"},
            {"text": b, "outlet": "Northway Wire", "name": "b.txt"},
            {"text": c, "outlet": "Metro Post", "name": "c.txt"}]


def _omissions(brief) -> list:
    return [i for i in brief.unsaid if i.basis == "one-party-only"]


def test_what_one_partys_statement_covered_and_the_others_left_out():
    brief = make_brief(_strike())
    found = _omissions(brief)
    assert len(found) == 1, [i.statement for i in brief.unsaid]
    item = found[0]
    assert "pensions" in item.statement and item.statement.startswith("Transit Drivers Union's statement")
    assert "Harlow Buses' statement" in item.statement
    # two sides, each with its source: the union's statement in two outlets, the company's beside it
    sides = [v.value for v in item.variants]
    assert sum(v.startswith("Transit Drivers Union:") for v in sides) == 2
    assert any(v.startswith("Harlow Buses:") for v in sides)
    names = {s.id: s.outlet for s in brief.sources}
    assert {names[d] for v in item.variants for d in v.sources} == {"Valley Courier", "Northway Wire"}
    assert item.evidence and all(e.quote in next(s.text for s in brief.sources if s.id == e.doc_id)
                                 for e in item.evidence)


def test_no_omission_when_the_other_party_touched_the_topic():
    # the company's statement in one outlet speaks of pensions too: nothing was left out
    bus_b = "In a statement, Harlow Buses said the talks had been constructive and that pensions were not on the table."
    assert not [i for i in _omissions(make_brief(_strike(bus_b=bus_b))) if "pensions" in i.statement]


def test_no_omission_from_one_outlet_alone_or_without_the_others_statement():
    # only one outlet reports the union's statement on pensions: an outlet may just have quoted more of it
    union_b = "The union said a meeting of its members would follow."
    assert not _omissions(make_brief(_strike(union_b=union_b)))
    # the company's statement is reported nowhere: nothing to compare the union's with
    plain = "Harlow Buses has not commented on the talks."
    bare = [r for r in _strike(bus_a=plain, bus_b=plain)]
    bare[2]["text"] = bare[2]["text"].replace(
        "Harlow Buses said in a statement that the talks had been constructive and that a four per cent pay rise was on the table.",
        "Drivers gathered outside the depot on Tuesday evening.")
    assert not _omissions(make_brief(bare))


def test_a_person_and_the_institution_they_speak_for_are_one_party():
    s_hospital = ("Four people were in critical condition at Linton General Hospital on Friday, according to the "
                  "hospital's medical director, Dr. Omar Haddad.")
    s_named = "Linton General Hospital said four patients were in a critical condition on Friday evening."
    s_roe = "According to the ministry's statement, Ana Roe demanded a full audit of the contract."
    s_roe2 = "Ana Roe said the audit was essential."
    parties = find_parties([s_hospital, s_named, s_roe, s_roe2])
    assert parties.same_party("the hospital", s_hospital, "Linton General Hospital", s_named)
    assert parties.same_party("the ministry", s_roe, "Ana Roe", s_roe2)
    assert reported_subject(s_roe) == "Ana Roe" and reported_subject(s_roe2) is None
    # a party the sentence sets against another is not that party
    s_union = "The union said Acme Foods had ignored repeated warnings about the line."
    s_acme = "Acme Foods said the line met every safety rule."
    parties = find_parties([s_union, s_acme])
    assert not parties.same_party("the union", s_union, "Acme Foods", s_acme)
    assert speaker_head("Chief Fire Officer Dana Roe said crews stayed.") == speaker_head("Fire chief Dana Roe told us.") == "Roe"
    assert speaker_head("The union said it would strike.") is None


def _claims(rows: list[tuple[str, str, str | None]]) -> list[Claim]:
    seen: dict[str, int] = {}
    out = []
    for doc, text, holder in rows:
        k = seen.get(doc, 0)
        seen[doc] = k + 1
        out.append(Claim(id=f"{doc}:s{k}", statement=text, holder=holder, doc_id=doc, carriers=[doc], verified=False))
    return out


def _sections(claims: list[Claim]) -> dict:
    return offline_sections(claims, lambda d: int(d[1:]), lambda ds: len(set(ds)))


def test_a_hospital_and_its_director_are_not_two_sides_of_a_divergence():
    claims = _claims([
        ("d1", "Four people were in critical condition at Linton General Hospital on Friday, according to the "
               "hospital's medical director, Dr. Omar Haddad.", "the hospital"),
        ("d2", "Linton General Hospital said four patients were in a critical condition on Friday evening.",
         "Linton General Hospital"),
        ("d3", "The council said the road would reopen on Monday.", "the council"),
    ])
    out = _sections(claims)
    assert not [i for i in out["divergences"] if i.basis == "party-positions"], out["divergences"]


ROAD = [
    ("d1", "Engineers will inspect the cliff above the coast road on Monday after the landslide.", None),
    ("d2", "The landslide closed the coast road on Monday, but residents say the cliff had been failing for years.", None),
    ("d3", "Ferry tickets for the weekend sold out within an hour of the announcement.", None),
]


HELD = [("d1", "The council said engineers will inspect the cliff above the coast road on Monday after the landslide.",
         "the council"),
        ("d2", "The landslide closed the coast road on Monday, but residents say the cliff had been failing for years.",
         "residents"), ROAD[2]]


def test_one_point_set_against_something_by_another_source_is_a_divergence():
    out = _sections(_claims(HELD))
    pairs = [i for i in out["divergences"] if i.basis == "same-point"]
    assert len(pairs) == 1, [i.statement for i in out["divergences"]]
    assert [v.sources for v in pairs[0].variants] == [["d1"], ["d2"]]
    assert [v.value.split(":")[0] for v in pairs[0].variants] == ["the council", "residents"]
    assert "residents say the cliff" in pairs[0].statement


def test_a_same_point_pair_whose_sides_name_no_holder_is_no_divergence():
    # the same two sentences with nobody named as holding either side: no divergence a reader can attribute
    assert not [i for i in _sections(_claims(ROAD))["divergences"] if i.basis == "same-point"]


def test_no_same_point_divergence_without_a_contrast_or_from_one_source():
    calm = [ROAD[0], ("d2", "The landslide closed the coast road on Monday, and residents say the cliff had been failing for years.", None), ROAD[2]]
    assert not [i for i in _sections(_claims(calm))["divergences"] if i.basis == "same-point"]
    # a topic word ("disputes") or an adverb ("yet") is no turn
    topic = [ROAD[0], ("d2", "The landslide closed the coast road on Monday amid disputes, and residents say the cliff had yet to be "
                             "checked for years.", None), ROAD[2]]
    assert not [i for i in _sections(_claims(topic))["divergences"] if i.basis == "same-point"]
    one_source = [ROAD[0], ("d1", ROAD[1][1], None), ROAD[2]]
    assert not [i for i in _sections(_claims(one_source))["divergences"] if i.basis == "same-point"]


def test_seed_omissions_name_a_topic_the_other_party_never_touches():
    brief = make_brief([str(ROOT / "seeds")])
    found = _omissions(brief)
    assert found, [i.statement for i in brief.unsaid]
    texts = [s.text for s in brief.sources]
    for item in found:
        other = item.variants[-1].value.split(":", 1)[0]
        topic = item.statement.split("“", 1)[1].split("”", 1)[0].lower()
        # no sentence of any source that names the other party uses the topic word
        for t in texts:
            for sent in t.replace("\n", " ").split(". "):
                if other in sent:
                    assert topic not in sent.lower(), (other, topic, sent)
