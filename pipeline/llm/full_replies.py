"""What the `full` profile asks the model to return (issue 21): atomic claims citing sentence ids, and
statements the model writes over groups of those claims. Registered in pipeline/schemas.py like REPLIES."""
from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import Field

from .replies import _Out


class AtomicClaim(_Out):
    # grounding first: the ids come before what is said of them
    ids: list[int] = Field(description="Ids of the input sentences that state this claim (one document's).")
    claim: str = Field(description="One fact, in one short sentence of your own words, true of those sentences.")
    holder: str = Field(description="Who says or holds it (e.g. 'the mayor'), or '' when the article states it.")
    kind: Literal["fact", "position", "absence"] = Field(
        description="fact: a reported fact; position: a party's stance, demand or view; absence: something "
        "not said, not done or not known.")


class AtomicOutput(_Out):
    each: ClassVar[Optional[str]] = "claims"  # one bad claim must not cost the call's others
    claims: list[AtomicClaim]


class WrittenSide(_Out):
    ids: list[int] = Field(description="Ids of the claims that give this side.")
    holder: str = Field(description="Whose position or account this side is.")
    position: str = Field(description="This side's account or demand, in a few words.")


class WrittenItem(_Out):
    ids: list[int] = Field(description="Ids of every claim, from any group, that this statement covers.")
    label: Literal["agree", "differ", "position", "absence", "single"] = Field(
        description="agree: two or more sources state it; differ: sources or parties give different accounts, "
        "figures or demands; position: one party's stance; absence: something not said or done; single: one "
        "source states it.")
    sides: list[WrittenSide] = Field(description="For 'differ': one entry per side, at least two. Otherwise empty.")
    statement: str = Field(description="One short neutral sentence in your own words, true of the cited claims.")


class WrittenOutput(_Out):
    each: ClassVar[Optional[str]] = "items"
    items: list[WrittenItem]

    @classmethod
    def tidy(cls, data):
        for item in (data.get("items") if isinstance(data, dict) else None) or []:
            if isinstance(item, dict) and isinstance(item.get("sides"), list):
                item["sides"] = [s for s in item["sides"] if s != {}]
        return data


FULL_REPLIES = {"atomic": AtomicOutput, "written": WrittenOutput}
