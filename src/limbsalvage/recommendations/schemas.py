"""Validated input for answering a stored recommendation."""

from limbsalvage.patients.schemas import Strict
from limbsalvage.referrals.schemas import Text2000


class AcceptIn(Strict):
    """Accept the recommendation read at `version`."""

    version: int


class OverrideIn(Strict):
    """Override the recommendation read at `version`; the reason is required."""

    version: int
    reason: Text2000
