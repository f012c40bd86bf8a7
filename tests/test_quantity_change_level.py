"""A figure a thing moved by is not the level it reached: "revenue rose 3 percent" (a change) and "11 per
cent of revenue" (a share) are two measures, and "$4.1 billion" in "revenue rose 3 percent to $4.1
billion" is revenue's, not the percent's. Read wrong, a company's results became a false figure conflict
and hid the agreement on them. General English, not about any story."""
from __future__ import annotations

from pipeline.cluster.figures import quantity_conflicts
from pipeline.models import Claim
from pipeline.text.quantities import find_quantities


def _read(text: str) -> list[tuple[str, str, float]]:
    return [(q.dimension, q.thing, q.value) for q in find_quantities(text)]


def test_a_change_is_not_the_level():
    assert ("percent", "sale change", 4.0) in _read("Sales rose 4 percent in the year.")
    assert ("percent", "sale", 20.0) in _read("Online orders now make up 20 per cent of sales.")
    # a level reached keeps its thing
    assert _read("Unemployment rose to 5.2% in May.") == [("percent", "unemployment", 5.2)]
    assert _read("Turnout was 64 percent.") == [("percent", "turnout", 64.0)]


def test_the_level_after_a_change_is_the_things_not_the_percents():
    got = _read("Turnover climbed 3 per cent to $4.1bn in the quarter, but profit slid to $96mn.")
    assert ("money:USD", "turnover", 4.1e9) in [(d, t, round(v, -6)) for d, t, v in got]
    assert not [t for d, t, _ in got if d.startswith("money") and t == "percent"]


def _claim(i: int, doc: str, text: str) -> Claim:
    return Claim(id=f"{doc}:s{i}", doc_id=doc, statement=text, kind="reported_fact", verified=True, carriers=[doc])


def test_a_rise_and_a_share_of_the_same_thing_are_no_conflict():
    claims = [_claim(0, "d1", "Sales rose 4 percent to $2.2 billion in the year to March."),
              _claim(1, "d2", "Online orders grew 9 per cent and now make up 20 per cent of sales.")]
    assert not quantity_conflicts(claims, lambda d: int(d[1:]), set())
    # the same measure told two ways is still one
    claims.append(_claim(2, "d3", "Sales rose 6 percent to $2.2 billion in the year to March."))
    assert quantity_conflicts(claims, lambda d: int(d[1:]), set())
