"""MSTS functional score, lower extremity: six items scored 0–5, total of 30, percentage."""

from limbsalvage.core.sources import Source, Table

ENNEKING_1993 = Source(
    citation=(
        "Enneking WF, Dunham W, Gebhardt MC et al. A system for the functional "
        "evaluation of reconstructive procedures after surgical treatment of tumors of the "
        "musculoskeletal system. Clin Orthop Relat Res 1993;(286):241–6"
    ),
    url="https://pubmed.ncbi.nlm.nih.gov/8425352/",
)

MSTS_LOWER_EXTREMITY = Table(
    table_id="msts-lower-extremity",
    version="1993.1",
    source=ENNEKING_1993,
    locator="lower-extremity rating: pain, function, emotional acceptance, supports, walking, gait",
    checked=(
        "Primary full text not available to us. The six lower-extremity items, the 0–5 range per "
        "item, the total of 30 and its expression as a percentage agree across the validation "
        "studies we read (Rebolledo 2013 PMC3825918; Xu 2017 PMC5438502; Saebye 2019 PMC6354105; "
        "BMC Cancer 2024;24:1019). The anchor words per item (ANCHORS below) could NOT be checked "
        "in any stored source: they follow the widely used scoring form, on which 5, 3, 1 and 0 "
        "carry words and 4 and 2 are intermediate by the examiner's judgement; our brief instead "
        "reads 1 and 3 as the interpolated values. Anchors are shown as help text only and never "
        "change a score."
    ),
)

ITEMS: tuple[str, ...] = (
    "pain",
    "function",
    "emotional_acceptance",
    "supports",
    "walking",
    "gait",
)
ITEM_MAX_POINTS = 5
TOTAL_MAX_POINTS = ITEM_MAX_POINTS * len(ITEMS)
PERCENT_DECIMALS = 1

# Anchor words (unverified, see MSTS_LOWER_EXTREMITY.checked); values not listed are intermediate.
ANCHORS: dict[str, dict[int, str]] = {
    "pain": {5: "none", 3: "modest", 1: "moderate", 0: "severe"},
    "function": {
        5: "no restriction",
        3: "recreational restriction",
        1: "partial occupational restriction",
        0: "total restriction",
    },
    "emotional_acceptance": {5: "enthused", 3: "satisfied", 1: "accepts", 0: "dislikes"},
    "supports": {5: "none", 3: "brace", 1: "one cane or crutch", 0: "two canes or crutches"},
    "walking": {5: "unlimited", 3: "limited", 1: "inside only", 0: "not independently"},
    "gait": {5: "normal", 3: "minor cosmetic", 1: "major cosmetic", 0: "major handicap"},
}

INTERMEDIATE_NOTE = (
    "An item scored 2 or 4 is an intermediate value, between the worded anchors 5, 3, 1 and 0 of "
    "the scoring form in wide use, by the examiner's judgement. The anchor wording is not "
    "verified against the 1993 primary; the score itself is unaffected."
)
