"""Registry rows become limb timelines: procedures, events, follow-up, stage, wound, strata."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, Imaging
from limbsalvage.core.outcomes.angiography import angiography_before_major_amputation
from limbsalvage.core.outcomes.endpoints import Endpoint, derive_endpoint
from limbsalvage.core.tables.outcomes import MajorAmputationDefinition
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    EpisodeCause,
    ImagingModality,
    OutcomeEventKind,
    ProcedureKind,
)
from limbsalvage.errors import NotFound
from limbsalvage.outcomes.service import Stratify, load_report_cohort

from .registry_data import seed_registry


def test_episodes_become_timelines_from_coded_rows(db: Session) -> None:
    site, left, right = seed_registry(db)
    cohort = load_report_cohort(db=db, site_code=site.code)
    assert [t.limb_id for t in cohort.timelines] == [
        f"L{left.limb_id}-E{left.id}",
        f"L{right.limb_id}-E{right.id}",
    ]
    treated = cohort.timelines[0]
    assert treated.presentation_date == date(2025, 1, 5)
    assert treated.last_known_alive == date(2025, 9, 1)
    assert treated.death_date is None
    assert treated.cause is EpisodeCause.CLTI
    assert treated.wifi_stage == 3
    assert treated.has_wound is True
    assert treated.on_dialysis is False
    kinds = [(p.on, p.kind, p.amputation_level, p.is_index) for p in treated.procedures]
    assert kinds == [
        (date(2025, 1, 10), ProcedureKind.BYPASS, None, True),
        (date(2025, 3, 1), ProcedureKind.THROMBECTOMY, None, False),
        (date(2025, 6, 1), ProcedureKind.AMPUTATION, AmputationLevel.SYME, False),
        (date(2025, 2, 1), ProcedureKind.AMPUTATION, AmputationLevel.TOE, False),
    ]
    assert [(e.on, e.kind) for e in treated.events] == [(date(2025, 4, 1), OutcomeEventKind.STROKE)]
    untreated = cohort.timelines[1]
    assert untreated.index_procedure() is None
    assert untreated.wifi_stage is None
    assert untreated.has_wound is None
    assert [e.kind for e in untreated.events] == [OutcomeEventKind.STROKE]


def test_the_amputation_table_not_the_stored_event_decides_major(db: Session) -> None:
    seed_registry(db)
    treated = load_report_cohort(db=db).timelines[0]
    # The Syme amputation's owned event says major; under the default reading it is minor.
    salvage = derive_endpoint(treated, Endpoint.MAJOR_AMPUTATION)
    assert salvage.code == 0
    parc = MajorAmputationDefinition.ANKLE_OR_ABOVE
    assert derive_endpoint(treated, Endpoint.MAJOR_AMPUTATION, major_amputation=parc).code == 1
    assert derive_endpoint(treated, Endpoint.MALE).reason == "major_reintervention"


def test_strata_labels(db: Session) -> None:
    _, left, right = seed_registry(db)
    cohort = load_report_cohort(db=db)
    treated, untreated = (t.limb_id for t in cohort.timelines)
    assert cohort.strata(Stratify.WIFI) == {treated: "stage 3", untreated: "not staged"}
    assert cohort.strata(Stratify.CAUSE) == {treated: "clti", untreated: "clti"}
    assert cohort.strata(Stratify.PROCEDURE) == {
        treated: "bypass",
        untreated: "no index procedure",
    }
    assert cohort.strata(Stratify.NONE) is None
    assert left.id != right.id


def test_period_site_and_synthetic_filters(db: Session) -> None:
    site, _, _ = seed_registry(db)
    later = load_report_cohort(db=db, presented_from=date(2025, 1, 6))
    assert len(later.timelines) == 1
    earlier = load_report_cohort(db=db, presented_to=date(2025, 1, 31))
    assert len(earlier.timelines) == 1
    with_synthetic = load_report_cohort(db=db, site_code=site.code, include_synthetic=True)
    assert len(with_synthetic.timelines) == 3
    with pytest.raises(NotFound, match="no site with code 'nowhere'"):
        load_report_cohort(db=db, site_code="nowhere")


def test_the_limbs_imaging_is_on_its_timeline_and_feeds_the_angiography_metric(
    db: Session,
) -> None:
    site, left, right = seed_registry(db)
    for episode, on, modality in (
        (left, date(2025, 5, 20), ImagingModality.CT_ANGIOGRAPHY),
        (right, date(2025, 5, 21), ImagingModality.DUPLEX_ULTRASOUND),
    ):
        assessment = Assessment(
            patient_id=episode.patient_id, episode_id=episode.id, assessed_on=on
        )
        db.add(assessment)
        db.flush()
        db.add(
            Imaging(
                patient_id=episode.patient_id,
                assessment_id=assessment.id,
                modality=modality,
                performed_on=on,
            )
        )
    db.flush()
    treated, untreated = load_report_cohort(db=db, site_code=site.code).timelines
    assert [(i.on, i.modality) for i in treated.imaging] == [
        (date(2025, 5, 20), ImagingModality.CT_ANGIOGRAPHY)
    ]
    assert [i.modality for i in untreated.imaging] == [ImagingModality.DUPLEX_ULTRASOUND]
    # The left limb's Syme amputation is major only at the ankle-or-above (PARC) reading.
    parc = MajorAmputationDefinition.ANKLE_OR_ABOVE
    metric = angiography_before_major_amputation([treated, untreated], major_amputation=parc)
    assert (metric.amputations, metric.with_angiography) == (1, 1)
