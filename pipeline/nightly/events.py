"""A night's events as the nights before knew them: ids that carry over, and one folder name each."""
from __future__ import annotations

from ..ingest.events import Event


def continue_ids(events: list[Event], nights: list[tuple[str, dict]]) -> None:
    """An event that shares articles with one of an earlier night keeps that one's id and slug: the story
    that gained articles today is the same story, re-briefed."""
    taken: set[str] = set()
    for e in events:
        mine = set(e.members)
        best, overlap = None, 0
        for _, index in nights:
            for old in index["events"] + index.get("single_source", []):
                shared = len(mine & set(old.get("members", [])))
                if shared > overlap and old.get("id") not in taken:
                    best, overlap = old, shared
            if best:
                break  # the newest night that knew the story decides
        if best:
            e.id, e.slug = best["id"], best.get("slug") or e.slug
            taken.add(e.id)


def folder_names(events: list[Event]) -> dict[str, str]:
    used: set[str] = set()
    out = {}
    for e in events:
        name = e.slug or "event"
        if name in used:
            name = f"{name}-{e.id[:6]}"
        used.add(name)
        out[e.id] = name
    return out
