"""The plug-in interface every patient-risk model implements, and its result."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from limbsalvage.core.fields import InputField
from limbsalvage.core.sources import Table


@dataclass(frozen=True, kw_only=True)
class RiskAssessment:
    """One model run: what went in, what is missing (never defaulted) and what came out."""

    model_id: str
    version: str
    inputs: Mapping[str, object]
    missing: tuple[str, ...]
    points: int | None
    category: str | None
    estimates: Mapping[str, float] = field(default_factory=dict)
    rationale: str
    citation: str
    limits: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", MappingProxyType(dict(self.inputs)))
        object.__setattr__(self, "estimates", MappingProxyType(dict(self.estimates)))

    @property
    def complete(self) -> bool:
        """Whether every input was given, so that the score and category exist."""
        return not self.missing

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the form stored beside a recommendation)."""
        return {
            "model_id": self.model_id,
            "version": self.version,
            "inputs": dict(self.inputs),
            "missing": list(self.missing),
            "points": self.points,
            "category": self.category,
            "estimates": dict(self.estimates),
            "rationale": self.rationale,
            "citation": self.citation,
            "limits": self.limits,
        }


class RiskModel(Protocol):
    """A published, validated patient-risk model behind a stable id and version."""

    @property
    def model_id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def inputs(self) -> tuple[InputField, ...]: ...
    @property
    def tables(self) -> tuple[Table, ...]: ...

    def assess(self, values: Mapping[str, object]) -> RiskAssessment:
        """Run the model on named values; absent ones are listed in `missing`."""
        ...
