"""Sites (programs), users and their roles per site."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from limbsalvage.accounts.schemas import parse_site_settings
from limbsalvage.core.vocabulary import Role
from limbsalvage.db.base import Base, Record, coded


class Site(Record, Base):
    """One limb salvage program; every patient belongs to exactly one."""

    __tablename__ = "sites"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Per-site settings (validity windows, time-to-treatment targets…): only what the site
    # sets, checked against `limbsalvage.accounts.schemas.SiteSettings` on every assignment.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @validates("settings")
    def _checked(self, _key: str, value: dict[str, Any] | None) -> dict[str, Any]:
        return parse_site_settings(value).stored()


class User(Record, Base):
    """A person who signs in; roles come from memberships, one site at a time."""

    __tablename__ = "users"
    __audit_exclude__ = frozenset({"password_hash"})

    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", foreign_keys="Membership.user_id"
    )


class Membership(Record, Base):
    """A user's role at a site; several rows give several roles or sites."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "site_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    role: Mapped[Role] = mapped_column(coded(Role, "role"))

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    site: Mapped[Site] = relationship(foreign_keys=[site_id])


class UserSession(Base):
    """A signed-in browser: the server keeps the state, the cookie holds only a random token.

    Only the token's SHA-256 is stored, so a copy of the database cannot be used to sign in.
    Sign-in (create) and sign-out (delete) are audited; the token, the CSRF token and the
    sliding `last_seen_at` are kept out of the audit log.
    """

    __tablename__ = "user_sessions"
    __audit_exclude__ = frozenset({"token_hash", "csrf_token", "last_seen_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ThrottlePurpose(StrEnum):
    """What a throttle counts: refused sign-ins, or referrals sent from the public form."""

    SIGN_IN = "sign_in"
    REFERRAL = "referral"


class ThrottleEvent(Base):
    """One counted attempt, kept for its throttle's window so every worker and restart sees it.

    `key_hash` is the SHA-256 of what was throttled (an email or a client address), so the table
    never holds an address in clear. Rows are written and pruned with plain SQL, not through the
    ORM: they are not patient data, and auditing each would copy every attempted account name
    into the append-only log.
    """

    __tablename__ = "throttle_events"
    __table_args__ = (
        Index(
            "ix_throttle_events_purpose_key_hash_counted_at", "purpose", "key_hash", "counted_at"
        ),
        Index("ix_throttle_events_purpose_counted_at", "purpose", "counted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[ThrottlePurpose] = mapped_column(coded(ThrottlePurpose, "throttle_purpose"))
    key_hash: Mapped[str] = mapped_column(String(64))
    counted_at: Mapped[datetime]
