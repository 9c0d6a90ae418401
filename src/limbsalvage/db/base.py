"""Declarative base, naming convention and the mixins every editable row carries."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Date, Enum, ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from limbsalvage.db.types import UTCDateTime

# Stable constraint names, so migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Root of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), date: Date()}


def coded(enum: type[StrEnum], name: str) -> Enum:
    """A coded column stored as its string value, checked by a named constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Record:
    """Identity, time-stamps, authorship and a version for optimistic concurrency.

    The version is SQLAlchemy's `version_id_col`: an UPDATE matching no row because another
    writer moved the version raises, and services also compare the caller's version first.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("users.id"), nullable=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("users.id"), nullable=True)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr receives the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
