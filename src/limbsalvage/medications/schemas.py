"""Validated input for medications."""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from limbsalvage.core.vocabulary import Drug
from limbsalvage.patients.schemas import Strict

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class MedicationCreate(Strict):
    """A drug started on a date (optionally already stopped)."""

    drug: Drug
    daily_dose_mg: float | None = Field(default=None, gt=0, le=5000)
    started_on: date
    stopped_on: date | None = None
    stop_reason: Reason | None = None
    episode_id: int | None = None

    @model_validator(mode="after")
    def _stop_after_start(self) -> Self:
        if self.stopped_on is not None and self.stopped_on < self.started_on:
            raise ValueError("stopped_on: must not be before started_on")
        if self.stop_reason is not None and self.stopped_on is None:
            raise ValueError("stop_reason: given without stopped_on")
        return self


class MedicationStop(Strict):
    """Stop a medication on a date; `version` is the version the caller read."""

    version: int
    stopped_on: date
    stop_reason: Reason | None = None
