"""What the LLM is asked to return. Each model's strict JSON Schema is checked in under schemas/."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    # extra="forbid" -> additionalProperties: false, which strict json_schema mode requires
    model_config = ConfigDict(extra="forbid")


class ExtractedClaim(_Out):
    statement: str = Field(description="One self-contained claim, in plain words.")
    holder: Optional[str] = Field(
        description="Who holds or says it: e.g. 'the interior ministry', 'Acme Chemicals', \"the union's spokesperson\", "
        "or 'the outlet' when the article asserts it itself.")
    kind: Literal["reported_fact", "position", "absence"] = Field(
        description="reported_fact: something that happened or was agreed; position: a party's stance, "
        "demand or condition; absence: something the article notes was not said, done or mentioned.")
    evidence: list[str] = Field(
        description="Verbatim quotes copied exactly from the document that support the claim.")
    numbers: list[str] = Field(description="Numbers the claim mentions, as written (e.g. '175', 'two-hour').")
    dates: list[str] = Field(description="Dates or days the claim mentions, as written.")


class ExtractionOutput(_Out):
    claims: list[ExtractedClaim]


class MergedItem(_Out):
    statement: str = Field(description="The item as it should read in the brief.")
    claim_ids: list[str] = Field(description="Ids of the input claims that support this item.")


class MergeOutput(_Out):
    agreements: list[MergedItem]
    divergences: list[MergedItem]
    unsaid: list[MergedItem]


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
