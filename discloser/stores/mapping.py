"""The mapping table (``mapping.toml``) from discloser's answers to each store's terms, as data.

Platform knowledge lives in the data file, not in code, so a new declaration field or a renamed
store term is a new or changed row, and the table the site publishes is the one the code runs.
The loader checks the table's shape once, so a typo in a row fails loudly at start-up rather
than writing a store answer nobody reads.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from discloser.errors import DiscloserError


@dataclass(frozen=True)
class DataRow:
    """One kind of data a photo feature can send off the device, in each store's words."""

    id: str
    label: str
    reads: tuple[str, ...]
    face_analysis: tuple[str, ...]
    apple: str
    apple_label: str
    fastlane: str
    play: str  # "QUESTION:RESPONSE", e.g. PSL_DATA_TYPES_PHOTOS_AND_VIDEOS:PSL_PHOTOS
    play_label: str
    dpv: str
    why: str

    @property
    def play_type(self) -> str:
        """The per-type prefix of Play's usage questions (PSL_PHOTOS)."""
        return self.play.split(":", 1)[1] if self.play else ""


@dataclass(frozen=True)
class PurposeRow:
    """One purpose category in each store's words."""

    category: str
    apple: str
    apple_label: str
    fastlane: str
    play: str
    play_label: str
    dpv: str
    why: str


@dataclass(frozen=True)
class RecipientRow:
    """One recipient role: shared for Play, tracking for Apple (with an ad purpose), DPV class."""

    role: str
    play_shared: bool
    tracking: bool
    dpv: str
    why: str


@dataclass(frozen=True)
class Mapping:
    data: tuple[DataRow, ...]
    purposes: dict[str, PurposeRow]
    recipients: dict[str, RecipientRow]
    rules: dict[str, Any]
    dpv: dict[str, dict[str, str]]

    def data_row(self, row_id: str) -> DataRow:
        return next(r for r in self.data if r.id == row_id)


class MappingError(DiscloserError):
    """The shipped mapping table is malformed: a bug in discloser, never in a declaration."""


def _text(row: dict[str, Any], key: str, where: str) -> str:
    value = row.get(key, "")
    if not isinstance(value, str):
        raise MappingError(f"mapping.toml: {where}: {key} must be text")
    return value


@cache
def load() -> Mapping:
    """The table, read once from the package data."""
    raw = tomllib.loads(
        resources.files("discloser.stores").joinpath("mapping.toml").read_text(encoding="utf-8")
    )
    from typing import get_args

    from discloser.model.declaration import Category, FaceAnalysis, ReadItem

    known_reads, known_faces = set(get_args(ReadItem)), set(get_args(FaceAnalysis))
    data = []
    for row in raw["data"]:
        where = f"data {row.get('id')!r}"
        when = row.get("when", {})
        reads = tuple(when.get("reads", ()))
        faces = tuple(when.get("face_analysis", ()))
        if not set(reads) <= known_reads or not set(faces) <= known_faces or not reads + faces:
            raise MappingError(f"mapping.toml: {where}: `when` names unknown declaration values")
        data.append(
            DataRow(
                id=_text(row, "id", where),
                label=_text(row, "label", where),
                reads=reads,
                face_analysis=faces,
                **{
                    k: _text(row, k, where)
                    for k in (
                        "apple",
                        "apple_label",
                        "fastlane",
                        "play",
                        "play_label",
                        "dpv",
                        "why",
                    )
                },
            )
        )
    purposes = {}
    for row in raw["purpose"]:
        where = f"purpose {row.get('category')!r}"
        purposes[row["category"]] = PurposeRow(
            **{
                k: _text(row, k, where)
                for k in (
                    "category",
                    "apple",
                    "apple_label",
                    "fastlane",
                    "play",
                    "play_label",
                    "dpv",
                    "why",
                )
            }
        )
    if set(purposes) != set(get_args(Category)):
        raise MappingError("mapping.toml: every purpose category needs exactly one row")
    recipients = {
        row["role"]: RecipientRow(
            role=row["role"],
            play_shared=bool(row["play_shared"]),
            tracking=bool(row["tracking"]),
            dpv=row["dpv"],
            why=row["why"],
        )
        for row in raw["recipient"]
    }
    return Mapping(tuple(data), purposes, recipients, dict(raw["rules"]), dict(raw["dpv"]))
