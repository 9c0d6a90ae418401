"""Production refusals and the anonymous CSRF token.

Sign-in and the referral form are throttled in the database (accounts.service.throttle_wait).
"""

import hashlib
import hmac
import secrets

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
