"""The registry's code set: SNOMED CT, ICD-10-CM, LOINC and CPT numbers for our coded values.

Versioned data, one `Code` per (our value, system). Every code carries how it was checked:

- `verified-in-source`: read in the code system's own publication;
- `from-reproduction`: read in a third-party copy (a coding reference, another project's
  value set or concept map) — likely right, to be confirmed against the release;
- `unverified`: no source confirmed it here; kept so the gap is visible, never used silently.

CPT numbers are given by date of service (`valid_from`, `valid_to`) and **without** their
descriptors, which the AMA licenses; `display` is always None for CPT. No code was invented:
where no code could be found, the value has no entry and `gaps` says so.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from limbsalvage.core.vocabulary import (
    AmputationLevel,
    DeathCause,
    OutcomeEventKind,
    ProcedureKind,
)


class CodeSystem(StrEnum):
    """Code systems, by their FHIR system URI."""

    SNOMED_CT = "http://snomed.info/sct"
    LOINC = "http://loinc.org"
    ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
    CPT = "http://www.ama-assn.org/go/cpt"


class Verification(StrEnum):
    """How a code was checked."""

    VERIFIED_IN_SOURCE = "verified-in-source"
    FROM_REPRODUCTION = "from-reproduction"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Code:
    """One code of one system for one of our values, with its provenance."""

    system: CodeSystem
    code: str
    display: str | None
    verification: Verification
    source: str
    valid_from: date | None = None  # CPT: first date of service (None: before our records)
    valid_to: date | None = None  # CPT: last date of service (None: still valid)
    note: str = ""

    def valid_on(self, on: date) -> bool:
        """Whether the code applies to a service on `on`."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on <= self.valid_to


Key = tuple[str, str]  # (vocabulary class name, code value)


def key(value: StrEnum) -> Key:
    """The mapping key of one of our coded values (class-qualified: values repeat across enums)."""
    return (type(value).__name__, value.value)


FHIR_CONCEPT_MAP = (
    "a FHIR ConceptMap of SNOMED CT procedure terms (fully specified names) in a public repository"
)
CPT_REFERENCE = (
    "CMS short descriptors as reproduced by coding references (rvuedge, datalilyai, aapc)"
)
ICD_LIST = "ICD-10-CM Z89 list reproduced in public HCC value lists"
ICD_LISTS = "ICD-10-CM code lists with their titles in several public repositories"
LER_2026 = (
    "CPT 2026 restructured lower-extremity endovascular revascularisation: 37220–37235 valid "
    "for services to 2025-12-31, replaced from 2026-01-01 by 37254–37299 by territory and lesion "
    "complexity (coding references: americanmedicalcoding.com, codingclarified.com, "
    "evtoday.com 2011 for the start date)"
)
# Not mapped (docs/registry/coding.md): each 2026 code names a territory (iliac 37254–37262,
# femoral/popliteal 37263–37279, tibial/peroneal 37280–37294, inframalleolar 37296–37298, as
# summarised in an SCAI course sheet), initial or additional vessel, straightforward (stenosis)
# or complex (occlusion) lesion, and the combination of angioplasty, stent and atherectomy done
# in that vessel. Only a few single descriptors were readable (e.g. 37264, 37265, 37276), not
# the table; a code per procedure row would need the whole table and is left unmapped.

SNOMED = CodeSystem.SNOMED_CT
ICD = CodeSystem.ICD10CM
CPT = CodeSystem.CPT
REPRO = Verification.FROM_REPRODUCTION
UNVERIFIED = Verification.UNVERIFIED

_MAPPINGS: dict[Key, tuple[Code, ...]] = {
    key(ProcedureKind.AMPUTATION): (
        Code(SNOMED, "81723002", "Amputation (procedure)", REPRO, FHIR_CONCEPT_MAP),
    ),
    key(ProcedureKind.ANGIOPLASTY): (
        Code(
            SNOMED, "418285008", "Angioplasty of blood vessel (procedure)", REPRO, FHIR_CONCEPT_MAP
        ),
        Code(
            CPT,
            "37224",
            None,
            UNVERIFIED,
            LER_2026,
            valid_from=date(2011, 1, 1),
            valid_to=date(2025, 12, 31),
            note="femoral/popliteal territory only; other territories have their own codes",
        ),
    ),
    key(ProcedureKind.STENT): (
        Code(
            CPT,
            "37226",
            None,
            REPRO,
            "medcoder.ai reproduction of the 2011–2025 family; " + LER_2026,
            valid_from=date(2011, 1, 1),
            valid_to=date(2025, 12, 31),
            note="femoral/popliteal territory only",
        ),
    ),
    key(ProcedureKind.ATHERECTOMY): (
        Code(SNOMED, "6832004", "Atherectomy (procedure)", REPRO, FHIR_CONCEPT_MAP),
    ),
    key(ProcedureKind.THROMBECTOMY): (
        Code(
            SNOMED,
            "43810009",
            "Thrombectomy (procedure)",
            REPRO,
            "a SNOMED CT constant with its fully specified name in a public test suite",
        ),
    ),
    key(ProcedureKind.DEBRIDEMENT): (
        Code(
            SNOMED,
            "36777000",
            "Debridement (procedure)",
            REPRO,
            "several public SNOMED CT pick-lists with the fully specified name",
            note="one other public list gives 274025005 for this term; to settle in the release",
        ),
    ),
}

_AMPUTATION_LEVEL_CODES: dict[AmputationLevel, tuple[Code, ...]] = {
    AmputationLevel.TOE: (
        Code(SNOMED, "371186005", "Amputation of toe (procedure)", REPRO, FHIR_CONCEPT_MAP),
        Code(CPT, "28820", None, REPRO, CPT_REFERENCE, note="at the metatarsophalangeal joint"),
        Code(CPT, "28825", None, REPRO, CPT_REFERENCE, note="at an interphalangeal joint"),
        Code(
            ICD,
            "Z89.411",
            "Acquired absence of right great toe",
            REPRO,
            ICD_LIST,
            note="status after the amputation; other toes are Z89.421 / Z89.422",
        ),
        Code(
            ICD,
            "Z89.412",
            "Acquired absence of left great toe",
            REPRO,
            ICD_LIST,
            note="status after the amputation; other toes are Z89.421 / Z89.422",
        ),
        Code(ICD, "Z89.421", "Acquired absence of other right toe(s)", REPRO, ICD_LIST),
        Code(ICD, "Z89.422", "Acquired absence of other left toe(s)", REPRO, ICD_LIST),
    ),
    AmputationLevel.RAY: (Code(CPT, "28810", None, REPRO, CPT_REFERENCE),),
    AmputationLevel.TRANSMETATARSAL: (Code(CPT, "28805", None, REPRO, CPT_REFERENCE),),
    AmputationLevel.CHOPART: (Code(CPT, "28800", None, REPRO, CPT_REFERENCE),),
    AmputationLevel.SYME: (Code(CPT, "27888", None, REPRO, CPT_REFERENCE),),
    AmputationLevel.BELOW_KNEE: (
        Code(
            SNOMED,
            "88312006",
            "Amputation of leg through tibia and fibula (procedure)",
            REPRO,
            FHIR_CONCEPT_MAP,
        ),
        Code(CPT, "27880", None, REPRO, CPT_REFERENCE),
        Code(
            ICD,
            "Z89.511",
            "Acquired absence of right leg below knee",
            REPRO,
            ICD_LIST,
            note="status after the amputation, right side",
        ),
        Code(
            ICD,
            "Z89.512",
            "Acquired absence of left leg below knee",
            REPRO,
            ICD_LIST,
            note="status after the amputation, left side",
        ),
    ),
    AmputationLevel.ABOVE_KNEE: (
        Code(SNOMED, "79733001", "Amputation above-knee (procedure)", REPRO, FHIR_CONCEPT_MAP),
        Code(CPT, "27590", None, REPRO, CPT_REFERENCE),
        Code(
            ICD,
            "Z89.611",
            "Acquired absence of right leg above knee",
            REPRO,
            ICD_LIST,
            note="status after the amputation, right side",
        ),
        Code(
            ICD,
            "Z89.612",
            "Acquired absence of left leg above knee",
            REPRO,
            ICD_LIST,
            note="status after the amputation, left side",
        ),
    ),
    AmputationLevel.KNEE_DISARTICULATION: (
        Code(
            CPT,
            "27598",
            None,
            REPRO,
            CPT_REFERENCE + "; a coding Q&A (codingmastery.com) on amputation through the knee",
            note="SNOMED CT and ICD-10-CM not looked up",
        ),
    ),
    AmputationLevel.HIP_DISARTICULATION: (
        Code(
            CPT,
            "27295",
            None,
            REPRO,
            "a coding reference's summary of the code (mirahealth.care), CMS data reproduced",
            note="one reproduction only; SNOMED CT and ICD-10-CM not looked up",
        ),
    ),
    AmputationLevel.HEMIPELVECTOMY: (
        Code(
            CPT,
            "27290",
            None,
            UNVERIFIED,
            CPT_REFERENCE,
            note="the reproduced short descriptor reads 'amputation of leg at hip'; that it is "
            "the interpelviabdominal (hindquarter) code is not confirmed",
        ),
    ),
}
_MAPPINGS.update({key(level): codes for level, codes in _AMPUTATION_LEVEL_CODES.items()})

_EVENT_CODES: dict[OutcomeEventKind, tuple[Code, ...]] = {
    OutcomeEventKind.DEATH: (
        Code(
            SNOMED,
            "419620001",
            "Death (event)",
            REPRO,
            "UMLS-to-SNOMED table and FHIR examples in public repositories",
        ),
    ),
    OutcomeEventKind.MYOCARDIAL_INFARCTION: (
        Code(
            SNOMED,
            "22298006",
            "Myocardial infarction (disorder)",
            REPRO,
            "several public SNOMED value lists",
        ),
        Code(
            ICD,
            "I21.9",
            "Acute myocardial infarction, unspecified",
            REPRO,
            ICD_LISTS,
            note="unspecified type; a specific I21.- code is preferred when known",
        ),
    ),
    OutcomeEventKind.STROKE: (
        Code(
            SNOMED,
            "230690007",
            "Cerebrovascular accident (disorder)",
            REPRO,
            "several public SNOMED value lists",
        ),
        Code(
            ICD,
            "I63.9",
            "Cerebral infarction, unspecified",
            REPRO,
            ICD_LISTS,
            note="ischaemic stroke only; haemorrhagic strokes are coded in I60–I62",
        ),
    ),
    OutcomeEventKind.MAJOR_AMPUTATION: (
        Code(
            SNOMED,
            "397117006",
            "Amputation of lower limb (procedure)",
            REPRO,
            FHIR_CONCEPT_MAP,
            note="the level is coded on the amputation level",
        ),
    ),
}
_MAPPINGS.update({key(kind): codes for kind, codes in _EVENT_CODES.items()})

MAPPINGS: Mapping[Key, tuple[Code, ...]] = MappingProxyType(_MAPPINGS)

CODE_SET_ID = "limbsalvage-codes"
CODE_SET_VERSION = "2026.2"

# Values of our vocabularies the code set covers, and why some have no code yet.
COVERED_VOCABULARIES: tuple[type[StrEnum], ...] = (
    ProcedureKind,
    AmputationLevel,
    OutcomeEventKind,
    DeathCause,
)
GAPS: Mapping[Key, str] = MappingProxyType(
    {
        key(AmputationLevel.LISFRANC): "no distinct CPT code found for a tarsometatarsal "
        "disarticulation; SNOMED not looked up",
        key(ProcedureKind.BYPASS): "codes depend on inflow, outflow and conduit; not mapped",
        key(ProcedureKind.ENDARTERECTOMY): "only carotid endarterectomy codes were found",
        key(DeathCause.CARDIOVASCULAR): "cause categories are PARC's, not a code system's",
    }
)


def codes_for(
    value: StrEnum, *, system: CodeSystem | None = None, on: date | None = None
) -> tuple[Code, ...]:
    """The codes of one of our values (of one system; valid on a date of service)."""
    found = MAPPINGS.get(key(value), ())
    return tuple(
        c
        for c in found
        if (system is None or c.system is system) and (on is None or c.valid_on(on))
    )


def gap(value: StrEnum) -> str | None:
    """Why a value has no code (None when it has codes or no gap is recorded)."""
    return GAPS.get(key(value))
