"""Demo tests create accounts: hash their passwords cheaply."""

from tests.support.passwords import fast_password_hashing

__all__ = ["fast_password_hashing"]
