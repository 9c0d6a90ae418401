"""Grade a duplex study of a vein graft from its peak systolic velocity and velocity ratio."""

from enum import StrEnum

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.tables import duplex
from limbsalvage.core.treatment import Derived
from limbsalvage.core.vocabulary import DuplexPatency


class GraftDuplexGrade(StrEnum):
    """What a surveillance study shows about the graft."""

    OCCLUDED = "occluded"
    HIGH_GRADE_STENOSIS = "high_grade_stenosis"  # meets the intervention threshold
    STENOSIS = "stenosis"
    NO_SIGNIFICANT_STENOSIS = "no_significant_stenosis"


def grade_vein_graft(
    *,
    patency: DuplexPatency,
    peak_systolic_velocity_cm_s: float | None,
    velocity_ratio: float | None,
) -> Derived[GraftDuplexGrade | None]:
    """The duplex grade of a vein-graft study; None when a patent graft lacks a velocity."""
    table = duplex.VEIN_GRAFT_DUPLEX
    if patency is DuplexPatency.OCCLUDED:
        return Derived(GraftDuplexGrade.OCCLUDED, "no flow: graft occluded", table)
    if peak_systolic_velocity_cm_s is not None and peak_systolic_velocity_cm_s < 0:
        raise InvalidInput("peak_systolic_velocity_cm_s", peak_systolic_velocity_cm_s, "≥ 0")
    if velocity_ratio is not None and velocity_ratio <= 0:
        raise InvalidInput("velocity_ratio", velocity_ratio, "> 0")
    if peak_systolic_velocity_cm_s is None or velocity_ratio is None:
        missing = [
            name
            for name, value in (
                ("peak_systolic_velocity_cm_s", peak_systolic_velocity_cm_s),
                ("velocity_ratio", velocity_ratio),
            )
            if value is None
        ]
        return Derived(None, f"not graded: {', '.join(missing)} not recorded", table)
    psv, ratio = peak_systolic_velocity_cm_s, velocity_ratio
    shown = f"PSV {psv:g} cm/s, Vr {ratio:g}"
    if psv > duplex.HIGH_GRADE_PSV_CM_S and ratio > duplex.HIGH_GRADE_VELOCITY_RATIO:
        rule = f"{shown}: PSV > 300 and Vr > 3.5, the threshold for intervention"
        return Derived(GraftDuplexGrade.HIGH_GRADE_STENOSIS, rule, table)
    if psv > duplex.STENOSIS_PSV_CM_S and ratio > duplex.STENOSIS_VELOCITY_RATIO:
        rule = f"{shown}: PSV > 180 and Vr > 1.5, a stenosis below the intervention threshold"
        return Derived(GraftDuplexGrade.STENOSIS, rule, table)
    rule = f"{shown}: below the stenosis criteria (PSV > 180 and Vr > 1.5)"
    return Derived(GraftDuplexGrade.NO_SIGNIFICANT_STENOSIS, rule, table)
