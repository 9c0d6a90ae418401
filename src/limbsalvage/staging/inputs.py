"""The findings staging reads: the latest of each source on or before the staging date.

A *source* is a kind of finding with the columns a classification system reads (imaging only
counts when it describes arterial lesions, a tumour assessment for MSTS only when it has the
six items). The latest finding of each source dated on or before `as_of` is used when its age
is within the source's window; otherwise it is reported as stale and not used. Each wound of the
episode is a source of its own (its latest measurement with the WIfI ulcer and gangrene).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.schemas import StagingWindows
from limbsalvage.assessments.models import (
    AcuteIschemiaAssessment,
    Assessment,
    Finding,
    Imaging,
    InfectionAssessment,
    PerfusionStudy,
    TraumaAssessment,
    TumourAssessment,
    VenousStudy,
)
from limbsalvage.core.vocabulary import EpisodeCause
from limbsalvage.wounds.models import Wound, WoundMeasurement

GLASS_COLUMNS = (
    "fp_grade",
    "ip_grade",
    "im_modifier",
    "sfa_disease_length_cm",
    "sfa_disease_percent",
    "sfa_occlusion_length_cm",
    "sfa_occlusion_flush",
    "popliteal_stenosis_length_cm",
    "popliteal_occlusion",
    "popliteal_trifurcation_involved",
    "fp_severe_calcification",
    "ip_target_artery",
    "ip_disease_length_cm",
    "ip_disease_percent",
    "ip_occlusion_length_cm",
    "ip_occlusion_percent",
    "target_artery_origin_involved",
    "tp_trunk_disease",
    "ip_severe_calcification",
    "target_artery_crosses_ankle",
    "pedal_arch_intact",
)
MSTS_COLUMNS = (
    "pain_points",
    "function_points",
    "emotional_acceptance_points",
    "supports_points",
    "walking_points",
    "gait_points",
)
WOUND_COLUMNS = ("ulcer", "gangrene", "area_cm2", "exposed_bone", "exposed_joint", "exposed_tendon")


@dataclass(frozen=True)
class Source:
    """A kind of finding staging reads, with the columns it reads and its window's name."""

    name: str
    model: type[Finding]
    columns: tuple[str, ...]
    window: str
    # The finding's own date column; None: its assessment's date.
    date_column: str | None = None
    # Columns that must all hold a value for the finding to count (else: any of `columns`).
    requires: tuple[str, ...] = ()


def _columns(model: type[Finding], *skip: str) -> tuple[str, ...]:
    record = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "version"}
    excluded = record | {"patient_id", "assessment_id", *skip}
    return tuple(c.key for c in model.__table__.columns if c.key not in excluded)  # type: ignore[attr-defined]


SOURCES: tuple[Source, ...] = (
    Source(
        "perfusion_study",
        PerfusionStudy,
        _columns(PerfusionStudy),
        "perfusion_study",
    ),
    Source(
        "infection_assessment",
        InfectionAssessment,
        _columns(InfectionAssessment, "osteomyelitis_basis"),
        "infection_assessment",
    ),
    Source("imaging", Imaging, GLASS_COLUMNS, "imaging", date_column="performed_on"),
    Source("venous_study", VenousStudy, ("clinical_signs", "symptomatic"), "venous_study"),
    Source("trauma_assessment", TraumaAssessment, _columns(TraumaAssessment), "trauma_assessment"),
    Source(
        "tumour_assessment",
        TumourAssessment,
        ("tumour_grade", "tumour_site", "metastasis"),
        "tumour_assessment",
    ),
    Source("msts", TumourAssessment, MSTS_COLUMNS, "tumour_assessment", requires=MSTS_COLUMNS),
    Source(
        "acute_ischemia_assessment",
        AcuteIschemiaAssessment,
        _columns(AcuteIschemiaAssessment),
        "acute_ischemia_assessment",
    ),
)

# The findings each cause of episode needs to be staged; absent (or only stale) ones are listed
# as missing. Program choice from the systems DESIGN.md names per cause.
EXPECTED: dict[EpisodeCause, tuple[str, ...]] = {
    EpisodeCause.CLTI: (
        "wound_measurement",
        "perfusion_study",
        "infection_assessment",
        "imaging",
        "presentation",
    ),
    EpisodeCause.DIABETIC_FOOT: ("wound_measurement", "perfusion_study", "infection_assessment"),
    EpisodeCause.VENOUS: ("venous_study",),
    EpisodeCause.ACUTE_LIMB_ISCHEMIA: ("acute_ischemia_assessment",),
    EpisodeCause.TRAUMA: ("trauma_assessment",),
    EpisodeCause.TUMOUR: ("tumour_assessment",),
}


def plain(value: object) -> object:
    """A JSON-ready value: codes as their strings, dates in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Use:
    """A finding as staging saw it: which, when, how old, its window and its values."""

    source: str
    kind: str
    id: int
    on: date
    age_days: int
    window_days: int
    values: dict[str, Any]
    label: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The stored description of the finding."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "date": self.on.isoformat(),
            "age_days": self.age_days,
            "window_days": self.window_days,
            "values": {k: plain(v) for k, v in self.values.items()},
        }
        if self.label is not None:
            data["label"] = self.label
        return data


@dataclass
class Gathered:
    """The usable findings by source, the stale ones, and what the episode's cause lacks."""

    used: dict[str, Use] = field(default_factory=dict)
    wounds: list[Use] = field(default_factory=list)
    stale: list[Use] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _latest(
    rows: Sequence[tuple[Any, date]], has_values: Callable[[Any], bool]
) -> tuple[Any, date] | None:
    """The latest (by date, then id) row that holds the values looked for."""
    candidates = [(row, on) for row, on in rows if has_values(row)]
    if not candidates:
        return None
    return max(candidates, key=lambda item: (item[1], item[0].id))


def _holds(source: Source) -> Callable[[Any], bool]:
    def test(row: Any) -> bool:
        if source.requires:
            return all(getattr(row, c) is not None for c in source.requires)
        return any(getattr(row, c) is not None for c in source.columns)

    return test


def _has(name: str) -> Callable[[Any], bool]:
    def test(row: Any) -> bool:
        return getattr(row, name) is not None

    return test


def _place(gathered: Gathered, use: Use, *, wound: bool = False) -> None:
    if use.age_days > use.window_days:
        gathered.stale.append(use)
    elif wound:
        gathered.wounds.append(use)
    else:
        gathered.used[use.source] = use


def gather(
    db: Session, *, episode_id: int, cause: EpisodeCause, as_of: date, windows: StagingWindows
) -> Gathered:
    """The findings of the episode staging uses on `as_of`, and the stale and missing ones."""
    gathered = Gathered()
    for source in SOURCES:
        on_column = (
            getattr(source.model, source.date_column)
            if source.date_column
            else Assessment.assessed_on
        )
        rows = db.execute(
            select(source.model, on_column)
            .join(Assessment, Assessment.id == source.model.assessment_id)
            .where(Assessment.episode_id == episode_id, on_column <= as_of)
        ).all()
        latest = _latest([(row, on) for row, on in rows], _holds(source))
        if latest is not None:
            row, on = latest
            use = _use(
                source.name,
                row,
                on,
                as_of=as_of,
                windows=windows,
                window=source.window,
                columns=source.columns,
            )
            _place(gathered, use)
    _gather_presentation(db, gathered, episode_id, as_of, windows)
    _gather_wounds(db, gathered, episode_id, as_of, windows)
    fresh = set(gathered.used) | ({"wound_measurement"} if gathered.wounds else set())
    gathered.missing = [name for name in EXPECTED[cause] if name not in fresh]
    return gathered


def _use(
    source: str,
    row: Any,
    on: date,
    *,
    as_of: date,
    windows: StagingWindows,
    window: str,
    columns: Sequence[str],
    label: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Use:
    return Use(
        source=source,
        kind=row.__tablename__,
        id=row.id,
        on=on,
        age_days=(as_of - on).days,
        window_days=getattr(windows, window),
        values={**{c: getattr(row, c) for c in columns}, **(extra or {})},
        label=label,
    )


def _gather_presentation(
    db: Session, gathered: Gathered, episode_id: int, as_of: date, windows: StagingWindows
) -> None:
    assessments = list(
        db.scalars(
            select(Assessment).where(
                Assessment.episode_id == episode_id, Assessment.assessed_on <= as_of
            )
        )
    )
    for name in ("presentation", "unsalvageable"):
        latest = _latest([(a, a.assessed_on) for a in assessments], _has(name))
        if latest is not None:
            row, on = latest
            use = _use(
                name, row, on, as_of=as_of, windows=windows, window="presentation", columns=(name,)
            )
            _place(gathered, use)


def _gather_wounds(
    db: Session, gathered: Gathered, episode_id: int, as_of: date, windows: StagingWindows
) -> None:
    wounds = db.scalars(select(Wound).where(Wound.episode_id == episode_id).order_by(Wound.id))
    for wound in wounds:
        measurements = db.scalars(
            select(WoundMeasurement).where(
                WoundMeasurement.wound_id == wound.id, WoundMeasurement.measured_on <= as_of
            )
        )
        latest = _latest(
            [(m, m.measured_on) for m in measurements],
            lambda m: m.ulcer is not None and m.gangrene is not None,
        )
        if latest is not None:
            row, on = latest
            use = _use(
                "wound_measurement",
                row,
                on,
                as_of=as_of,
                windows=windows,
                window="wound_measurement",
                columns=WOUND_COLUMNS,
                label=wound.label,
                # Where the wound is (SINBAD's site is derived from it).
                extra={"location": wound.location},
            )
            _place(gathered, use, wound=True)
