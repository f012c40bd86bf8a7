"""The offline engine on a story that is not the seeds: spelled-out conflicting death tolls are a divergence
with both sides and their sources; consent banners, newsletter boxes and share rows appear nowhere."""
import re
from pathlib import Path

import pytest

from pipeline import make_brief

BRIDGE = Path(__file__).resolve().parent / "data" / "bridge"
ARTICLES = sorted(p for p in BRIDGE.iterdir() if p.name != "README.md")


@pytest.fixture(scope="module")
def brief():
    return make_brief(ARTICLES)


def _name(brief, source_id):
    return next(s for s in brief.sources if s.id == source_id).name


def test_the_spelled_out_death_toll_conflict_is_a_divergence_with_both_sides(brief):
    tolls = [d for d in brief.divergences if d.statement.startswith("Sources differ on the number killed")]
    assert len(tolls) == 1, [d.statement for d in brief.divergences]
    sides = tolls[0].variants
    assert len(sides) == 2
    three, five = sides
    assert "five" in five.value.lower() and "three" in three.value.lower()
    assert [_name(brief, s) for s in five.sources] == ["04-tabloid.html"]
    assert len(three.sources) >= 3  # the wire, the local paper, the broadcaster, the trade title (the copy is one)


def test_injured_counts_in_words_and_digits_are_no_conflict(brief):
    # "14 injured", "14 others were hurt", "fourteen were injured" agree; 14 injured is not a death toll
    assert not [d for d in brief.divergences if "injured" in d.statement.split(":")[0]]


def test_no_page_furniture_anywhere_in_the_brief(brief):
    text = " ".join([brief.model_dump_json()] + [s.text for s in brief.sources])
    for junk in ("cookie", "personal data", "Agree and close", "newsletter", "Sign up", "Share Facebook",
                 "WhatsApp", "Home \u203a"):
        assert not re.search(re.escape(junk), text, re.I), junk
