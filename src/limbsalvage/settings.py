"""The one typed settings object, read from `LIMBSALVAGE_*` environment variables."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from limbsalvage.errors import DomainError


class Environment(StrEnum):
    """`demo` loads demo accounts; `production` refuses insecure settings (issue 6)."""

    DEMO = "demo"
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Everything configurable, validated at start: a bad value fails fast with its name."""

    model_config = SettingsConfigDict(env_prefix="LIMBSALVAGE_", extra="ignore")

    env: Environment = Environment.DEMO
    data_dir: Path = Field(default=Path("data"))
    database_url: str | None = None
    secret_key: str | None = None
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    # Web sessions (issue 6): idle and absolute limits, cookie transport, sign-in throttling.
    session_idle_minutes: int = Field(default=60, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=7 * 24)
    cookie_secure: bool | None = None  # None: Secure in production, plain HTTP allowed otherwise
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// SQLAlchemy URL")
        return value

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies carry `Secure` (sent over HTTPS only)."""
        if self.cookie_secure is None:
            return self.env is Environment.PRODUCTION
        return self.cookie_secure

    @property
    def resolved_database_url(self) -> str:
        """`database_url`, or the embedded SQLite file under `data_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'limbsalvage.sqlite3').resolve()}"


class ConfigurationError(DomainError):
    """A setting is missing or has a value that is not allowed."""


def load_settings() -> Settings:
    """Settings from the environment; a bad value names its variable and what is allowed."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"LIMBSALVAGE_{'_'.join(str(p) for p in item['loc']).upper()}: "
            f"{str(item['msg']).removeprefix('Value error, ')}"
            for item in error.errors()
        ]
        raise ConfigurationError(message="; ".join(problems), code="configuration") from error


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once (tests build their own `Settings` instead)."""
    return load_settings()
