"""Checks on what a brief is made of, before its sections: one source cannot agree with itself, and an
article that tells another story than the rest (an event of its own, `ingest.events.group_events`) is
named in a warning and left out of the sections, as `brief run` does with inputs telling several events."""
from __future__ import annotations

from collections.abc import Callable

from ..ingest.events import MIN_WORDS, articles_of, group_events
from ..models import Claim, Document

ONE_SOURCE = ("only one independent source: a brief of one source cannot have key agreements (they need two "
              "independent sources) or divergences between sources; its facts are listed as reported by one source")


def lone_articles(docs: list[Document], group_of: Callable[[str], int]) -> list[Document]:
    """Articles that belong to no event the others tell: each an event of its own while the rest (two or
    more articles) make one event. Notes too short to tell a story count as part of it."""
    long_docs = [d for d in docs if len(d.text.split()) >= MIN_WORDS]
    if len({group_of(d.id) for d in long_docs}) < 3:
        return []  # with two articles there is no "rest" to tell which one strays
    events = group_events(articles_of(long_docs, {d.id: group_of(d.id) for d in long_docs}))
    main = [e for e in events if len(e.members) >= 2]
    if len(main) != 1:
        return []  # several events: the several-events warning says so; nothing is left out here
    alone = {m for e in events if len(e.members) == 1 for m in e.members}
    return [d for d in docs if d.id in alone]


def input_checks(docs: list[Document], claims: list[Claim],
                 group_of: Callable[[str], int]) -> tuple[list[Claim], list[str]]:
    """The claims the sections may use, and the warnings: one source; articles left out as off-event."""
    warnings = []
    if docs and len({group_of(d.id) for d in docs}) == 1:
        warnings.append(ONE_SOURCE)
    stray = lone_articles(docs, group_of)
    if stray:
        warnings += [f"{d.name}: tells another story than the other articles (no event in common with them); left "
                     "out of the brief's sections" for d in stray]
        out = {d.id for d in stray}
        claims = [c for c in claims if c.doc_id not in out]
    return claims, warnings
