"""Pins of the outcome tables against their sources (PARC 2015, Conte 2009/2010, Cull 2014,
van Reijen 2019): a change of a value here is a reviewed change."""

from limbsalvage.core.tables.outcomes import (
    AUTOLOGOUS_VEIN_CONDUITS,
    DEFAULT_MAJOR_AMPUTATION,
    MACE_EVENTS,
    MAJOR_AMPUTATION_LEVELS,
    MAJOR_AMPUTATION_TABLE,
    MAJOR_REINTERVENTION_PROCEDURES,
    MAJOR_REINTERVENTION_TABLE,
    MINOR_REINTERVENTION_PROCEDURES,
    REVASCULARIZATION_PROCEDURES,
    SAME_DAY_ORDER,
    MajorAmputationDefinition,
)
from limbsalvage.core.tables.performance_goals import (
    OPG_TABLE,
    PERFORMANCE_GOALS,
    WIFI_AMPUTATION_CULL_2014,
    WIFI_AMPUTATION_RATES,
    WIFI_AMPUTATION_VAN_REIJEN_2019,
    Direction,
    Measure,
)
from limbsalvage.core.vocabulary import AmputationLevel as Level
from limbsalvage.core.vocabulary import Conduit, OutcomeEventKind, ProcedureKind


def test_major_levels_differ_only_at_syme() -> None:
    above = MAJOR_AMPUTATION_LEVELS[MajorAmputationDefinition.ABOVE_ANKLE]
    at_or_above = MAJOR_AMPUTATION_LEVELS[MajorAmputationDefinition.ANKLE_OR_ABOVE]
    assert at_or_above - above == {Level.SYME}
    assert above == {
        Level.BELOW_KNEE,
        Level.KNEE_DISARTICULATION,
        Level.ABOVE_KNEE,
        Level.HIP_DISARTICULATION,
        Level.HEMIPELVECTOMY,
    }
    assert Level.CHOPART not in at_or_above
    assert DEFAULT_MAJOR_AMPUTATION is MajorAmputationDefinition.ABOVE_ANKLE
    assert MAJOR_AMPUTATION_TABLE.ref == "major-amputation-levels@2015.1"
    assert "10.1016/j.jacc.2014.12.036" in MAJOR_AMPUTATION_TABLE.cite()


def test_major_reintervention_is_the_opg_list() -> None:
    # Conte 2010: thrombectomy, thrombolysis, new bypass graft, jump/interposition graft revision.
    assert {
        ProcedureKind.BYPASS,
        ProcedureKind.GRAFT_REVISION,
        ProcedureKind.THROMBECTOMY,
        ProcedureKind.THROMBOLYSIS,
    } == MAJOR_REINTERVENTION_PROCEDURES
    # Minor: endovascular treatment, endarterectomy (PARC 2015 Table 4) and patch angioplasty (a
    # minor surgical revision for the OPG).
    assert {
        ProcedureKind.ANGIOPLASTY,
        ProcedureKind.STENT,
        ProcedureKind.ATHERECTOMY,
        ProcedureKind.ENDARTERECTOMY,
        ProcedureKind.PATCH_ANGIOPLASTY,
    } == REVASCULARIZATION_PROCEDURES - MAJOR_REINTERVENTION_PROCEDURES
    assert not MAJOR_REINTERVENTION_PROCEDURES & MINOR_REINTERVENTION_PROCEDURES
    assert MAJOR_REINTERVENTION_TABLE.ref == "major-reintervention-procedures@2026.1"
    assert {
        OutcomeEventKind.DEATH,
        OutcomeEventKind.MYOCARDIAL_INFARCTION,
        OutcomeEventKind.STROKE,
    } == MACE_EVENTS
    assert Conduit.PROSTHETIC not in AUTOLOGOUS_VEIN_CONDUITS
    assert Conduit.CRYOPRESERVED not in AUTOLOGOUS_VEIN_CONDUITS
    assert SAME_DAY_ORDER[0] == "major_amputation"
    assert SAME_DAY_ORDER[-1] == "wound_healed"


def test_performance_goals_as_quoted() -> None:
    pinned = {
        g.goal_id: (g.endpoint, g.horizon_days, g.measure, g.direction, g.threshold)
        for g in PERFORMANCE_GOALS
    }
    rate, freedom = Measure.RATE, Measure.FREEDOM
    most, least = Direction.AT_MOST, Direction.AT_LEAST
    assert pinned == {
        "mace-30d": ("mace", 30, rate, most, 0.08),
        "male-30d": ("male", 30, rate, most, 0.08),
        "amputation-30d": ("major_amputation", 30, rate, most, 0.03),
        "male-pod-1y": ("male_or_perioperative_death", 365, freedom, least, 0.71),
        "limb-salvage-1y": ("major_amputation", 365, freedom, least, 0.84),
        "survival-1y": ("overall_survival", 365, freedom, least, 0.80),
    }
    assert OPG_TABLE.ref == "svs-cli-opg@2009.1"
    assert "76.9% (95% CI 74.0–79.9)" in OPG_TABLE.checked


def test_wifi_stage_amputation_rates_as_published() -> None:
    cull = WIFI_AMPUTATION_RATES[WIFI_AMPUTATION_CULL_2014.ref]
    assert [(r.stage, r.rate) for r in cull] == [(1, 0.03), (2, 0.10), (3, 0.23), (4, 0.40)]
    pooled = WIFI_AMPUTATION_RATES[WIFI_AMPUTATION_VAN_REIJEN_2019.ref]
    assert [(r.stage, r.rate, r.ci_lower, r.ci_upper) for r in pooled] == [
        (1, 0.0, None, None),
        (2, 0.08, 0.03, 0.21),
        (3, 0.11, 0.06, 0.18),
        (4, 0.38, 0.21, 0.58),
    ]
    assert "10.1016/j.jvs.2014.08.107" in WIFI_AMPUTATION_CULL_2014.cite()
