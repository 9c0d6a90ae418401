"""CEAP 2020 clinical classes (C0–C6 with C2r, C4a–c, C6r) and the symptom modifier."""

from limbsalvage.core.sources import Source, Table

LURIE_2020 = Source(
    citation=(
        "Lurie F, Passman M, Meisner M et al. The 2020 update of the CEAP classification system "
        "and reporting standard. J Vasc Surg Venous Lymphat Disord 2020;8:342–52"
    ),
    doi="10.1016/j.jvsv.2019.12.075",
)

CEAP_CLINICAL = Table(
    table_id="ceap-clinical",
    version="2020.1",
    source=LURIE_2020,
    locator="clinical classification (C) table",
    checked=(
        "Primary full text not available to us; its abstract (repub.eur.nl 125177) read for the "
        "2020 changes (C4c corona phlebectatica, modifier r for recurrent varicose veins and "
        "recurrent venous ulcers). Classes read in three reproductions of the 2020 table that "
        "agree cell by cell (UpToDate 'CEAP classification for chronic venous disorders'; Hong "
        "K-P, Ann Phlebology 2022;20:19–23; Vnitr Lek 2021;67:143–8 abstract): C0, C1, C2, C2r, "
        "C3, C4a, C4b, C4c, C5, C6, C6r, with S (symptoms attributable to venous disease) or A "
        "(absent). Listing every class present, then the modifier (e.g. C2,4a,5,S), follows the "
        "2004 revision's worked example as reproduced in the SVS/AVF 2011 guideline."
    ),
)

# Finding → (class number, class label). The order is the order of the published table.
SIGNS: dict[str, tuple[int, str]] = {
    "none": (0, "C0"),
    "telangiectasias_or_reticular_veins": (1, "C1"),
    "varicose_veins": (2, "C2"),
    "recurrent_varicose_veins": (2, "C2r"),
    "edema": (3, "C3"),
    "pigmentation_or_eczema": (4, "C4a"),
    "lipodermatosclerosis_or_atrophie_blanche": (4, "C4b"),
    "corona_phlebectatica": (4, "C4c"),
    "healed_venous_ulcer": (5, "C5"),
    "active_venous_ulcer": (6, "C6"),
    "recurrent_active_venous_ulcer": (6, "C6r"),
}

DESCRIPTIONS: dict[str, str] = {
    "C0": "no visible or palpable signs of venous disease",
    "C1": "telangiectasias or reticular veins",
    "C2": "varicose veins",
    "C2r": "recurrent varicose veins",
    "C3": "edema",
    "C4a": "pigmentation or eczema",
    "C4b": "lipodermatosclerosis or atrophie blanche",
    "C4c": "corona phlebectatica",
    "C5": "healed venous ulcer",
    "C6": "active venous ulcer",
    "C6r": "recurrent active venous ulcer",
}

# Pairs that describe the same class two incompatible ways (recurrent or not).
EXCLUSIVE: tuple[tuple[str, str], ...] = (
    ("varicose_veins", "recurrent_varicose_veins"),
    ("active_venous_ulcer", "recurrent_active_venous_ulcer"),
)

SYMPTOMATIC = "s"
ASYMPTOMATIC = "a"

C4_SUBCLASS_NOTE = (
    "The 2020 table lists C4a, C4b and C4c without ranking them against each other; with "
    "several C4 subclasses present, the limb's class names the last listed and every subclass "
    "is reported in `classes`."
)
