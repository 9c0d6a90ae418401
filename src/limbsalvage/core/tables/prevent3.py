"""PREVENT III CLI risk score: points per factor, risk bands, published 1-year AFS per band.

Derived in the PREVENT III trial (vein bypass for CLI) to estimate amputation-free survival at
one year. It does not estimate peri-procedural mortality or 2-year survival, the two quantities
by which the Global Vascular Guidelines define average and high patient risk.
"""

from dataclasses import dataclass

from limbsalvage.core.sources import Source, Table

SCHANZER_2008 = Source(
    citation=(
        "Schanzer A, Mega J, Meadows J, Samson RH, Bandyk DF, Conte MS. Risk stratification in "
        "critical limb ischemia: derivation and validation of a model to predict amputation-free "
        "survival using multicenter surgical outcomes data. J Vasc Surg 2008;48:1464–71"
    ),
    url="https://pubmed.ncbi.nlm.nih.gov/?term=Schanzer+2008+risk+stratification+critical+limb+ischemia",
)

SCHANZER_2009 = Source(
    citation=(
        "Schanzer A, Goodney PP, Li Y, et al. Validation of the PIII CLI risk score for the "
        "prediction of amputation-free survival in patients undergoing infrainguinal autogenous "
        "vein bypass for critical limb ischemia. J Vasc Surg 2009 (VSGNNE validation)"
    ),
    url="https://escholarship.umassmed.edu/surgery_pp/11/",
)

PREVENT3_POINTS = Table(
    table_id="prevent3-points",
    version="2008.1",
    source=SCHANZER_2008,
    locator="risk score: points per independent predictor and the three risk groups",
    checked=(
        "The 2008 full text was not available to us. Dialysis 4, tissue loss 3, age ≥75 years 2, "
        "coronary artery disease 1 and the groups low ≤3 / medium 4–7 / high ≥8 were read in the "
        "2009 validation by the same group (abstract, J Vasc Surg 2009 and the UMass eScholarship "
        "record), which left haematocrit out for missing data. Haematocrit ≤30% → 2 points is our "
        "reading of the 2008 abstract as widely cited and could not be confirmed in any text we "
        "read: listed in docs/sources-to-verify.md. The factor definitions (what counts as "
        "coronary artery disease, dialysis, tissue loss) are those of the 2008 paper, not re-read."
    ),
)

PREVENT3_AFS = Table(
    table_id="prevent3-afs",
    version="2008.1",
    source=SCHANZER_2009,
    locator=(
        "abstract: 1-year amputation-free survival by risk group in the PIII derivation set, the "
        "PIII validation set and the VSGNNE validation"
    ),
    checked=(
        "Read in the 2009 validation abstract, which restates the 2008 derivation-set and "
        "validation-set estimates beside its own; Kaplan–Meier estimates after vein bypass."
    ),
)

# Factor → (condition in the words of the score, points).
POINTS: dict[str, tuple[str, int]] = {
    "dialysis": ("dialysis dependence", 4),
    "tissue_loss": ("tissue loss (ulcer or gangrene)", 3),
    "age_years": ("age ≥75 years", 2),
    "hematocrit_pct": ("haematocrit ≤30%", 2),
    "coronary_artery_disease": ("coronary artery disease", 1),
}
AGE_CUTOFF_YEARS = 75  # age at or above scores
HEMATOCRIT_CUTOFF_PCT = 30.0  # haematocrit at or below scores
MAX_POINTS = 12


@dataclass(frozen=True)
class Band:
    """A risk group: its point range and the published 1-year AFS of each cohort."""

    category: str
    low: int
    high: int
    afs_derivation_pct: float
    afs_validation_pct: float
    afs_vsgnne_pct: float


BANDS: tuple[Band, ...] = (
    Band("low", 0, 3, 85.9, 87.7, 84.7),
    Band("medium", 4, 7, 73.0, 63.7, 73.5),
    Band("high", 8, MAX_POINTS, 44.6, 45.0, 54.5),
)
