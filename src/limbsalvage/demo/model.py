"""The demo cohort's clinical model: calibration targets with their sources, and assumptions.

Two kinds of number live here and are kept apart on purpose:

- **Calibration targets** (`CALIBRATION`): published figures the cohort is built to reproduce
  and the test suite checks within a tolerance — 1-year major amputation by WIfI clinical stage
  (Cull 2014) and 1-year survival (the SVS objective performance goal, Conte 2009).
- **Assumptions** (everything else): mixes and ranges chosen by us so that the synthetic data
  look like a limb salvage clinic. They are not taken from a source, are not calibration
  targets and must never inform a clinical decision; the cohort is for demonstration,
  testing and benchmarks only (every patient carries `is_synthetic`).
"""

from dataclasses import dataclass

from limbsalvage.core.sources import Source
from limbsalvage.core.vocabulary import EpisodeCause

CULL_2014 = Source(
    citation=(
        "Cull DL, et al. An early validation of the Society for Vascular "
        "Surgery lower extremity threatened limb classification system. J Vasc Surg "
        "2014;60:1535–41"
    ),
    doi="10.1016/j.jvs.2014.08.107",
)
CONTE_2009 = Source(
    citation=(
        "Conte MS, Geraghty PJ, Bradbury AW, et al. Suggested objective performance goals and "
        "clinical trial design for evaluating catheter-based treatment of critical limb "
        "ischemia. J Vasc Surg 2009;50:1462–73"
    ),
    doi="10.1016/j.jvs.2009.09.044",
)


@dataclass(frozen=True)
class Target:
    """One published figure the cohort reproduces, with the tolerance the test allows."""

    name: str
    value: float
    tolerance: float
    source: Source
    locator: str


# Cull 2014, abstract (PubMed 25282695): 1-year limb amputation by WIfI clinical stage in 158
# wounds of 139 patients revascularised 2007–2010 — stage 1 3%, 2 10%, 3 23%, 4 40% (the same
# figures as /work/shared/CLINICAL_NOTES.md §8 [R36]). The cohort applies them to every
# WIfI-staged episode (CLTI and diabetic foot), revascularised or not: our simplification.
AMPUTATION_1Y_BY_STAGE: dict[int, Target] = {
    stage: Target(
        name=f"1-year major amputation, WIfI clinical stage {stage}",
        value=value,
        tolerance=0.03,
        source=CULL_2014,
        locator="abstract, results (Kaplan–Meier 1-year limb amputation by clinical stage)",
    )
    for stage, value in {1: 0.03, 2: 0.10, 3: 0.23, 4: 0.40}.items()
}

# Conte 2009: the OPG for 1-year survival after treatment of CLI is >80% (threshold as listed in
# CLINICAL_NOTES §7, table "SVS Objective Performance Goals", [R33]); the primary's abstract
# reports 1-year amputation-free survival of 76.5% in the pooled vein-bypass arms (n=838),
# consistent with survival a little above 80%. The cohort targets 80% among patients whose
# index episode is WIfI-staged (CLTI or diabetic foot).
SURVIVAL_1Y = Target(
    name="1-year survival, patients with a WIfI-staged index episode",
    value=0.80,
    tolerance=0.03,
    source=CONTE_2009,
    locator="objective performance goals: 1-year survival >80%",
)

CALIBRATION: tuple[Target, ...] = (*AMPUTATION_1Y_BY_STAGE.values(), SURVIVAL_1Y)

# Wound non-healing at 1 year by stage (Cull 2014 abstract: 8% / 10% / 23% / 40%), used to
# choose which wounds heal; shown in the calibration table but not tested tightly, as amputated
# and deceased patients' wounds count as non-healed. Median time to healing 2.7 months (ibid.).
NON_HEALING_1Y_BY_STAGE: dict[int, float] = {1: 0.08, 2: 0.10, 3: 0.23, 4: 0.40}
MEDIAN_DAYS_TO_HEALING = 82

# ------------------------------------------------------------------ assumptions (not sourced)

# Mix of causes of the index episode (assumption: a CLTI-and-diabetic-foot-led clinic).
CAUSE_MIX: dict[EpisodeCause, float] = {
    EpisodeCause.CLTI: 0.50,
    EpisodeCause.DIABETIC_FOOT: 0.32,
    EpisodeCause.VENOUS: 0.08,
    EpisodeCause.ACUTE_LIMB_ISCHEMIA: 0.05,
    EpisodeCause.TRAUMA: 0.03,
    EpisodeCause.TUMOUR: 0.02,
}
WIFI_CAUSES: frozenset[EpisodeCause] = frozenset({EpisodeCause.CLTI, EpisodeCause.DIABETIC_FOOT})

# WIfI grade mixes per cause (assumption), each grade 0–3, drawn independently; the clinical
# stage then follows from the SVS stage table (limbsalvage.core.tables.wifi.STAGE).
WOUND_GRADE_MIX: dict[EpisodeCause, tuple[float, float, float, float]] = {
    EpisodeCause.CLTI: (0.22, 0.40, 0.26, 0.12),
    EpisodeCause.DIABETIC_FOOT: (0.00, 0.55, 0.32, 0.13),
}
ISCHEMIA_GRADE_MIX: dict[EpisodeCause, tuple[float, float, float, float]] = {
    EpisodeCause.CLTI: (0.04, 0.22, 0.36, 0.38),
    EpisodeCause.DIABETIC_FOOT: (0.40, 0.25, 0.20, 0.15),
}
INFECTION_GRADE_MIX: dict[EpisodeCause, tuple[float, float, float, float]] = {
    EpisodeCause.CLTI: (0.58, 0.24, 0.14, 0.04),
    EpisodeCause.DIABETIC_FOOT: (0.36, 0.32, 0.24, 0.08),
}

# Relative weight of dying within the first year by WIfI stage (assumption: sicker limbs, sicker
# patients); the number of deaths is fixed by SURVIVAL_1Y, the weights only choose who.
DEATH_WEIGHT_BY_STAGE: dict[int, float] = {1: 0.6, 2: 0.8, 3: 1.1, 4: 1.5}
DEATH_WEIGHT_DIALYSIS = 2.5
# 1-year mortality of causes outside the calibration (assumption).
MORTALITY_1Y_OTHER_CAUSES: dict[EpisodeCause, float] = {
    EpisodeCause.VENOUS: 0.04,
    EpisodeCause.ACUTE_LIMB_ISCHEMIA: 0.18,
    EpisodeCause.TRAUMA: 0.03,
    EpisodeCause.TUMOUR: 0.10,
}
# 1-year major amputation of causes outside the calibration (assumption).
AMPUTATION_1Y_OTHER_CAUSES: dict[EpisodeCause, float] = {
    EpisodeCause.VENOUS: 0.01,
    EpisodeCause.ACUTE_LIMB_ISCHEMIA: 0.15,
    EpisodeCause.TRAUMA: 0.08,
    EpisodeCause.TUMOUR: 0.06,
}
# Yearly hazards after the first year (assumption).
YEARLY_MORTALITY_AFTER_1Y = 0.12
YEARLY_AMPUTATION_AFTER_1Y = 0.04

# Age at presentation in years: mean, standard deviation, bounds (assumption).
AGE_AT_PRESENTATION: dict[EpisodeCause, tuple[float, float, float, float]] = {
    EpisodeCause.CLTI: (71.0, 10.0, 40.0, 97.0),
    EpisodeCause.DIABETIC_FOOT: (64.0, 11.0, 30.0, 95.0),
    EpisodeCause.VENOUS: (66.0, 13.0, 30.0, 95.0),
    EpisodeCause.ACUTE_LIMB_ISCHEMIA: (72.0, 12.0, 35.0, 97.0),
    EpisodeCause.TRAUMA: (38.0, 14.0, 18.0, 85.0),
    EpisodeCause.TUMOUR: (34.0, 17.0, 12.0, 85.0),
}

# Share of patients with a second episode on the other limb, 30–365 days after the first.
CONTRALATERAL_SHARE = 0.08
# Share of surviving patients lost to follow-up some time after the first year.
LOST_TO_FOLLOW_UP_SHARE = 0.06
# Presentations are spread over this many days before the as-of date.
PRESENTATION_WINDOW_DAYS = 4 * 365
