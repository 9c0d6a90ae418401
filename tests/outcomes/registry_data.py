"""A small registry for the report service and command: one staged, treated, followed limb."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    EpisodeCause,
    FollowUpContact,
    FootLocation,
    OutcomeEventKind,
    ProcedureKind,
    Side,
)
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients.models import Episode
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds.models import Wound
from tests.support.factories import make_episode, make_patient, make_site


def _snapshot(episode: Episode, as_of: date, stage: int) -> StagingSnapshot:
    return StagingSnapshot(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        as_of=as_of,
        computed_at=datetime(2025, 1, 5, tzinfo=UTC),
        engine_version="test",
        table_refs=[],
        trigger="test",
        inputs={},
        results={},
        stale=[],
        missing=[],
        wifi_stage=stage,
    )


def _procedure(episode: Episode, on: date, kind: ProcedureKind, **values: Any) -> Procedure:
    return Procedure(
        patient_id=episode.patient_id,
        limb_id=episode.limb_id,
        episode_id=episode.id,
        performed_on=on,
        kind=kind,
        **values,
    )


def seed_registry(db: Session) -> tuple[Site, Episode, Episode]:
    """Returns the site, the treated left-limb episode and an untreated right-limb episode."""
    site = make_site(db)
    patient = make_patient(db, site, dialysis=False)
    left = make_episode(db, patient, side=Side.LEFT, presented_on=date(2025, 1, 5))
    right = make_episode(db, patient, side=Side.RIGHT, presented_on=date(2025, 2, 1))
    bypass = _procedure(
        left, date(2025, 1, 10), ProcedureKind.BYPASS, conduit=Conduit.GREAT_SAPHENOUS_VEIN
    )
    redo = _procedure(left, date(2025, 3, 1), ProcedureKind.THROMBECTOMY)
    amputation = _procedure(
        left, date(2025, 6, 1), ProcedureKind.AMPUTATION, amputation_level=AmputationLevel.SYME
    )
    db.add_all([bypass, redo, amputation])
    db.flush()
    left.index_procedure_id = bypass.id
    db.add_all(
        [
            # Owned by the amputation procedure: skipped, the procedure is the record.
            OutcomeEvent(
                patient_id=patient.id,
                limb_id=left.limb_id,
                kind=OutcomeEventKind.MAJOR_AMPUTATION,
                occurred_on=date(2025, 6, 1),
                amputation_level=AmputationLevel.SYME,
                procedure_id=amputation.id,
            ),
            # Recorded only as an event: read by its level.
            OutcomeEvent(
                patient_id=patient.id,
                limb_id=left.limb_id,
                kind=OutcomeEventKind.MINOR_AMPUTATION,
                occurred_on=date(2025, 2, 1),
                amputation_level=AmputationLevel.TOE,
            ),
            OutcomeEvent(
                patient_id=patient.id, kind=OutcomeEventKind.STROKE, occurred_on=date(2025, 4, 1)
            ),
            FollowUp(
                patient_id=patient.id,
                episode_id=left.id,
                seen_on=date(2025, 9, 1),
                contact=FollowUpContact.CLINIC_VISIT,
            ),
            _snapshot(left, date(2025, 1, 5), 3),
            _snapshot(left, date(2025, 2, 5), 4),
            Wound(
                patient_id=patient.id,
                limb_id=left.limb_id,
                episode_id=left.id,
                label="hallux ulcer",
                location=FootLocation.HALLUX,
            ),
        ]
    )
    synthetic = make_patient(db, site, mrn="SYN-1")
    synthetic.is_synthetic = True
    make_episode(db, synthetic, cause=EpisodeCause.DIABETIC_FOOT, presented_on=date(2025, 1, 20))
    db.flush()
    return site, left, right
