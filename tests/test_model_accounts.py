"""Two accounts one outlet sets side by side stay that when a model rewords them (small profile, over real HTTP
against the scripted server): what each account states still backs the agreement other outlets share, as in
the rules' brief. A model's own divergence stops it; its rewording of two accounts did too, and the brief lost
an agreement (the seeds on the local 1.5B model: "Both sides agreed that Iran should never ..."). Not the seeds."""
from __future__ import annotations

import re

from fake_openai_server import FakeOpenAIServer
from pipeline.run import run_pipeline
from scripted_llm import _GROUP, _MEMBER, _user, newsroom
from story_docs import story_docs
from test_paired_accounts import RAIL


def rewording(request: dict):
    """The newsroom, except that a group of one outlet's two accounts comes back in the model's words, with the
    two parties as its sides."""
    out = newsroom(request)
    if "items" not in out:
        return out
    bodies = dict(_GROUP.findall(_user(request)))
    for item in out["items"]:
        members = _MEMBER.findall(bodies.get(item["group"], ""))
        texts = " ".join(t for _, _, t in members)
        if item["label"] == "differ" and "ministry" in texts and "union" in texts and len({s for _, s, _ in members}) == 1:
            ids = [int(n) for n, _, _ in members]
            ministry = [int(n) for n, _, t in members if "ministry" in t]
            union = [int(n) for n, _, t in members if "union" in t]
            item.update(ids=ids, statement="The transport ministry's statement said the new rail timetable will "
                                           "start on 4 May, but the drivers' union stressed unresolved pay demands.",
                        sides=[{"ids": ministry, "holder": "the transport ministry", "position": "the timetable"},
                               {"ids": union, "holder": "the drivers' union", "position": "pay demands"}])
    return out


def test_a_model_worded_pair_of_accounts_still_backs_the_agreement(tmp_path):
    with FakeOpenAIServer(rewording) as server:
        brief = run_pipeline(story_docs(RAIL, titled=True), base_url=server.base_url, model="m",
                             cache_dir=tmp_path).brief
    reworded = [d for d in brief.divergences if d.origin == "model"]
    assert reworded, [(d.statement, d.origin, d.checks) for d in brief.divergences]
    timetable = [a for a in brief.agreements if re.search(r"timetable", a.statement)]
    assert timetable and timetable[0].independent_sources >= 3, [a.statement for a in brief.agreements]
