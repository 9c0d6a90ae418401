"""Purging a patient removes their coordination rows too (every row carries `patient_id`)."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.care.models import CareTask
from limbsalvage.conference import service as conference
from limbsalvage.conference.models import ConferenceCase
from limbsalvage.conference.schemas import ManualCaseIn
from limbsalvage.core.vocabulary import Urgency
from limbsalvage.errors import Conflict
from limbsalvage.patients import service as patients
from limbsalvage.recommendations import service as recommendations
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.schemas import AcceptIn
from limbsalvage.referrals import service as referrals
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import ConversionIn
from limbsalvage.settings import Settings
from tests.support.factories import make_referral, make_site, recommendation, set_time_zone


def test_purge_removes_referrals_tasks_recommendations_and_cases(
    db: Session, tmp_path: Path
) -> None:
    site = set_time_zone(db, make_site(db))
    referral = make_referral(db, site)
    converted = referrals.convert_referral(
        db=db,
        referral_id=referral.id,
        conversion_in=ConversionIn(
            version=1, mrn="P", sex="male", cause="clti", setting="inpatient"
        ),
        site_ids=[site.id],
    )
    episode_id = converted.episode_id
    assert episode_id is not None
    first = recommendations.recompute_recommendations(
        db=db, episode_id=episode_id, computed=[recommendation()], engine_version="t"
    ).added[0]
    recommendations.accept_recommendation(
        db=db, recommendation_id=first.id, accept_in=AcceptIn(version=1), site_ids=[site.id]
    )
    recommendations.recompute_recommendations(
        db=db,
        episode_id=episode_id,
        computed=[recommendation(urgency=Urgency.EMERGENT)],
        engine_version="t",
    )  # a superseded row pointing at its successor
    conference.add_case(
        db=db,
        episode_id=episode_id,
        case_in=ManualCaseIn(conference_on=date(2026, 3, 2), reason="x"),
        site_ids=[site.id],
    )
    patient_id = converted.patient_id
    assert patient_id is not None
    with pytest.raises(Conflict, match="has clinical data"):
        patients.delete_patient(db=db, patient_id=patient_id, site_ids=[site.id])
    counts = patients.purge_patient(
        db=db,
        patient_id=patient_id,
        reason="registered in error",
        settings=Settings(data_dir=tmp_path),
    )
    assert counts["referrals"] == 1
    assert counts["recommendations"] == 2
    for model in (Referral, StoredRecommendation, CareTask, ConferenceCase):
        assert db.scalar(select(func.count()).select_from(model)) == 0
