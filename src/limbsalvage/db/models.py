"""Imports every domain's models, so `Base.metadata` is complete for Alembic and tests."""

from limbsalvage.accounts import models as accounts
from limbsalvage.db import audit
from limbsalvage.db.base import Base
from limbsalvage.patients import models as patients

__all__ = ["Base", "accounts", "audit", "patients"]
