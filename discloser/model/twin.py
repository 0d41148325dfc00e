"""The machine-readable twin of a disclosure (GDPR Art. 12(7)): a documented, versioned shape.

``notice.json`` beside every disclosure holds the declaration as validated, the canonical
material content and its hash (the value consent receipts and the ledger carry), and the
regions with EU/EEA written out. Its JSON Schema is generated from this model and committed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from discloser.model.declaration import Declaration

TWIN_FORMAT = "discloser-notice/1"


class NoticeTwin(BaseModel):
    """One feature's notice as data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["discloser-notice/1"] = Field(description="Shape and version of this file.")
    notice_hash: str = Field(
        pattern=r"^sha256:[0-9a-f]{64}$",
        description="sha256 of the canonical material content (see `material`).",
    )
    material: dict[str, Any] = Field(
        description="The canonical material content: the answers that define what a person "
        "agrees to. Serialised with sorted keys and no whitespace (RFC 8785), its sha256 is "
        "notice_hash."
    )
    regions: list[str] = Field(description="Countries where the feature ships, EU/EEA expanded.")
    declaration: Declaration = Field(description="The declaration as validated.")
