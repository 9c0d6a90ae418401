"""Which conference a case goes to, and which recommendations put it there.

The rules that call for conference review (WIfI stage 4, GLASS III, an `indeterminate` strategy,
a proposed major amputation) are the pathway engine's; here a case is flagged by any current
recommendation of the `conference_review` category that no clinician has overridden.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import RecommendationState

CONFERENCE_REVIEW = "conference_review"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def next_conference_on(*, on_or_after: date, weekday: str) -> date:
    """The first conference day (a weekly `weekday`, site-local) on or after a date."""
    try:
        target = WEEKDAYS.index(weekday)
    except ValueError:
        raise InvalidInput("conference_weekday", weekday, ", ".join(WEEKDAYS)) from None
    return on_or_after + timedelta(days=(target - on_or_after.weekday()) % 7)


def flags_conference(*, category: str, state: RecommendationState) -> bool:
    """True for a conference-review recommendation a clinician has not overridden."""
    return category == CONFERENCE_REVIEW and state is not RecommendationState.OVERRIDDEN


def is_conference_day(*, day: date, weekday: str) -> bool:
    """True when `day` is the site's conference weekday."""
    return next_conference_on(on_or_after=day, weekday=weekday) == day


def merge_triggers(
    existing: Iterable[dict[str, object]], fresh: Iterable[dict[str, object]]
) -> list[dict[str, object]]:
    """Triggers of a case, each recommendation once, in the order first seen."""
    merged: dict[object, dict[str, object]] = {}
    for trigger in [*existing, *fresh]:
        merged.setdefault(trigger["recommendation_id"], trigger)
    return list(merged.values())
