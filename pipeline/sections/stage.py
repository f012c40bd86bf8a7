"""The sections stage as both engines run it: input checks first (`inputs`), then the engine's own writer,
then the section definitions checked on what it wrote (`enforce`), with the corroboration search over every
independent source (`corroborate`) judged by `verdicts`."""
from __future__ import annotations

from collections.abc import Callable

from ..cluster.similarity import ClaimIndex
from ..models import BriefItem, Claim, Document, Limits, Sections
from .corroborate import Corroborator
from .enforce import enforce
from .inputs import input_checks
from .offline import offline_sections
from .verdicts import get_judge

NO_AGREEMENTS = "no key agreements: no fact was found that two or more independent sources state"
WriteFn = Callable[[list[Claim]], tuple[dict[str, list[BriefItem]], list[str]]]


def write_sections(docs: list[Document], claims: list[Claim], group_of: Callable[[str], int],
                   independent: Callable[[list[str]], int], write: WriteFn, verifier=None) -> Sections:
    """Sections from `write(claims)` (the engine's writer: lists and its warnings), checked. `verifier`: the
    run's (`brief run --verifier`), else the default one."""
    judge = get_judge(verifier)
    kept, warnings = input_checks(docs, claims, group_of)
    lists, more = write(kept)
    corroborator = Corroborator(kept, ClaimIndex(kept), group_of, judge, {d.id: d.text for d in docs}) if kept else None
    lists, moved = enforce(lists, corroborator, independent, judge.verifier, {d.id: d.text for d in docs})
    if not lists["agreements"] and len({group_of(d.id) for d in docs}) > 1:
        moved.append(NO_AGREEMENTS)
    return Sections(**lists, warnings=warnings + more + moved)


def offline_stage(docs: list[Document], claims: list[Claim], group_of: Callable[[str], int],
                  independent: Callable[[list[str]], int], limits: Limits, verifier=None) -> Sections:
    """The offline engine's sections stage."""
    judge = get_judge(verifier)
    return write_sections(docs, claims, group_of, independent,
                          lambda kept: (offline_sections(kept, group_of, independent, limits, docs=docs, judge=judge), []),
                          judge.verifier)
