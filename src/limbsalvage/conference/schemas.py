"""Validated input for conference cases and their outcome."""

from datetime import date
from typing import Self

from pydantic import Field, model_validator

from limbsalvage.core.vocabulary import AmputationLevel, CareRole, ConferenceDecision
from limbsalvage.patients.schemas import Strict
from limbsalvage.referrals.schemas import Text200, Text2000


class Attendee(Strict):
    """A person at the conference and the role they spoke for."""

    name: Text200
    role: CareRole


class ManualCaseIn(Strict):
    """Put an episode on a conference by hand, with the reason."""

    conference_on: date
    reason: Text2000


class OutcomeIn(Strict):
    """The structured outcome of a case read at `version`."""

    version: int
    decision: ConferenceDecision
    amputation_level: AmputationLevel | None = None
    decision_detail: Text2000 | None = None
    reasons: Text2000
    attendees: list[Attendee] = Field(min_length=1)

    @model_validator(mode="after")
    def _decision_complete(self) -> Self:
        if self.decision is ConferenceDecision.AMPUTATION and self.amputation_level is None:
            raise ValueError("amputation_level: required when the decision is amputation")
        if self.decision is not ConferenceDecision.AMPUTATION and self.amputation_level:
            raise ValueError("amputation_level: only with the decision amputation")
        if self.decision is ConferenceDecision.OTHER and self.decision_detail is None:
            raise ValueError("decision_detail: required when the decision is other")
        return self
