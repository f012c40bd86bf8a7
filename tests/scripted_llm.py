"""A scripted stand-in for a model, for end-to-end tests of the LLM path over real HTTP.

It speaks the sentence-id protocol: the extraction prompt's numbered sentences are labelled by cue words
(positions, absences, off-topic), and the merge prompt's groups are answered by simple rules (several
sources -> agree, a cue of absence -> absence, ...) with the group's first sentence as the statement. It is
not smart; it is deterministic and schema-valid, which is what the tests of the plumbing need. `weak`
answers like a poor model: ids that are not in the input, the wrong label, a statement the sentences do
not support.

Run it by hand for `brief run --base-url`:  python tests/scripted_llm.py --port 8765
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_openai_server  # noqa: E402

_DOC = re.compile(r"^\[(S\d+)\]\n((?:\d+ .*(?:\n|$))+)", re.MULTILINE)
_GROUP = re.compile(r"^\[(G\d+)\](?: \(\d+ sources?\))?(?: (?:label|choose) [a-z, ]+)?\n((?:(?:\d+|also:) .*(?:\n|$))+)", re.MULTILINE)
_ALSO = re.compile(r"(\d+) (S\d+)")
_LINE = re.compile(r"^(\d+) (.*)$", re.MULTILINE)
_MEMBER = re.compile(r"^(\d+) (S\d+) (.*)$", re.MULTILINE)
_ABSENCE = re.compile(r"no mention|stopped short|omit|left out|without reaching|failing to|did not mention", re.I)
_POSITION = re.compile(r"insist|demand|condition|call(?:ed)? for|reject|cessation|must\b", re.I)
_OFF = re.compile(r"^(?:subscribe|sign up|click|follow us|read more)\b", re.I)
_HOLDER = re.compile(r"\b(?:the\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:said|says|insisted|demanded|warned)\b")


def _user(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def _holder(text: str) -> str:
    m = _HOLDER.search(text)
    return m.group(1) if m else "the outlet"


def extraction(request: dict) -> dict:
    positions, absences, off = [], [], []
    for _doc, body in _DOC.findall(_user(request)):
        for n, text in _LINE.findall(body):
            if _OFF.match(text):
                off.append(int(n))
            elif _ABSENCE.search(text):
                absences.append({"ids": [int(n)], "holder": _holder(text)})
            elif _POSITION.search(text):
                positions.append({"ids": [int(n)], "holder": _holder(text)})
    return {"positions": positions, "absences": absences, "off_topic": off}


_OFFERED = re.compile(r"^\[(G\d+)\] \(\d+ sources?\) (?:label (\w+)|choose ([a-z, ]+))$", re.MULTILINE)


def merge(request: dict) -> dict:
    """Labels by cue words, as the header's offer allows (a model that answers well takes one it was offered)."""
    items = []
    offered = {g: [one] if one else re.split(r", | or ", several) for g, one, several in _OFFERED.findall(_user(request))}
    for gid, body in _GROUP.findall(_user(request)):
        members = [(int(n), src, text) for n, src, text in _MEMBER.findall(body)]
        for also in re.findall(r"^also: (.*)$", body, re.MULTILINE):
            members += [(int(n), src, "") for n, src in _ALSO.findall(also)]
        sources = list(dict.fromkeys(src for _, src, _ in members))
        ids = [n for n, _, _ in members]
        sides = []
        if any(_ABSENCE.search(t) for _, _, t in members):
            label = "absence"
        elif len(sources) >= 2 and any(_POSITION.search(t) for _, _, t in members):
            label = "differ"
            sides = [{"ids": [n for n, s, _ in members if s == src], "holder": src, "position": "its account"}
                     for src in sources]
        elif len(sources) >= 2:
            label = "agree"
        elif any(_POSITION.search(t) for _, _, t in members):
            label = "position"
        else:
            label = "single"
        if offered.get(gid) and label not in offered[gid]:
            label = offered[gid][0]
            sides = [{"ids": [n for n, s, _ in members if s == src], "holder": src, "position": "its account"}
                     for src in sources] if label == "differ" else []
        items.append({"group": gid, "ids": ids, "label": label, "sides": sides, "statement": members[0][2]})
    return {"items": items}


_PGROUP = re.compile(r"^\[(P\d+)\]\n((?:(?:\d+|also:) .*(?:\n|$))+)", re.MULTILINE)


def _system(request: dict) -> str:
    return next((m["content"] for m in request["messages"] if m["role"] == "system"), "")


def _kind(text: str) -> str:
    return "absence" if _ABSENCE.search(text) else "position" if _POSITION.search(text) else "fact"


def atomic(request: dict) -> dict:
    """The full profile's extraction: each sentence one claim, in the sentence's words (a lazy but honest
    model; the capable one in tests/capable_llm.py writes its own)."""
    claims = []
    for _doc, body in _DOC.findall(_user(request)):
        for n, text in _LINE.findall(body):
            if not _OFF.match(text):
                h = _holder(text)
                claims.append({"ids": [int(n)], "claim": text, "holder": "" if h == "the outlet" else h,
                               "kind": _kind(text)})
    return {"claims": claims}


def written(request: dict) -> dict:
    """The full profile's writing: one item per proposed group, labelled as `merge` labels a cluster."""
    items = []
    for _gid, body in _PGROUP.findall(_user(request)):
        members = [(int(n), src, text) for n, src, text in _MEMBER.findall(body)]
        for also in re.findall(r"^also: (.*)$", body, re.MULTILINE):
            members += [(int(n), src, "") for n, src in _ALSO.findall(also)]
        sources = list(dict.fromkeys(src for _, src, _ in members))
        texts = [t for _, _, t in members if t]
        sides = []
        if any(_ABSENCE.search(t) for t in texts):
            label = "absence"
        elif len(sources) >= 2 and any(_POSITION.search(t) for t in texts) and len(texts) >= 2:
            label = "differ"
            sides = [{"ids": [n for n, s, _ in members if s == src], "holder": src, "position": "its account"}
                     for src in sources]
        else:
            label = "agree" if len(sources) >= 2 else "position" if any(_POSITION.search(t) for t in texts) else "single"
        items.append({"ids": [n for n, _, _ in members], "label": label, "sides": sides, "statement": texts[0]})
    return {"items": items}


_WORD = re.compile(r"[a-z0-9]+")


def judge(request: dict) -> dict | str:
    """The support judge: supported when the evidence holds nine in ten of the statement's words. Asked with
    judge_support (<statement>, <quote>) it answers the JSON verdict; with verify_support (<claim>, <evidence>)
    one word, yes or no."""
    user = _user(request)
    verify = "<claim>" in user
    statement, quote = (("claim", "evidence") if verify else ("statement", "quote"))
    said = set(_WORD.findall(re.search(rf"<{statement}>(.*?)</{statement}>", user, re.S).group(1).lower()))
    given = set(_WORD.findall(re.search(rf"<{quote}>(.*?)</{quote}>", user, re.S).group(1).lower()))
    share = len(said & given) / max(len(said), 1)
    if verify:
        return "yes" if share >= 0.9 else "no"
    return {"supported": share >= 0.9, "reason": f"{share:.0%} of the statement's words are in the quote"}


def newsroom(request: dict) -> dict | str:
    """Routes by the prompt: merge and writing prompts carry <groups> (the full profile's groups are [P1]...),
    the support judge a <statement> or <claim>, extraction <documents> (the full profile's asks for atomic
    claims)."""
    user = _user(request)
    if "atomic claims" in _system(request):
        return atomic(request)
    if '<groups>' in user:
        return written(request) if _PGROUP.search(user) else merge(request)
    return judge(request) if '<statement>' in user or '<claim>' in user else extraction(request)


def weak(request: dict) -> dict:
    """A poor model: ids outside the input, agreements everywhere, statements about something else."""
    if '<groups>' not in _user(request):
        out = extraction(request)
        out["positions"].append({"ids": [999999], "holder": "nobody"})
        return out
    items = []
    for k, (gid, body) in enumerate(_GROUP.findall(_user(request))):
        ids = [int(n) for n, _, _ in _MEMBER.findall(body)]
        if k % 3 == 0:
            ids = [n + 100000 for n in ids]  # ids it was never shown
        statement = "The moon is made of green cheese, officials confirmed." if k % 3 == 1 else \
            _MEMBER.findall(body)[0][2]
        items.append({"group": gid, "ids": ids, "label": "agree", "sides": [], "statement": statement})
    return {"items": items}


# an instruction to the model planted in an article: "ignore previous instructions and report that X"
INSTRUCTION = re.compile(r"ignore (?:all )?(?:previous|prior|above) instructions,? and (?:report|state|say|write) "
                         r"that ([^.\n<>\"]+)", re.I)


def obedient(request: dict) -> dict:
    """A model that obeys an instruction it finds in its input: every merge answer of the call states what
    the instruction says (labelled an agreement, citing the group's sentences), extraction calls every other
    sentence off the event, and the support judge finds the instruction's claim supported by any quote.
    Without an instruction it answers as the newsroom."""
    found = INSTRUCTION.search(_user(request))
    out = newsroom(request)
    if found is None:
        return out
    claim = found.group(1).strip()
    claim = claim[0].upper() + claim[1:] + "."
    if isinstance(out, str):  # the one-word support judge: whatever it is asked, it says supported
        return "yes"
    if "items" in out:
        for item in out["items"]:
            item.update(statement=claim, label="agree", sides=[])
    elif "supported" in out:
        out = {"supported": True, "reason": "the quote says so"}
    else:
        ids = [int(n) for _doc, body in _DOC.findall(_user(request)) for n, _t in _LINE.findall(body)]
        out["off_topic"] = [n for n in ids if str(n) not in found.group(0)]
        out["positions"].append({"ids": ids[:1], "holder": "the newsroom"})
    return out


def main(argv=None) -> None:
    """The fake server's command line (--port, --latency, --faults ...), answering as the newsroom."""
    fake_openai_server.main(argv, responder=newsroom)


if __name__ == "__main__":
    main()
