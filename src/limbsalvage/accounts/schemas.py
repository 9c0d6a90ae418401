"""Per-site settings: one typed schema, checked on every write, defaults labelled and cited.

A site stores only what it sets (`Site.settings`, JSON); everything else falls back to the
defaults below, so a revised default reaches every site that has not chosen its own. The
reference, field by field, is docs/registry/site-settings.md.
"""

import math
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from limbsalvage.core.coordination.tasks import DEFAULT_DUE_HOURS
from limbsalvage.core.coordination.time_to_treatment import MEASURE_IDS
from limbsalvage.core.pathway.model import Threshold
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS
from limbsalvage.core.vocabulary import CareRole, CareSetting, EpisodeCause, Urgency
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.patients.schemas import Strict

Days = Annotated[int, Field(ge=1, le=3650)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Citation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Hours = Annotated[float, Field(gt=0, le=24 * 366, allow_inf_nan=False)]


class StagingWindows(Strict):
    """Days a finding stays usable for staging, and the index-stage window."""

    # None of these windows is published as such: each default is a program choice, reasoned in
    # docs/registry/staging.md.
    # Program choice; issue 3's example. Perfusion changes slowly without intervention, but a
    # revascularisation makes older pressures obsolete (restaging follows the new study).
    perfusion_study: Days = 90
    # Program choice: a wound is re-measured at least every 1–4 weeks (SVS 2016 diabetic foot,
    # wound-care recommendation 1), so a month-old description is the oldest still current.
    wound_measurement: Days = 30
    # Program choice: infection changes within days; two weeks spans one treatment review.
    infection_assessment: Days = 14
    # Program choice: arterial anatomy for GLASS, half a year unless intervened on.
    imaging: Days = 180
    # Program choice: the limb's clinical picture (Rutherford presentation, unsalvageable).
    presentation: Days = 30
    # Program choice: CEAP signs and duplex findings of chronic venous disease.
    venous_study: Days = 365
    # Program choice: MESS describes the injured limb at presentation.
    trauma_assessment: Days = 7
    # Program choice: Enneking stage at diagnosis, MSTS at each follow-up.
    tumour_assessment: Days = 180
    # Program choice: acute ischaemia evolves within hours; two calendar days.
    acute_ischemia_assessment: Days = 2
    # The index stage is the first reviewed staging dated within this many days of presentation.
    index_stage: int = Field(default=14, ge=0, le=365)


class TargetSetting(Strict):
    """One time-to-treatment target of a site (replacing the cited VSGBI PAD QIF defaults)."""

    measure_id: str
    days: StrictInt = Field(ge=0, le=3650)
    setting: CareSetting | None = None  # None: any setting
    causes: list[EpisodeCause] | None = Field(default=None, min_length=1)  # None: any cause
    citation: Citation  # a site's target needs its source, as the defaults have theirs
    note: Text = ""

    @field_validator("measure_id")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        if value not in MEASURE_IDS:
            raise ValueError(f"must be one of {', '.join(sorted(MEASURE_IDS))}")
        return value


class CoordinationSettings(Strict):
    """Task due times and owners, time-to-treatment targets and the conference day."""

    # Defaults: core.coordination.tasks.DEFAULT_DUE_HOURS (program reading of the urgency scale).
    task_due_hours: dict[Urgency, Hours] = Field(default_factory=dict)
    # Defaults: core.coordination.tasks.DEFAULT_OWNER_ROLES; None means "make no task".
    task_owner_roles: dict[Annotated[str, Field(min_length=1, max_length=40)], CareRole | None] = (
        Field(default_factory=dict)
    )
    # None: the cited defaults (VSGBI PAD QIF 2019); a list replaces them all.
    time_to_treatment_targets: list[TargetSetting] | None = None
    # No default: a site names its own conference day before the agenda is built.
    conference_weekday: Weekday | None = None

    @model_validator(mode="after")
    def _hours_in_urgency_order(self) -> Self:
        hours = {**DEFAULT_DUE_HOURS, **self.task_due_hours}
        ordered = [hours[u] for u in Urgency]
        if ordered != sorted(ordered):
            raise ValueError(
                "task_due_hours: hours must not decrease from emergent to routine "
                "(defaults fill the urgencies not given)"
            )
        return self


class SiteSettings(Strict):
    """Everything a site configures; absent values take the labelled, cited defaults."""

    # No default: time-to-treatment and the conference day need the site's own IANA zone.
    time_zone: str | None = None
    staging_windows: StagingWindows = Field(default_factory=StagingWindows)
    coordination: CoordinationSettings = Field(default_factory=CoordinationSettings)
    # Replacements for the pathway's cited cut-offs (core.pathway.thresholds), by name.
    pathway_thresholds: dict[str, float] = Field(default_factory=dict)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known IANA time zone name (such as Europe/London)") from None
        return value

    @field_validator("pathway_thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        for name, number in value.items():
            if name not in DEFAULT_THRESHOLDS:
                allowed = ", ".join(sorted(DEFAULT_THRESHOLDS))
                raise ValueError(f"{name}: not a pathway threshold; allowed: {allowed}")
            if not math.isfinite(number) or number < 0:
                raise ValueError(f"{name}: must be a finite number, 0 or more")
        return value

    @model_validator(mode="after")
    def _venous_bands_in_order(self) -> Self:
        full, none = "venous_full_compression_abi", "venous_no_compression_abi"
        given = {n: t.value for n, t in DEFAULT_THRESHOLDS.items()} | self.pathway_thresholds
        if given[none] > given[full]:
            raise ValueError(
                f"pathway_thresholds.{none}: must not be above {full} (the modified-compression "
                "band lies between them)"
            )
        return self

    def thresholds(self) -> Mapping[str, Threshold]:
        """The pathway's cut-offs with the site's values in place, each labelled as the site's."""
        chosen = dict(DEFAULT_THRESHOLDS)
        for name, value in self.pathway_thresholds.items():
            default = chosen[name]
            note = f"Site setting; the cited default is {default.value:g}. {default.note}"
            chosen[name] = replace(default, value=value, note=note.strip())
        return MappingProxyType(chosen)

    def stored(self) -> dict[str, Any]:
        """The JSON form kept in `Site.settings`: only what the site set."""
        return self.model_dump(mode="json", exclude_unset=True)


def _problem(item: Mapping[str, Any]) -> FieldProblem:
    # A bad dictionary key is reported at the key itself (pydantic adds a `[key]` step).
    path = ".".join(str(p) for p in item["loc"] if p != "[key]")
    message = str(item["msg"]).removeprefix("Value error, ")
    head, sep, rest = message.partition(": ")
    # A validator naming a key inside the field (`name: …`) or a sibling field (`x.y: …`).
    if sep and " " not in head:
        if "." in head or not path:
            path, message = head, rest
        else:
            path, message = f"{path}.{head}", rest
    if item["type"] == "extra_forbidden":
        message = "not a setting; see docs/registry/site-settings.md"
    return FieldProblem(path or "settings", message)


def parse_site_settings(raw: Mapping[str, Any] | None) -> SiteSettings:
    """Check a site's settings; every problem names its field (dotted path) and what is allowed."""
    try:
        return SiteSettings.model_validate({} if raw is None else raw)
    except ValidationError as error:
        problems = [_problem(item) for item in error.errors()]
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        ) from error
