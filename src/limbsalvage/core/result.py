"""The immutable value every classifier returns."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields
from types import MappingProxyType
from typing import Any, ClassVar

from limbsalvage.core.sources import Table


def _freeze(value: object) -> object:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: object) -> object:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def explanation_field() -> Any:  # Any, like dataclasses.field: text or a tuple of texts
    """Declare a result field as explanation text: in batch files it goes to the rule legend."""
    return field(metadata={"explanation": True})


def is_explanation(spec: Field[object]) -> bool:
    """Whether a result field is explanation text rather than a grade or value."""
    return bool(spec.metadata.get("explanation"))


@dataclass(frozen=True, kw_only=True)
class Classification:
    """A grade or stage with the inputs it used, the rule that fired and its source.

    Subclasses add the system's own result fields (``wound_grade``, ``stage``…).
    ``rationale`` states the rule in clinical words; ``source`` is the citation with the
    table or figure; ``provenance`` notes, for the cell(s) or cut-offs used, where published
    readings disagree and which one was chosen (empty when they agree); ``tables`` are the
    versioned tables used, each with how its transcription was checked.
    """

    system: ClassVar[str] = ""

    inputs: Mapping[str, object]
    rationale: str
    source: str
    provenance: str = ""
    tables: tuple[Table, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", _freeze(self.inputs))

    def _own(self) -> dict[str, object]:
        base = {f.name for f in fields(Classification)}
        return {f.name: _thaw(getattr(self, f.name)) for f in fields(self) if f.name not in base}

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: the system's result fields first, then inputs and the explanation."""
        return {
            "system": self.system,
            **self._own(),
            "inputs": _thaw(self.inputs),
            "rationale": self.rationale,
            "source": self.source,
            "provenance": self.provenance,
            "tables": [
                {"ref": t.ref, "source": t.cite(), "checked": t.checked} for t in self.tables
            ],
            "rule": self.rule_id,
        }

    def explanation(self) -> dict[str, object]:
        """The texts that explain the result: rule, provenance, tables and explanation fields."""
        texts = {f.name: getattr(self, f.name) for f in fields(self) if is_explanation(f)}
        return {
            "rationale": self.rationale,
            "provenance": self.provenance,
            "tables": [t.ref for t in self.tables],
            **texts,
        }

    @property
    def rule_id(self) -> str:
        """A short, stable id of the explanation (the same texts always give the same id)."""
        text = json.dumps(self.explanation(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def as_row(self) -> dict[str, object]:
        """A flat row for batch files: the result values and the id of their explanation."""
        explained = {f.name for f in fields(self) if is_explanation(f)}
        own = {k: v for k, v in self._own().items() if k not in explained}
        return {**own, "rule": self.rule_id}
