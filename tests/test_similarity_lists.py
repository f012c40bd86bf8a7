"""ClaimIndex.neighbour_lists (pairs scored once, pruned by an upper bound) must equal neighbours() exactly:
same neighbours, same similarity values to the last bit, same order."""
import random
from pathlib import Path

import pytest

from pipeline.ingest.dedup import dedup
from pipeline.claims.offline import extract_claims
from pipeline.ingest.load import load_documents
from pipeline.ingest.segment import split_sentences
from pipeline.cluster.similarity import ClaimIndex

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _claims(inputs):
    docs, _ = load_documents(inputs)
    sents = [s for d in docs for s in split_sentences(d)]
    return extract_claims(docs, sents, dedup(docs, sents))


def _synthetic_texts(n_docs=30, n_sents=20, seed=3):
    """Zipf-like vocabulary, so some terms are common (no candidates) and most are rare; figures for the bonus."""
    rng = random.Random(seed)
    vocab = [f"w{k}ord" for k in range(500)]
    weights = [1 / (k + 1) for k in range(len(vocab))]
    texts = []
    for _ in range(n_docs):
        sents = []
        for _ in range(n_sents):
            words = rng.choices(vocab, weights, k=rng.randint(6, 14))
            if rng.random() < 0.3:
                words += [str(rng.choice([12, 40, 175, 300])), "tanks"]
            sents.append("Alpha " + " ".join(words) + ".")
        texts.append(" ".join(sents) + "\n")
    return texts


@pytest.mark.parametrize("inputs", [SEEDS, "synthetic"], ids=["seeds", "synthetic"])
def test_neighbour_lists_equal_neighbours(inputs):
    claims = _claims(_synthetic_texts() if inputs == "synthetic" else inputs)
    assert len(claims) > 100
    for min_sim in (0.15, 0.32, 0.45):
        reference = ClaimIndex(claims)
        expected = [reference.neighbours(i, min_sim) for i in range(len(claims))]
        index = ClaimIndex(claims)
        got = index.neighbour_lists(min_sim)
        assert got == expected
        assert index.neighbours(5, min_sim) == expected[5]  # served from the lists once they exist
        assert sum(map(len, got)) > 0
