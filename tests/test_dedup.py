import hashlib
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.ingest.dedup import _MinHasher, dedup, normalize_words, sentence_key, shared_quotes
from pipeline.models import Document
from tiny_split import split



def make_doc(text: str, name: str = "") -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=sha[:16], name=name or sha[:8], sha256=sha, format="text", raw=text, text=text)


def run(*texts: str, **kw):
    docs = [make_doc(t) for t in texts]
    sents = [s for d in docs for s in split(d)]
    return docs, sents, dedup(docs, sents, **kw)


def passage_with(result, text_part: str):
    found = [p for p in result.passages if text_part in p.text]
    assert len(found) == 1, (text_part, [p.text for p in found])
    return found[0]


ARTICLE = """Trump and Putin agree on limited ceasefire

Russian President Vladimir Putin agreed on Tuesday to stop attacking Ukrainian energy infrastructure for thirty days. The Kremlin said Putin insisted that “a complete cessation of foreign military aid and intelligence sharing with Kyiv” must be a condition of any lasting settlement. Ukrainian President Volodymyr Zelensky said he would support the proposal but wanted to see the details first. Both sides will exchange 175 prisoners on Wednesday, officials in Moscow and Washington said. European leaders warned that any deal reached without Ukraine at the table would not hold. Technical talks on a maritime ceasefire in the Black Sea are due to begin in Saudi Arabia next week. Analysts said the call produced far less than the full truce Washington had sought.

The White House described the conversation as a first step toward a permanent peace. Markets in Europe rose modestly after the call ended late in the evening."""

OTHER = """Zelensky cautious after call

Kyiv reacted with caution on Wednesday as officials studied the outcome of the leaders’ conversation. A senior Ukrainian official said the government had not been consulted before the call took place. Energy workers in Kharkiv said attacks on substations had continued overnight despite the announcement. The foreign ministry repeated that Ukraine would never accept limits on its own armed forces."""


def test_exact_duplicates_ignore_case_quotes_dashes_and_spacing():
    a = "Officials said the “first phase” of talks — covering energy sites — would start on Monday."
    b = 'OFFICIALS said the "first phase" of talks - covering energy sites -  would start on Monday!'
    docs, sents, r = run(a, b)
    p = passage_with(r, "first phase")
    assert p.dup == "exact"
    assert [c.doc_id for c in p.carriers] == [docs[0].id, docs[1].id]
    assert p.rep == p.carriers[0] and p.rep.doc_id == docs[0].id
    assert r.is_representative(sents[0]) and not r.is_representative(sents[1])
    assert normalize_words("Trump’s U.S. 1,000") == normalize_words("trump's US 1000")


def test_near_duplicate_across_documents_is_merged_with_its_similarity():
    a = ("Russian President Vladimir Putin agreed on Tuesday to stop attacking Ukrainian energy "
         "infrastructure for thirty days, the Kremlin said in a statement.")
    b = ("Russian President Vladimir Putin agreed on Tuesday to stop attacking Ukrainian energy "
         "infrastructure for thirty days, the Kremlin said in a short statement.")
    docs, sents, r = run(a, b)
    p = passage_with(r, "Putin agreed")
    assert p.dup == "near"
    assert len(p.carriers) == 2
    [m] = r.merged
    assert m["kind"] == "near" and m["passage"] == p.id
    assert 0.8 <= m["similarity"] < 1.0
    assert [(c["doc_id"], c["start"], c["end"]) for c in m["carriers"]] == \
        [(c.doc_id, c.start, c.end) for c in p.carriers]


def test_different_sentence_sharing_some_words_is_not_merged():
    a = "Russian President Vladimir Putin agreed on Tuesday to stop attacking Ukrainian energy infrastructure."
    b = "Russian President Vladimir Putin refused on Thursday to discuss any limits on his armed forces."
    _, _, r = run(a, b)
    assert [p.dup for p in r.passages] == ["unique", "unique"]
    assert r.merged == []


def test_short_sentences_merge_only_when_exact():
    _, _, r = run("Talks resumed on Monday. Nothing else happened.",
                  "Talks resumed on Tuesday. Nothing else happened!")
    assert passage_with(r, "Monday").dup == "unique"
    assert passage_with(r, "Tuesday").dup == "unique"
    assert passage_with(r, "Nothing else").dup == "exact"


def test_repeat_within_one_document():
    text = ("The ministry said the strikes had stopped for now. Residents disagreed. "
            "The ministry said the strikes had stopped for now.")
    docs, sents, r = run(text)
    p = passage_with(r, "ministry")
    assert p.dup == "exact" and [c.start for c in p.carriers] == [sents[0].start, sents[2].start]
    assert r.independent_count([docs[0].id]) == 1


def test_every_sentence_maps_to_a_passage_whose_spans_are_real():
    docs, sents, r = run(ARTICLE, OTHER, ARTICLE.replace("thirty", "30"))
    by_id = {d.id: d for d in docs}
    assert set(r.passage_of) == {sentence_key(s) for s in sents}
    assert {p.id for p in r.passages} == set(r.passage_of.values())
    assert sum(len(p.carriers) for p in r.passages) == len(sents)
    for s in sents:
        p = r.passage_for(s)
        assert any(c.doc_id == s.doc_id and (c.start, c.end) == (s.start, s.end) for c in p.carriers)
    for p in r.passages:
        assert p.rep == p.carriers[0]
        assert by_id[p.rep.doc_id].text[p.rep.start:p.rep.end] == p.text
        order = [(docs.index(by_id[c.doc_id]), c.start) for c in p.carriers]
        assert order == sorted(order)
    # exactly one representative per passage
    assert sum(r.is_representative(s) for s in sents) == len(r.passages)


def test_syndicated_copy_with_a_new_first_line_is_one_group():
    copy = "Putin agrees to pause energy strikes, Kremlin says" + ARTICLE[ARTICLE.index("\n"):]
    copy = copy.replace("“", '"').replace("”", '"')  # and the copy's CMS straightened the quotes
    docs, sents, r = run(ARTICLE, OTHER, copy)
    a, other, c = (d.id for d in docs)
    assert r.syndication_groups == [[a, c], [other]]
    assert r.group_of == {a: 0, other: 1, c: 0}
    assert r.independent_count([a, c]) == 1
    assert r.independent_count([a, other, c]) == 2
    [link] = r.syndication_links
    assert link["docs"] == [a, c] and link["share"] > 0.9
    # the copies' sentences are carried by the original's passages
    for s in sents:
        if s.doc_id == c and not s.heading:
            assert r.passage_for(s).rep.doc_id == a


def test_copy_split_into_different_sentences_is_grouped_as_a_whole():
    # every sentence boundary moved, so no sentence matches; the text as a whole still does
    copy = ARTICLE.replace(". ", "; and ")
    docs, sents, r = run(ARTICLE, copy, OTHER)
    assert r.stats["exact_duplicates"] + r.stats["near_duplicates"] <= 2
    assert r.syndication_groups == [[docs[0].id, docs[1].id], [docs[2].id]]
    [link] = r.syndication_links
    assert link["doc_jaccard"] >= 0.6 and "shared_passages" not in link


def test_one_shared_quote_does_not_make_documents_copies():
    quote = "The key condition is a complete halt to foreign military aid to Kyiv, the Kremlin said."
    docs, sents, r = run(OTHER + " " + quote, "Markets were calm. " + quote)
    assert len(r.syndication_groups) == 2
    assert r.independent_count([d.id for d in docs]) == 2
    assert passage_with(r, "key condition").dup == "exact"


def test_every_document_is_in_exactly_one_group():
    texts = [ARTICLE, OTHER, ARTICLE.replace("Tuesday", "Monday"), OTHER.upper(), "Short note."]
    docs, _, r = run(*texts)
    flat = [d for g in r.syndication_groups for d in g]
    assert sorted(flat) == sorted(d.id for d in docs)
    assert all(r.syndication_groups[r.group_of[d]].count(d) == 1 for d in flat)
    assert r.syndication_groups == [[docs[0].id, docs[2].id], [docs[1].id, docs[3].id], [docs[4].id]]


def test_shared_quotes_found_inside_different_sentences():
    q1 = "“We are ready to talk about a full ceasefire as soon as the guns fall silent,”"
    q2 = '"we are ready to talk about a full ceasefire as soon as the guns fall silent"'
    docs = [make_doc(f"The envoy said on Friday: {q1} according to aides."),
            make_doc(f"Speaking in Riyadh, {q2}, the minister told reporters."),
            make_doc("“Too short to count here,” she said.")]
    [found] = shared_quotes(docs)
    assert found["docs"] == [docs[0].id, docs[1].id]
    for span in found["spans"]:
        doc = next(d for d in docs if d.id == span["doc_id"])
        assert normalize_words(doc.text[span["start"]:span["end"]]) == normalize_words(q2)
    _, _, r = run(*(d.text for d in docs))
    assert len(r.shared_quotes) == 1


def test_headings_can_be_duplicates_but_do_not_make_copies():
    a = "Live updates\n\n" + OTHER
    b = "Live updates\n\nMarkets were calm on Friday as traders waited for news from the talks."
    docs, sents, r = run(a, b)
    assert passage_with(r, "Live updates").dup == "exact"
    assert len(r.syndication_groups) == 2


def test_planted_near_duplicates_are_found_among_many_sentences():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    base = [" ".join(rng.choices(vocab, k=rng.randint(15, 45))) + "." for _ in range(1500)]
    variants = []
    for s in base[:300]:
        words = s[:-1].split()
        # one word changed: at the end it touches one shingle, inside it touches three
        words[rng.choice([-1, rng.randrange(len(words))])] = "changed"
        variants.append(" ".join(words) + ".")
    docs = [make_doc(" ".join(base[i:i + 50])) for i in range(0, len(base), 50)]
    docs.append(make_doc(" ".join(variants)))
    sents = [s for d in docs for s in split(d)]
    r = dedup(docs, sents)
    by_text = {s.text: r.passage_of[sentence_key(s)] for s in sents}
    from pipeline.ingest.dedup import _jaccard, _shingles

    def jac(x, y):
        return _jaccard(_shingles(normalize_words(x), 3), _shingles(normalize_words(y), 3))

    planted = [(s, v) for s, v in zip(base, variants) if jac(s, v) >= 0.85]
    assert len(planted) > 150
    missed = [s for s, v in planted if by_text[s] != by_text[v]]
    assert not missed
    # and nothing was merged below the threshold
    for m in r.merged:
        assert all(c["similarity"] >= 0.8 for c in m["carriers"])


def test_boilerplate_in_every_document_is_left_out_of_pair_counting_over_budget(monkeypatch):
    import pipeline.ingest.dedup as dd

    footer = "Copyright 2025 Example News Agency, all rights reserved worldwide by the publisher."
    rng = random.Random(1)
    words = ARTICLE.split()
    texts = [" ".join(rng.sample(words, 40)) + ". " + " ".join(rng.sample(words, 40)) + ". " + footer
             for _ in range(30)]
    _, _, r = run(*texts)
    assert r.stats["passages_too_common_to_pair"] == 0
    monkeypatch.setattr(dd, "_PAIR_BUDGET", 100)  # 30 carriers: 435 pairs
    _, _, r2 = run(*texts)
    assert r2.stats["passages_too_common_to_pair"] == 1
    assert len(r.syndication_groups) == len(r2.syndication_groups) == 30  # one shared line: no copies
    assert passage_with(r2, "Copyright").dup == "exact"
    assert dd._fanout_cut([1, 2, 3]) == 4 and dd._fanout_cut([]) == 1


def test_swar_lane_min_matches_plain_min():
    rng = random.Random(3)
    h = _MinHasher(3, 64)
    vecs = [rng.getrandbits(1024) & h.values for _ in range(40)]

    def lanes(v):
        return [(v >> (16 * i)) & 0x7FFF for i in range(64)]

    assert lanes(h.min(vecs)) == [min(col) for col in zip(*map(lanes, vecs))]
    a, b = vecs[0], vecs[1]
    b_half = (a & ((1 << 512) - 1)) | (b >> 512 << 512)  # the low 32 lanes equal
    assert h.estimate(a, a) == 1.0 and h.estimate(a, b_half) >= 0.5


def test_bad_input_is_rejected():
    doc = make_doc("One sentence here.")
    [s] = split(doc)
    with pytest.raises(ValueError, match="no given document"):
        dedup([], [s])
    with pytest.raises(ValueError, match="twice"):
        dedup([doc], [s, s])
    with pytest.raises(ValueError, match="multiple of bands"):
        dedup([doc], [s], num_perm=60, bands=16)


_DETERMINISM = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from test_dedup import ARTICLE, OTHER, run
    copy = "A new headline" + ARTICLE[ARTICLE.index("\\n"):].replace("thirty", "30")
    _, _, r = run(ARTICLE, OTHER, copy, OTHER.replace("Kyiv", "Kiev"))
    print(r.model_dump_json())
""")


def test_deterministic_across_processes_and_hash_seeds():
    script = _DETERMINISM.format(tests=str(Path(__file__).parent))
    outs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        p = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == 0, p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1]
    assert '"dup":"near"' in outs[0] and '"dup":"exact"' in outs[0]


# --- corroboration is never collapsed: the same words in independent outlets (issue 19, item 3) ----------

STATEMENT = ('"We will restore full pressure to every household in the eastern district by Friday evening." '
             '"Crews are working around the clock and we thank residents for their patience."')
OUTLETS = [
    "Aqualine, the city's water utility, said a burst main had cut pressure across the eastern district. "
    "Its director, Helen Ostrova, said: " + STATEMENT + " The break happened near the rail depot.",
    "Thousands of homes in the east of the city had weak or no water on Tuesday. Helen Ostrova of Aqualine "
    "said: " + STATEMENT + " Schools in the district stayed open.",
    "A main broke under Depot Road early on Tuesday, the utility confirmed. Director Helen Ostrova said: "
    + STATEMENT + " Bottled water was handed out at the library.",
    "Residents in the eastern district queued for bottled water after a pipe failure. The utility did not "
    "give a cause for the break, and a council member called for an inquiry into ageing pipes.",
]


def test_a_statement_three_independent_outlets_carry_verbatim_is_shared_not_a_copy():
    docs, sents, r = run(*OUTLETS)
    # four sources, not one: the quoted statement is what independent outlets share, never evidence of copying
    assert len(r.syndication_groups) == 4
    assert r.independent_count([d.id for d in docs]) == 4
    p = passage_with(r, "around the clock")
    assert {c.doc_id for c in p.carriers} == {d.id for d in docs[:3]}
    assert p.shared and r.independent_count(c.doc_id for c in p.carriers) == 3
    assert r.removed == []  # nothing another outlet said is collapsed
    assert not passage_with(r, "handed out at the library").shared


def test_a_true_syndicated_copy_still_collapses_and_is_listed_with_what_it_matched():
    copy = OUTLETS[1].replace("Schools in the district stayed open.", "Schools in the district remained open.")
    docs, sents, r = run(OUTLETS[1], OUTLETS[0], copy)
    assert r.syndication_groups == [[docs[0].id, docs[2].id], [docs[1].id]]
    assert r.removed and {x["doc_id"] for x in r.removed} == {docs[2].id}
    for x in r.removed:
        assert x["why"] == "syndicated copy" and x["matched"]["doc_id"] == docs[0].id
        assert docs[0].text[x["matched"]["start"]:x["matched"]["end"]]
    # the quote the second, independent outlet also carried is shared between the two sources
    assert passage_with(r, "around the clock").shared


def test_a_near_duplicate_that_changes_a_figure_or_a_negation_stays_apart():
    base = ("The council said in its annual finance report, published on its website late on Thursday "
            "after a long committee meeting, that the new water tariff would raise the average household bill "
            "by twelve pounds from April onwards.")
    negated = base.replace("would raise", "would not raise")
    figure = base.replace("twelve", "twenty")
    same = base.replace("twelve", "12")
    _, _, r = run(base, negated, figure, same)
    texts = sorted(len(p.carriers) for p in r.passages)
    assert texts == [1, 1, 2], [(p.text, len(p.carriers)) for p in r.passages]
    assert passage_with(r, "not raise").carriers[0].doc_id != passage_with(r, "twenty").carriers[0].doc_id
    assert r.stats["near_kept_apart"] == 2


def test_the_shared_statement_is_an_agreement_crediting_each_outlet_and_the_manifest_lists_no_drop(tmp_path):
    from pipeline.run import run_pipeline
    from pipeline.brief.write import manifest

    paths = []
    for i, text in enumerate(OUTLETS):
        p = tmp_path / f"outlet{i}.txt"
        p.write_text(f"Water story, outlet {i}\n\n{text}\n", encoding="utf-8")
        paths.append(str(p))
    result = run_pipeline(paths, engine="offline")
    brief = result.brief
    [item] = [i for i in brief.agreements if "around the clock" in i.statement]
    names = {s.id: s.name for s in brief.sources}
    assert sorted(names[d] for d in item.sources) == ["outlet0.txt", "outlet1.txt", "outlet2.txt"]
    dd = manifest(result, {})["dedup"]
    assert dd["removed"] == [] and dd["shared_passages"] >= 1 and len(dd["syndication_groups"]) == 4
