"""The demo programs (sites) and one demo account per role, created once and reused.

Demo accounts carry `is_demo=True` and a published password, so they exist only to show the
application; the production mode refuses them (issue 6). They are written through the ORM,
so each is audited like any other account.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.core.vocabulary import Role

DEMO_EMAIL_DOMAIN = "demo.limbsalvage.invalid"  # RFC 2606: can never be a real mailbox


@dataclass(frozen=True)
class DemoSite:
    """A synthetic program."""

    code: str
    name: str
    # Time-to-treatment breaches and the conference week are judged in the site's own zone;
    # two different zones show that each site keeps its own calendar.
    time_zone: str


DEMO_SITES = (
    DemoSite("demo-north", "North Demo Limb Salvage Program (synthetic data)", "Europe/London"),
    DemoSite("demo-south", "South Demo Limb Salvage Program (synthetic data)", "America/Chicago"),
)


def demo_email(role: Role) -> str:
    """The demo account of `role`."""
    return f"{role.value}@{DEMO_EMAIL_DOMAIN}"


def demo_password(role: Role) -> str:
    """The published password of the demo account of `role` (demo databases only)."""
    return f"demo-{role.value}"


def ensure_demo_sites(db: Session) -> list[Site]:
    """The demo sites, created when missing; one without a time zone is given its demo zone."""
    sites = []
    for spec in DEMO_SITES:
        site = db.scalar(select(Site).where(Site.code == spec.code))
        if site is None:
            site = Site(code=spec.code, name=spec.name, settings={"time_zone": spec.time_zone})
            db.add(site)
        elif not (site.settings or {}).get("time_zone"):
            site.settings = {**(site.settings or {}), "time_zone": spec.time_zone}
        sites.append(site)
    db.flush()
    return sites


def ensure_demo_users(db: Session, sites: list[Site]) -> list[User]:
    """One demo user per role, each holding that role at every demo site."""
    users = []
    for role in Role:
        email = demo_email(role)
        user = db.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=f"Demo {role.value}",
                password_hash=hash_password(demo_password(role)),
                is_active=True,
                is_demo=True,
            )
            db.add(user)
            db.flush()
        held = set(
            db.scalars(
                select(Membership.site_id).where(
                    Membership.user_id == user.id, Membership.role == role
                )
            )
        )
        for site in sites:
            if site.id not in held:
                db.add(Membership(user_id=user.id, site_id=site.id, role=role))
        users.append(user)
    db.flush()
    return users
