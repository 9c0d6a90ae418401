"""Use cases for staging snapshots. Services flush but never commit.

`propose_staging` runs the engine on the latest fresh findings and stores a new snapshot;
`confirm_staging` / `override_staging` record the clinician's review; `restage` reruns the
current engine and `restage_after_change` reacts to a changed finding, each adding a snapshot
(never rewriting one) and returning the differences to review; `index_stage` is the reviewed
stage at the episode's start. Rules: docs/registry/staging.md.
"""

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

import limbsalvage
from limbsalvage.accounts.models import Site
from limbsalvage.accounts.schemas import StagingWindows
from limbsalvage.accounts.service import site_settings
from limbsalvage.assessments.checks import check_visible
from limbsalvage.core.vocabulary import FindingKind, StagingStatus
from limbsalvage.core.wifi import classify_wifi
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, NotFound, invalid
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import Strict
from limbsalvage.patients.service import get_episode, get_patient, invalid_from_validation
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.engine import COLUMNS, stage
from limbsalvage.staging.in_force import IN_FORCE_ORDER, current_snapshot
from limbsalvage.staging.inputs import gather
from limbsalvage.staging.models import StagingSnapshot

# Finding kinds whose changes can change staging (wound measurements and assessments too).
STAGED_KINDS = frozenset(
    {
        FindingKind.PERFUSION_STUDY,
        FindingKind.INFECTION_ASSESSMENT,
        FindingKind.IMAGING,
        FindingKind.VENOUS_STUDY,
        FindingKind.TRAUMA_ASSESSMENT,
        FindingKind.TUMOUR_ASSESSMENT,
        FindingKind.ACUTE_ISCHEMIA_ASSESSMENT,
    }
)
REVIEWED = (StagingStatus.CONFIRMED, StagingStatus.OVERRIDDEN)
# Session flag: findings change without restaging (bulk imports stage once at the end).
DEFER_STAGING = "defer_staging"


def engine_version() -> str:
    """The classification engine's version stored with every snapshot."""
    return limbsalvage.__version__


def today(db: Session) -> date:
    """The session clock's date (UTC)."""
    return now(db).date()


@dataclass(frozen=True)
class Difference:
    """One result that differs between two snapshots."""

    system: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class StagingProposal:
    """A snapshot and how it differs from the one before it (empty when there was none)."""

    snapshot: StagingSnapshot
    previous: StagingSnapshot | None
    differences: list[Difference] = field(default_factory=list)
    created: bool = True


def windows_for(db: Session, patient: Patient) -> StagingWindows:
    """The validity windows of the patient's site."""
    site = db.get(Site, patient.site_id)
    return StagingWindows() if site is None else site_settings(site).staging_windows


def _compute(
    db: Session, episode: Episode, as_of: date
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], list[str], list[str]]:
    patient = get_patient(db=db, patient_id=episode.patient_id)
    windows = windows_for(db, patient)
    gathered = gather(db, episode_id=episode.id, cause=episode.cause, as_of=as_of, windows=windows)
    staged = stage(
        gathered, cause=episode.cause, diabetes=patient.diabetes, birth_date=patient.birth_date
    )
    used: dict[str, Any] = {name: use.as_json() for name, use in gathered.used.items()}
    if gathered.wounds:
        used["wound_measurement"] = [use.as_json() for use in gathered.wounds]
    if patient.diabetes is not None:
        used["patient"] = {
            "kind": "patients",
            "id": patient.id,
            "values": {"diabetes": patient.diabetes},
        }
    inputs = {"findings": used, "systems": staged.inputs}
    stale = [{"source": use.source, **use.as_json()} for use in gathered.stale]
    return inputs, staged.results, stale, gathered.missing, staged.table_refs()


def _fingerprint(snapshot: StagingSnapshot) -> str:
    # What staging saw, without the ages (they grow with the date) or the review.
    def strip(entry: Any) -> Any:
        if isinstance(entry, list):
            return [strip(e) for e in entry]
        return {k: v for k, v in entry.items() if k != "age_days"}

    findings = {k: strip(v) for k, v in snapshot.inputs["findings"].items()}
    stale = [strip(s) for s in snapshot.stale]
    return json.dumps(
        [snapshot.engine_version, snapshot.table_refs, findings, stale, snapshot.missing],
        sort_keys=True,
    )


def _in_force_before(db: Session, episode_id: int, as_of: date) -> StagingSnapshot | None:
    return db.scalar(
        select(StagingSnapshot)
        .where(StagingSnapshot.episode_id == episode_id, StagingSnapshot.as_of <= as_of)
        .order_by(*IN_FORCE_ORDER)
        .limit(1)
    )


def _build(
    db: Session, episode: Episode, as_of: date, trigger: str, previous: StagingSnapshot | None
) -> StagingSnapshot:
    inputs, results, stale, missing, refs = _compute(db, episode, as_of)
    snapshot = StagingSnapshot(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        as_of=as_of,
        computed_at=now(db),
        engine_version=engine_version(),
        table_refs=refs,
        trigger=trigger[:200],
        previous_id=previous.id if previous is not None else None,
        inputs=inputs,
        results=results,
        stale=stale,
        missing=missing,
        status=StagingStatus.PROPOSED,
    )
    for column, (system, name) in COLUMNS.items():
        setattr(snapshot, column, results.get(system, {}).get(name))
    return snapshot


def _store(db: Session, snapshot: StagingSnapshot) -> StagingSnapshot:
    with guarded(db, conflict_message="the staging snapshot could not be stored"):
        db.add(snapshot)
    return snapshot


def differences(old: StagingSnapshot | None, new: StagingSnapshot) -> list[Difference]:
    """Per system, each proposed grade that differs (and systems staged in one only)."""
    if old is None:
        return []
    found = []
    systems = sorted(set(old.results) | set(new.results))
    for system in systems:
        before, after = old.results.get(system), new.results.get(system)
        if before is None or after is None or ("error" in before) != ("error" in after):
            found.append(Difference(system, "staged", _state(before), _state(after)))
            continue
        if "error" in before:
            if before["error"] != after["error"]:
                found.append(Difference(system, "error", before["error"], after["error"]))
            continue
        for owner, name in COLUMNS.values():
            if owner == system and before.get(name) != after.get(name):
                found.append(Difference(system, name, before.get(name), after.get(name)))
    return found


def _state(result: dict[str, Any] | None) -> str:
    if result is None:
        return "not staged"
    return "error: " + result["error"] if "error" in result else "staged"


def _check_as_of(db: Session, episode: Episode, as_of: date) -> None:
    if as_of > today(db):
        raise invalid("as_of", f"must not be in the future (after {today(db).isoformat()})")
    if as_of < episode.presented_on:
        raise invalid("as_of", "must not be before the episode's presented_on")
    if episode.closed_on is not None and as_of > episode.closed_on:
        raise invalid("as_of", "must not be after the episode's closed_on")


def propose_staging(
    *,
    db: Session,
    episode_id: int,
    as_of: date | None = None,
    trigger: str = "requested",
    site_ids: Collection[int] | None = None,
) -> StagingProposal:
    """Stage the episode's limb as of a date and store the proposal.

    The date is today by default, or the closing date of a closed episode.
    """
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    day = as_of if as_of is not None else (episode.closed_on or today(db))
    _check_as_of(db, episode, day)
    previous = _in_force_before(db, episode.id, day)
    snapshot = _store(db, _build(db, episode, day, trigger, previous))
    return StagingProposal(snapshot, previous, differences(previous, snapshot))


def restage_after_change(
    *, db: Session, episode_id: int, as_of: date, trigger: str
) -> StagingProposal | None:
    """After a finding changed: a new proposal when what staging sees on `as_of` changed.

    A finding dated before the episode (a referral angiogram) is staged at presentation. A bulk
    import sets `db.info["defer_staging"] = True` and proposes once per episode at the end.
    """
    if db.info.get(DEFER_STAGING):
        return None
    episode = get_episode(db=db, episode_id=episode_id)
    as_of = max(as_of, episode.presented_on)
    previous = _in_force_before(db, episode.id, as_of)
    candidate = _build(db, episode, as_of, trigger, previous)
    if previous is not None and _fingerprint(previous) == _fingerprint(candidate):
        return None
    snapshot = _store(db, candidate)
    return StagingProposal(snapshot, previous, differences(previous, snapshot))


def restage(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> StagingProposal:
    """Rerun the current engine on the date of the snapshot in force; a new one if anything differs.

    The earlier snapshot is never changed: under a new engine version the rerun is stored as a
    new proposal and the differences are returned for review.
    """
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    latest = current_snapshot(db, episode.id)
    if latest is None:
        return propose_staging(db=db, episode_id=episode.id, trigger="restaged")
    candidate = _build(
        db, episode, latest.as_of, f"restaged under engine {engine_version()}", latest
    )
    if _fingerprint(latest) == _fingerprint(candidate) and candidate.results == latest.results:
        return StagingProposal(latest, latest, [], created=False)
    snapshot = _store(db, candidate)
    return StagingProposal(snapshot, latest, differences(latest, snapshot))


def get_snapshot(
    *, db: Session, snapshot_id: int, site_ids: Collection[int] | None = None
) -> StagingSnapshot:
    """The snapshot, if its patient is at one of `site_ids`."""
    snapshot = db.get(StagingSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(message=f"staging snapshot {snapshot_id} not found")
    check_visible(
        db,
        patient_id=snapshot.patient_id,
        site_ids=site_ids,
        what=f"staging snapshot {snapshot_id}",
    )
    return snapshot


def list_snapshots(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> list[StagingSnapshot]:
    """The episode's snapshots in the order they were computed."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    query = select(StagingSnapshot).where(StagingSnapshot.episode_id == episode_id)
    return list(db.scalars(query.order_by(StagingSnapshot.id)))


def _reviewable(
    db: Session, snapshot_id: int, expected_version: int, site_ids: Collection[int] | None
) -> StagingSnapshot:
    snapshot = get_snapshot(db=db, snapshot_id=snapshot_id, site_ids=site_ids)
    check_version(snapshot, expected_version=expected_version, entity="staging snapshot")
    if snapshot.status is not StagingStatus.PROPOSED:
        raise Conflict(
            message=(
                f"staging snapshot {snapshot.id} was already {snapshot.status.value}; a reviewed "
                "snapshot is never changed — propose a new one to restage"
            )
        )
    return snapshot


def _reviewed(db: Session, snapshot: StagingSnapshot, status: StagingStatus) -> None:
    snapshot.status = status
    snapshot.reviewed_by_id = db.info.get("actor_id")
    snapshot.reviewed_at = now(db)


def confirm_staging(
    *,
    db: Session,
    snapshot_id: int,
    expected_version: int,
    site_ids: Collection[int] | None = None,
) -> StagingSnapshot:
    """A clinician confirms the proposed staging as it stands."""
    snapshot = _reviewable(db, snapshot_id, expected_version, site_ids)
    with guarded(db, conflict_message="the staging snapshot could not be confirmed"):
        _reviewed(db, snapshot, StagingStatus.CONFIRMED)
    return snapshot


class StagingOverride(Strict):
    """The stage a clinician puts in force instead of the proposal, with the reason."""

    reason: str = Field(min_length=1, max_length=2000)
    wifi_wound_grade: int | None = Field(default=None, ge=0, le=3)
    wifi_ischemia_grade: int | None = Field(default=None, ge=0, le=3)
    wifi_infection_grade: int | None = Field(default=None, ge=0, le=3)
    wifi_stage: int | None = Field(default=None, ge=1, le=5)
    iwgdf_grade: int | None = Field(default=None, ge=1, le=4)
    glass_fp_grade: int | None = Field(default=None, ge=0, le=4)
    glass_ip_grade: int | None = Field(default=None, ge=0, le=4)
    glass_stage: str | None = Field(default=None, pattern="^(I|II|III)$")
    glass_im_modifier: str | None = Field(default=None, pattern="^P[012]$")
    rutherford_category: int | None = Field(default=None, ge=0, le=6)
    ali_category: str | None = Field(default=None, pattern="^(I|IIa|IIb|III)$")
    ceap_clinical_class: str | None = Field(default=None, pattern="^C([0-6]|2r|4[abc]|6r)$")
    mess_score: int | None = Field(default=None, ge=2, le=14)
    enneking_stage: str | None = Field(default=None, pattern="^(IA|IB|IIA|IIB|IIIA|IIIB)$")
    msts_percent: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _something(self) -> "StagingOverride":
        if not self.reason.strip():
            raise ValueError("reason: a reason is required to override the proposed staging")
        if not self.chosen():
            raise ValueError("overrides: give at least one result to put in force")
        return self

    def chosen(self) -> dict[str, Any]:
        """The overridden result columns and their values."""
        return {
            name: value
            for name, value in self.model_dump().items()
            if name != "reason" and value is not None
        }


_WIFI_GRADES = ("wifi_wound_grade", "wifi_ischemia_grade", "wifi_infection_grade")


def override_staging(
    *,
    db: Session,
    snapshot_id: int,
    expected_version: int,
    override: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> StagingSnapshot:
    """A clinician puts other results in force, with a reason; the proposal stays in `results`.

    When WIfI grades are overridden without a stage, the stage follows from the WIfI table for
    the new grades (recorded as chosen, with the table's rule).
    """
    try:
        checked = StagingOverride.model_validate(override)
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    snapshot = _reviewable(db, snapshot_id, expected_version, site_ids)
    chosen = checked.chosen()
    if any(name in chosen for name in _WIFI_GRADES) and "wifi_stage" not in chosen:
        grades = {name: chosen.get(name, getattr(snapshot, name)) for name in _WIFI_GRADES}
        if any(value is None for value in grades.values()):
            raise invalid(
                "wifi_stage",
                "give the WIfI stage, or all three WIfI grades (the proposal lacks some)",
            )
        chosen["wifi_stage"] = classify_wifi(
            wound_grade=grades["wifi_wound_grade"],
            ischemia_grade=grades["wifi_ischemia_grade"],
            infection_grade=grades["wifi_infection_grade"],
        ).clinical_stage
    changed = {
        name: {"proposed": getattr(snapshot, name), "chosen": value}
        for name, value in chosen.items()
        if getattr(snapshot, name) != value
    }
    if not changed:
        raise invalid("overrides", "every value equals the proposal; confirm it instead")
    with guarded(db, conflict_message="the staging snapshot could not be overridden"):
        for name, values in changed.items():
            setattr(snapshot, name, values["chosen"])
        snapshot.overrides = changed
        snapshot.override_reason = checked.reason.strip()
        _reviewed(db, snapshot, StagingStatus.OVERRIDDEN)
    return snapshot


@dataclass(frozen=True)
class IndexStage:
    """The episode's index stage, or why there is none."""

    snapshot: StagingSnapshot | None
    window_start: date
    window_end: date
    reason: str = ""


def index_stage(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> IndexStage:
    """The reviewed staging at the episode's start, used by outcomes.

    Among confirmed or overridden snapshots dated (`as_of`) from presentation to N days after it
    (the site's `index_stage` window, 14 by default) — and not after the index procedure when
    one is set — the earliest-dated; for that date, the most recently reviewed.
    """
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    patient = get_patient(db=db, patient_id=episode.patient_id)
    start = episode.presented_on
    end = start + timedelta(days=windows_for(db, patient).index_stage)
    if episode.index_procedure_id is not None:
        procedure = db.get(Procedure, episode.index_procedure_id)
        if procedure is not None and procedure.performed_on < end:
            end = max(start, procedure.performed_on)
    snapshot = db.scalar(
        select(StagingSnapshot)
        .where(
            StagingSnapshot.episode_id == episode.id,
            StagingSnapshot.status.in_(REVIEWED),
            StagingSnapshot.as_of >= start,
            StagingSnapshot.as_of <= end,
        )
        .order_by(
            StagingSnapshot.as_of,
            StagingSnapshot.reviewed_at.desc(),
            StagingSnapshot.id.desc(),
        )
        .limit(1)
    )
    if snapshot is None:
        return IndexStage(
            None,
            start,
            end,
            "no confirmed or overridden staging dated from presentation to "
            f"{(end - start).days} days after it",
        )
    return IndexStage(snapshot, start, end)


__all__ = [
    "DEFER_STAGING",
    "STAGED_KINDS",
    "Difference",
    "IndexStage",
    "StagingOverride",
    "StagingProposal",
    "confirm_staging",
    "differences",
    "engine_version",
    "get_snapshot",
    "index_stage",
    "list_snapshots",
    "override_staging",
    "propose_staging",
    "restage",
    "restage_after_change",
]
