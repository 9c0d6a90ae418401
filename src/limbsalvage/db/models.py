"""Imports every domain's models, so `Base.metadata` is complete for Alembic and tests."""

from limbsalvage.accounts import models as accounts
from limbsalvage.assessments import models as assessments
from limbsalvage.care import models as care
from limbsalvage.conference import models as conference
from limbsalvage.db import audit
from limbsalvage.db.base import Base
from limbsalvage.events import models as events
from limbsalvage.facts import models as facts
from limbsalvage.medications import models as medications
from limbsalvage.patients import models as patients
from limbsalvage.procedures import models as procedures
from limbsalvage.recommendations import models as recommendations
from limbsalvage.referrals import models as referrals
from limbsalvage.staging import models as staging
from limbsalvage.wounds import models as wounds

__all__ = [
    "Base",
    "accounts",
    "assessments",
    "audit",
    "care",
    "conference",
    "events",
    "facts",
    "medications",
    "patients",
    "procedures",
    "recommendations",
    "referrals",
    "staging",
    "wounds",
]
