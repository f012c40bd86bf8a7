"""What the LLM is asked to return. Each model's strict JSON Schema is checked in under schemas/."""
from __future__ import annotations

from typing import Any, ClassVar, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class _Out(BaseModel):
    # extra="forbid" -> additionalProperties: false, which strict json_schema mode requires
    model_config = ConfigDict(extra="forbid")
    # the name of a list whose entries stand on their own: an entry off the schema is left out (and kept in
    # `left_out` with why) instead of failing the whole reply, which a re-ask at temperature 0 rarely mends
    each: ClassVar[Optional[str]] = None
    _left_out: list[tuple[Any, str]] = PrivateAttr(default_factory=list)

    @property
    def left_out(self) -> list[tuple[Any, str]]:
        return self._left_out

    @classmethod
    def tidy(cls, data: Any) -> Any:
        """The reply before validation, with slips that carry no meaning removed (see MergeOutput)."""
        return data


class Labelled(_Out):
    # grounding first: models write properties in schema order, so the ids come before what is said of them
    ids: list[int] = Field(description="Ids of the input sentences, as numbered in the input.")
    holder: str = Field(description="Who holds the position or left the point out, e.g. 'the mayor', "
                        "'the drivers\' union', or 'the outlet' when the article says it in its own voice.")


class ExtractionOutput(_Out):
    """Sentence labels: every sentence not listed is a reported fact; the claim is the sentence itself."""
    positions: list[Labelled] = Field(description="Sentences giving a party's stance, demand, condition or view.")
    absences: list[Labelled] = Field(description="Sentences noting that something was not said, done or mentioned.")
    off_topic: list[int] = Field(description="Ids of sentences not about the event (links, promotions).")


class Side(_Out):
    ids: list[int] = Field(description="Ids of the sentences that give this side.")
    holder: str = Field(description="Who holds this side: a party or a source.")
    position: str = Field(description="This side's account or demand, in a few words.")


class GroupItem(_Out):
    group: str = Field(description="The group's id, as given in the input (G1, G2...).")
    ids: list[int] = Field(description="Ids of the group's sentences that support the statement.")
    label: Literal["agree", "differ", "position", "absence", "single"] = Field(
        description="agree: two or more sources report the same point; differ: sources or parties give "
        "different accounts, figures or demands; position: one party's stance or demand; absence: the "
        "sentences note something was not said or done; single: only one source reports it.")
    sides: list[Side] = Field(description="For 'differ': one entry per side, at least two. Otherwise empty.")
    statement: str = Field(description="One short neutral sentence saying the point, from the sentences only.")


class MergeOutput(_Out):
    each: ClassVar[Optional[str]] = "items"  # one cluster's bad answer must not cost the batch's other clusters
    items: list[GroupItem]

    @classmethod
    def tidy(cls, data: Any) -> Any:
        # a 1.5B model writes "sides": [{}] for a group that is not a divergence, every time, re-asks
        # included: an empty side says nothing, so it is dropped rather than failing the answer
        for item in (data.get("items") if isinstance(data, dict) else None) or []:
            if isinstance(item, dict) and isinstance(item.get("sides"), list):
                item["sides"] = [s for s in item["sides"] if s != {}]
        return data


class JudgeVerdict(_Out):
    verdict: Literal["full", "partial", "none"]
    item_id: Optional[str] = Field(description="Id of the brief item that states the fact, or null.")
    reason: str = Field(description="One line: why.")


class SupportVerdict(_Out):
    supported: bool = Field(description="Does the quote on its own support the statement (or one clause of it)?")
    reason: str = Field(description="One line: why; for false, what the quote lacks or contradicts.")


# Every reply a model must produce, by the name its schema file, errors and json_schema requests use.
REPLIES: dict[str, type[_Out]] = {"extraction": ExtractionOutput, "merge": MergeOutput, "judge": JudgeVerdict,
                                  "support": SupportVerdict}
