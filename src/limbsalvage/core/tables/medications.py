"""Drug classes of best medical therapy and ACC/AHA statin intensity by daily dose."""

from enum import StrEnum

from limbsalvage.core.sources import Source, Table
from limbsalvage.core.vocabulary import Drug


class DrugClass(StrEnum):
    """Therapeutic class, derived from the drug."""

    ANTIPLATELET = "antiplatelet"
    STATIN = "statin"
    OTHER_LIPID_LOWERING = "other_lipid_lowering"
    ANTICOAGULANT = "anticoagulant"


class StatinIntensity(StrEnum):
    """ACC/AHA statin intensity (expected LDL-C lowering ≥50%, 30–49%, <30%)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


DRUG_CLASS: dict[Drug, DrugClass] = {
    Drug.ASPIRIN: DrugClass.ANTIPLATELET,
    Drug.CLOPIDOGREL: DrugClass.ANTIPLATELET,
    Drug.PRASUGREL: DrugClass.ANTIPLATELET,
    Drug.TICAGRELOR: DrugClass.ANTIPLATELET,
    # Cilostazol: a phosphodiesterase-3 inhibitor with antiplatelet action.
    Drug.CILOSTAZOL: DrugClass.ANTIPLATELET,
    Drug.ATORVASTATIN: DrugClass.STATIN,
    Drug.ROSUVASTATIN: DrugClass.STATIN,
    Drug.SIMVASTATIN: DrugClass.STATIN,
    Drug.PRAVASTATIN: DrugClass.STATIN,
    Drug.LOVASTATIN: DrugClass.STATIN,
    Drug.FLUVASTATIN: DrugClass.STATIN,
    Drug.PITAVASTATIN: DrugClass.STATIN,
    Drug.EZETIMIBE: DrugClass.OTHER_LIPID_LOWERING,
    Drug.EVOLOCUMAB: DrugClass.OTHER_LIPID_LOWERING,
    Drug.ALIROCUMAB: DrugClass.OTHER_LIPID_LOWERING,
    Drug.WARFARIN: DrugClass.ANTICOAGULANT,
    Drug.APIXABAN: DrugClass.ANTICOAGULANT,
    Drug.RIVAROXABAN: DrugClass.ANTICOAGULANT,
    Drug.DABIGATRAN: DrugClass.ANTICOAGULANT,
    Drug.EDOXABAN: DrugClass.ANTICOAGULANT,
    Drug.ENOXAPARIN: DrugClass.ANTICOAGULANT,
    Drug.HEPARIN: DrugClass.ANTICOAGULANT,
}

GRUNDY_2018 = Source(
    citation=(
        "Grundy SM, Stone NJ, Bailey AL, et al. 2018 AHA/ACC/AACVPR/AAPA/ABC/ACPM/ADA/AGS/APhA/"
        "ASPC/NLA/PCNA guideline on the management of blood cholesterol. J Am Coll Cardiol "
        "2019;73:e285–e350"
    ),
    doi="10.1016/j.jacc.2018.11.003",
)

STATIN_INTENSITY_TABLE = Table(
    table_id="statin-intensity",
    version="2018.1",
    source=GRUNDY_2018,
    locator="table 3, high-, moderate- and low-intensity statin therapy",
    checked=(
        "Primary not readable here. Read in a reproduction of the 2018 table "
        "(straighthealthcare.com) and checked against a summary of the 2013 ACC/AHA table "
        "(Stone 2013, table 5: high = atorvastatin 40–80, rosuvastatin 20–40; moderate = "
        "atorvastatin 10–20, rosuvastatin 5–10, simvastatin 20–40, pravastatin 40–80). The "
        "2013 table put pitavastatin 1 mg in low and 2–4 mg in moderate; the 2018 table puts "
        "1–4 mg in moderate, which we follow. Doses not listed (e.g. simvastatin 80 mg) are not "
        "classified."
    ),
)

# (drug, lowest mg/day, highest mg/day, intensity): daily doses inclusive.
STATIN_DOSE_BANDS: tuple[tuple[Drug, float, float, StatinIntensity], ...] = (
    (Drug.ATORVASTATIN, 40, 80, StatinIntensity.HIGH),
    (Drug.ROSUVASTATIN, 20, 40, StatinIntensity.HIGH),
    (Drug.ATORVASTATIN, 10, 20, StatinIntensity.MODERATE),
    (Drug.ROSUVASTATIN, 5, 10, StatinIntensity.MODERATE),
    (Drug.SIMVASTATIN, 20, 40, StatinIntensity.MODERATE),
    (Drug.PRAVASTATIN, 40, 80, StatinIntensity.MODERATE),
    (Drug.LOVASTATIN, 40, 80, StatinIntensity.MODERATE),
    (Drug.FLUVASTATIN, 80, 80, StatinIntensity.MODERATE),  # XL 80 mg or 40 mg twice daily
    (Drug.PITAVASTATIN, 1, 4, StatinIntensity.MODERATE),
    (Drug.SIMVASTATIN, 10, 10, StatinIntensity.LOW),
    (Drug.PRAVASTATIN, 10, 20, StatinIntensity.LOW),
    (Drug.LOVASTATIN, 20, 20, StatinIntensity.LOW),
    (Drug.FLUVASTATIN, 20, 40, StatinIntensity.LOW),
)
