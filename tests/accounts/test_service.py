"""Sessions: idle and absolute expiry, sign-out, inactive users; passwords never stored."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import ThrottleEvent, ThrottlePurpose, User, UserSession
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.accounts.service import (
    authenticate,
    clear_throttle_events,
    demo_accounts_exist,
    end_session,
    principal_for,
    record_throttle_event,
    remove_expired_sessions,
    resume_session,
    start_session,
    throttle_wait,
)
from limbsalvage.errors import Unauthenticated
from tests.conftest import FIXED_NOW

IDLE = timedelta(minutes=60)


@pytest.fixture
def user(db: Session) -> User:
    account = User(
        email="Nurse@Clinic.test", display_name="Nurse", password_hash=hash_password("pw1")
    )
    db.add(account)
    db.flush()
    return account


def test_authenticate(db: Session, user: User) -> None:
    assert authenticate(db=db, email=" nurse@clinic.TEST ", password="pw1") is user
    with pytest.raises(Unauthenticated, match="not recognised"):
        authenticate(db=db, email="nurse@clinic.test", password="pw2")
    with pytest.raises(Unauthenticated, match="not recognised"):
        authenticate(db=db, email="nobody@clinic.test", password="pw1")
    user.is_active = False
    with pytest.raises(Unauthenticated):
        authenticate(db=db, email="nurse@clinic.test", password="pw1")


def test_session_lifecycle(db: Session, user: User) -> None:
    token, row = start_session(db=db, user_id=user.id, lifetime=timedelta(hours=12))
    assert row.token_hash != token
    assert resume_session(db=db, token=token, idle=IDLE) is row
    assert resume_session(db=db, token="unknown", idle=IDLE) is None
    db.info["now"] = FIXED_NOW + timedelta(minutes=30)
    assert resume_session(db=db, token=token, idle=IDLE) is row
    assert row.last_seen_at == FIXED_NOW + timedelta(minutes=30)
    db.info["now"] = FIXED_NOW + timedelta(minutes=95)
    assert resume_session(db=db, token=token, idle=IDLE) is None  # idle too long
    assert db.scalar(select(UserSession).where(UserSession.id == row.id)) is None


def test_absolute_expiry_and_sign_out(db: Session, user: User) -> None:
    token, _ = start_session(db=db, user_id=user.id, lifetime=timedelta(minutes=10))
    other, _ = start_session(db=db, user_id=user.id, lifetime=timedelta(hours=1))
    db.info["now"] = FIXED_NOW + timedelta(minutes=11)
    assert remove_expired_sessions(db=db) == 1
    assert resume_session(db=db, token=token, idle=IDLE) is None
    end_session(db=db, token=other)
    end_session(db=db, token=other)  # twice is harmless
    assert resume_session(db=db, token=other, idle=IDLE) is None


def test_inactive_user_loses_the_session(db: Session, user: User) -> None:
    token, _ = start_session(db=db, user_id=user.id, lifetime=timedelta(hours=1))
    user.is_active = False
    assert resume_session(db=db, token=token, idle=IDLE) is None


def test_principal_and_demo_accounts(db: Session, user: User) -> None:
    assert principal_for(db=db, user=user).roles == frozenset()
    assert not demo_accounts_exist(db=db)
    db.add(User(email="demo@x.test", display_name="d", is_demo=True))
    db.flush()
    assert demo_accounts_exist(db=db)


WINDOW = timedelta(minutes=15)
SIGN_IN = ThrottlePurpose.SIGN_IN
REFERRAL = ThrottlePurpose.REFERRAL
HOUR = timedelta(hours=1)


def _refuse(
    db: Session,
    key: str,
    at: timedelta,
    *,
    times: int = 1,
    purpose: ThrottlePurpose = SIGN_IN,
    window: timedelta = WINDOW,
) -> None:
    db.info["now"] = FIXED_NOW + at
    for _ in range(times):
        record_throttle_event(db=db, purpose=purpose, keys=[key], window=window)


def _wait(
    db: Session,
    key: str,
    at: timedelta,
    limit: int = 5,
    *,
    purpose: ThrottlePurpose = SIGN_IN,
    window: timedelta = WINDOW,
) -> timedelta:
    db.info["now"] = FIXED_NOW + at
    return throttle_wait(db=db, purpose=purpose, keys=[key], limit=limit, window=window)


def test_the_wait_counts_refusals_within_the_window(db: Session) -> None:
    _refuse(db, "email:a@clinic.test", timedelta(0), times=4)
    assert _wait(db, "email:a@clinic.test", timedelta(minutes=1)) == timedelta(0)
    _refuse(db, "email:a@clinic.test", timedelta(minutes=5))
    # Five refusals: blocked until the oldest of the five leaves the 15-minute window.
    assert _wait(db, "email:a@clinic.test", timedelta(minutes=6)) == timedelta(minutes=9)
    assert _wait(db, "email:b@clinic.test", timedelta(minutes=6)) == timedelta(0)
    assert _wait(db, "email:a@clinic.test", timedelta(minutes=15)) == timedelta(0)


def test_the_wait_is_the_longest_of_its_keys(db: Session) -> None:
    _refuse(db, "client:10.0.0.1", timedelta(0), times=2)
    _refuse(db, "email:a@clinic.test", timedelta(minutes=3), times=2)
    wait = throttle_wait(
        db=db,
        purpose=SIGN_IN,
        keys=["email:a@clinic.test", "client:10.0.0.1"],
        limit=2,
        window=WINDOW,
    )
    assert wait == timedelta(minutes=15)  # the account's; the client's ends in 12 minutes


def test_clearing_forgets_one_key_and_old_refusals_are_pruned(db: Session) -> None:
    _refuse(db, "email:a@clinic.test", timedelta(0), times=2)
    _refuse(db, "client:10.0.0.1", timedelta(0), times=2)
    clear_throttle_events(db=db, purpose=SIGN_IN, key="email:a@clinic.test")
    assert _wait(db, "email:a@clinic.test", timedelta(0), limit=2) == timedelta(0)
    assert _wait(db, "client:10.0.0.1", timedelta(0), limit=2) > timedelta(0)
    _refuse(db, "email:c@clinic.test", timedelta(minutes=20))
    stored = db.scalars(select(ThrottleEvent.key_hash)).all()
    assert len(stored) == 1  # the client's two, out of the window, went with this refusal
    assert all("@" not in key_hash and "10.0" not in key_hash for key_hash in stored)


def test_referrals_are_counted_apart_from_sign_ins_in_an_hour_window(db: Session) -> None:
    client = "client:10.0.0.1"
    _refuse(db, client, timedelta(0), times=2, purpose=REFERRAL, window=HOUR)
    # The same client's referrals do not count against its sign-ins, nor the reverse.
    assert _wait(db, client, timedelta(minutes=1), limit=2) == timedelta(0)
    assert _wait(db, client, timedelta(minutes=1), 2, purpose=REFERRAL, window=HOUR) == (
        timedelta(minutes=59)
    )
    # A sign-in refusal 20 minutes on prunes only sign-ins older than 15 minutes.
    _refuse(db, client, timedelta(minutes=20))
    assert _wait(db, client, timedelta(minutes=59), 2, purpose=REFERRAL, window=HOUR) == (
        timedelta(minutes=1)
    )
    assert _wait(db, client, timedelta(minutes=60), 2, purpose=REFERRAL, window=HOUR) == (
        timedelta(0)
    )
    # Clearing one purpose leaves the other's count.
    _refuse(db, client, timedelta(minutes=61), times=2, purpose=REFERRAL, window=HOUR)
    clear_throttle_events(db=db, purpose=SIGN_IN, key=client)
    assert _wait(db, client, timedelta(minutes=62), 2, purpose=REFERRAL, window=HOUR) > (
        timedelta(0)
    )
