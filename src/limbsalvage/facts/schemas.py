"""Validated input for recording clinician facts."""

from typing import Annotated, Any

from pydantic import Field

from limbsalvage.patients.schemas import Strict
from limbsalvage.referrals.schemas import Text2000


class FactsIn(Strict):
    """Facts by pathway input name; `null` clears one (unknown again); absent ones stay as they are.

    Values are checked against the engine's field (docs/pathway/input.md): `true`/`false` for a
    flag, a number in range for a percentage, one of the choices for `patient_risk`.
    """

    facts: Annotated[dict[str, Any], Field(max_length=40)]
    note: Text2000 | None = None
