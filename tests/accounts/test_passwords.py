"""Argon2id password hashes: salted, verifiable, never the password itself."""

import pytest

from limbsalvage.accounts.passwords import hash_password, needs_rehash, verify_password


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong horse")
    assert not needs_rehash(stored)


def test_hashes_are_salted() -> None:
    assert hash_password("same") != hash_password("same")


def test_a_malformed_hash_never_verifies() -> None:
    assert not verify_password("not-a-hash", "anything")


def test_an_empty_password_is_refused() -> None:
    with pytest.raises(ValueError, match="password: must not be empty"):
        hash_password("")
