"""The error tree of the classification engine."""

from collections.abc import Sequence


class ClassificationError(ValueError):
    """Base of every error the classification engine raises on its input."""


class InvalidInput(ClassificationError):
    """A value outside what the system allows; names the field, the value and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not allowed; expected {allowed}")


class CannotClassify(ClassificationError):
    """Inputs are missing or contradict each other, so no grade is given (never a default)."""

    def __init__(
        self,
        system: str,
        *,
        missing: Sequence[str] = (),
        conflicts: Sequence[str] = (),
        detail: str = "",
    ) -> None:
        self.system = system
        self.missing = tuple(missing)
        self.conflicts = tuple(conflicts)
        parts = []
        if self.missing:
            parts.append("missing " + ", ".join(self.missing))
        if self.conflicts:
            parts.append("conflicting " + "; ".join(self.conflicts))
        if detail:
            parts.append(detail)
        super().__init__(f"cannot classify {system}: " + "; ".join(parts))
