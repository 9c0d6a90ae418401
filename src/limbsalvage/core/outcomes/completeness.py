"""Completeness of follow-up: observed over potential follow-up time (Clark's C).

Clark TG, Altman DG, De Stavola BL. Quantification of the completeness of follow-up. Lancet
2002;359:1309–10: C = Σ observed person-time / Σ potential person-time, where a subject's
potential follow-up runs from entry to the study's closing date, or to death when the death is
known and falls before it, and observed follow-up runs to the last contact (or death). Shown
beside every curve because incomplete follow-up biases survival estimates upwards (von Allmen
RS et al. PLoS One 2015;10:e0140817).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from limbsalvage.core.outcomes.endpoints import TimeZero, happenings
from limbsalvage.core.outcomes.timeline import LimbTimeline, TimelineError
from limbsalvage.core.sources import Source
from limbsalvage.core.tables.outcomes import DEFAULT_MAJOR_AMPUTATION

CLARK_2002 = Source(
    citation=(
        "Clark TG, Altman DG, De Stavola BL. Quantification of the completeness of follow-up. "
        "Lancet 2002;359:1309–10"
    ),
    doi="10.1016/S0140-6736(02)08272-7",
)


@dataclass(frozen=True)
class FollowUpCompleteness:
    """Clark's C for a group of limbs, with its parts."""

    limbs: int
    observed_days: int
    potential_days: int
    limbs_without_follow_up: int
    excluded: tuple[TimelineError, ...]

    @property
    def index(self) -> float | None:
        """Observed / potential follow-up time; None when there is no potential time."""
        if self.potential_days == 0:
            return None
        return self.observed_days / self.potential_days


def follow_up_completeness(
    timelines: Iterable[LimbTimeline],
    *,
    closing_date: date,
    time_zero: TimeZero = TimeZero.PRESENTATION,
) -> FollowUpCompleteness:
    """Clark's C at `closing_date` over the limbs (counting both limbs of a patient)."""
    observed = potential = limbs = without = 0
    excluded: list[TimelineError] = []
    for timeline in timelines:
        try:
            facts = happenings(
                timeline,
                time_zero=time_zero,
                major_amputation=DEFAULT_MAJOR_AMPUTATION,
                closing_date=closing_date,
            )
        except TimelineError as error:
            excluded.append(error)
            continue
        limbs += 1
        without += facts.missing_follow_up
        observed += (facts.follow_up_end - facts.time_zero).days
        potential_end = facts.follow_up_end if facts.died else closing_date
        potential += (potential_end - facts.time_zero).days
    return FollowUpCompleteness(
        limbs=limbs,
        observed_days=observed,
        potential_days=potential,
        limbs_without_follow_up=without,
        excluded=tuple(excluded),
    )
