"""The code set: every code has a verification status and a source; CPT by date of service,
without descriptors; nothing silently missing (values without codes are listed as gaps)."""

import re
from datetime import date

import pytest

from limbsalvage.coding import codes
from limbsalvage.coding.codes import CodeSystem, Verification, codes_for, gap
from limbsalvage.core.vocabulary import AmputationLevel, DeathCause, OutcomeEventKind, ProcedureKind

ALL = [(k, c) for k, found in codes.MAPPINGS.items() for c in found]

FORMATS = {
    CodeSystem.SNOMED_CT: r"\d{6,18}",
    CodeSystem.ICD10CM: r"[A-Z]\d{2}(\.[0-9A-Z]{1,4})?",
    CodeSystem.LOINC: r"\d{1,7}-\d",
    CodeSystem.CPT: r"\d{4}[0-9FTU]",
}


@pytest.mark.parametrize(("mapping_key", "code"), ALL, ids=[f"{k[1]}-{c.code}" for k, c in ALL])
def test_every_code_has_a_status_a_source_and_a_valid_format(
    mapping_key: tuple[str, str], code: codes.Code
) -> None:
    assert code.verification in set(Verification)
    assert code.source.strip()
    assert re.fullmatch(FORMATS[code.system], code.code), code.code
    if code.system is CodeSystem.CPT:
        assert code.display is None  # licensed descriptors are never stored
    else:
        assert code.display
    if code.valid_from is not None and code.valid_to is not None:
        assert code.valid_from <= code.valid_to


def test_keys_are_our_values() -> None:
    known = {(v.__name__, m.value) for v in codes.COVERED_VOCABULARIES for m in v}
    assert set(codes.MAPPINGS) <= known
    assert set(codes.GAPS) <= known
    assert not set(codes.MAPPINGS) & set(codes.GAPS)


def test_nothing_is_marked_verified_in_source_without_saying_so() -> None:
    # No code could be read in a code system's own release here; the statuses say so.
    assert {c.verification for _, c in ALL} <= {
        Verification.FROM_REPRODUCTION,
        Verification.UNVERIFIED,
    }


def test_lookup_by_system() -> None:
    snomed = codes_for(AmputationLevel.BELOW_KNEE, system=CodeSystem.SNOMED_CT)
    assert [c.code for c in snomed] == ["88312006"]
    assert [c.code for c in codes_for(AmputationLevel.BELOW_KNEE, system=CodeSystem.CPT)] == [
        "27880"
    ]
    assert len(codes_for(AmputationLevel.BELOW_KNEE)) == 4
    assert [c.code for c in codes_for(OutcomeEventKind.STROKE)] == ["230690007", "I63.9"]


def test_cpt_by_date_of_service() -> None:
    # 37220–37235 ended with 2025; from 2026 the 37254–37299 family applies (not yet mapped).
    assert [c.code for c in codes_for(ProcedureKind.STENT, on=date(2025, 12, 31))] == ["37226"]
    assert codes_for(ProcedureKind.STENT, on=date(2026, 1, 1)) == ()
    assert codes_for(ProcedureKind.STENT, on=date(2010, 12, 31)) == ()
    toe = codes_for(AmputationLevel.TOE, system=CodeSystem.CPT, on=date(2026, 2, 1))
    assert [c.code for c in toe] == ["28820", "28825"]


def test_values_without_codes_are_explained() -> None:
    assert codes_for(AmputationLevel.LISFRANC) == ()
    assert gap(AmputationLevel.LISFRANC) is not None
    assert "PARC" in (gap(DeathCause.CARDIOVASCULAR) or "")
    assert gap(AmputationLevel.BELOW_KNEE) is None
    assert codes.CODE_SET_VERSION == "2026.2"


def test_knee_and_hip_disarticulation_cpt_from_reproductions() -> None:
    # CPT 27598 "disarticulation at knee" and 27295 hip disarticulation, read in coding
    # references reproducing CMS data (numbers only; the descriptors are the AMA's).
    (knee,) = codes_for(AmputationLevel.KNEE_DISARTICULATION, system=CodeSystem.CPT)
    (hip,) = codes_for(AmputationLevel.HIP_DISARTICULATION, system=CodeSystem.CPT)
    assert (knee.code, hip.code) == ("27598", "27295")
    assert {knee.verification, hip.verification} == {Verification.FROM_REPRODUCTION}
    assert knee.display is None
    assert hip.display is None
    assert gap(AmputationLevel.KNEE_DISARTICULATION) is None
