"""The small profile's floor, over real HTTP against the scripted server, on stories that are not the seeds:
a model that relabels the rules' agreements, gives a one-party stance it cannot word, sets sides that the
section checks would drop, calls a stated absence one source's fact or words it as a plain fact, or shortens
a point two sources quote alike never leaves the brief with less than
the rules' items for those clusters (issue 21: a 1.5B model's "differ" on three agreements lost them)."""
import re
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.run import run_pipeline
from pipeline.sections.rules import stated_absence
from scripted_llm import _GROUP, _MEMBER, newsroom

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {"bridge": ROOT / "tests" / "data" / "bridge",
           **{name: ROOT / "evals" / "corpora" / name for name in ("harbor-blast", "fenwick-vote")}}
# driver-ruling, the held-out story, is never a fixture: it is kept to measure the work
# the stories where the rules leave the model a choice of "position" / of "differ" (each test checks it was offered)
WITH_POSITION = ["harbor-blast"]
WITH_DIFFER = ["bridge", "harbor-blast", "fenwick-vote"]
WITH_ABSENCE = ["harbor-blast", "fenwick-vote"]  # a one-source absence the rules state
_HEAD = re.compile(r"^\[(G\d+)\] \((\d+) sources?\) (?:label (\w+)|choose ([a-z, ]+))$", re.MULTILINE)


def _user(request):
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def _groups(request):
    """(group id, labels offered, [(id, source, sentence)]) for each group of a merge prompt."""
    heads = {g: [one] if one else re.split(r", | or ", several) for g, _n, one, several in _HEAD.findall(_user(request))}
    return [(gid, heads[gid], [(int(n), s, t) for n, s, t in _MEMBER.findall(body)])
            for gid, body in _GROUP.findall(_user(request))]


def _answering(answer):
    """A scripted model: `answer(group id, labels, members)` for each group of a merge call, newsroom else."""
    def handler(request):
        if "<groups>" not in _user(request):
            return newsroom(request)
        return {"items": [answer(gid, labels, members) for gid, labels, members in _groups(request)]}
    return handler


def _spans(brief, sections=("agreements", "divergences", "unsaid", "single_source")):
    return {(e.doc_id, e.start, e.end) for s in sections for i in getattr(brief, s) for e in i.evidence}


def _agreement_sources(brief):
    return sorted(sorted(i.sources) for i in brief.agreements)


_OFFLINE: dict = {}


def _offline(name):
    if name not in _OFFLINE:
        _OFFLINE[name] = run_pipeline(CORPORA[name], engine="offline").brief
    return _OFFLINE[name]


def _llm(corpus, tmp_path, answer):
    with FakeOpenAIServer(_answering(answer)) as server:
        result = run_pipeline(corpus, base_url=server.base_url, model="m", cache_dir=tmp_path)
        asked = [r for r in server.requests if "<groups>" in _user(r)]
    return result.brief, asked


def _contrary(gid, labels, members):
    """Every group with two sources or more is "differ", one side per source, all held by "the outlet"
    (each source's own telling of the same point as a side, as the 1.5B model answered)."""
    sources = list(dict.fromkeys(s for _, s, _ in members))
    if len(sources) < 2:
        return {"group": gid, "ids": [n for n, _, _ in members], "label": labels[0], "sides": [],
                "statement": members[0][2]}
    sides = [{"ids": [n for n, s, _ in members if s == src], "holder": "the outlet",
              "position": f"its telling, {k}"} for k, src in enumerate(sources)]
    return {"group": gid, "ids": [n for n, _, _ in members], "label": "differ", "sides": sides,
            "statement": members[0][2]}


@pytest.mark.parametrize("name", list(CORPORA))
def test_the_rules_agreements_are_offered_only_agree_and_stay_agreements(name, tmp_path):
    offline = _offline(name)
    brief, asked = _llm(CORPORA[name], tmp_path, _contrary)
    assert offline.agreements, "the corpus needs agreements for this test to mean anything"
    # every offline agreement's sources are credited by an agreement of the LLM brief
    for want in _agreement_sources(offline):
        assert any(set(want) <= set(got) for got in _agreement_sources(brief)), (want, _agreement_sources(brief))
    assert len(brief.agreements) >= len(offline.agreements)
    # the groups whose sentences the offline agreements cite were offered "agree" alone
    cited = {e.quote for i in offline.agreements for e in i.evidence}
    for r in asked:
        for gid, labels, members in _groups(r):
            if any(t in cited for _, _, t in members) and len({s for _, s, _ in members}) >= 2:
                assert labels == ["agree"], (gid, labels)


def _unworded_stance(gid, labels, members):
    """"position" wherever it is offered, with a statement no sentence makes: the rules' sentence stands, in
    a section where nothing supports it as a divergence of one party."""
    label = "position" if "position" in labels else labels[0]
    statement = "The moon is made of green cheese, officials confirmed." if label == "position" else members[0][2]
    return {"group": gid, "ids": [n for n, _, _ in members], "label": label, "sides": [], "statement": statement}


@pytest.mark.parametrize("name", WITH_POSITION)
def test_a_stance_the_model_cannot_word_keeps_the_rules_item(name, tmp_path):
    offline = _offline(name)
    brief, asked = _llm(CORPORA[name], tmp_path, _unworded_stance)
    offered = [gid for r in asked for gid, labels, _ in _groups(r) if "position" in labels]
    assert offered, "no group was offered 'position': the test would prove nothing"
    assert not [w for w in brief.header.warnings if "divergence dropped" in w], brief.header.warnings
    # the clusters the model failed on are the rules' items: nothing the offline brief cites is lost
    lost = _spans(offline) - _spans(brief)
    assert not lost, sorted(lost)[:3]
    assert not [i for i in brief.items() if "green cheese" in i.statement]


def _same_side_twice(gid, labels, members):
    """"differ" wherever offered, with two sides of one holder and one source (the section checks drop such a
    divergence after the merge)."""
    if "differ" not in labels:
        return {"group": gid, "ids": [n for n, _, _ in members], "label": labels[0], "sides": [],
                "statement": members[0][2]}
    src = members[0][1]
    mine = [n for n, s, _ in members if s == src]
    sides = [{"ids": mine[:1], "holder": "the outlet", "position": "one way"},
             {"ids": mine[1:] or mine[:1], "holder": "the outlet", "position": "another way"}]
    return {"group": gid, "ids": [n for n, _, _ in members], "label": "differ", "sides": sides,
            "statement": f"The outlet tells it two ways: {members[0][2]}"}


@pytest.mark.parametrize("name", WITH_DIFFER)
def test_a_divergence_the_section_checks_would_drop_gives_way_to_the_rules_item(name, tmp_path):
    offline = _offline(name)
    brief, asked = _llm(CORPORA[name], tmp_path, _same_side_twice)
    assert any("differ" in labels for r in asked for _, labels, _ in _groups(r))
    assert not [w for w in brief.header.warnings if "divergence dropped" in w], brief.header.warnings
    assert len(brief.divergences) >= len(offline.divergences)
    assert not (_spans(offline, ("divergences",)) - _spans(brief))


def _everything_single(gid, labels, members):
    """"single" wherever it is offered: a stated absence of one source is a fact that source reports."""
    label = "single" if "single" in labels else labels[0]
    return {"group": gid, "ids": [n for n, _, _ in members], "label": label, "sides": [], "statement": members[0][2]}


@pytest.mark.parametrize("name", WITH_ABSENCE)
def test_a_stated_absence_stays_a_thing_unsaid(name, tmp_path):
    offline = _offline(name)
    assert [i for i in offline.unsaid if i.independent_sources == 1]
    brief, asked = _llm(CORPORA[name], tmp_path, _everything_single)
    assert any(labels == ["absence"] for r in asked for _, labels, _ in _groups(r))
    assert not (_spans(offline, ("unsaid",)) - _spans(brief, ("unsaid",)))


def _plain(text):
    """The sentence cut before the words that state its absence ("The statement made no mention of the cause"
    -> "The statement made"): true of the sentence, and nothing unsaid left in it; None when too little is left."""
    words = text.split()
    cut = next((k for k in range(len(words), 0, -1) if not stated_absence(" ".join(words[:k]))), 0)
    return " ".join(words[:cut]).rstrip(",;:") + "." if cut >= 3 else None


def _plain_for_absence(gid, labels, members):
    """A thing unsaid worded as a plain fact, as the 1.5B model worded a one-party-only item."""
    plain = _plain(members[0][2]) if labels == ["absence"] else None
    return {"group": gid, "ids": [n for n, _, _ in members], "label": labels[0], "sides": [],
            "statement": plain or members[0][2]}


@pytest.mark.parametrize("name", WITH_ABSENCE)
def test_a_thing_unsaid_worded_as_a_plain_fact_keeps_the_rules_statement(name, tmp_path):
    offline = _offline(name)
    brief, asked = _llm(CORPORA[name], tmp_path, _plain_for_absence)
    tried = [gid for r in asked for gid, labels, members in _groups(r) if labels == ["absence"] and _plain(members[0][2])]
    assert tried, "no thing unsaid had a plain sentence to try"
    assert all(stated_absence(i.statement) for i in brief.unsaid if i.basis != "one-party-only")
    assert not (_spans(offline, ("unsaid",)) - _spans(brief, ("unsaid",)))


SHARED_QUOTE = {
    "a-wire.txt": "Harbourside council votes to close the old ferry pier\n\nThe council voted on Tuesday to close "
                  "the old ferry pier. \"The pier has served this town for a century and now it must rest,\" the "
                  "mayor said after the vote. Repairs were priced at four million.\n",
    "b-local.txt": "Ferry pier to close after council vote\n\nCouncillors backed closing the old ferry pier on "
                   "Tuesday. The mayor said the pier has served this town for a century and now it must rest. "
                   "Fishermen plan a protest at the harbour.\n",
    "c-radio.txt": "Old pier's last season\n\nA heritage group asked the council to keep the pier as a "
                   "walkway. Its chair said the timbers were sound.\n",
}


def _shortening(gid, labels, members):
    """An agreement shortened to its first words: the quote both sources carry loses its substance."""
    text = members[0][2]
    short = " ".join(text.split()[:6]).rstrip(",.") + "."
    return {"group": gid, "ids": [n for n, _, _ in members], "label": labels[0], "sides": [],
            "statement": short if labels == ["agree"] else text}


def test_a_quote_two_sources_state_alike_stays_in_the_statement(tmp_path):
    corpus = tmp_path / "pier"
    corpus.mkdir()
    for name, text in SHARED_QUOTE.items():
        (corpus / name).write_text(text, encoding="utf-8")
    quoted = [i for i in run_pipeline(corpus, engine="offline").brief.agreements if "century" in i.statement]
    assert quoted and quoted[0].independent_sources == 2  # the rules' agreement: both outlets state the quote
    brief, _ = _llm(corpus, tmp_path / "cache", _shortening)
    kept = [i for i in brief.agreements if "century" in i.statement]
    assert kept and "served this town for a century and now it must rest" in kept[0].statement
    assert kept[0].origin == "rules" and any("quote alike" in c for c in kept[0].checks), kept[0].checks
    assert len(kept[0].sources) == 2


def _pier_corpus(tmp_path):
    corpus = tmp_path / "pier"
    corpus.mkdir()
    for name, text in SHARED_QUOTE.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


QUOTED = "the pier has served this town for a century and now it must rest"


@pytest.mark.parametrize("statement,kept", [
    ("The pier has served this town for a century and now it must rest.", False),  # the mayor's words as fact
    ("The mayor said the pier has served this town for a century and now it must rest.", True)])
def test_a_quotation_keeps_its_speaker_or_its_marks(tmp_path, statement, kept):
    def answer(gid, labels, members):
        ours = labels == ["agree"] and any(QUOTED in t.lower() for _, _, t in members)
        return {"group": gid, "ids": [n for n, _, _ in members], "label": labels[0], "sides": [],
                "statement": statement if ours else members[0][2]}

    brief, _ = _llm(_pier_corpus(tmp_path), tmp_path / "cache", answer)
    item = next(i for i in brief.agreements if QUOTED in i.statement.lower())
    assert (item.statement == statement) == kept and (item.origin == "model") == kept, item
    assert kept or any("neither quotation marks nor its speaker" in c for c in item.checks), item.checks
