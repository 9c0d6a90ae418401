"""Limbs, assessments, the twelve finding kinds, wounds and measurements through the JSON API.

Each test runs on SQLite and PostgreSQL (the seeded database of tests/support/web.py): the happy
path, another site's records answering 404, stale versions answering 409, refusals answering 422
with the fields named, pagination and the audit of reads.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from limbsalvage.core.vocabulary import FindingKind
from tests.support.api import Api, api_clients, created, error, fields_of, last_audit, ok
from tests.support.web import Seeded


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    names = ["clinician", "coordinator", "other_site", "analyst"]
    with api_clients(seeded_engine[0], names) as clients:
        yield clients


@pytest.fixture
def north(seeded: Seeded) -> dict[str, int]:
    return seeded.ids["north"]


def test_limbs_of_a_patient_with_their_episodes(
    api: dict[str, Api], north: dict[str, int], seeded_engine: tuple[Engine, Seeded]
) -> None:
    limbs = ok(api["coordinator"].get(f"/api/v1/patients/{north['patient_id']}/limbs"))
    assert limbs["total"] == 1
    assert limbs["items"][0]["side"] == "left"
    assert limbs["items"][0]["episodes"][0]["id"] == north["episode_id"]
    limb = ok(api["clinician"].get(f"/api/v1/limbs/{north['limb_id']}"))
    assert limb["patient_id"] == north["patient_id"]
    read = last_audit(seeded_engine[0], "read")
    assert (read.patient_id, read.detail) == (north["patient_id"], f"api limb {north['limb_id']}")
    error(api["other_site"].get(f"/api/v1/limbs/{north['limb_id']}"), 404, "not_found")
    error(api["analyst"].get(f"/api/v1/limbs/{north['limb_id']}"), 403, "forbidden")


def test_assessment_created_read_changed_and_stale(
    api: dict[str, Api], north: dict[str, int], seeded_engine: tuple[Engine, Seeded]
) -> None:
    clinician = api["clinician"]
    made = created(
        clinician.post(
            f"/api/v1/episodes/{north['episode_id']}/assessments",
            {"assessed_on": "2026-01-10", "discipline": "podiatry", "notes": "first visit"},
        )
    )
    path = f"/api/v1/assessments/{made['id']}"
    assert ok(api["coordinator"].get(path))["notes"] == "first visit"
    assert last_audit(seeded_engine[0], "read").patient_id == north["patient_id"]
    changed = ok(clinician.patch(path, {"version": made["version"], "changes": {"notes": "seen"}}))
    assert changed["version"] == made["version"] + 1
    stale = clinician.patch(path, {"version": made["version"], "changes": {"notes": "again"}})
    assert "reload" in error(stale, 409, "stale_update")["message"]
    error(api["other_site"].get(path), 404, "not_found")
    error(api["coordinator"].patch(path, {"version": 2, "changes": {}}), 403, "forbidden")


def test_assessment_refusals_name_the_fields(api: dict[str, Api], north: dict[str, int]) -> None:
    episode = f"/api/v1/episodes/{north['episode_id']}/assessments"
    future = fields_of(api["clinician"].post(episode, {"assessed_on": "2999-01-01"}))
    assert "must not be in the future" in future["assessed_on"]
    unknown = fields_of(api["clinician"].post(episode, {"assessed_on": "2026-01-10", "mood": 1}))
    assert "mood" in unknown
    change = api["clinician"].patch(
        f"/api/v1/assessments/{north['assessment_id']}",
        {"version": 1, "changes": {"colour": "blue"}},
    )
    assert "allowed" in fields_of(change)["colour"]


def test_assessments_are_paged(api: dict[str, Api], north: dict[str, int]) -> None:
    path = f"/api/v1/episodes/{north['episode_id']}/assessments"
    for day in ("2026-01-11", "2026-01-12"):
        created(api["clinician"].post(path, {"assessed_on": day}))
    first = ok(api["clinician"].get(path, page_size=1))
    second = ok(api["clinician"].get(path, page_size=1, page=2))
    assert first["total"] == second["total"] >= 3
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert ok(api["clinician"].get(path, page=99))["items"] == []
    assert "page_size" in fields_of(api["clinician"].get(path, page_size=0))


def test_a_finding_of_each_kind_is_listed_read_and_changed(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    clinician = api["clinician"]
    new = clinician.post(
        f"/api/v1/assessments/{north['assessment_id']}/findings/infection_assessment",
        {"local_warmth": True, "erythema_extent_cm": 1.5},
    )
    finding = created(new)
    assert finding["kind"] == "infection_assessment"
    assert finding["erythema_extent_cm"] == 1.5
    path = f"/api/v1/findings/infection_assessment/{finding['id']}"
    assert ok(api["coordinator"].get(path))["local_warmth"] is True
    listed = ok(
        clinician.get(f"/api/v1/episodes/{north['episode_id']}/findings/infection_assessment")
    )
    assert finding["id"] in {item["id"] for item in listed["items"]}
    changed = ok(clinician.patch(path, {"version": 1, "changes": {"local_warmth": False}}))
    assert (changed["local_warmth"], changed["version"]) == (False, 2)
    error(clinician.patch(path, {"version": 1, "changes": {}}), 409, "stale_update")
    error(api["other_site"].get(path), 404, "not_found")
    for kind in FindingKind:
        page = ok(clinician.get(f"/api/v1/episodes/{north['episode_id']}/findings/{kind.value}"))
        assert set(page) == {"items", "page", "page_size", "total"}


def test_finding_refusals_name_the_fields(api: dict[str, Api], north: dict[str, int]) -> None:
    base = f"/api/v1/assessments/{north['assessment_id']}/findings"
    clinician = api["clinician"]
    assert (
        "less than or equal to 6"
        in fields_of(clinician.post(f"{base}/perfusion_study", {"abi": 9}))["abi"]
    )
    assert "toe" in fields_of(clinician.post(f"{base}/perfusion_study", {"toe": 30}))
    assert "perfusion_study" in fields_of(clinician.post(f"{base}/perfusion_study", {}))
    photo = clinician.post(f"{base}/photo", {"taken_on": "2026-01-10"})
    assert "photo" in fields_of(photo)
    assert "kind" in fields_of(clinician.post(f"{base}/x_ray", {}))
    ghost = clinician.post(
        "/api/v1/assessments/999999/findings/culture",
        {"collected_on": "2026-01-10", "specimen": "bone", "result": "no_growth"},
    )
    error(ghost, 404, "not_found")


def test_wounds_measurements_and_area_reduction(api: dict[str, Api], north: dict[str, int]) -> None:
    clinician = api["clinician"]
    wound = created(
        clinician.post(
            f"/api/v1/episodes/{north['episode_id']}/wounds",
            {"label": "heel 1", "location": "heel", "aetiology": "ischemic"},
        )
    )
    measurements = f"/api/v1/wounds/{wound['id']}/measurements"
    first = created(clinician.post(measurements, {"measured_on": "2026-02-01", "area_cm2": 10.0}))
    assert first["area_method"] == "measured"
    later = created(
        clinician.post(measurements, {"measured_on": "2026-03-01", "length_cm": 2, "width_cm": 2})
    )
    assert later["area_method"] == "ellipse"
    assert later["area_cm2"] == pytest.approx(3.14159, rel=1e-4)
    progress = ok(api["coordinator"].get(f"/api/v1/wounds/{wound['id']}/area-reduction"))
    assert progress["four_week"]["percent_reduction"] == pytest.approx(68.58, abs=0.01)
    assert progress["four_week"]["rule"]
    assert progress["four_week"]["source"]
    assert progress["since_baseline"]["days"] == 28
    paged = ok(clinician.get(measurements, page_size=1, page=2))
    assert (paged["total"], paged["items"][0]["id"]) == (2, later["id"])
    one = f"/api/v1/wound-measurements/{first['id']}"
    assert ok(clinician.get(one))["area_cm2"] == 10.0
    changed = ok(clinician.patch(one, {"version": 1, "changes": {"area_cm2": 12.0}}))
    assert changed["version"] == 2
    error(clinician.patch(one, {"version": 1, "changes": {"area_cm2": 11.0}}), 409, "stale_update")
    error(api["other_site"].get(one), 404, "not_found")
    error(api["other_site"].get(f"/api/v1/wounds/{wound['id']}/area-reduction"), 404, "not_found")


def test_a_new_wound_has_no_reduction_and_says_why(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    wound = created(
        api["clinician"].post(
            f"/api/v1/episodes/{north['episode_id']}/wounds",
            {"label": "toe 5", "location": "lesser_toes"},
        )
    )
    progress = ok(api["clinician"].get(f"/api/v1/wounds/{wound['id']}/area-reduction"))
    assert progress["since_baseline"] is None
    assert progress["since_baseline_reason"]


def test_wound_refusals(api: dict[str, Api], north: dict[str, int]) -> None:
    clinician = api["clinician"]
    path = f"/api/v1/episodes/{north['episode_id']}/wounds"
    error(clinician.post(path, {"label": "A", "location": "heel"}), 409, "conflict")
    assert "location" in fields_of(clinician.post(path, {"label": "Z", "location": "ear"}))
    measurement = clinician.post(
        f"/api/v1/wounds/{north['wound_id']}/measurements",
        {"measured_on": "2026-01-09", "length_cm": 2},
    )
    assert "both needed" in fields_of(measurement)["width_cm"]
    wound = f"/api/v1/wounds/{north['wound_id']}"
    assert ok(clinician.get(wound))["label"] == "A"
    error(api["other_site"].get(wound), 404, "not_found")
    error(api["other_site"].get(f"/api/v1/episodes/{north['episode_id']}/wounds"), 404, "not_found")


def test_ids_too_large_to_store_are_refused(api: dict[str, Api], north: dict[str, int]) -> None:
    path = f"/api/v1/episodes/{north['episode_id']}/assessments"
    huge = fields_of(
        api["clinician"].post(path, {"assessed_on": "2026-01-10", "assessor_id": 10**20})
    )
    assert "assessor_id" in huge
