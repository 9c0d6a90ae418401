"""The domain error tree of the registry and its services.

One tree for every service; the HTTP layer maps each class to one status and one JSON error
shape, the CLI to a one-line message and exit code 2. Messages name the field and what is
allowed, never the submitted value of patient data (logs must not hold patient data).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: its name and what is wrong or allowed."""

    field: str
    message: str


@dataclass
class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    message: str
    code: str = "domain_error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass
class NotFound(DomainError):
    """The entity does not exist, or is not visible to this user (sites never leak)."""

    code: str = "not_found"


@dataclass
class Conflict(DomainError):
    """The change conflicts with stored data (a duplicate, or a rule such as date order)."""

    code: str = "conflict"


@dataclass
class StaleUpdate(Conflict):
    """The row changed since the caller read it (optimistic concurrency)."""

    code: str = "stale_update"


@dataclass
class Invalid(DomainError):
    """Input breaks a validation or data-quality rule; `fields` names each problem."""

    code: str = "invalid"
    fields: list[FieldProblem] = field(default_factory=list)


@dataclass
class Forbidden(DomainError):
    """The user is known but their role does not allow this."""

    code: str = "forbidden"


@dataclass
class Unauthenticated(DomainError):
    """No valid session or credentials."""

    code: str = "unauthenticated"


def invalid(field_name: str, message: str) -> Invalid:
    """One-field `Invalid`, its message prefixed with the field name."""
    return Invalid(message=f"{field_name}: {message}", fields=[FieldProblem(field_name, message)])
