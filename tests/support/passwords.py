"""Cheap Argon2 parameters for tests that create accounts (the real cost is ~0.5 s a hash)."""

import pytest
from argon2 import PasswordHasher

from limbsalvage.accounts import passwords


@pytest.fixture
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with the smallest Argon2id parameters for the duration of one test."""
    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
