"""Sign-in, server-side sessions and who a user is. Services flush but never commit."""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import (
    Membership,
    Site,
    ThrottleEvent,
    ThrottlePurpose,
    User,
    UserSession,
)
from limbsalvage.accounts.passwords import hash_password, needs_rehash, verify_password
from limbsalvage.accounts.permissions import Principal
from limbsalvage.accounts.schemas import SiteSettings, parse_site_settings
from limbsalvage.db.after_read import write_after_read
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import NotFound, Unauthenticated

SIGN_IN_REFUSED = "email or password not recognised"
# Refresh `last_seen_at` at most this often, so a busy page does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The stored form of a session token (SHA-256 hex); the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(*, db: Session, email: str, password: str) -> User:
    """The active user with this email and password, or Unauthenticated (the same either way)."""
    user = db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active or not user.password_hash:
        # Check a decoy so an unknown email takes as long as a wrong password.
        verify_password(_decoy_hash(), password)
        raise Unauthenticated(message=SIGN_IN_REFUSED)
    if not verify_password(user.password_hash, password):
        raise Unauthenticated(message=SIGN_IN_REFUSED)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(*, db: Session, user_id: int, lifetime: timedelta) -> tuple[str, UserSession]:
    """A new session for the user: the token for the cookie, and the stored row."""
    token = secrets.token_urlsafe(32)
    instant = now(db)
    row = UserSession(
        token_hash=token_digest(token),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=instant,
        last_seen_at=instant,
        expires_at=instant + lifetime,
    )
    db.add(row)
    db.flush()
    return token, row


def resume_session(*, db: Session, token: str, idle: timedelta) -> UserSession | None:
    """The live session of `token`; an expired or idle one is removed and None returned."""
    row = db.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token)))
    if row is None:
        return None
    instant = now(db)
    if row.expires_at <= instant or row.last_seen_at + idle <= instant or not row.user.is_active:
        write_after_read(db, partial(_remove_session, row.id))
        return None
    if instant - row.last_seen_at >= TOUCH_EVERY:
        write_after_read(db, partial(_touch_session, row.id, instant))
    return row


def _remove_session(session_id: int, db: Session) -> None:
    row = db.get(UserSession, session_id)
    if row is not None:
        db.delete(row)
        db.flush()


def _touch_session(session_id: int, instant: datetime, db: Session) -> None:
    row = db.get(UserSession, session_id)
    if row is not None and row.last_seen_at < instant:
        row.last_seen_at = instant
        db.flush()


def end_session(*, db: Session, token: str) -> None:
    """Sign out: the session is removed (audited)."""
    row = db.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token)))
    if row is not None:
        db.delete(row)
        db.flush()


def remove_expired_sessions(*, db: Session) -> int:
    """Delete sessions past their absolute expiry; the number removed."""
    result = db.execute(delete(UserSession).where(UserSession.expires_at <= now(db)))
    return int(getattr(result, "rowcount", 0) or 0)


def _throttle_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def throttle_wait(
    *, db: Session, purpose: ThrottlePurpose, keys: Iterable[str], limit: int, window: timedelta
) -> timedelta:
    """How long until every key is under `limit` counted events within `window` (zero: now).

    Counted from the database, so a restart or another worker process sees the same events.
    """
    instant = now(db)
    waits = [timedelta(0)]
    for key in keys:
        recent = db.scalars(
            select(ThrottleEvent.counted_at)
            .where(
                ThrottleEvent.purpose == purpose,
                ThrottleEvent.key_hash == _throttle_digest(key),
                ThrottleEvent.counted_at > instant - window,
            )
            .order_by(ThrottleEvent.counted_at.desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            # The key is free again once the `limit`-th most recent event leaves the window.
            waits.append(recent[-1] + window - instant)
    return max(waits)


def record_throttle_event(
    *, db: Session, purpose: ThrottlePurpose, keys: Iterable[str], window: timedelta
) -> None:
    """Count one event against each key, and forget this purpose's events older than `window`."""
    instant = now(db)
    db.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.purpose == purpose, ThrottleEvent.counted_at <= instant - window
        )
    )
    rows = [
        {"purpose": purpose, "key_hash": _throttle_digest(key), "counted_at": instant}
        for key in keys
    ]
    if rows:
        db.execute(insert(ThrottleEvent), rows)


def clear_throttle_events(*, db: Session, purpose: ThrottlePurpose, key: str) -> None:
    """Forget a key's events (a successful sign-in clears the account's refusals)."""
    db.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.purpose == purpose, ThrottleEvent.key_hash == _throttle_digest(key)
        )
    )


def principal_for(*, db: Session, user: User) -> Principal:
    """The user with their roles by site."""
    memberships = db.execute(
        select(Membership.site_id, Membership.role).where(Membership.user_id == user.id)
    ).all()
    return Principal.from_memberships(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        memberships=[(site_id, role) for site_id, role in memberships],
        is_demo=user.is_demo,
    )


def demo_accounts_exist(*, db: Session) -> bool:
    """Whether any account is a demo account (production refuses to start then)."""
    return bool(db.scalar(select(exists().where(User.is_demo.is_(True)))))


def site_settings(site: Site) -> SiteSettings:
    """The site's settings, checked, with the labelled defaults where it sets none."""
    return parse_site_settings(site.settings)


def update_site_settings(
    *, db: Session, site_id: int, expected_version: int, changes: Mapping[str, Any]
) -> Site:
    """Replace the named sections of a site's settings (None: back to the defaults), checked."""
    site = db.get(Site, site_id)
    if site is None:
        raise NotFound(message=f"site {site_id} not found")
    check_version(site, expected_version=expected_version, entity="site")
    merged = {**(site.settings or {}), **changes}
    with guarded(db, conflict_message="the site's settings could not be stored"):
        site.settings = {key: value for key, value in merged.items() if value is not None}
    return site
