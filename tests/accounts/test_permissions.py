"""Least privilege per role and per site (issue 6)."""

from limbsalvage.accounts.permissions import ROLE_PERMISSIONS, Permission, Principal
from limbsalvage.core.vocabulary import Role


def test_roles_hold_only_their_permissions() -> None:
    assert ROLE_PERMISSIONS[Role.CLINICIAN] == {
        Permission.CLINICAL_READ,
        Permission.CLINICAL_WRITE,
        Permission.AGGREGATE_READ,
    }
    assert Permission.CLINICAL_WRITE not in ROLE_PERMISSIONS[Role.COORDINATOR]
    assert ROLE_PERMISSIONS[Role.ANALYST] == {Permission.AGGREGATE_READ}
    assert not ROLE_PERMISSIONS[Role.ADMIN] & {Permission.CLINICAL_READ, Permission.CLINICAL_WRITE}
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_permissions_are_per_site() -> None:
    principal = Principal.from_memberships(
        user_id=1,
        email="a@b.test",
        display_name="A",
        memberships=[(1, Role.CLINICIAN), (2, Role.ANALYST), (2, Role.ADMIN)],
    )
    assert principal.sites_with(Permission.CLINICAL_WRITE) == {1}
    assert principal.sites_with(Permission.AGGREGATE_READ) == {1, 2}
    assert principal.can(Permission.AUDIT_READ, 2)
    assert not principal.can(Permission.AUDIT_READ, 1)
    assert principal.can(Permission.CLINICAL_READ)
    assert not principal.can(Permission.CLINICAL_READ, 3)
    assert principal.roles == {Role.CLINICIAN, Role.ANALYST, Role.ADMIN}
