"""Production refusals, the anonymous CSRF token and the referral form's in-memory throttle.

Sign-in throttling is kept in the database instead (accounts.service.sign_in_wait).
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from limbsalvage.settings import ConfigurationError, Environment, Settings

MIN_SECRET_LENGTH = 32
# Values people paste from examples; a secret must be random, not a word.
WEAK_SECRETS = frozenset({"secret", "changeme", "change-me", "dev", "development", "demo", "test"})


def production_problems(settings: Settings, *, demo_accounts: bool) -> list[str]:
    """Why production mode must not start with these settings (empty: it may)."""
    if settings.env is not Environment.PRODUCTION:
        return []
    problems = []
    secret = settings.secret_key or ""
    if not secret:
        problems.append("LIMBSALVAGE_SECRET_KEY: required in production")
    elif len(secret) < MIN_SECRET_LENGTH or secret.lower() in WEAK_SECRETS:
        problems.append(
            f"LIMBSALVAGE_SECRET_KEY: must be at least {MIN_SECRET_LENGTH} random characters, "
            "not a default"
        )
    if settings.cookie_secure is False:
        problems.append(
            "LIMBSALVAGE_COOKIE_SECURE: must not be false in production (cookies over HTTPS only)"
        )
    if demo_accounts:
        problems.append(
            "demo accounts exist in the database; production refuses them "
            "(use a database without the demo cohort)"
        )
    return problems


def refuse_insecure(settings: Settings, *, demo_accounts: bool) -> None:
    """Raise ConfigurationError naming every production problem."""
    problems = production_problems(settings, demo_accounts=demo_accounts)
    if problems:
        raise ConfigurationError(
            message="production mode refuses to start: " + "; ".join(problems),
            code="configuration",
        )


def signing_key(settings: Settings) -> bytes:
    """The secret for signed tokens; outside production a random one per process will do."""
    if settings.secret_key:
        return settings.secret_key.encode()
    return _PROCESS_KEY


_PROCESS_KEY = secrets.token_bytes(32)


def new_anonymous_csrf(key: bytes) -> str:
    """A random value with its HMAC: the cookie and the form both carry it (double submit)."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(key, nonce)}"


def anonymous_csrf_valid(key: bytes, *, cookie: str | None, submitted: str | None) -> bool:
    """The submitted token equals the cookie's and carries our signature."""
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        return False
    nonce, _, signature = cookie.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(key, nonce))


def _sign(key: bytes, nonce: str) -> str:
    return hmac.new(key, f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


class Throttle:
    """At most `limit` events per key within `window_seconds` (in this process's memory)."""

    def __init__(self, *, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, instant: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= instant - self.window:
            events.popleft()
        return events

    def blocked_for(self, key: str) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            instant = time.monotonic()
            events = self._recent(key, instant)
            if len(events) < self.limit:
                return 0.0
            return max(0.0, events[0] + self.window - instant)

    def record(self, key: str) -> None:
        """Count one event for `key`."""
        with self._lock:
            instant = time.monotonic()
            self._recent(key, instant).append(instant)

    def clear(self, key: str) -> None:
        """Forget `key`'s events (after a successful sign-in)."""
        with self._lock:
            self._events.pop(key, None)
