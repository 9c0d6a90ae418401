"""Sessions: idle and absolute expiry, sign-out, inactive users; passwords never stored."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import User, UserSession
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.accounts.service import (
    authenticate,
    demo_accounts_exist,
    end_session,
    principal_for,
    remove_expired_sessions,
    resume_session,
    start_session,
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
