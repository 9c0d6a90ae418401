"""Imports every domain's models, so `Base.metadata` is complete for Alembic and tests."""

from limbsalvage.accounts import models as accounts
from limbsalvage.care import models as care
from limbsalvage.conference import models as conference
from limbsalvage.db import audit
from limbsalvage.db.base import Base
from limbsalvage.events import models as events
from limbsalvage.medications import models as medications
from limbsalvage.patients import models as patients
from limbsalvage.procedures import models as procedures
from limbsalvage.recommendations import models as recommendations
from limbsalvage.referrals import models as referrals

__all__ = [
    "Base",
    "accounts",
    "audit",
    "care",
    "conference",
    "events",
    "medications",
    "patients",
    "procedures",
    "recommendations",
    "referrals",
]
