"""brief.md for readers: every evidence span of brief.json, copies marked, why each item is where it is,
the warnings, and no stems, broken plurals or doubled quote marks. On the seeds and on a made-up story."""
import re
import sys
from pathlib import Path

import pytest

from pipeline import make_brief
from pipeline.brief.render import md_escape, to_markdown

sys.path.insert(0, str(Path(__file__).parent))
from reader_corpus import ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", params=["seeds", "other"])
def brief(request, tmp_path_factory):
    if request.param == "seeds":
        return make_brief(ROOT / "seeds")
    # the made-up story as files, with one that cannot be read, so the brief has a warning to show
    folder = tmp_path_factory.mktemp("story")
    for a in ARTICLES:
        (folder / a["name"]).write_text(a["text"], encoding="utf-8")
    (folder / "meta.json").write_text(__import__("json").dumps(
        {a["name"]: {k: a[k] for k in ("outlet", "title", "date") if k in a} for a in ARTICLES}), encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return make_brief(folder)


def _blocks(md):
    """{item id: its lines}."""
    out, cur = {}, None
    for line in md.splitlines():
        m = re.match(r"\*\*([ADUS]\d+)\.\*\* ", line)
        if m:
            cur = out.setdefault(m.group(1), [])
        elif line.startswith("## "):
            cur = None
        if cur is not None:
            cur.append(line)
    return out


def test_every_evidence_span_is_in_the_markdown(brief):
    md = to_markdown(brief)
    assert sum(line.startswith("    > ") for line in md.splitlines()) == sum(len(i.evidence) for i in brief.items())
    blocks = _blocks(md)
    for item in brief.items():
        text = "\n".join(blocks[item.id])
        for ev in item.evidence:
            assert md_escape(ev.quote) in text, (item.id, ev.quote)
            assert f"[{brief.source(ev.doc_id).n}]" in text


def test_each_item_says_why_it_is_in_its_section(brief):
    blocks = _blocks(to_markdown(brief))
    assert set(blocks) == {i.id for i in brief.items()}
    for item in brief.items():
        why = [line for line in blocks[item.id] if line.startswith("- Why here: ")]
        assert len(why) == 1 and len(why[0]) > len("- Why here: ") + 10


def test_sources_are_named_by_outlet(brief):
    md = to_markdown(brief)
    for s in brief.sources:
        assert s.outlet, s.name  # every source of both stories has its outlet from meta.json
        assert f"{s.n}. **{md_escape(s.outlet)}**" in md


def test_no_stems_broken_plurals_or_doubled_quotes(brief):
    md = to_markdown(brief)
    ours = "\n".join(line for line in md.splitlines() if not line.startswith("    > "))
    assert not re.search(r"\b1 (sources|quotes|articles|warnings|words|copies|calls|agreements|divergences|"
                         r"independent sources|things unsaid)\b", ours)
    assert not re.search(r"[“\"]{2}|[”\"]{2}", md)
    assert "peopl " not in md and "peopls" not in md


def test_copies_and_warnings_are_shown():
    folder_brief = make_brief(ARTICLES)
    md = to_markdown(folder_brief)
    a1 = "\n".join(_blocks(md)["A1"])
    assert "(+ syndicated copy: [2] River Post)" in a1
    assert "2. **River Post**" in md and "syndicated copy of [1]" in md
    n = folder_brief.agreements[0].independent_sources
    groups = {folder_brief.source(d).syndication_group for d in folder_brief.agreements[0].sources}
    assert f"Why here: {n} independent sources report it." in a1 and n == len(groups)  # the copy counts once


def test_warnings_are_listed(brief):
    md = to_markdown(brief)
    for w in brief.header.warnings:
        assert f"- {md_escape(w)}" in md
    if brief.header.warnings:
        assert re.search(r"\*\*\d+ warnings?:\*\*", md)


def test_skipped_file_warning_reaches_the_markdown(tmp_path):
    for a in ARTICLES[2:]:
        (tmp_path / a["name"]).write_text(a["text"], encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    b = make_brief(tmp_path)
    md = to_markdown(b)
    assert "**1 warning:**" in md and "blank.txt" in md


def test_figures_name_the_thing_as_written():
    b = make_brief([
        {"text": "The storm hit the town of Alder on Friday night. Officials said 12 people were hurt when the roof "
                 "of the market hall fell in. Crews worked through the night to clear the roads.", "outlet": "A"},
        {"text": "A storm struck Alder on Friday night. Police said 40 people were hurt when the market hall roof "
                 "collapsed. Roads were cleared by morning, the mayor said.", "outlet": "B"}])
    statements = [i.statement for i in b.divergences]
    assert any(re.search(r"the number of people\b", s) for s in statements), statements
    assert "peopl" not in to_markdown(b).replace("people", "")


def test_a_span_grounding_doubts_is_flagged_where_the_model_says_so():
    from pipeline.models import Evidence

    class Checked(Evidence):  # what grounding's support check adds to a span (issue 9), if it does
        supported: bool = True
        support_reason: str = ""

    b = make_brief(ARTICLES)
    item = b.agreements[0]
    ev = item.evidence[0]
    item.evidence[0] = Checked(**ev.model_dump(), supported=False, support_reason="figure 12 not in the evidence")
    assert "may not support the statement: figure 12 not in the evidence" in to_markdown(b)
    assert "may not support the statement: figure 12 not in the evidence" in b.to_html()
    item.evidence[0] = ev
    assert "may not support" not in to_markdown(b)
