"""Conference dates (weekly, site-local) and the recommendations that flag a case."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.coordination.conference import (
    CONFERENCE_REVIEW,
    WEEKDAYS,
    flags_conference,
    is_conference_day,
    merge_triggers,
    next_conference_on,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import RecommendationState


def test_next_conference_day() -> None:
    monday = date(2026, 3, 2)
    assert next_conference_on(on_or_after=monday, weekday="wednesday") == date(2026, 3, 4)
    assert next_conference_on(on_or_after=monday, weekday="monday") == monday
    assert next_conference_on(on_or_after=monday, weekday="sunday") == date(2026, 3, 8)
    assert is_conference_day(day=monday, weekday="monday")
    assert not is_conference_day(day=monday, weekday="friday")
    with pytest.raises(InvalidInput, match="conference_weekday: 'weds' is not allowed"):
        next_conference_on(on_or_after=monday, weekday="weds")


def test_flagging() -> None:
    assert flags_conference(category=CONFERENCE_REVIEW, state=RecommendationState.PENDING)
    assert flags_conference(category=CONFERENCE_REVIEW, state=RecommendationState.ACCEPTED)
    assert not flags_conference(category=CONFERENCE_REVIEW, state=RecommendationState.OVERRIDDEN)
    assert not flags_conference(category="imaging", state=RecommendationState.PENDING)


def test_triggers_merge_once_per_recommendation() -> None:
    old = [{"recommendation_id": 1, "rule_id": "a", "text": "x"}]
    new = [
        {"recommendation_id": 1, "rule_id": "a", "text": "x"},
        {"recommendation_id": 2, "rule_id": "b", "text": "y"},
    ]
    assert [t["recommendation_id"] for t in merge_triggers(old, new)] == [1, 2]


@given(day=st.dates(max_value=date(9999, 12, 24)), weekday=st.sampled_from(WEEKDAYS))
def test_property_next_conference_is_that_weekday_within_a_week(day: date, weekday: str) -> None:
    on = next_conference_on(on_or_after=day, weekday=weekday)
    assert on.weekday() == WEEKDAYS.index(weekday)
    assert timedelta(0) <= on - day < timedelta(days=7)
