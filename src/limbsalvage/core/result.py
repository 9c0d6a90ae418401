"""The immutable value every classifier returns."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import ClassVar

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

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: the system's result fields first, then inputs and the explanation."""
        base = {f.name for f in fields(Classification)}
        own = {f.name: _thaw(getattr(self, f.name)) for f in fields(self) if f.name not in base}
        return {
            "system": self.system,
            **own,
            "inputs": _thaw(self.inputs),
            "rationale": self.rationale,
            "source": self.source,
            "provenance": self.provenance,
            "tables": [
                {"ref": t.ref, "source": t.cite(), "checked": t.checked} for t in self.tables
            ],
        }

    def as_row(self) -> dict[str, object]:
        """A flat row for batch files: result fields, the rule, cell provenance, table refs."""
        base = {f.name for f in fields(Classification)}
        own = {f.name: _thaw(getattr(self, f.name)) for f in fields(self) if f.name not in base}
        return {
            **own,
            "rationale": self.rationale,
            "provenance": self.provenance,
            "tables": ";".join(t.ref for t in self.tables),
        }
