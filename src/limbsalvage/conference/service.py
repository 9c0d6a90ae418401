"""The conference list: flagged and added cases, outcomes, and the agenda data. Flush only.

A case is flagged by the episode's current conference-review recommendations (the pathway's
rules for WIfI stage 4, GLASS III, an indeterminate strategy or a proposed major amputation) that
no clinician overrode and that no earlier conference has already decided on.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.care.scope import patient_visible, visible_episode
from limbsalvage.care.settings import coordination, site_zone
from limbsalvage.care.timing import EpisodeTiming, episode_time_to_treatment
from limbsalvage.conference.models import ConferenceCase
from limbsalvage.conference.schemas import ManualCaseIn, OutcomeIn
from limbsalvage.core.coordination.conference import (
    CONFERENCE_REVIEW,
    flags_conference,
    is_conference_day,
    merge_triggers,
    next_conference_on,
)
from limbsalvage.core.vocabulary import EpisodeStatus, Side
from limbsalvage.db import audit
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, Invalid, NotFound, invalid
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.service import list_recommendations
from limbsalvage.referrals.service import actor_id


def _site(db: Session, site_id: int, site_ids: Collection[int]) -> Site:
    site = db.get(Site, site_id)
    if site is None or site_id not in site_ids:
        raise NotFound(message=f"site {site_id} not found")
    return site


def _check_day(site: Site, conference_on: date) -> None:
    weekday = coordination(site).conference_weekday
    if weekday is not None and not is_conference_day(day=conference_on, weekday=weekday):
        raise invalid("conference_on", f"the site's conference is held on {weekday}s")


def next_conference(*, db: Session, site_id: int, site_ids: Collection[int]) -> date:
    """The site's next conference day (today if it is one), in its local calendar."""
    site = _site(db, site_id, site_ids)
    weekday = coordination(site).conference_weekday
    if weekday is None:
        raise invalid("conference_weekday", "not set in the site's coordination settings")
    today = now(db).astimezone(site_zone(site)).date()
    return next_conference_on(on_or_after=today, weekday=weekday)


def _decided_recommendations(db: Session, episode_id: int) -> set[object]:
    decided: set[object] = set()
    cases = db.scalars(
        select(ConferenceCase).where(
            ConferenceCase.episode_id == episode_id, ConferenceCase.decision.is_not(None)
        )
    )
    for case in cases:
        decided.update(t["recommendation_id"] for t in case.triggers or [])
    return decided


def flag_cases(
    *, db: Session, site_id: int, conference_on: date, site_ids: Collection[int]
) -> list[ConferenceCase]:
    """List every open episode of the site flagged for review on `conference_on`."""
    site = _site(db, site_id, site_ids)
    _check_day(site, conference_on)
    rows = db.scalars(
        select(StoredRecommendation)
        .join(Episode, Episode.id == StoredRecommendation.episode_id)
        .join(Patient, Patient.id == Episode.patient_id)
        .where(
            Patient.site_id == site.id,
            Episode.status == EpisodeStatus.OPEN,
            StoredRecommendation.superseded_at.is_(None),
            StoredRecommendation.category == CONFERENCE_REVIEW,
        )
        .order_by(StoredRecommendation.episode_id, StoredRecommendation.id)
    )
    triggers: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if flags_conference(category=row.category, state=row.state):
            triggers.setdefault(row.episode_id, []).append(
                {"rule_id": row.rule_id, "recommendation_id": row.id, "text": row.text}
            )
    flagged = []
    with guarded(db, conflict_message="the conference list could not be stored"):
        for episode_id, raised in triggers.items():
            decided = _decided_recommendations(db, episode_id)
            fresh = [t for t in raised if t["recommendation_id"] not in decided]
            if not fresh:
                continue
            case = db.scalar(
                select(ConferenceCase).where(
                    ConferenceCase.episode_id == episode_id,
                    ConferenceCase.conference_on == conference_on,
                )
            )
            if case is None:
                episode = db.get_one(Episode, episode_id)
                case = ConferenceCase(
                    patient_id=episode.patient_id,
                    episode_id=episode_id,
                    conference_on=conference_on,
                    triggers=fresh,
                    manual=False,
                    attendees=[],
                )
                db.add(case)
            elif case.decision is None:
                merged = merge_triggers(case.triggers or [], fresh)
                if merged != (case.triggers or []):
                    case.triggers = merged
            flagged.append(case)
    return flagged


def add_case(
    *, db: Session, episode_id: int, case_in: ManualCaseIn, site_ids: Collection[int]
) -> ConferenceCase:
    """Add an episode to a conference by hand (or mark a flagged case as also added by hand)."""
    episode = visible_episode(db, episode_id, site_ids)
    site = db.get_one(Site, db.get_one(Patient, episode.patient_id).site_id)
    _check_day(site, case_in.conference_on)
    case = db.scalar(
        select(ConferenceCase).where(
            ConferenceCase.episode_id == episode.id,
            ConferenceCase.conference_on == case_in.conference_on,
        )
    )
    if case is not None and case.manual:
        raise Conflict(message="conference_on: the episode is already added to that conference")
    with guarded(db, conflict_message="the episode is already on that conference"):
        if case is None:
            case = ConferenceCase(
                patient_id=episode.patient_id,
                episode_id=episode.id,
                conference_on=case_in.conference_on,
                triggers=None,
                attendees=[],
            )
            db.add(case)
        case.manual = True
        case.manual_reason = case_in.reason
    return case


def get_case(*, db: Session, case_id: int, site_ids: Collection[int]) -> ConferenceCase:
    """The case, if its patient is at one of `site_ids`."""
    case = db.get(ConferenceCase, case_id)
    if case is None or not patient_visible(db, case.patient_id, site_ids):
        raise NotFound(message=f"conference case {case_id} not found")
    return case


def record_outcome(
    *, db: Session, case_id: int, outcome_in: OutcomeIn, site_ids: Collection[int]
) -> ConferenceCase:
    """Record (or correct) the decision, reasons and attendees once the conference has met."""
    case = get_case(db=db, case_id=case_id, site_ids=site_ids)
    check_version(case, expected_version=outcome_in.version, entity="conference case")
    site = db.get_one(Site, db.get_one(Patient, case.patient_id).site_id)
    try:
        today = now(db).astimezone(site_zone(site)).date()
    except Invalid:
        # Only a guard against recording before the meeting: without a site zone the UTC day
        # is used, which can be off by one at most.
        today = now(db).date()
    if case.conference_on > today:
        raise invalid("conference_on", "the conference has not met yet; record the outcome after")
    with guarded(db, conflict_message="the outcome could not be stored"):
        case.decision = outcome_in.decision
        case.amputation_level = outcome_in.amputation_level
        case.decision_detail = outcome_in.decision_detail
        case.reasons = outcome_in.reasons
        case.attendees = [a.model_dump(mode="json") for a in outcome_in.attendees]
        case.decided_at = now(db)
        case.decided_by_id = actor_id(db)
    return case


def remove_case(
    *, db: Session, case_id: int, expected_version: int, site_ids: Collection[int]
) -> None:
    """Take a case off a conference before it is decided."""
    case = get_case(db=db, case_id=case_id, site_ids=site_ids)
    check_version(case, expected_version=expected_version, entity="conference case")
    if case.decision is not None:
        raise Conflict(message=f"conference case {case.id} has an outcome; it stays on record")
    with guarded(db, conflict_message="the case could not be removed"):
        db.delete(case)


def list_cases(
    *, db: Session, site_id: int, conference_on: date, site_ids: Collection[int]
) -> list[ConferenceCase]:
    """The cases of one conference, by patient name."""
    site = _site(db, site_id, site_ids)
    return list(
        db.scalars(
            select(ConferenceCase)
            .join(Patient, Patient.id == ConferenceCase.patient_id)
            .where(Patient.site_id == site.id, ConferenceCase.conference_on == conference_on)
            .order_by(Patient.family_name, Patient.given_name, ConferenceCase.id)
        )
    )


@dataclass(frozen=True)
class AgendaCase:
    """One case as the printed agenda shows it."""

    case: ConferenceCase
    patient: Patient
    side: str
    episode: Episode
    triggers: tuple[dict[str, Any], ...]
    manual_reason: str | None
    recommendations: tuple[StoredRecommendation, ...]
    timing: EpisodeTiming | None


@dataclass(frozen=True)
class Agenda:
    """The data of a conference's printable agenda (the web layer renders it)."""

    site_name: str
    conference_on: date
    cases: tuple[AgendaCase, ...]


def conference_agenda(
    *, db: Session, site_id: int, conference_on: date, site_ids: Collection[int]
) -> Agenda:
    """Every case of a conference with its patient, triggers, recommendations and timings."""
    site = _site(db, site_id, site_ids)
    cases = list_cases(db=db, site_id=site_id, conference_on=conference_on, site_ids=site_ids)
    items = []
    for case in cases:
        episode = db.get_one(Episode, case.episode_id)
        try:
            timing = episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=site_ids)
        except Invalid:
            timing = None  # the site has no time zone yet: the agenda is still printed
        items.append(
            AgendaCase(
                case=case,
                patient=db.get_one(Patient, case.patient_id),
                side=db.get_one(Limb, episode.limb_id).side.value,
                episode=episode,
                triggers=tuple(case.triggers or ()),
                manual_reason=case.manual_reason,
                recommendations=tuple(
                    list_recommendations(db=db, episode_id=episode.id, site_ids=site_ids)
                ),
                timing=timing,
            )
        )
    audit.record_access(
        db,
        action="list",
        entity="conference_cases",
        site_id=site.id,
        detail=f"agenda {conference_on.isoformat()}: {len(items)} cases",
    )
    return Agenda(site.name, conference_on, tuple(items))


def find_open_episode(
    *, db: Session, site_id: int, mrn: str, side: Side | None, site_ids: Collection[int]
) -> Episode:
    """The open episode of the site's patient with `mrn` (on `side` when both limbs have one)."""
    site = _site(db, site_id, site_ids)
    query = (
        select(Episode)
        .join(Patient, Patient.id == Episode.patient_id)
        .join(Limb, Limb.id == Episode.limb_id)
        .where(
            Patient.site_id == site.id,
            Patient.mrn == mrn.strip(),
            Episode.status == EpisodeStatus.OPEN,
        )
        .order_by(Episode.id)
    )
    if side is not None:
        query = query.where(Limb.side == side)
    episodes = list(db.scalars(query))
    if not episodes:
        raise invalid("mrn", "no open episode at this site for that MRN (and side)")
    if len(episodes) > 1:
        raise invalid("side", "the patient has more than one open episode: choose the limb")
    return episodes[0]
