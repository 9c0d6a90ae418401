"""Time-to-treatment — targets from the VSGBI PAD QIF 2019 (CLTI: revascularisation within
5 days on the admitted and 14 days on the non-admitted pathway; 7 days referral → outpatient
consultation as summarised by Nickinson 2021), counted in site-local calendar days."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.coordination.time_to_treatment import (
    DEFAULT_TARGETS,
    IMAGING_EVENTS,
    MEASURES,
    QIF_TARGETS,
    REVASCULARIZATION_EVENTS,
    Breach,
    EpisodeDates,
    Status,
    Target,
    local_date,
    targets_from_config,
    time_to_treatment,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, ImagingModality, ProcedureKind

NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def measures(dates: EpisodeDates, zone: ZoneInfo = NEW_YORK, as_of: datetime = AS_OF) -> dict:
    return {m.measure_id: m for m in time_to_treatment(dates=dates, zone=zone, as_of=as_of)}


def episode(**changes: object) -> EpisodeDates:
    values: dict[str, object] = {
        "cause": EpisodeCause.CLTI,
        "setting": CareSetting.OUTPATIENT,
        "presented_on": date(2026, 3, 2),
    }
    values.update(changes)
    return EpisodeDates(**values)  # type: ignore[arg-type]


def test_targets_pinned_with_sources() -> None:
    by_setting = {
        (t.measure_id, t.setting): t.days for t in DEFAULT_TARGETS if t.causes == {"clti"}
    }
    assert by_setting == {
        ("presentation_to_revascularization", CareSetting.INPATIENT): 5,
        ("presentation_to_revascularization", CareSetting.OUTPATIENT): 14,
        ("referral_to_first_visit", CareSetting.OUTPATIENT): 7,
    }
    assert "Peripheral Arterial Disease" in DEFAULT_TARGETS[0].citation
    assert "Nickinson" in DEFAULT_TARGETS[2].citation
    assert QIF_TARGETS.ref == "time-to-treatment-targets@2019.1"
    assert "sources-to-verify" in QIF_TARGETS.checked
    assert [m.measure_id for m in MEASURES] == [
        "referral_to_first_visit",
        "presentation_to_imaging",
        "presentation_to_revascularization",
    ]


def test_days_are_counted_in_the_sites_local_dates() -> None:
    # 23:30 on 1 March in New York is already 2 March in UTC.
    received = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
    seen = datetime(2026, 3, 9, 5, 30, tzinfo=UTC)  # 00:30 on 9 March in New York
    dates = episode(referral_received=received, first_visit=seen)
    in_new_york = measures(dates)["referral_to_first_visit"]
    assert (in_new_york.start_on, in_new_york.end_on) == (date(2026, 3, 1), date(2026, 3, 9))
    assert in_new_york.days == 8
    assert in_new_york.breach is Breach.BREACHED
    assert in_new_york.breached
    in_utc = measures(dates, zone=ZoneInfo("UTC"))["referral_to_first_visit"]
    assert in_utc.days == 7
    assert in_utc.breach is Breach.MET
    in_auckland = measures(dates, zone=AUCKLAND)["referral_to_first_visit"]
    assert (in_auckland.start_on, in_auckland.days) == (date(2026, 3, 2), 7)


def test_a_daylight_saving_change_does_not_shift_the_day_count() -> None:
    # Clocks in London go forward on 29 March 2026: 23 local hours that day.
    dates = episode(
        setting=CareSetting.INPATIENT,
        presented_on=date(2026, 3, 28),
        first_revascularization=datetime(2026, 4, 2, 0, 30, tzinfo=LONDON),
    )
    result = measures(dates, zone=LONDON, as_of=datetime(2026, 4, 3, tzinfo=UTC))
    revasc = result["presentation_to_revascularization"]
    assert (revasc.days, revasc.target.days, revasc.breach) == (5, 5, Breach.MET)
    assert revasc.message == "5 days (target ≤5 days): met"


def test_missing_dates_are_never_zero() -> None:
    result = measures(episode(first_imaging=date(2026, 3, 4)))
    referral = result["referral_to_first_visit"]
    assert (referral.status, referral.days, referral.breach) == (
        Status.UNKNOWN,
        None,
        Breach.NOT_ASSESSABLE,
    )
    assert referral.message == "unknown: referral_received is not recorded"
    imaging = result["presentation_to_imaging"]
    assert (imaging.status, imaging.days, imaging.breach) == (Status.DONE, 2, Breach.NO_TARGET)
    revasc = result["presentation_to_revascularization"]
    assert (revasc.status, revasc.days, revasc.elapsed_days) == (Status.NOT_YET, None, 18)
    assert revasc.breach is Breach.BREACHED  # 18 days so far against 14
    assert revasc.message == "not yet: 18 days so far (target ≤14 days): breached"


def test_not_yet_within_target_is_on_track() -> None:
    result = measures(episode(presented_on=date(2026, 3, 15)))
    revasc = result["presentation_to_revascularization"]
    assert (revasc.status, revasc.elapsed_days, revasc.breach) == (
        Status.NOT_YET,
        5,
        Breach.ON_TRACK,
    )
    assert not revasc.breached


def test_closed_episode_without_the_event_is_not_recorded() -> None:
    result = measures(episode(closed_on=date(2026, 3, 10)))
    revasc = result["presentation_to_revascularization"]
    assert (revasc.status, revasc.breach) == (Status.NOT_RECORDED, Breach.NOT_ASSESSABLE)
    assert "closed without first_revascularization" in revasc.message


def test_contradictory_dates_are_a_conflict() -> None:
    before = measures(episode(first_imaging=date(2026, 3, 1)))["presentation_to_imaging"]
    assert (before.status, before.days) == (Status.CONFLICT, None)
    assert before.message == "conflict: first_imaging is before presentation"
    future = measures(episode(presented_on=date(2026, 3, 25)))["presentation_to_imaging"]
    assert future.status is Status.CONFLICT
    assert "after the date of the report" in future.message


def test_targets_depend_on_setting_and_cause() -> None:
    inpatient = measures(episode(setting=CareSetting.INPATIENT, presented_on=date(2026, 3, 14)))
    assert inpatient["presentation_to_revascularization"].target.days == 5
    assert inpatient["presentation_to_revascularization"].breach is Breach.BREACHED
    assert inpatient["referral_to_first_visit"].target is None
    venous = measures(episode(cause=EpisodeCause.VENOUS))
    assert venous["presentation_to_revascularization"].breach is Breach.NO_TARGET
    assert venous["presentation_to_revascularization"].message.endswith("no_target")


def test_naive_instants_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"first_visit: .* timezone-aware instant"):
        measures(episode(referral_received=date(2026, 3, 1), first_visit=datetime(2026, 3, 3)))
    with pytest.raises(InvalidInput, match="as_of"):
        time_to_treatment(dates=episode(), zone=NEW_YORK, as_of=datetime(2026, 3, 3))
    assert local_date(date(2026, 3, 3), NEW_YORK, "x") == date(2026, 3, 3)


def test_json_form() -> None:
    result = measures(episode(first_imaging=date(2026, 3, 4)))
    as_json = result["presentation_to_revascularization"].as_dict()
    assert as_json["status"] == "not_yet"
    assert as_json["end_on"] is None
    assert as_json["target"]["causes"] == ["clti"]
    assert as_json["target"]["setting"] == "outpatient"
    imaging = result["presentation_to_imaging"].as_dict()
    assert (imaging["start_on"], imaging["end_on"], imaging["target"]) == (
        "2026-03-02",
        "2026-03-04",
        None,
    )
    assert Target(measure_id="presentation_to_imaging", days=1, citation="x").as_dict() == {
        "measure_id": "presentation_to_imaging",
        "days": 1,
        "setting": None,
        "causes": None,
        "citation": "x",
        "note": "",
    }


def test_site_targets_from_config() -> None:
    targets = targets_from_config(
        [
            {"measure_id": "presentation_to_imaging", "days": 2, "citation": "local policy"},
            {
                "measure_id": "presentation_to_revascularization",
                "days": 3,
                "setting": "inpatient",
                "causes": ["clti", "diabetic_foot"],
                "citation": " network standard 2025 ",
                "note": "stricter than the QIF",
            },
        ]
    )
    assert targets[0].setting is None
    assert targets[0].causes is None
    assert targets[1].causes == {EpisodeCause.CLTI, EpisodeCause.DIABETIC_FOOT}
    assert targets[1].citation == "network standard 2025"
    result = measures(
        episode(cause=EpisodeCause.DIABETIC_FOOT, setting=CareSetting.INPATIENT),
        as_of=datetime(2026, 3, 4, 12, tzinfo=UTC),
    )
    assert result["presentation_to_imaging"].target is None  # defaults: no imaging target
    custom = {
        m.measure_id: m
        for m in time_to_treatment(
            dates=episode(cause=EpisodeCause.DIABETIC_FOOT, setting=CareSetting.INPATIENT),
            zone=NEW_YORK,
            as_of=datetime(2026, 3, 4, 12, tzinfo=UTC),
            targets=targets,
        )
    }
    assert custom["presentation_to_imaging"].breach is Breach.ON_TRACK
    assert custom["presentation_to_revascularization"].target.days == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"measure_id": "x", "days": 1, "citation": "c"}, r"\[0\]\.measure_id: 'x'"),
        ({"measure_id": "presentation_to_imaging", "days": -1, "citation": "c"}, "days: -1"),
        ({"measure_id": "presentation_to_imaging", "days": True, "citation": "c"}, "days: True"),
        ({"measure_id": "presentation_to_imaging", "days": 1.5, "citation": "c"}, "days: 1.5"),
        ({"measure_id": "presentation_to_imaging", "days": 1}, "citation: None"),
        ({"measure_id": "presentation_to_imaging", "days": 1, "citation": " "}, "citation: ' '"),
        (
            {"measure_id": "presentation_to_imaging", "days": 1, "citation": "c", "x": 1},
            r"\[0\]\.x: 1 is not allowed; expected not a target field",
        ),
        (
            {"measure_id": "presentation_to_imaging", "days": 1, "citation": "c", "setting": "icu"},
            "setting: 'icu' is not allowed; expected empty or inpatient, outpatient",
        ),
        (
            {"measure_id": "presentation_to_imaging", "days": 1, "citation": "c", "causes": []},
            "causes: ",
        ),
        (
            {"measure_id": "presentation_to_imaging", "days": 1, "citation": "c", "causes": "clti"},
            "causes: 'clti'",
        ),
        (
            {
                "measure_id": "presentation_to_imaging",
                "days": 1,
                "citation": "c",
                "causes": ["gout"],
            },
            r"causes: \['gout'\]",
        ),
    ],
)
def test_bad_site_targets_are_named(row: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        targets_from_config([row])


ZONES = st.sampled_from([NEW_YORK, AUCKLAND, LONDON, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata")])
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 3, 19), timezones=st.just(UTC)
)
optional_moments = st.none() | st.dates(date(2025, 1, 1), date(2026, 3, 19)) | instants


@given(
    zone=ZONES,
    referral=optional_moments,
    visit=optional_moments,
    imaging=optional_moments,
    revasc=optional_moments,
    presented=st.dates(date(2025, 1, 1), date(2026, 3, 19)),
    setting=st.sampled_from(CareSetting),
    cause=st.sampled_from(EpisodeCause),
    closed=st.booleans(),
)
def test_property_every_measure_is_well_formed(
    *,
    zone: ZoneInfo,
    referral: date | None,
    visit: date | None,
    imaging: date | None,
    revasc: date | None,
    presented: date,
    setting: CareSetting,
    cause: EpisodeCause,
    closed: bool,
) -> None:
    dates = EpisodeDates(
        cause=cause,
        setting=setting,
        presented_on=presented,
        closed_on=presented + timedelta(days=30) if closed else None,
        referral_received=referral,
        first_visit=visit,
        first_imaging=imaging,
        first_revascularization=revasc,
    )
    for m in time_to_treatment(dates=dates, zone=zone, as_of=AS_OF):
        # a day count exists exactly when both dates are known and in order — never a 0 stand-in
        assert (m.days is not None) == (m.status is Status.DONE)
        if m.status is Status.DONE:
            assert m.start_on is not None
            assert m.end_on is not None
            assert m.days == (m.end_on - m.start_on).days >= 0
        if m.status is Status.UNKNOWN:
            assert m.start_on is None
        if m.status in (Status.UNKNOWN, Status.CONFLICT, Status.NOT_RECORDED):
            assert m.breach is Breach.NOT_ASSESSABLE
        if m.target is None:
            assert m.breach in (Breach.NO_TARGET, Breach.NOT_ASSESSABLE)
        counted = m.days if m.days is not None else m.elapsed_days
        if m.target is not None and counted is not None:
            assert m.breached == (counted > m.target.days)


def test_which_studies_and_procedures_count() -> None:
    assert ImagingModality.CT_ANGIOGRAPHY in IMAGING_EVENTS
    assert ImagingModality.PLAIN_RADIOGRAPH not in IMAGING_EVENTS
    assert ProcedureKind.ANGIOPLASTY in REVASCULARIZATION_EVENTS
    assert ProcedureKind.BYPASS in REVASCULARIZATION_EVENTS
    assert ProcedureKind.DEBRIDEMENT not in REVASCULARIZATION_EVENTS
    assert ProcedureKind.VENOUS_ABLATION not in REVASCULARIZATION_EVENTS
