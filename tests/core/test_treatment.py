"""Derived treatment values.

Major amputation and reintervention: the outcomes table (`core.tables.outcomes`): PARC, Patel MR
et al. JACC 2015;65:931–41, table 6 (at the level of the ankle or above); SVS objective
performance goals, Conte MS. Semin Vasc Surg 2010;23:129–37 (transtibial or above; major
reintervention = new bypass, jump/interposition graft revision, thrombectomy, thrombolysis).
Statin intensity: Grundy SM et al. 2018 AHA/ACC cholesterol guideline, table 3.
VascuQoL-6: Nordanstig J et al. J Vasc Surg 2014;59:700–7; Larsen ASF et al. Health Qual Life
Outcomes 2017;15:184 (six items 1–4, sum 6–24).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core import treatment
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.tables.medications import DRUG_CLASS, DrugClass, StatinIntensity
from limbsalvage.core.tables.outcomes import DEFAULT_MAJOR_AMPUTATION, MajorAmputationDefinition
from limbsalvage.core.treatment import ReinterventionClass
from limbsalvage.core.vocabulary import (
    AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL,
    AmputationLevel,
    Drug,
    OutcomeEventKind,
    ProcedureKind,
)

L = AmputationLevel
D = MajorAmputationDefinition
LEVELS = list(AmputationLevel)
DEFINITIONS = list(MajorAmputationDefinition)


@pytest.mark.parametrize(
    ("level", "above_ankle", "ankle_or_above"),
    [
        (L.TOE, False, False),
        (L.RAY, False, False),
        (L.TRANSMETATARSAL, False, False),
        (L.LISFRANC, False, False),
        (L.CHOPART, False, False),
        (L.SYME, False, True),
        (L.BELOW_KNEE, True, True),
        (L.KNEE_DISARTICULATION, True, True),
        (L.ABOVE_KNEE, True, True),
        (L.HIP_DISARTICULATION, True, True),
        (L.HEMIPELVECTOMY, True, True),
    ],
)
def test_major_amputation_by_definition(
    level: AmputationLevel, above_ankle: bool, ankle_or_above: bool
) -> None:
    assert treatment.is_major_amputation(level, D.ABOVE_ANKLE).value is above_ankle
    assert treatment.is_major_amputation(level, D.ANKLE_OR_ABOVE).value is ankle_or_above


def test_the_default_is_the_outcomes_default_and_syme_explains_itself() -> None:
    assert DEFAULT_MAJOR_AMPUTATION is D.ABOVE_ANKLE
    syme = treatment.is_major_amputation(L.SYME)
    assert syme.value is False
    assert "major only when amputations at the level of the ankle count" in syme.rule
    assert "10.1016/j.jacc.2014.12.036" in syme.citation
    assert syme.table.ref == "major-amputation-levels@2015.1"
    assert treatment.is_major_amputation(L.BELOW_KNEE).rule == (
        "below_knee is major under the above_ankle reading"
    )


def test_the_definitions_disagree_only_at_syme() -> None:
    disputed = {
        level
        for level in LEVELS
        if len({treatment.is_major_amputation(level, d).value for d in DEFINITIONS}) > 1
    }
    assert disputed == {L.SYME}


@given(st.sampled_from(LEVELS), st.sampled_from(LEVELS), st.sampled_from(DEFINITIONS))
def test_a_more_proximal_level_is_never_less_major(
    a: AmputationLevel, b: AmputationLevel, definition: MajorAmputationDefinition
) -> None:
    if treatment.is_more_proximal(a, b) and treatment.is_major_amputation(b, definition).value:
        assert treatment.is_major_amputation(a, definition).value


def test_levels_are_ordered_distal_to_proximal() -> None:
    assert AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL[0] is L.TOE
    assert treatment.is_more_proximal(L.ABOVE_KNEE, L.BELOW_KNEE)
    assert not treatment.is_more_proximal(L.TOE, L.TOE)
    assert treatment.amputation_event_kind(L.BELOW_KNEE) is OutcomeEventKind.MAJOR_AMPUTATION
    assert treatment.amputation_event_kind(L.RAY) is OutcomeEventKind.MINOR_AMPUTATION
    assert (
        treatment.amputation_event_kind(L.SYME, D.ANKLE_OR_ABOVE)
        is OutcomeEventKind.MAJOR_AMPUTATION
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ProcedureKind.BYPASS, ReinterventionClass.MAJOR),
        (ProcedureKind.GRAFT_REVISION, ReinterventionClass.MAJOR),
        (ProcedureKind.THROMBECTOMY, ReinterventionClass.MAJOR),
        (ProcedureKind.THROMBOLYSIS, ReinterventionClass.MAJOR),
        (ProcedureKind.ANGIOPLASTY, ReinterventionClass.MINOR),
        (ProcedureKind.STENT, ReinterventionClass.MINOR),
        (ProcedureKind.ATHERECTOMY, ReinterventionClass.MINOR),
        (ProcedureKind.ENDARTERECTOMY, ReinterventionClass.MINOR),
        (ProcedureKind.PATCH_ANGIOPLASTY, ReinterventionClass.MINOR),
        (ProcedureKind.DEBRIDEMENT, None),
        (ProcedureKind.VENOUS_STENTING, None),
        (ProcedureKind.AMPUTATION, None),
    ],
)
def test_reintervention_class(kind: ProcedureKind, expected: ReinterventionClass | None) -> None:
    derived = treatment.reintervention_class(kind)
    assert derived.value is expected
    assert derived.table.ref == "major-reintervention-procedures@2026.1"
    assert ("not an arterial revascularisation" in derived.rule) is (expected is None)
    assert ("jump or interposition graft;" in derived.rule) is (
        kind is ProcedureKind.GRAFT_REVISION
    )
    assert ("minor surgical revision" in derived.rule) is (kind is ProcedureKind.PATCH_ANGIOPLASTY)


@pytest.mark.parametrize(
    ("drug", "dose", "expected"),
    [
        (Drug.ATORVASTATIN, 80, StatinIntensity.HIGH),
        (Drug.ATORVASTATIN, 40, StatinIntensity.HIGH),
        (Drug.ATORVASTATIN, 20, StatinIntensity.MODERATE),
        (Drug.ATORVASTATIN, 10, StatinIntensity.MODERATE),
        (Drug.ROSUVASTATIN, 20, StatinIntensity.HIGH),
        (Drug.ROSUVASTATIN, 5, StatinIntensity.MODERATE),
        (Drug.SIMVASTATIN, 40, StatinIntensity.MODERATE),
        (Drug.SIMVASTATIN, 10, StatinIntensity.LOW),
        (Drug.SIMVASTATIN, 80, None),
        (Drug.PRAVASTATIN, 80, StatinIntensity.MODERATE),
        (Drug.PRAVASTATIN, 20, StatinIntensity.LOW),
        (Drug.LOVASTATIN, 40, StatinIntensity.MODERATE),
        (Drug.LOVASTATIN, 20, StatinIntensity.LOW),
        (Drug.FLUVASTATIN, 80, StatinIntensity.MODERATE),
        (Drug.FLUVASTATIN, 40, StatinIntensity.LOW),
        (Drug.PITAVASTATIN, 1, StatinIntensity.MODERATE),
        (Drug.ATORVASTATIN, 30, None),
        (Drug.ATORVASTATIN, None, None),
    ],
)
def test_statin_intensity(drug: Drug, dose: float | None, expected: StatinIntensity | None) -> None:
    derived = treatment.statin_intensity(drug, dose)
    assert derived.value is expected
    assert derived.table.ref == "statin-intensity@2018.1"
    if dose is None:
        assert "no daily dose" in derived.rule
    elif expected is None:
        assert "not classified" in derived.rule


def test_statin_intensity_refuses_other_drugs() -> None:
    with pytest.raises(InvalidInput, match="drug: 'aspirin' is not allowed; expected a statin"):
        treatment.statin_intensity(Drug.ASPIRIN, 100)


def test_every_drug_has_a_class() -> None:
    assert set(DRUG_CLASS) == set(Drug)
    assert treatment.drug_class(Drug.APIXABAN) is DrugClass.ANTICOAGULANT
    assert treatment.drug_class(Drug.CILOSTAZOL) is DrugClass.ANTIPLATELET


@given(st.lists(st.integers(1, 4), min_size=6, max_size=6))
def test_vascuqol6_total_is_the_sum_within_6_to_24(answers: list[int]) -> None:
    derived = treatment.vascuqol6_score(answers)
    assert derived.value == sum(answers)
    assert 6 <= sum(answers) <= 24
    assert derived.table.ref == "vascuqol-6@2014.1"


def test_vascuqol6_pins_and_refusals() -> None:
    assert treatment.vascuqol6_score([1] * 6).value == 6
    assert treatment.vascuqol6_score([4] * 6).value == 24
    assert treatment.vascuqol6_score([2, 3, 4, 1, 2, 3]).value == 15
    missing = treatment.vascuqol6_score([2, None, 4, 1, 2, None])
    assert missing.value is None
    assert "vascuqol6_q2, vascuqol6_q6 not answered" in missing.rule
    with pytest.raises(InvalidInput, match="vascuqol6_q3: 5"):
        treatment.vascuqol6_score([1, 1, 5, 1, 1, 1])
    with pytest.raises(InvalidInput, match="answers: 5 is not allowed; expected 6 answers"):
        treatment.vascuqol6_score([1] * 5)
