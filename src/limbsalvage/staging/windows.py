"""Validity windows of findings for staging, per site, with documented defaults.

A finding older than its window on the staging date is reported as stale and not used. None of
these windows is published as such: each default is a program choice (docs/registry/staging.md
gives the reasoning), and a site sets its own under `settings["staging_windows"]`.
"""

from typing import Any

from pydantic import Field, ValidationError

from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.patients.schemas import Strict


class StagingWindows(Strict):
    """Days a finding stays usable for staging, and the index-stage window."""

    # Program choice; the brief's example. Perfusion changes slowly without intervention, but a
    # revascularisation makes older pressures obsolete (restaging follows the new study).
    perfusion_study: int = Field(default=90, ge=1, le=3650)
    # Program choice: a wound is re-measured at least every 1–4 weeks (SVS 2016 diabetic foot,
    # wound-care recommendation 1), so a month-old description is the oldest still current.
    wound_measurement: int = Field(default=30, ge=1, le=3650)
    # Program choice: infection changes within days; two weeks spans one treatment review.
    infection_assessment: int = Field(default=14, ge=1, le=3650)
    # Program choice: arterial anatomy for GLASS, half a year unless intervened on.
    imaging: int = Field(default=180, ge=1, le=3650)
    # Program choice: the limb's clinical picture (Rutherford presentation, unsalvageable).
    presentation: int = Field(default=30, ge=1, le=3650)
    # Program choice: CEAP signs and duplex findings of chronic venous disease.
    venous_study: int = Field(default=365, ge=1, le=3650)
    # Program choice: MESS describes the injured limb at presentation.
    trauma_assessment: int = Field(default=7, ge=1, le=3650)
    # Program choice: Enneking stage at diagnosis, MSTS at each follow-up.
    tumour_assessment: int = Field(default=180, ge=1, le=3650)
    # Program choice: acute ischaemia evolves within hours; two calendar days.
    acute_ischemia_assessment: int = Field(default=2, ge=1, le=3650)
    # The index stage is the first reviewed staging dated within this many days of presentation.
    index_stage: int = Field(default=14, ge=0, le=365)


SETTINGS_KEY = "staging_windows"


def windows_from_site_settings(settings: dict[str, Any] | None) -> StagingWindows:
    """The site's windows (defaults for those it does not set); a bad value names its key."""
    given = (settings or {}).get(SETTINGS_KEY) or {}
    try:
        return StagingWindows.model_validate(given)
    except ValidationError as error:
        problems = [
            FieldProblem(
                f"{SETTINGS_KEY}.{'.'.join(str(p) for p in item['loc'])}",
                str(item["msg"]),
            )
            for item in error.errors()
        ]
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        ) from error
