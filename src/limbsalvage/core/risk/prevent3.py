"""PREVENT III CLI risk score (Schanzer 2008): points → low / medium / high 1-year AFS group."""

from collections.abc import Mapping
from dataclasses import dataclass

from limbsalvage.core.fields import InputField, Kind
from limbsalvage.core.risk.model import RiskAssessment
from limbsalvage.core.sources import Table
from limbsalvage.core.tables.prevent3 import (
    AGE_CUTOFF_YEARS,
    BANDS,
    HEMATOCRIT_CUTOFF_PCT,
    POINTS,
    PREVENT3_AFS,
    PREVENT3_POINTS,
    Band,
)
from limbsalvage.core.validate import flag, number_in

MAX_AGE_YEARS = 120.0
HEMATOCRIT_LIMITS_PCT = (5.0, 75.0)  # plausibility limits, not published cut-offs

LIMITS = (
    "PREVENT III estimates 1-year amputation-free survival after vein bypass; it gives neither "
    "peri-procedural mortality nor 2-year survival, so it cannot by itself place a patient in "
    "the GVG average- or high-risk group: the clinician estimates those two figures"
)

INPUTS: tuple[InputField, ...] = (
    InputField("dialysis", Kind.FLAG, "dialysis dependence"),
    InputField("tissue_loss", Kind.FLAG, "tissue loss (ulcer or gangrene) on the index limb"),
    InputField("age_years", Kind.INTEGER, "age in completed years"),
    InputField("hematocrit_pct", Kind.NUMBER, "baseline haematocrit in %"),
    InputField("coronary_artery_disease", Kind.FLAG, "coronary artery disease"),
)


def band_for(points: int) -> Band:
    """The risk group whose point range holds `points`."""
    return next(band for band in BANDS if band.low <= points <= band.high)


def _scores(name: str, value: object) -> bool:
    if name == "age_years":
        return number_in(name, value, 0, MAX_AGE_YEARS, "years") >= AGE_CUTOFF_YEARS
    if name == "hematocrit_pct":
        low, high = HEMATOCRIT_LIMITS_PCT
        return number_in(name, value, low, high, "%") <= HEMATOCRIT_CUTOFF_PCT
    return flag(name, value)


@dataclass(frozen=True)
class Prevent3:
    """The PREVENT III CLI risk score as a plug-in risk model."""

    model_id: str = "prevent3-cli"
    version: str = PREVENT3_POINTS.version
    title: str = "PREVENT III CLI risk score (Schanzer 2008)"
    inputs: tuple[InputField, ...] = INPUTS
    tables: tuple[Table, ...] = (PREVENT3_POINTS, PREVENT3_AFS)

    def assess(self, values: Mapping[str, object]) -> RiskAssessment:
        """Score the patient; any absent factor leaves score and group unset and is listed."""
        used = {name: values[name] for name in POINTS if values.get(name) is not None}
        scoring = [name for name, value in used.items() if _scores(name, value)]
        missing = tuple(name for name in POINTS if name not in used)
        citation = f"{PREVENT3_POINTS.cite()}; 1-year AFS: {PREVENT3_AFS.cite()}"
        if missing:
            return RiskAssessment(
                model_id=self.model_id,
                version=self.version,
                inputs=used,
                missing=missing,
                points=None,
                category=None,
                rationale="no score: missing " + ", ".join(missing) + " (never assumed absent)",
                citation=citation,
                limits=LIMITS,
            )
        points = sum(POINTS[name][1] for name in scoring)
        band = band_for(points)
        factors = ", ".join(f"{POINTS[n][0]} +{POINTS[n][1]}" for n in scoring) or "no factor"
        return RiskAssessment(
            model_id=self.model_id,
            version=self.version,
            inputs=used,
            missing=(),
            points=points,
            category=band.category,
            estimates={
                "afs_1y_derivation_pct": band.afs_derivation_pct,
                "afs_1y_validation_pct": band.afs_validation_pct,
            },
            rationale=(
                f"{factors} → {points} points → {band.category} risk ({band.low}–{band.high}); "
                f"published 1-year amputation-free survival {band.afs_derivation_pct:g}% "
                f"(derivation) and {band.afs_validation_pct:g}% (validation)"
            ),
            citation=citation,
            limits=LIMITS,
        )


PREVENT3 = Prevent3()
