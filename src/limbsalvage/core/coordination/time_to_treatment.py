"""Time-to-treatment of an episode against cited targets, counted in site-local dates.

Days are whole calendar days between the local dates of the two events in the site's time zone
(an event at 23:30 and one at 00:30 the next local day are 1 day apart). A missing start is
`unknown`, a missing end is `not_yet` while the episode is open (with the days elapsed so far)
and `not_recorded` once it is closed; none of them is ever reported as 0 days.

Targets: VSGBI PAD QIF 2019 (see `QIF_TARGETS`). The QIF counts its revascularisation timelines
from referral to (or admission by) the vascular team; we count from the episode's presentation
date, which a program records as that day. Sites replace the targets with their own cited rows.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.sources import Source, Table
from limbsalvage.core.tables.outcomes import REVASCULARIZATION_PROCEDURES
from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, ImagingModality, ProcedureKind


class Event(StrEnum):
    """A dated event of an episode that time-to-treatment is measured between."""

    REFERRAL_RECEIVED = "referral_received"
    FIRST_VISIT = "first_visit"
    PRESENTATION = "presentation"
    FIRST_IMAGING = "first_imaging"
    FIRST_REVASCULARIZATION = "first_revascularization"


class Status(StrEnum):
    """How far a measure can be counted."""

    DONE = "done"  # both events recorded: days counted
    NOT_YET = "not_yet"  # started, the end event not recorded and the episode open
    NOT_RECORDED = "not_recorded"  # episode closed without the end event
    UNKNOWN = "unknown"  # the start event is not recorded
    CONFLICT = "conflict"  # the dates contradict each other


class Breach(StrEnum):
    """The measure against its target."""

    MET = "met"
    BREACHED = "breached"  # done late, or not yet done and already past the target
    ON_TRACK = "on_track"  # not yet done, within the target so far
    NO_TARGET = "no_target"
    NOT_ASSESSABLE = "not_assessable"  # unknown, conflicting or not recorded


@dataclass(frozen=True)
class Measure:
    """An interval between two events of an episode."""

    measure_id: str
    title: str
    start: Event
    end: Event


MEASURES: tuple[Measure, ...] = (
    Measure(
        "referral_to_first_visit",
        "referral → first visit",
        Event.REFERRAL_RECEIVED,
        Event.FIRST_VISIT,
    ),
    Measure(
        "presentation_to_imaging",
        "presentation → imaging",
        Event.PRESENTATION,
        Event.FIRST_IMAGING,
    ),
    Measure(
        "presentation_to_revascularization",
        "presentation → revascularization",
        Event.PRESENTATION,
        Event.FIRST_REVASCULARIZATION,
    ),
)
MEASURE_IDS = frozenset(m.measure_id for m in MEASURES)

# What the registry counts as each event. Imaging: the studies that show the arterial anatomy
# for planning revascularization (the QIF's imaging step), not plain films, CT, MRI or nuclear
# studies done for bone or soft-tissue infection. Revascularization: the arterial procedures of
# `core.tables.outcomes` (open, endovascular or hybrid, as the CQUIN indicator counts them).
IMAGING_EVENTS: frozenset[ImagingModality] = frozenset(
    {
        ImagingModality.DUPLEX_ULTRASOUND,
        ImagingModality.CT_ANGIOGRAPHY,
        ImagingModality.MR_ANGIOGRAPHY,
        ImagingModality.DIGITAL_SUBTRACTION_ANGIOGRAPHY,
    }
)
REVASCULARIZATION_EVENTS: frozenset[ProcedureKind] = REVASCULARIZATION_PROCEDURES

VSGBI_PAD_QIF_2019 = Source(
    citation=(
        "Vascular Society of Great Britain and Ireland. A Best Practice Clinical Care Pathway "
        "for Peripheral Arterial Disease (PAD Quality Improvement Framework), April 2019"
    ),
    url="https://www.vascularsociety.org.uk",
)
NICKINSON_2021 = Source(
    citation=(
        "Nickinson A, Birmpili P, Weale A, Chetter I, Boyle J, Loftus I, Davies R, Sayers R. "
        "What is the current practice for managing patients with chronic limb-threatening "
        "ischaemia within vascular surgery services? A survey of the United Kingdom vascular "
        "surgeons, 2021"
    ),
    url=(
        "https://figshare.le.ac.uk/articles/journal_contribution/What_is_the_current_practice_"
        "for_managing_patients_with_chronic_limb-threatening_ischaemia_within_vascular_surgery_"
        "services_A_survey_of_the_United_Kingdom_vascular_surgeons/13636499"
    ),
)

QIF_TARGETS = Table(
    table_id="time-to-treatment-targets",
    version="2019.1",
    source=VSGBI_PAD_QIF_2019,
    locator="CLTI pathways: 5-day admitted care and 14-day non-admitted care",
    checked=(
        "Only the introduction of the QIF could be read here. The 5-day admitted and 14-day "
        "non-admitted revascularisation timelines were read in three secondary texts that "
        "agree: the Circulation Foundation editorial on the 2022/23 CQUIN (5 days from referral "
        "to the vascular team for urgent admissions; the CQUIN counts from non-elective "
        "admission), an Imperial College audit abstract using the QIF as its standard (5 days "
        "inpatients, 14 days outpatients) and Nickinson 2021 (7 days referral → outpatient "
        "consultation, then 7 days → revascularisation, within the 14-day non-admitted "
        "pathway). The 7-day referral → first visit target is read only in Nickinson 2021. "
        "Listed in docs/sources-to-verify.md."
    ),
)


@dataclass(frozen=True, kw_only=True)
class Target:
    """At most `days` local calendar days for a measure, where setting and cause match."""

    measure_id: str
    days: int
    setting: CareSetting | None = None  # None: any setting
    causes: frozenset[EpisodeCause] | None = None  # None: any cause
    citation: str
    note: str = ""

    def applies(self, *, measure_id: str, setting: CareSetting, cause: EpisodeCause) -> bool:
        """True when this target is for that measure, setting and cause."""
        return (
            self.measure_id == measure_id
            and self.setting in (None, setting)
            and (self.causes is None or cause in self.causes)
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (also the form of a site's configured targets)."""
        return {
            "measure_id": self.measure_id,
            "days": self.days,
            "setting": None if self.setting is None else self.setting.value,
            "causes": None if self.causes is None else sorted(c.value for c in self.causes),
            "citation": self.citation,
            "note": self.note,
        }


_CLTI = frozenset({EpisodeCause.CLTI})
DEFAULT_TARGETS: tuple[Target, ...] = (
    Target(
        measure_id="presentation_to_revascularization",
        days=5,
        setting=CareSetting.INPATIENT,
        causes=_CLTI,
        citation=QIF_TARGETS.source.cite("CLTI admitted care pathway: revascularisation in 5 days"),
        note="the QIF counts from referral to the vascular team / non-elective admission",
    ),
    Target(
        measure_id="presentation_to_revascularization",
        days=14,
        setting=CareSetting.OUTPATIENT,
        causes=_CLTI,
        citation=QIF_TARGETS.source.cite(
            "CLTI non-admitted care pathway: revascularisation in 14 days"
        ),
        note="the QIF counts from referral to the vascular team",
    ),
    Target(
        measure_id="referral_to_first_visit",
        days=7,
        setting=CareSetting.OUTPATIENT,
        causes=_CLTI,
        citation=NICKINSON_2021.cite("QIF target as summarised in the abstract"),
        note="read only in a secondary source; to verify against the QIF",
    ),
)


def targets_from_config(rows: Sequence[Mapping[str, Any]]) -> tuple[Target, ...]:
    """A site's configured targets, each checked; the citation is required."""
    targets = []
    for index, row in enumerate(rows):
        where = f"time_to_treatment_targets[{index}]"
        unknown = sorted(set(row) - {"measure_id", "days", "setting", "causes", "citation", "note"})
        if unknown:
            raise InvalidInput(f"{where}.{unknown[0]}", row[unknown[0]], "not a target field")
        measure_id = row.get("measure_id")
        if measure_id not in MEASURE_IDS:
            raise InvalidInput(f"{where}.measure_id", measure_id, ", ".join(sorted(MEASURE_IDS)))
        days = row.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InvalidInput(f"{where}.days", days, "a whole number of days, 0 or more")
        citation = row.get("citation")
        if not isinstance(citation, str) or not citation.strip():
            raise InvalidInput(f"{where}.citation", citation, "the source of the target")
        targets.append(
            Target(
                measure_id=measure_id,
                days=days,
                setting=_setting(row.get("setting"), f"{where}.setting"),
                causes=_causes(row.get("causes"), f"{where}.causes"),
                citation=citation.strip(),
                note=str(row.get("note") or ""),
            )
        )
    return tuple(targets)


def _setting(value: object, field: str) -> CareSetting | None:
    if value is None:
        return None
    try:
        return CareSetting(str(value))
    except ValueError:
        allowed = ", ".join(s.value for s in CareSetting)
        raise InvalidInput(field, value, f"empty or {allowed}") from None


def _causes(value: object, field: str) -> frozenset[EpisodeCause] | None:
    if value is None:
        return None
    allowed = ", ".join(c.value for c in EpisodeCause)
    if not isinstance(value, list | tuple) or not value:
        raise InvalidInput(field, value, f"empty or a list of {allowed}")
    try:
        return frozenset(EpisodeCause(str(v)) for v in value)
    except ValueError:
        raise InvalidInput(field, value, f"empty or a list of {allowed}") from None


Moment = date | datetime


@dataclass(frozen=True, kw_only=True)
class EpisodeDates:
    """The dated events of one episode; instants must be timezone-aware."""

    cause: EpisodeCause
    setting: CareSetting
    presented_on: date
    closed_on: date | None = None
    referral_received: Moment | None = None
    first_visit: Moment | None = None
    first_imaging: Moment | None = None
    first_revascularization: Moment | None = None

    def moment(self, event: Event) -> Moment | None:
        """The recorded date or instant of an event."""
        if event is Event.PRESENTATION:
            return self.presented_on
        value: Moment | None = getattr(self, event.value)
        return value


@dataclass(frozen=True)
class MeasureResult:
    """One measure of one episode: the dates, the days, the target and whether it is met."""

    measure_id: str
    title: str
    start_on: date | None
    end_on: date | None
    days: int | None
    elapsed_days: int | None
    status: Status
    breach: Breach
    target: Target | None
    message: str

    @property
    def breached(self) -> bool:
        """True when the target is breached (done late, or already late and not done)."""
        return self.breach is Breach.BREACHED

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "measure_id": self.measure_id,
            "title": self.title,
            "start_on": None if self.start_on is None else self.start_on.isoformat(),
            "end_on": None if self.end_on is None else self.end_on.isoformat(),
            "days": self.days,
            "elapsed_days": self.elapsed_days,
            "status": self.status.value,
            "breach": self.breach.value,
            "target": None if self.target is None else self.target.as_dict(),
            "message": self.message,
        }


def local_date(value: Moment, zone: tzinfo, field: str) -> date:
    """The site-local calendar date of a date or a timezone-aware instant."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, value.isoformat(), "a timezone-aware instant")
    return value.astimezone(zone).date()


def time_to_treatment(
    *,
    dates: EpisodeDates,
    zone: tzinfo,
    as_of: datetime,
    targets: Collection[Target] = DEFAULT_TARGETS,
    measures: Sequence[Measure] = MEASURES,
) -> tuple[MeasureResult, ...]:
    """Every measure of the episode at the instant `as_of`, in the site's time zone `zone`."""
    today = local_date(as_of, zone, "as_of")
    return tuple(_measure(m, dates, zone, today, targets) for m in measures)


def _measure(
    measure: Measure,
    dates: EpisodeDates,
    zone: tzinfo,
    today: date,
    targets: Collection[Target],
) -> MeasureResult:
    start_value, end_value = dates.moment(measure.start), dates.moment(measure.end)
    start = None if start_value is None else local_date(start_value, zone, measure.start.value)
    end = None if end_value is None else local_date(end_value, zone, measure.end.value)
    target = next(
        (
            t
            for t in targets
            if t.applies(measure_id=measure.measure_id, setting=dates.setting, cause=dates.cause)
        ),
        None,
    )
    limit = "" if target is None else f" (target ≤{target.days} days)"

    def result(
        status: Status,
        breach: Breach,
        message: str,
        days: int | None = None,
        elapsed: int | None = None,
    ) -> MeasureResult:
        return MeasureResult(
            measure.measure_id,
            measure.title,
            start,
            end,
            days,
            elapsed,
            status,
            breach,
            target,
            message,
        )

    if start is None:
        return result(
            Status.UNKNOWN,
            Breach.NOT_ASSESSABLE,
            f"unknown: {measure.start.value} is not recorded",
        )
    if end is not None:
        days = (end - start).days
        if days < 0:
            return result(
                Status.CONFLICT,
                Breach.NOT_ASSESSABLE,
                f"conflict: {measure.end.value} is before {measure.start.value}",
            )
        breach = _against(target, days, done=True)
        return result(Status.DONE, breach, f"{days} days{limit}: {breach.value}", days=days)
    if dates.closed_on is not None:
        return result(
            Status.NOT_RECORDED,
            Breach.NOT_ASSESSABLE,
            f"not recorded: the episode closed without {measure.end.value}",
        )
    elapsed = (today - start).days
    if elapsed < 0:
        return result(
            Status.CONFLICT,
            Breach.NOT_ASSESSABLE,
            f"conflict: {measure.start.value} is after the date of the report",
        )
    breach = _against(target, elapsed, done=False)
    return result(
        Status.NOT_YET,
        breach,
        f"not yet: {elapsed} days so far{limit}: {breach.value}",
        elapsed=elapsed,
    )


def _against(target: Target | None, days: int, *, done: bool) -> Breach:
    if target is None:
        return Breach.NO_TARGET
    if days > target.days:
        return Breach.BREACHED
    return Breach.MET if done else Breach.ON_TRACK
