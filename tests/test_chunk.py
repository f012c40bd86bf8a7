import hashlib
import random
import re

import pytest

from pipeline.ingest.chunk import chunk_document, chunk_documents
from pipeline.models import Document
from tiny_split import split
from pipeline.ingest.tokens import count_tokens



def make_doc(text: str) -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=sha[:12], name="t", sha256=sha, format="text", raw=text, text=text)


WORDS = ["the", "ceasefire", "Kremlin", "said", "talks", "Ukraine’s", "energy", "175", "prisoners",
         "Zelenskyy", "“halt”", "—", "30-day", "Ünïcode", "北京", "😀", "https://example.com/a?b=c",
         "(AFP)", "U.S.", "x" * 40]


def random_text(rng: random.Random) -> str:
    paras = []
    for _ in range(rng.randint(1, 8)):
        sents = []
        for _ in range(rng.randint(1, 10)):
            n = rng.choice([1, 3, 8, 20, 40]) if rng.random() > 0.03 else rng.randint(300, 900)
            sents.append(" ".join(rng.choices(WORDS, k=n)) + rng.choice([".", "!", "?"]))
        paras.append(rng.choice([" ", "  ", " - "]).join(sents))
    return rng.choice(["", "\n", "  "]) + rng.choice(["\n\n", "\n\n\n"]).join(paras)


def check(doc, sents, chunks, max_tokens, kept):
    text = doc.text
    prev_end = -1
    for i, c in enumerate(chunks):
        assert c.id == f"{doc.id}:c{i}" and c.doc_id == doc.id
        assert text[c.start:c.end] == c.text and c.text
        assert c.n_tokens == count_tokens(c.text) <= max_tokens
        assert c.start >= prev_end  # ordered, never overlapping
        prev_end = c.end
    covered = [None] * len(text)
    for i, c in enumerate(chunks):
        for p in range(c.start, c.end):
            covered[p] = i
    for s in sents:
        inside = {covered[p] for p in range(s.start, s.end) if not text[p].isspace()}
        if kept(s):
            assert None not in inside  # every visible character of a kept sentence is in a chunk
            if count_tokens(s.text) <= max_tokens:
                assert len(inside) == 1  # and a sentence that fits is never split
        else:
            assert inside <= {None}  # dropped text never appears in a chunk
    # a chunk holds nothing but kept sentences and the non-word gaps between them
    in_kept = [False] * len(text)
    for s in sents:
        if kept(s):
            for p in range(s.start, s.end):
                in_kept[p] = True
    for c in chunks:
        stray = "".join(ch for p, ch in enumerate(c.text, c.start) if not in_kept[p])
        assert not re.search(r"\w", stray), stray


@pytest.mark.parametrize("seed", range(60))
def test_random_documents(seed):
    rng = random.Random(seed)
    doc = make_doc(random_text(rng))
    sents = split(doc)
    max_tokens = rng.choice([8, 20, 50, 120, 800])
    drop = {s.idx for s in sents if rng.random() < rng.choice([0, 0.2, 0.5])}
    keep = (lambda s: s.idx not in drop) if drop else None
    chunks = chunk_document(doc, sents, max_tokens=max_tokens, keep=keep)
    check(doc, sents, chunks, max_tokens, kept=lambda s: s.idx not in drop)


def test_sentences_are_packed_and_counted_once():
    doc = make_doc(" ".join(f"Sentence number {i} says something brief." for i in range(200)))
    sents = split(doc)
    chunks = chunk_document(doc, sents, max_tokens=100)
    assert 10 <= len(chunks) <= 25
    assert sum(c.n_tokens for c in chunks) <= count_tokens(doc.text)
    assert all(c.n_tokens > 50 for c in chunks[:-1])  # greedy: chunks are reasonably full
    check(doc, sents, chunks, 100, kept=lambda s: True)


def test_prefers_paragraph_breaks_near_the_limit():
    para = " ".join(f"Point {i} of this paragraph is made here." for i in range(6))
    doc = make_doc("\n\n".join([para] * 6))
    sents = split(doc)
    tokens_per_para = count_tokens(para)
    chunks = chunk_document(doc, sents, max_tokens=int(tokens_per_para * 2.6))
    para_starts = {s.start for s in sents if s.idx == 0 or s.para != sents[s.idx - 1].para}
    para_ends = {s.end for s in sents if s.idx == len(sents) - 1 or s.para != sents[s.idx + 1].para}
    assert all(c.start in para_starts and c.end in para_ends for c in chunks)
    assert len(chunks) == 3


def test_dropped_sentence_ends_the_chunk():
    doc = make_doc("Keep this one. Drop this one. Keep that one too.")
    sents = split(doc)
    chunks = chunk_document(doc, sents, keep=lambda s: "Drop" not in s.text)
    assert [c.text for c in chunks] == ["Keep this one.", "Keep that one too."]


def test_text_between_sentences_that_no_sentence_covers_ends_the_chunk():
    doc = make_doc("First sentence here. Also Read: something else. Second sentence here.")
    sents = [s for s in split(doc) if "Also Read" not in s.text]  # the segmenter left it out
    sents = [s.model_copy(update={"idx": i}) for i, s in enumerate(sents)]
    chunks = chunk_document(doc, sents)
    assert [c.text for c in chunks] == ["First sentence here.", "Second sentence here."]
    # punctuation-only gaps (bullets, dashes) do not split
    doc = make_doc("First point here. - Second point here.")
    assert [c.text for c in chunk_document(doc, split(doc))] == [doc.text]


def test_oversize_sentence_is_split_at_whitespace():
    words = [f"word{i}" for i in range(3000)]
    doc = make_doc("Short opener. " + " ".join(words) + ". Short closer.")
    sents = split(doc)
    chunks = chunk_document(doc, sents, max_tokens=64)
    assert chunks[0].text == "Short opener."
    assert chunks[-1].text == "Short closer."
    middle = chunks[1:-1]
    assert len(middle) > 10
    assert all(c.n_tokens <= 64 and c.text == c.text.strip() for c in middle)
    assert " ".join(c.text for c in middle) == " ".join(words) + "."
    check(doc, sents, chunks, 64, kept=lambda s: True)


@pytest.mark.parametrize("blob", ["a" * 5000, "😀" * 700, "北京" * 900, "=/+" * 1500])
def test_a_word_longer_than_the_limit_is_cut(blob):
    doc = make_doc(f"Before. {blob}. After.")
    sents = split(doc)
    for max_tokens in (4, 7, 50):
        chunks = chunk_document(doc, sents, max_tokens=max_tokens)
        assert "".join(c.text for c in chunks[1:-1]) == blob + "."
        check(doc, sents, chunks, max_tokens, kept=lambda s: True)


def test_chunk_documents_keeps_document_order_and_skips_empty_ones():
    docs = [make_doc("One. Two."), make_doc(""), make_doc("Three.")]
    by_doc = {d.id: split(d) for d in docs}
    chunks = chunk_documents(docs, by_doc, max_tokens=800)
    assert [(c.doc_id, c.text) for c in chunks] == [(docs[0].id, "One. Two."), (docs[2].id, "Three.")]
    assert chunk_documents(docs, {}, max_tokens=800) == []


def test_unsorted_input_is_fine_but_wrong_offsets_are_rejected():
    doc = make_doc("Alpha one. Beta two. Gamma three.")
    sents = split(doc)
    assert chunk_document(doc, sents[::-1]) == chunk_document(doc, sents)
    bad = sents[1].model_copy(update={"start": sents[1].start + 1})
    with pytest.raises(ValueError, match="offsets"):
        chunk_document(doc, [sents[0], bad])
    other = make_doc("Elsewhere.")
    with pytest.raises(ValueError, match="does not belong"):
        chunk_document(doc, split(other))
    with pytest.raises(ValueError, match="overlaps"):
        chunk_document(doc, [sents[0], sents[0].model_copy(update={"idx": 1})])
    with pytest.raises(ValueError):
        chunk_document(doc, sents, max_tokens=3)
