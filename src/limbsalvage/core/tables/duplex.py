"""Duplex velocity thresholds for infrainguinal vein-graft surveillance."""

from limbsalvage.core.sources import Source, Table

WESTERBAND_VALIDATION = Source(
    citation=(
        "Prospective validation of threshold criteria for intervention in infrainguinal vein "
        "grafts undergoing duplex surveillance (Bandyk/Mills group, University of Arizona)"
    ),
    url="https://discovery.researcher.life/article/prospective-validation-of-threshold-criteria-for-intervention-in-infrainguinal-vein-grafts-undergoing-duplex-surveillance/81396b6f765f3de2b72cca97f69b2b8f",
)

VEIN_GRAFT_DUPLEX = Table(
    table_id="vein-graft-duplex",
    version="1997.1",
    source=WESTERBAND_VALIDATION,
    locator="abstract: stenosis and high-velocity (intervention) criteria",
    checked=(
        "Read in the abstract: a graft stenosis is PSV > 180 cm/s with Vr > 1.5; the "
        "high-velocity criteria mandating evaluation and intervention are PSV > 300 cm/s and "
        "Vr > 3.5. Consistent with Gahtan et al. (same group: PSV > 300 and Vr > 3.5 separate "
        "lesions prone to progress) and a textbook chapter (thoracickey.com). Journal, year and "
        "authors to verify. The low-velocity criterion (graft PSV < 45 cm/s) needs the lowest "
        "graft velocity, which the registry does not record, and is not applied."
    ),
)

STENOSIS_PSV_CM_S = 180.0
STENOSIS_VELOCITY_RATIO = 1.5
HIGH_GRADE_PSV_CM_S = 300.0
HIGH_GRADE_VELOCITY_RATIO = 3.5
