"""Administration pages: users and roles, the audit log with its filters, no clinical content."""

from fastapi import FastAPI

from tests.support.web import Seeded, client_as


def test_users_and_roles(db_app: FastAPI) -> None:
    with client_as(db_app, "admin") as (client, _):
        page = client.get("/admin/users").text
    assert "clinician@web.test" in page
    assert "coordinator at north" in page
    assert "other_site@web.test" not in page  # a user of another site only


def test_audit_log_filters_and_hides_contents(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "clinician") as (client, _):
        client.get(f"/patients/{seeded.patient_north}")
    with client_as(db_app, "admin") as (client, _):
        page = client.get(
            "/admin/audit",
            params={"patient": seeded.patient_north, "user": seeded.users["clinician"]},
        ).text
        assert "<td>read</td>" in page
        assert "LovelaceNorth" not in page
        assert "NORTH-1" not in page
        empty = client.get("/admin/audit", params={"since": "2999-01-01"}).text
        assert "No entries." in empty
        dated = client.get("/admin/audit", params={"until": "2999-01-01"}).text
        assert "<td>read</td>" in dated
