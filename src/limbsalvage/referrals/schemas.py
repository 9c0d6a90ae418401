"""Validated input for referral intake, triage, decline and conversion."""

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, StringConstraints, model_validator

from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    ReferralSource,
    Sex,
    Side,
    Urgency,
)
from limbsalvage.patients.schemas import Mrn, Strict, Text100

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text2000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ReferralIn(Strict):
    """A referral as a referrer or the patient submits it (also the public form)."""

    source: ReferralSource
    referrer_name: Text200 | None = None
    referrer_contact: Text200 | None = None
    given_name: Text100
    family_name: Text100
    birth_date: date | None = None
    patient_contact: Text200 | None = None
    mrn: Mrn | None = None
    reason: Text2000
    side: Side | None = None
    urgency_requested: Urgency

    @model_validator(mode="after")
    def _someone_to_answer(self) -> Self:
        if self.source is ReferralSource.REFERRING_CLINICIAN and self.referrer_name is None:
            raise ValueError("referrer_name: required when a clinician refers")
        if self.referrer_contact is None and self.patient_contact is None:
            raise ValueError(
                "patient_contact: give the patient's or the referrer's contact so the program "
                "can answer"
            )
        if self.birth_date is not None and self.birth_date < date(1900, 1, 1):
            raise ValueError("birth_date: must not be before 1900-01-01")
        return self


class StaffReferralIn(ReferralIn):
    """A referral entered by staff, who give when it was received (a letter, a call)."""

    received_at: AwareDatetime


class TriageIn(Strict):
    """A triage decision on the referral read at `version`."""

    version: int
    priority: Urgency
    note: Text2000 | None = None


class DeclineIn(Strict):
    """Decline the referral read at `version`; the reason is required."""

    version: int
    reason: Text2000


class ConversionIn(Strict):
    """What conversion needs beyond the referral; every referral field is reused as stated.

    `given_name`, `family_name`, `birth_date`, `mrn` and `side` correct or complete the
    referral's; `presented_on` defaults to the site-local day the referral was received;
    `episode_id` attaches the referral to an open episode of the patient instead of opening one.
    """

    version: int
    mrn: Mrn | None = None
    sex: Sex | None = None
    given_name: Text100 | None = None
    family_name: Text100 | None = None
    birth_date: date | None = None
    side: Side | None = None
    cause: EpisodeCause | None = None
    setting: CareSetting | None = None
    presented_on: date | None = None
    episode_id: int | None = None


class ReferralReceipt(Strict):
    """What a submitter is told: the same for every referral, known patient or not."""

    reference: str
    received_at: datetime
    site_name: str
