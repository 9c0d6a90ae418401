"""What each role may do, per site: least privilege (issue 6).

- clinician: clinical read and write;
- coordinator: clinical read; referrals, tasks, appointments and the conference;
- analyst: aggregate and de-identified data only (never names or MRNs);
- admin: users, roles and the audit log; no clinical data.

A user holds roles through memberships, one site at a time; a permission granted at one site
says nothing about another site's patients.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from limbsalvage.core.vocabulary import Role


class Permission(StrEnum):
    """One thing a route may require."""

    CLINICAL_READ = "clinical_read"
    CLINICAL_WRITE = "clinical_write"
    COORDINATION_WRITE = "coordination_write"
    AGGREGATE_READ = "aggregate_read"
    USERS_MANAGE = "users_manage"
    AUDIT_READ = "audit_read"


ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.CLINICIAN: frozenset(
            {Permission.CLINICAL_READ, Permission.CLINICAL_WRITE, Permission.AGGREGATE_READ}
        ),
        Role.COORDINATOR: frozenset(
            {Permission.CLINICAL_READ, Permission.COORDINATION_WRITE, Permission.AGGREGATE_READ}
        ),
        Role.ANALYST: frozenset({Permission.AGGREGATE_READ}),
        Role.ADMIN: frozenset({Permission.USERS_MANAGE, Permission.AUDIT_READ}),
    }
)


@dataclass(frozen=True)
class Principal:
    """A signed-in user and their roles by site."""

    user_id: int
    email: str
    display_name: str
    roles_by_site: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    is_demo: bool = False

    @classmethod
    def from_memberships(
        cls,
        *,
        user_id: int,
        email: str,
        display_name: str,
        memberships: Iterable[tuple[int, Role]],
        is_demo: bool = False,
    ) -> "Principal":
        """Group (site, role) pairs by site."""
        by_site: dict[int, set[Role]] = {}
        for site_id, role in memberships:
            by_site.setdefault(site_id, set()).add(role)
        return cls(
            user_id=user_id,
            email=email,
            display_name=display_name,
            roles_by_site=MappingProxyType({s: frozenset(r) for s, r in by_site.items()}),
            is_demo=is_demo,
        )

    def permissions_at(self, site_id: int) -> frozenset[Permission]:
        """Everything the user's roles at `site_id` allow."""
        roles = self.roles_by_site.get(site_id, frozenset())
        return frozenset(p for role in roles for p in ROLE_PERMISSIONS[role])

    def sites_with(self, permission: Permission) -> frozenset[int]:
        """The sites where the user holds `permission`."""
        return frozenset(s for s in self.roles_by_site if permission in self.permissions_at(s))

    def can(self, permission: Permission, site_id: int | None = None) -> bool:
        """Whether the user holds `permission` at `site_id` (None: at any site)."""
        if site_id is None:
            return bool(self.sites_with(permission))
        return permission in self.permissions_at(site_id)

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the user holds, at any site."""
        return frozenset(role for roles in self.roles_by_site.values() for role in roles)
