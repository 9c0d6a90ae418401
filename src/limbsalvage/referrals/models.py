"""Referrals: what the referrer told us, the triage decision, and what it became."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import ReferralSource, ReferralStatus, Side, Urgency
from limbsalvage.db.base import Base, Record, coded


class Referral(Record, Base):
    """A referral to a site's program, from intake to triage and conversion or decline.

    The patient's details are as stated by the referrer and are never matched against the
    registry at intake; `patient_id` and `episode_id` are set only when staff convert it.
    """

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(
            "status <> 'triaged' OR triage_priority IS NOT NULL", name="triaged_has_priority"
        ),
        CheckConstraint(
            "status <> 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"
        ),
        CheckConstraint(
            "(status = 'converted') = (episode_id IS NOT NULL)", name="converted_has_episode"
        ),
    )

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # A short random code the referrer can quote; it reveals neither volume nor order.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    received_at: Mapped[datetime]
    source: Mapped[ReferralSource] = mapped_column(coded(ReferralSource, "referral_source"))
    referrer_name: Mapped[str | None] = mapped_column(String(200))
    referrer_contact: Mapped[str | None] = mapped_column(String(200))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    patient_contact: Mapped[str | None] = mapped_column(String(200))
    mrn: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    side: Mapped[Side | None] = mapped_column(coded(Side, "side"))
    urgency_requested: Mapped[Urgency] = mapped_column(coded(Urgency, "urgency_requested"))
    status: Mapped[ReferralStatus] = mapped_column(
        coded(ReferralStatus, "referral_status"), default=ReferralStatus.NEW
    )
    triage_priority: Mapped[Urgency | None] = mapped_column(coded(Urgency, "triage_priority"))
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None]
    triage_note: Mapped[str | None] = mapped_column(Text)
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    declined_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"), index=True)
    converted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    converted_at: Mapped[datetime | None]
