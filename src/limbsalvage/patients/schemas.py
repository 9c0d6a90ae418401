"""Validated input for patients, limbs and episodes (API, forms, CSV import and services)."""

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    CareSetting,
    DiabetesType,
    EpisodeCause,
    EpisodeStatus,
    Ethnicity,
    LivingSituation,
    Payer,
    Race,
    Sex,
    Side,
    SmokingStatus,
)

Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Mrn = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class Strict(BaseModel):
    """Unknown fields are refused, so a misspelt field is never silently dropped."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class PatientRisk(Strict):
    """Comorbidities and values that drive risk; ranges are physiological bounds."""

    diabetes: bool | None = None
    diabetes_type: DiabetesType | None = None
    hba1c_pct: float | None = Field(default=None, ge=3, le=20)
    dialysis: bool | None = None
    egfr_ml_min_1_73m2: float | None = Field(default=None, ge=0, le=200)
    creatinine_mg_dl: float | None = Field(default=None, gt=0, le=30)
    albumin_g_dl: float | None = Field(default=None, gt=0, le=7)
    haemoglobin_g_dl: float | None = Field(default=None, gt=0, le=25)
    haematocrit_pct: float | None = Field(default=None, gt=0, le=75)
    bmi_kg_m2: float | None = Field(default=None, ge=8, le=100)
    coronary_disease: bool | None = None
    heart_failure: bool | None = None
    smoking_status: SmokingStatus | None = None
    ambulatory_status: AmbulatoryStatus | None = None
    living_situation: LivingSituation | None = None
    prior_contralateral_major_amputation: bool | None = None


class PatientFields(PatientRisk):
    """Everything about a patient except the site and MRN."""

    given_name: Text100
    family_name: Text100
    birth_date: date
    sex: Sex
    race: Race | None = None
    ethnicity: Ethnicity | None = None
    payer: Payer | None = None
    death_date: date | None = None
    cause_of_death: Annotated[str, StringConstraints(max_length=200)] | None = None
    last_known_alive_date: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.death_date is not None and self.death_date < self.birth_date:
            raise ValueError("death_date: must not be before birth_date")
        if self.last_known_alive_date is not None:
            if self.last_known_alive_date < self.birth_date:
                raise ValueError("last_known_alive_date: must not be before birth_date")
            if self.death_date is not None and self.last_known_alive_date > self.death_date:
                raise ValueError("last_known_alive_date: must not be after death_date")
        if self.diabetes_type is not None and self.diabetes is False:
            raise ValueError("diabetes_type: given while diabetes is false")
        return self


class PatientCreate(PatientFields):
    """A new patient at a site."""

    mrn: Mrn


class PatientUpdate(Strict):
    """A partial change; `version` is the version the caller read."""

    version: int
    changes: dict[str, object]


class EpisodeCreate(Strict):
    """A new threatened-limb episode on one side."""

    side: Side
    cause: EpisodeCause
    presented_on: date
    setting: CareSetting


class EpisodeClose(Strict):
    """Close an episode on a date."""

    version: int
    closed_on: date
    status: EpisodeStatus = EpisodeStatus.CLOSED
