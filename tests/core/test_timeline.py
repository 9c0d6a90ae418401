"""Date-order and amputation rules of the registry timeline (our rules; see
docs/registry/procedures-and-events.md). Major amputation per PARC 2015 (Patel, JACC
2015;65:931–41, table 6)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.timeline import (
    PATIENT_EVENTS,
    RESIDUAL_LIMB_PROCEDURES,
    LimbItem,
    check_after_major_amputation,
    check_dates,
)
from limbsalvage.core.vocabulary import AmputationLevel, OutcomeEventKind, ProcedureKind

TODAY = date(2026, 3, 2)
BIRTH = date(1950, 1, 1)
BKA = LimbItem(
    "procedure 1",
    date(2026, 1, 10),
    ProcedureKind.AMPUTATION,
    AmputationLevel.BELOW_KNEE,
    major_amputation=True,
)


def _dates(on: date, **kwargs: object) -> list[str]:
    values: dict[str, object] = {"today": TODAY, "birth_date": BIRTH, "death_date": None}
    values.update(kwargs)
    return [b.rule for b in check_dates(field="performed_on", on=on, **values)]  # type: ignore[arg-type]


def test_dates_in_order_pass() -> None:
    assert _dates(date(2026, 1, 1), presented_on=date(2025, 12, 1)) == []


def test_each_date_rule() -> None:
    assert _dates(date(2026, 3, 3)) == ["not_future"]
    assert _dates(date(1949, 12, 31)) == ["after_birth"]
    assert _dates(date(2025, 1, 1), presented_on=date(2025, 2, 1)) == ["after_presentation"]
    assert _dates(date(2025, 6, 2), death_date=date(2025, 6, 1)) == ["nothing_after_death"]
    assert _dates(date(2025, 6, 1), death_date=date(2025, 6, 1)) == []
    assert _dates(date(2025, 6, 1), death_date=date(2025, 6, 1), allow_on_death_date=False) == [
        "nothing_after_death"
    ]
    breach = check_dates(
        field="occurred_on", on=date(2030, 1, 1), today=TODAY, birth_date=BIRTH, death_date=None
    )[0]
    assert (breach.field, breach.message) == (
        "occurred_on",
        "must not be in the future (after 2026-03-02)",
    )


def _after(
    kind: ProcedureKind | OutcomeEventKind, level: AmputationLevel | None = None
) -> LimbItem:
    return LimbItem("outcome event 9", date(2026, 2, 1), kind, level)


def test_nothing_below_a_major_amputation_after_it() -> None:
    refused = [
        _after(ProcedureKind.ANGIOPLASTY),
        _after(ProcedureKind.AMPUTATION, AmputationLevel.TOE),
        _after(ProcedureKind.AMPUTATION, AmputationLevel.BELOW_KNEE),
        _after(OutcomeEventKind.WOUND_HEALED),
        _after(OutcomeEventKind.MINOR_AMPUTATION, AmputationLevel.RAY),
        _after(OutcomeEventKind.REINTERVENTION),
    ]
    for item in refused:
        (breach,) = check_after_major_amputation(field="f", candidate=item, others=[BKA])
        assert breach.rule == "nothing_below_major_amputation"
        assert "major amputation before this date (procedure 1)" in breach.message
    allowed = [
        _after(ProcedureKind.AMPUTATION, AmputationLevel.ABOVE_KNEE),
        _after(OutcomeEventKind.MAJOR_AMPUTATION, AmputationLevel.KNEE_DISARTICULATION),
        _after(ProcedureKind.DEBRIDEMENT),
        _after(OutcomeEventKind.DEATH),
        _after(OutcomeEventKind.READMISSION),
    ]
    for item in allowed:
        assert check_after_major_amputation(field="f", candidate=item, others=[BKA]) == []


def test_a_new_major_amputation_is_refused_when_later_records_would_lie_below_it() -> None:
    later = LimbItem("procedure 4", date(2026, 2, 1), ProcedureKind.STENT)
    (breach,) = check_after_major_amputation(field="performed_on", candidate=BKA, others=[later])
    assert breach.field == "performed_on"
    assert "would leave procedure 4 after it" in breach.message


@given(st.integers(-400, 0), st.sampled_from(list(ProcedureKind)))
def test_nothing_on_or_before_the_amputation_day_is_refused(days: int, kind: ProcedureKind) -> None:
    item = LimbItem("procedure 5", BKA.on + timedelta(days=days), kind)
    assert check_after_major_amputation(field="f", candidate=item, others=[BKA]) == []


@given(st.integers(1, 400), st.sampled_from(list(ProcedureKind) + list(OutcomeEventKind)))
def test_after_the_amputation_only_the_allowed_kinds_pass(
    days: int, kind: ProcedureKind | OutcomeEventKind
) -> None:
    item = LimbItem("x", BKA.on + timedelta(days=days), kind)
    breaches = check_after_major_amputation(field="f", candidate=item, others=[BKA])
    assert (breaches == []) is (kind in RESIDUAL_LIMB_PROCEDURES or kind in PATIENT_EVENTS)


def test_minor_amputations_restrict_nothing() -> None:
    toe = LimbItem("procedure 2", date(2026, 1, 1), ProcedureKind.AMPUTATION, AmputationLevel.TOE)
    later = LimbItem("procedure 3", date(2026, 2, 1), ProcedureKind.BYPASS)
    assert check_after_major_amputation(field="f", candidate=later, others=[toe]) == []
