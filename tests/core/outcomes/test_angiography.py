"""Angiography before major amputation (program metric).

Sources: GVG 2019 (Conte MS et al., J Vasc Surg 2019;69:3S–125S, doi:10.1016/j.jvs.2019.02.016)
good practice statements 6.15 (high-quality angiographic imaging, ankle and foot views, for every
CLTI patient who is a candidate for revascularization) and 6.19 (no patient called unsuitable for
revascularization without adequate-quality imaging): DSA, CT and MR angiography count, duplex is
reported apart. The metric follows Sanguily 2016 (Vasc Dis Manag 13:E112–9); the one-year
look-back follows Goodney 2012 (Circ Cardiovasc Qual Outcomes 5:94–102, care in the year before
major amputation).
"""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.outcomes.angiography import (
    AngiographyBeforeAmputation,
    angiography_before_major_amputation,
    first_major_amputation,
)
from limbsalvage.core.outcomes.timeline import EventRecord, ImagingRecord, LimbTimeline
from limbsalvage.core.tables.outcomes import (
    ANGIOGRAPHIC_MODALITIES,
    ANGIOGRAPHY_LOOKBACK_DAYS,
    ANGIOGRAPHY_TABLE,
    MajorAmputationDefinition,
)
from limbsalvage.core.vocabulary import AmputationLevel as Level
from limbsalvage.core.vocabulary import ImagingModality as Modality
from limbsalvage.core.vocabulary import OutcomeEventKind, ProcedureKind

from .timelines import day, procedure


def limb(
    name: str,
    *,
    amputation: tuple[int, Level] | None = None,
    imaging: tuple[tuple[int, Modality], ...] = (),
) -> LimbTimeline:
    procedures = ()
    if amputation is not None:
        procedures = (procedure(amputation[0], ProcedureKind.AMPUTATION, level=amputation[1]),)
    return LimbTimeline(
        limb_id=name,
        patient_id=name,
        presentation_date=day(0),
        procedures=procedures,
        imaging=tuple(ImagingRecord(on=day(n), modality=m) for n, m in imaging),
    )


def test_the_angiographic_modalities_and_window_are_the_cited_ones() -> None:
    assert {
        Modality.DIGITAL_SUBTRACTION_ANGIOGRAPHY,
        Modality.CT_ANGIOGRAPHY,
        Modality.MR_ANGIOGRAPHY,
    } == ANGIOGRAPHIC_MODALITIES
    assert Modality.DUPLEX_ULTRASOUND not in ANGIOGRAPHIC_MODALITIES
    assert ANGIOGRAPHY_LOOKBACK_DAYS == 365
    assert "6.15 and 6.19" in ANGIOGRAPHY_TABLE.cite()


def test_counts_amputations_with_angiography_in_the_year_before() -> None:
    below_knee = (400, Level.BELOW_KNEE)
    timelines = [
        limb(
            "dsa", amputation=below_knee, imaging=((380, Modality.DIGITAL_SUBTRACTION_ANGIOGRAPHY),)
        ),
        limb("cta-same-day", amputation=below_knee, imaging=((400, Modality.CT_ANGIOGRAPHY),)),
        limb("mra-a-year-before", amputation=below_knee, imaging=((35, Modality.MR_ANGIOGRAPHY),)),
        limb("too-old", amputation=below_knee, imaging=((34, Modality.CT_ANGIOGRAPHY),)),
        limb("after", amputation=below_knee, imaging=((401, Modality.CT_ANGIOGRAPHY),)),
        limb("duplex", amputation=below_knee, imaging=((390, Modality.DUPLEX_ULTRASOUND),)),
        limb("x-ray", amputation=below_knee, imaging=((390, Modality.PLAIN_RADIOGRAPH),)),
        limb("toe", amputation=(300, Level.TOE), imaging=()),
        limb("none"),
    ]
    result = angiography_before_major_amputation(timelines)
    assert result == AngiographyBeforeAmputation(
        amputations=7, with_angiography=3, duplex_only=1, lookback_days=365
    )
    assert result.share == 3 / 7


def test_event_amputations_the_first_one_and_the_period() -> None:
    by_event = LimbTimeline(
        limb_id="event",
        patient_id="event",
        presentation_date=day(0),
        events=(EventRecord(on=day(50), kind=OutcomeEventKind.MAJOR_AMPUTATION),),
        procedures=(procedure(90, ProcedureKind.AMPUTATION, level=Level.ABOVE_KNEE),),
        imaging=(ImagingRecord(on=day(10), modality=Modality.CT_ANGIOGRAPHY),),
    )
    assert first_major_amputation(by_event, MajorAmputationDefinition.ABOVE_ANKLE) == day(50)
    assert angiography_before_major_amputation([by_event]).with_angiography == 1
    assert angiography_before_major_amputation([by_event], start=day(51)).amputations == 0
    assert angiography_before_major_amputation([by_event], end=day(49)).amputations == 0
    assert (
        angiography_before_major_amputation([by_event], start=day(50), end=day(50)).amputations == 1
    )


def test_syme_is_major_only_under_parc_and_no_amputation_gives_no_share() -> None:
    syme = limb("syme", amputation=(20, Level.SYME), imaging=((10, Modality.CT_ANGIOGRAPHY),))
    assert angiography_before_major_amputation([syme]).amputations == 0
    assert angiography_before_major_amputation([syme]).share is None
    parc = MajorAmputationDefinition.ANKLE_OR_ABOVE
    assert angiography_before_major_amputation([syme], major_amputation=parc).share == 1.0


@given(
    st.lists(
        st.tuples(
            st.integers(0, 800),
            st.sampled_from(list(Level)),
            st.lists(st.tuples(st.integers(0, 800), st.sampled_from(list(Modality))), max_size=4),
        ),
        max_size=20,
    ),
    st.integers(0, 800),
)
def test_counts_are_consistent(
    rows: list[tuple[int, Level, list[tuple[int, Modality]]]], lookback: int
) -> None:
    timelines = [
        limb(f"L{i}", amputation=(n, level), imaging=tuple(imaging))
        for i, (n, level, imaging) in enumerate(rows)
    ]
    result = angiography_before_major_amputation(timelines, lookback_days=lookback)
    assert 0 <= result.with_angiography + result.duplex_only <= result.amputations <= len(rows)
    if result.share is not None:
        assert 0.0 <= result.share <= 1.0
    longer = angiography_before_major_amputation(timelines, lookback_days=lookback + 30)
    assert longer.with_angiography >= result.with_angiography
    assert timedelta(days=lookback).days == result.lookback_days
