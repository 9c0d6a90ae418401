"""Task due times and owners — program defaults on the pathway urgency scale (issue 4:
emergent hours, urgent 24–48 h, soon 14 days, routine open; table task-due-times@2026.1)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.coordination.tasks import (
    DEFAULT_DUE_HOURS,
    TASK_DUE_TIMES,
    TASK_OWNERS,
    due_at,
    due_hours,
    overdue_by,
    owner_role,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import CareRole, Urgency

RAISED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_defaults_pinned_with_their_provenance() -> None:
    assert dict(DEFAULT_DUE_HOURS) == {
        Urgency.EMERGENT: 6.0,
        Urgency.URGENT: 48.0,
        Urgency.SOON: 336.0,
        Urgency.ROUTINE: 672.0,
    }
    assert TASK_DUE_TIMES.ref == "task-due-times@2026.1"
    assert "program defaults" in TASK_DUE_TIMES.checked
    assert "issue 4" in TASK_DUE_TIMES.cite()
    assert "coordinator" in TASK_OWNERS.checked


@pytest.mark.parametrize(
    ("urgency", "due"),
    [
        (Urgency.EMERGENT, datetime(2026, 3, 2, 15, 30, tzinfo=UTC)),
        (Urgency.URGENT, datetime(2026, 3, 4, 9, 30, tzinfo=UTC)),
        (Urgency.SOON, datetime(2026, 3, 16, 9, 30, tzinfo=UTC)),
        (Urgency.ROUTINE, datetime(2026, 3, 30, 9, 30, tzinfo=UTC)),
    ],
)
def test_due_from_urgency(urgency: Urgency, due: datetime) -> None:
    assert due_at(raised_at=RAISED, urgency=urgency) == due


def test_site_overrides_merge_and_are_checked() -> None:
    hours = due_hours({"emergent": 4, "routine": 24 * 42})
    assert hours[Urgency.EMERGENT] == 4.0
    assert hours[Urgency.URGENT] == 48.0
    assert due_at(raised_at=RAISED, urgency=Urgency.EMERGENT, hours=hours) == RAISED + timedelta(
        hours=4
    )
    assert due_hours(None) == DEFAULT_DUE_HOURS
    with pytest.raises(InvalidInput, match="task_due_hours: 'asap' is not allowed; expected one"):
        due_hours({"asap": 1})
    with pytest.raises(InvalidInput, match=r"task_due_hours\.soon: 0 is not allowed"):
        due_hours({"soon": 0})
    with pytest.raises(InvalidInput, match="do not decrease from emergent to routine"):
        due_hours({"urgent": 2})


def test_naive_instants_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"raised_at: .* expected a timezone-aware instant"):
        due_at(raised_at=datetime(2026, 3, 2, 9, 30), urgency=Urgency.URGENT)
    with pytest.raises(InvalidInput, match=r"at: .* timezone-aware"):
        overdue_by(due=RAISED, is_open=True, at=datetime(2026, 3, 2))


def test_overdue_only_when_open_and_past_due() -> None:
    later = RAISED + timedelta(minutes=1)
    assert overdue_by(due=RAISED, is_open=True, at=later) == timedelta(minutes=1)
    assert overdue_by(due=RAISED, is_open=True, at=RAISED) is None  # due means by then
    assert overdue_by(due=RAISED, is_open=False, at=later) is None
    other_zone = RAISED.astimezone(timezone(timedelta(hours=-5)))
    assert overdue_by(due=other_zone, is_open=True, at=later) == timedelta(minutes=1)


def test_owner_roles() -> None:
    assert owner_role("revascularization") is CareRole.VASCULAR_SURGEON
    assert owner_role("wound_care") is CareRole.WOUND_NURSE
    assert owner_role("conference_review") is None
    assert owner_role("information") is None
    assert owner_role("something_new") is CareRole.COORDINATOR
    assert owner_role("imaging", {"imaging": CareRole.INTERVENTIONALIST}) is (
        CareRole.INTERVENTIONALIST
    )


@given(
    urgency=st.sampled_from(Urgency),
    minutes=st.integers(min_value=-10_000, max_value=100_000),
)
def test_property_overdue_exactly_after_the_deadline(urgency: Urgency, minutes: int) -> None:
    due = due_at(raised_at=RAISED, urgency=urgency)
    at = RAISED + timedelta(minutes=minutes)
    late = overdue_by(due=due, is_open=True, at=at)
    assert (late is not None) == (at > due)
    assert late is None or late > timedelta(0)


@given(st.permutations(list(Urgency)))
def test_property_more_urgent_is_never_due_later(order: list[Urgency]) -> None:
    dues = {u: due_at(raised_at=RAISED, urgency=u) for u in order}
    ranked = [dues[u] for u in Urgency]
    assert ranked == sorted(ranked)
