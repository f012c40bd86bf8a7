"""A scripted CAPABLE model for the full profile (issue 21): it answers from a hand-written answer file of
abstractive statements, each citing the sentences it rests on by a fragment of their text, good ones and
planted bad ones (reversed roles, a figure no source gives, a claim no sentence makes, a wrong speaker).

It judges nothing. At extraction it returns, for every document block holding a cited sentence, the
statement as that document's atomic claim (with the sentence's id from the prompt); at writing, for every
proposed group, one item per statement whose claims it sees, with the statement, its label and its sides.
Whether a statement is shown is the pipeline's verifier's decision alone, so a test that counts the good
ones kept and the bad ones dropped measures the verifier and the flow, not this file.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path

_DOC = re.compile(r"^\[(S\d+)\]\n((?:\d+ .*(?:\n|$))+)", re.MULTILINE)
_LINE = re.compile(r"^(\d+) (.*)$", re.MULTILINE)
_PGROUP = re.compile(r"^\[(P\d+)\]\n((?:(?:\d+|also:) .*(?:\n|$))+)", re.MULTILINE)
_MEMBER = re.compile(r"^(\d+) (S\d+) (.*)$", re.MULTILINE)
_ALSO = re.compile(r"(\d+) (S\d+)")


def _user(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def _system(request: dict) -> str:
    return next((m["content"] for m in request["messages"] if m["role"] == "system"), "")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def load_answers(path: Path) -> list[dict]:
    """Every statement of the file, good and bad, each with `good` set."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [{**e, "good": True} for e in data["good"]] + [{**e, "good": False} for e in data["bad"]]


class CapableModel:
    def __init__(self, answers: list[dict]):
        self.answers = answers
        self.labels_of: dict[int, set[str]] = {}  # answer index -> the S labels its claims came from
        self.lock = threading.Lock()

    def __call__(self, request: dict) -> dict:
        if "atomic claims" in _system(request):
            return self.extract(_user(request))
        return self.write(_user(request))

    def _claims_of(self, entry: dict) -> list[tuple[str, list[str], int | None]]:
        """(claim text, fragments it cites, side index): a divergence's sides are claims of their own."""
        if entry.get("sides"):
            return [(side["claim"], side["cites"], i) for i, side in enumerate(entry["sides"])]
        return [(entry["statement"], entry["cites"], None)]

    def extract(self, user: str) -> dict:
        claims = []
        for label, body in _DOC.findall(user):
            lines = [(int(n), _norm(t)) for n, t in _LINE.findall(body)]
            for k, e in enumerate(self.answers):
                for text, cites, side in self._claims_of(e):
                    ids = [n for n, t in lines if any(_norm(f) in t for f in cites)]
                    if ids:
                        with self.lock:
                            self.labels_of.setdefault(k, set()).add(label)
                        claims.append({"ids": ids, "claim": text, "holder": e.get("holder", ""),
                                       "kind": "position" if side is not None else
                                       {"absence": "absence", "position": "position"}.get(e["label"], "fact")})
        return {"claims": claims}

    def write(self, user: str) -> dict:
        owner_of = {_norm(text): (k, side) for k, e in enumerate(self.answers) for text, _, side in self._claims_of(e)}
        members: dict[int, list[tuple[int, int | None]]] = {}  # answer -> (claim id, side), over the whole call
        for _gid, body in _PGROUP.findall(user):
            shown = []
            for n, src, text in _MEMBER.findall(body):
                if _norm(text) in owner_of:
                    k, side = owner_of[_norm(text)]
                    members.setdefault(k, []).append((int(n), side))
                    shown.append((k, side))
            for also in re.findall(r"^also: (.*)$", body, re.MULTILINE):
                for n, src in _ALSO.findall(also):  # a claim shown by id: the statement it repeats from that source
                    owners = [o for o in shown if src in self.labels_of.get(o[0], set())] or shown[:1]
                    if owners:
                        members[owners[0][0]].append((int(n), owners[0][1]))
        items = []
        for k, cited in members.items():
            e = self.answers[k]
            sides = [{"ids": [n for n, s in cited if s == i], "holder": side["holder"], "position": side["position"]}
                     for i, side in enumerate(e.get("sides", []))]
            items.append({"ids": [n for n, _ in cited], "label": e["label"], "sides": sides, "statement": e["statement"]})
        return {"items": items}
