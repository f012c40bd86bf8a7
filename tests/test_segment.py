"""Paragraphs and sentences: offsets into Document.text, abbreviations, quotes, list items, headings."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.ingest.clean import clean
from pipeline.models import Document
from pipeline.ingest.segment import MAX_SENTENCE, segment, split_paragraphs, split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def plain(text: str) -> Document:
    return Document(id="d0", name="t", sha256="0", format="text", raw=text, text=text)


def cleaned(raw: str, fmt: str = "txt") -> Document:
    text, removals, offset_map, meta = clean(raw, fmt)
    return Document(id="d1", name="t", sha256="0", format=fmt, raw=raw, text=text, removals=removals,
                    offset_map=offset_map, meta=meta)


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(plain(text))]


def assert_well_formed(doc: Document) -> None:
    sentences = split_sentences(doc)
    paragraphs = split_paragraphs(doc)
    assert [s.idx for s in sentences] == list(range(len(sentences)))
    prev_end = 0
    for s in sentences:
        assert doc.text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= prev_end
        prev_end = s.end
        a, b = paragraphs[s.para]
        assert a <= s.start and s.end <= b
        assert len(s.text) <= MAX_SENTENCE
    for a, b in paragraphs:
        assert doc.text[a:b] == doc.text[a:b].strip() and a < b


# --- sentence boundaries -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Mr. Smith met Dr. Jones in Washington, D.C. on Jan. 5 at 10 a.m. and left.",
    "The U.S. President spoke with U.K. officials.",
    "Donald J. Trump and J.D. Vance spoke.",
    "Growth was 3.5 percent and inflation 2.25 percent in No. 10 district.",
    "Gen. Keith Kellogg and Sen. Rubio, e.g. in talks, agreed.",
    "Officials said the talks (which began Jan. 12) continue.",
    "\"Is this peace?\" he asked the room.",
    "Wait... there is more to say.",
])
def test_one_sentence(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("The talks ended. Putin left.", ["The talks ended.", "Putin left."]),
    ("He said \"no.\" Then he left.", ["He said \"no.\"", "Then he left."]),
    ("“We agreed.” The Kremlin said so.", ["“We agreed.”", "The Kremlin said so."]),
    ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
    ("The deal covers 175 prisoners. 23 more are wounded.", ["The deal covers 175 prisoners.", "23 more are wounded."]),
    ("He met officials in the U.K. Then he flew home.", ["He met officials in the U.K. Then he flew home."]),
    ("It was signed at 3 p.m. Nobody objected.", ["It was signed at 3 p.m.", "Nobody objected."]),
    ("Talks resume in Jan. The date is not set.", ["Talks resume in Jan.", "The date is not set."]),
])
def test_sentence_splits(text, expected):
    assert texts(text) == expected


def test_list_items_are_their_own_sentences_and_keep_the_bullet():
    doc = plain("Key Agreements from the Call\n- Ceasefire Talks: They agreed. More later.\n"
                "- Prisoner Exchange: 175 each side\n* Star item\n1. Numbered item.\nWith eyes on:\n- one\n- two")
    got = [(s.text, s.heading) for s in split_sentences(doc)]
    assert got == [("Key Agreements from the Call", True), ("- Ceasefire Talks: They agreed.", False),
                   ("More later.", False), ("- Prisoner Exchange: 175 each side", False), ("* Star item", False),
                   ("1. Numbered item.", False), ("With eyes on:", False), ("- one", False), ("- two", False)]


@pytest.mark.parametrize("line, heading", [
    ("Key Agreements from the Call", True),
    ("What’s Next?", True),
    ("White House’s Stand: “War Should Have Ended Long Ago”", True),
    ("18 March 2025", True),
    ("“It is time for Russia to show whether it really wants peace,” Sybiga said.", False),
    ("“This is a quoted sentence.”", False),
    ("With the ceasefire talks now officially in motion, all eyes will be on:", False),
    ("Is this a very long question that goes on and on past any headline length, really?", False),
])
def test_heading_lines(line, heading):
    sentences = split_sentences(plain(f"Intro sentence here.\n{line}\nBody sentence here."))
    assert sentences[1].text == line and sentences[1].heading is heading


def test_markdown_heading_is_a_heading_even_when_it_reads_like_a_sentence():
    doc = cleaned("# The leaders agreed to a truce.\n\n## **Things unsaid**\n\nBody. More body.")
    got = [(s.text, s.heading) for s in split_sentences(doc)]
    assert got == [("The leaders agreed to a truce.", True), ("Things unsaid", True), ("Body.", False),
                   ("More body.", False)]


def test_html_headings_are_headings():
    doc = cleaned("<h2><b>A long heading that ends with a period.</b></h2><p>Body text. More.</p>", "html")
    got = [(s.text, s.heading) for s in split_sentences(doc)]
    assert got == [("A long heading that ends with a period.", True), ("Body text.", False), ("More.", False)]


# --- paragraphs ----------------------------------------------------------------------------------

def test_paragraphs_are_lines_or_blocks():
    text = "First line.\nSecond line.\n\n  Third after blank.  \n"
    assert [text[a:b] for a, b in split_paragraphs(plain(text))] == ["First line.", "Second line.", "Third after blank."]


def test_hard_wrapped_block_is_one_paragraph():
    text = ("The leaders agreed on Tuesday to begin technical negotiations\n"
            "on a maritime ceasefire in the Black Sea, the White House said\n"
            "in a statement after a call that lasted more than ninety minutes.\n"
            "- A list item still starts its own paragraph.\n\nNext paragraph.")
    doc = plain(text)
    paras = [text[a:b] for a, b in split_paragraphs(doc)]
    assert len(paras) == 3 and paras[0].startswith("The leaders") and paras[0].endswith("minutes.")
    assert paras[1] == "- A list item still starts its own paragraph."
    sentences = split_sentences(doc)
    assert sentences[0].text == paras[0] and not sentences[0].heading
    assert_well_formed(doc)


def test_line_continuing_in_lower_case_joins():
    text = "A long line that stops in the middle of its sentence and\ncontinues here."
    assert texts(text) == [text]


# --- the seeds -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_sentences_are_well_formed(path):
    doc = cleaned(path.read_text(encoding="utf-8"))
    assert_well_formed(doc)
    assert segment(doc) == split_sentences(doc)


def test_seed_sentences_spot_checks():
    doc = cleaned(next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8"))
    got = [s.text for s in split_sentences(doc)]
    assert got[0] == "Trump, Putin Agree To Begin Ceasefire Negotiations On Three-Hour Call"
    assert "“There are some challenges,” Rubio said." in got
    assert "Negotiations will begin immediately in the Middle East." in got
    assert any(s.startswith("Trump announced the call") and s.endswith("the Associated Press reported.") for s in got)
    doc = cleaned(next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8"))
    heads = [s.text for s in split_sentences(doc) if s.heading]
    assert heads == ["Washington/Moscow, March 19, 2025", "Key Agreements from the Call", "Putin’s Condition for Peace",
                     "White House’s Stand: “War Should Have Ended Long Ago”",
                     "Ukraine’s Reaction: “We Expect Russia to Unconditionally Accept Peace Proposal”", "What’s Next?"]


# --- pathological sizes --------------------------------------------------------------------------

def test_huge_line_without_punctuation_is_capped_and_linear():
    text = "ceasefire talks " * 330_000  # ~5 MB
    doc = plain(text)
    t0 = time.perf_counter()
    sentences = split_sentences(doc)
    assert time.perf_counter() - t0 < 30  # a guard against runaway (quadratic, backtracking) work, not a speed target
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert all(doc.text[s.start:s.end] == s.text for s in sentences[:50])
    assert sentences[-1].end == len(text.rstrip())


def test_huge_token_without_whitespace_is_cut_hard():
    doc = plain("x" * 10_001)
    assert [len(s.text) for s in split_sentences(doc)] == [2000] * 5 + [1]


def test_many_abbreviations_stay_fast():
    text = "Mr. A. B. U.S. " * 50_000
    t0 = time.perf_counter()
    split_sentences(plain(text))
    assert time.perf_counter() - t0 < 30  # a guard against runaway (quadratic, backtracking) work, not a speed target


def test_empty_text():
    assert split_sentences(plain("")) == [] and split_paragraphs(plain("  \n\n ")) == []
