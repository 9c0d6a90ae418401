"""Site settings are checked on every write: a bad value is refused and nothing is stored."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.service import site_settings, update_site_settings
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Invalid, NotFound, StaleUpdate
from tests.support.factories import make_site


def test_update_merges_sections_then_stores(db: Session) -> None:
    site = make_site(db)
    update_site_settings(
        db=db,
        site_id=site.id,
        expected_version=1,
        changes={"time_zone": "Europe/Dublin", "staging_windows": {"imaging": 90}},
    )
    update_site_settings(
        db=db, site_id=site.id, expected_version=2, changes={"staging_windows": None}
    )
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None
    assert stored.settings == {"time_zone": "Europe/Dublin"}  # None: back to the defaults
    assert site_settings(stored).staging_windows.imaging == 180
    assert db.scalars(select(AuditEntry).where(AuditEntry.entity == "sites")).all()


def test_stale_and_unknown_sites(db: Session) -> None:
    site = make_site(db)
    with pytest.raises(StaleUpdate):
        update_site_settings(db=db, site_id=site.id, expected_version=7, changes={})
    with pytest.raises(NotFound, match="site 999999 not found"):
        update_site_settings(db=db, site_id=999999, expected_version=1, changes={})


def test_a_bad_value_is_refused_whichever_way_it_is_written(db: Session) -> None:
    site = make_site(db)
    site.settings = {"time_zone": "UTC"}
    db.flush()
    with pytest.raises(Invalid, match=r"^staging_windows\.imaging: ") as caught:
        update_site_settings(
            db=db,
            site_id=site.id,
            expected_version=site.version,
            changes={"staging_windows": {"imaging": 0}},
        )
    assert caught.value.fields[0].field == "staging_windows.imaging"
    with pytest.raises(Invalid, match=r"coordination\.conference_weekday"):
        site.settings = {"coordination": {"conference_weekday": "caturday"}}
    with pytest.raises(Invalid, match="time_zone"):
        Site(code="x", name="X", settings={"time_zone": "Nowhere/X"})
    db.flush()
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None
    assert stored.settings == {"time_zone": "UTC"}
