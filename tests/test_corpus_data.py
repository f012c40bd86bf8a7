"""The hand-written test data stays consistent: harbor-blast corpus, its gold and meta.json, and the furniture pages."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from pipeline.evals.gold import load_gold
from pipeline.evals.match import keyword_groups_missing

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "evals/corpora/harbor-blast"
GOLD = ROOT / "evals/gold/harbor-blast.json"
PAGES = ROOT / "tests/data/pages"
SEED_WORDS = re.compile(r"putin|kremlin|trump|ukrain|ceasefire|prisoner|white house|russia|moscow", re.I)


def plain(path: Path) -> str:
    """The file's words without markup: a deliberately naive reading, independent of pipeline/clean.py,
    so these data checks do not move when the cleaner changes."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        raw = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", raw, flags=re.S | re.I)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", raw)


def articles() -> dict[str, str]:
    return {p.name: plain(p) for p in sorted(CORPUS.iterdir()) if p.name != "meta.json"}


def test_meta_names_every_article_and_nothing_else():
    meta = json.loads((CORPUS / "meta.json").read_text(encoding="utf-8"))
    assert set(meta) == set(articles())
    for name, m in meta.items():
        assert m["outlet"] and m["title"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["date"]), name
    assert len({m["outlet"] for m in meta.values()}) == len(meta)  # one outlet per file


def test_articles_are_news_length_in_three_formats():
    docs = articles()
    assert len(docs) >= 7 and {Path(n).suffix for n in docs} == {".txt", ".html", ".md"}
    for name, text in docs.items():
        if name.endswith(".html"):
            body = " ".join(re.findall(r"<p\b[^>]*>(.*?)</p>", (CORPUS / name).read_text(encoding="utf-8"), re.S))
            text = re.sub(r"<[^>]+>", " ", body)
        assert 250 <= len(text.split()) <= 800, name


def test_gold_is_valid_and_each_fact_is_in_its_sources():
    gold = load_gold(GOLD)
    docs = articles()
    copies = gold.model_extra["syndicated"]
    assert set(copies) <= set(docs) and set(copies.values()) <= set(docs)
    assert 15 <= len(gold.facts) <= 25
    assert {f.section for f in gold.facts} == {"agreements", "divergences", "unsaid"}
    for f in gold.facts:
        assert f.sources and set(f.sources) <= set(docs), f.id
        independent = {copies.get(s, s) for s in f.sources}
        if f.section != "divergences":
            assert len(independent) >= 2, f"{f.id}: needs two independent outlets"
            for s in f.sources:  # every listed source says every required detail
                assert not keyword_groups_missing(f.keywords, docs[s]), (f.id, s)
        else:  # each side is told by some source, and the sides come from independent outlets
            for group in f.keywords:
                assert any(not keyword_groups_missing([group], docs[s]) for s in f.sources), (f.id, group)
            assert len(independent) >= 2, f.id


def test_the_conflicting_death_toll_is_spelled_out_on_both_sides():
    docs = articles()
    assert "Five workers were killed" in docs["daily-clarion.html"]
    copies = load_gold(GOLD).model_extra["syndicated"]
    said = re.compile(r"\b(?:killed|killing) three (?:workers|men)\b|\bthree (?:workers|men)\b[^.]*\b(?:killed|died)\b", re.I)
    three = {copies.get(n, n) for n, t in docs.items() if said.search(t)}
    assert len(three) >= 5, three  # five independent outlets (a syndicated copy counts as its original)


def test_no_seed_story_words_in_the_test_data():
    files = [*CORPUS.iterdir(), GOLD, *PAGES.iterdir()]
    hits = [p.name for p in files if SEED_WORDS.search(p.read_text(encoding="utf-8"))]
    assert not hits


EXPECTED = json.loads((PAGES / "EXPECTED.json").read_text(encoding="utf-8"))["pages"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_expectations_point_at_real_text(name):
    e = EXPECTED[name]
    raw = (PAGES / name).read_text(encoding="utf-8")
    paragraphs = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", p))).strip()
                  for p in re.findall(r"<p\b[^>]*>(.*?)</p>", raw, re.S | re.I)]
    text = plain(PAGES / name)
    assert 2 <= len(e["keep"]) <= 3 and 3 <= len(e["remove"]) <= 5
    for sentence in e["keep"]:
        assert any(sentence in p for p in paragraphs), sentence
    for junk in e["remove"]:
        assert junk in text, junk
        assert not any(junk in s for s in e["keep"]), junk
    assert e["title"] in text and e["site_name"] in raw and e["author"] in raw
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date"]) and e["date"] in raw


def test_every_page_has_an_expectation():
    assert set(EXPECTED) == {p.name for p in PAGES.glob("*.html")}
