"""Clinical categories of acute limb ischaemia (Rutherford 1997; adopted by ESVS 2020)."""

from dataclasses import dataclass

from limbsalvage.core.sources import Source, Table
from limbsalvage.core.tables.rutherford import RUTHERFORD_1997

ESVS_ALI_2020 = Source(
    citation=(
        "Björck M, Earnshaw JJ, Acosta S, et al. European Society for Vascular Surgery (ESVS) 2020 "
        "Clinical Practice Guidelines on the Management of Acute Limb Ischaemia. "
        "Eur J Vasc Endovasc Surg 2020;59:173–218"
    ),
    doi="10.1016/j.ejvs.2019.09.006",
)

ALI_CATEGORIES_TABLE = Table(
    table_id="rutherford-ali",
    version="1997.1",
    source=RUTHERFORD_1997,
    locator=(
        "table of clinical categories of acute limb ischemia (I, IIa, IIb, III), as used by the "
        "ESVS 2020 acute limb ischaemia guideline (doi:10.1016/j.ejvs.2019.09.006)"
    ),
    checked=(
        "The 1997 table and the ESVS 2020 full text were not available to us. The cells were read "
        "in reproductions that cite 1997: the ACC/AHA handbook figure (Rutherford 1997 adapted; "
        "'(often)' and '(usually) inaudible' arterial signals, 'more than toes, associated with "
        "rest pain'), the McMaster textbook table 3.19-4 (sensory and motor columns, prognosis), "
        "RCEM Learning (all columns), a one-page SVS/ISCVS summary on Scribd (all columns) and the "
        "TASC 2000 text ('neither IIa nor IIb has clearly audible pedal Doppler signals'). The "
        "1997 text itself was seen only in an OCR excerpt (category I: clearly audible arterial "
        "signal in a pedal artery). Disagreements are kept per row in AliRow.provenance."
    ),
)


@dataclass(frozen=True)
class AliRow:
    """One row: category, label, prognosis, the published cells, and where readings disagree."""

    category: str
    label: str
    prognosis: str
    sensory_loss: str
    muscle_weakness: str
    arterial_doppler: str
    venous_doppler: str
    arterial_audible_allowed: frozenset[bool]
    venous_audible_allowed: frozenset[bool]
    provenance: str


ALI_ROWS: tuple[AliRow, ...] = (
    AliRow(
        category="I",
        label="viable",
        prognosis="not immediately threatened",
        sensory_loss="none",
        muscle_weakness="none",
        arterial_doppler="audible",
        venous_doppler="audible",
        arterial_audible_allowed=frozenset({True}),
        venous_audible_allowed=frozenset({True}),
        provenance="",
    ),
    AliRow(
        category="IIa",
        label="marginally threatened",
        prognosis="salvageable if promptly treated",
        sensory_loss="minimal (toes) or none",
        muscle_weakness="none",
        arterial_doppler="(often) inaudible",
        venous_doppler="audible",
        arterial_audible_allowed=frozenset({True, False}),
        venous_audible_allowed=frozenset({True}),
        provenance=(
            "arterial Doppler: the table says '(often) inaudible' (ACC/AHA, RCEM), one summary "
            "'+/- audible', the TASC 2000 text 'no clearly audible pedal signal'; we follow the "
            "table: an audible arterial signal does not contradict IIa"
        ),
    ),
    AliRow(
        category="IIb",
        label="immediately threatened",
        prognosis="salvageable with immediate revascularisation",
        sensory_loss="more than toes, associated with rest pain",
        muscle_weakness="mild, moderate",
        arterial_doppler="(usually) inaudible",
        venous_doppler="audible",
        arterial_audible_allowed=frozenset({True, False}),
        venous_audible_allowed=frozenset({True}),
        provenance=(
            "sensory loss 'more than toes, associated with rest pain' (ACC/AHA) vs 'more than "
            "toes' (McMaster) vs 'more than toes or complete' (RCEM); weakness 'mild, moderate' "
            "vs 'partial paralysis' (RCEM); arterial Doppler '(usually) inaudible' vs 'rarely "
            "audible'; we follow the ACC/AHA reading of the 1997 table"
        ),
    ),
    AliRow(
        category="III",
        label="irreversible",
        prognosis="major tissue loss or permanent nerve damage inevitable",
        sensory_loss="profound, anaesthetic",
        muscle_weakness="profound, paralysis (rigor)",
        arterial_doppler="inaudible",
        venous_doppler="inaudible",
        arterial_audible_allowed=frozenset({False}),
        venous_audible_allowed=frozenset({False}),
        provenance=(
            "prognosis 'major tissue loss or permanent nerve damage inevitable' (ACC/AHA, RCEM) "
            "vs 'inevitable high-level amputation or permanent nerve damage' (McMaster); we keep "
            "the 1997 wording"
        ),
    ),
)

ALI_BY_CATEGORY = {row.category: row for row in ALI_ROWS}

# Row whose sensory / motor column holds each finding (ordinal 0 = I … 3 = III). "none" also sits
# in the IIa sensory and motor columns; the arterial Doppler separates I from IIa.
SENSORY_RANK = {
    "none": 0,
    "toes_only": 1,
    "beyond_toes_with_rest_pain": 2,
    "profound_anaesthetic": 3,
}
MOTOR_RANK = {"none": 0, "mild_moderate": 2, "profound_paralysis_rigor": 3}
CATEGORY_BY_RANK = ("I", "IIa", "IIb", "III")

# Our rules where the table is silent (documented in docs/classification/ali.md):
WORST_FINDING_RULE = (
    "sensory and motor findings in different rows among I–IIb: the more severe row governs"
)
FULL_PICTURE_RULE = (
    "category III (irreversible) is given only for the complete picture of its row: profound "
    "anaesthesia, paralysis and inaudible arterial and venous signals"
)
