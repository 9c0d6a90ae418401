"""SINBAD: six ulcer items scored 0 or 1 (total 0–6)."""

from limbsalvage.core.sources import Source, Table

INCE_2008 = Source(
    citation=(
        "Ince P, Abbas ZG, Lutale JK, et al. Use of the SINBAD classification system and score "
        "in comparing outcome of foot ulcer management on three continents. "
        "Diabetes Care 2008;31:964–7"
    ),
    doi="10.2337/dc07-2367",
)

SINBAD_ITEMS = Table(
    table_id="sinbad-items",
    version="2008.1",
    source=INCE_2008,
    locator="SINBAD items and score (table 1)",
    checked=(
        "Primary table not available to us; its abstract read (diabetesjournals.org). Items "
        "read in World J Diabetes 2022 (doi:10.4239/wjd.v13.i12.1049, table 4) and a 2023 "
        "guideline summary: site forefoot 0 / midfoot or hindfoot 1; ischaemia: at least one "
        "palpable pedal pulse 0 / clinical evidence of reduced pedal flow 1; neuropathy: "
        "protective sensation intact 0 / lost 1; bacterial infection none 0 / present 1; "
        "area <1 cm² 0 / ≥1 cm² 1; depth skin and subcutis 0 / muscle, tendon or deeper 1."
    ),
)

# Area at or above this scores 1 (cm²).
AREA_POINT_CM2 = 1.0
# Ince 2008 abstract: a step-up in days to healing from a total of 3 (all centres).
HEALING_STEP_SCORE = 3
HEALING_NOTE = (
    "Ince 2008: across four centres, ulcers scoring 3 or more took longer to heal "
    "(a cohort finding, not an individual prediction)."
)
