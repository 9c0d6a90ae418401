"""Clark's completeness index on hand-built cohorts (Clark, Altman, De Stavola 2002)."""

import pytest

from limbsalvage.core.outcomes.completeness import CLARK_2002, follow_up_completeness
from limbsalvage.core.outcomes.endpoints import TimeZero

from .timelines import day, limb, vein_bypass


def test_observed_over_potential_person_time() -> None:
    # Died on day 100: observed = potential = 100. Last seen day 200 of 365: 200 of 365.
    # Followed to the closing date: 365 of 365. Never seen again: 0 of 365.
    timelines = [
        limb(limb_id="A", died=100),
        limb(limb_id="B", alive_until=200),
        limb(limb_id="C", alive_until=400),
        limb(limb_id="D"),
    ]
    result = follow_up_completeness(timelines, closing_date=day(365))
    assert result.limbs == 4
    assert result.observed_days == 100 + 200 + 365 + 0
    assert result.potential_days == 100 + 365 + 365 + 365
    assert result.index == pytest.approx(665 / 1195)
    assert result.limbs_without_follow_up == 1
    assert result.excluded == ()


def test_a_death_after_the_closing_date_counts_as_complete_to_closing() -> None:
    result = follow_up_completeness([limb(died=500)], closing_date=day(365))
    assert (result.observed_days, result.potential_days) == (365, 365)


def test_limbs_that_cannot_be_placed_are_listed_not_counted() -> None:
    result = follow_up_completeness(
        [limb(limb_id="X", died=-3), limb(limb_id="Y", alive_until=10)],
        closing_date=day(10),
    )
    assert result.limbs == 1
    assert [e.limb_id for e in result.excluded] == ["X"]


def test_no_potential_time_gives_no_index() -> None:
    result = follow_up_completeness([limb()], closing_date=day(0))
    assert result.index is None


def test_time_zero_at_the_index_procedure() -> None:
    timelines = [limb(alive_until=100, procedures=(vein_bypass(40),)), limb(alive_until=50)]
    result = follow_up_completeness(
        timelines, closing_date=day(140), time_zero=TimeZero.INDEX_PROCEDURE
    )
    assert (result.limbs, result.observed_days, result.potential_days) == (1, 60, 100)
    assert len(result.excluded) == 1


def test_cites_clark() -> None:
    assert "Lancet 2002;359:1309" in CLARK_2002.cite()
