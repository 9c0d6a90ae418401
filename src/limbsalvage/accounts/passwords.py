"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).

The one place that hashes or checks a password; hashes are stored in `users.password_hash`
and never logged or exported.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`, salted, in the PHC string format."""
    if not password:
        raise ValueError("password: must not be empty")
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (False for a malformed hash)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be renewed."""
    return _HASHER.check_needs_rehash(password_hash)
