"""Validity windows: documented defaults, per-site values, bad values named."""

import pytest

from limbsalvage.errors import Invalid
from limbsalvage.staging.windows import StagingWindows, windows_from_site_settings


def test_defaults_are_the_documented_program_choices() -> None:
    windows = windows_from_site_settings(None)
    assert windows == StagingWindows()
    assert (windows.perfusion_study, windows.wound_measurement, windows.infection_assessment) == (
        90,
        30,
        14,
    )
    assert (windows.imaging, windows.presentation, windows.index_stage) == (180, 30, 14)


def test_a_site_overrides_some_windows() -> None:
    windows = windows_from_site_settings({"staging_windows": {"perfusion_study": 60}})
    assert (windows.perfusion_study, windows.imaging) == (60, 180)


@pytest.mark.parametrize(
    ("given", "field"),
    [({"imaging": 0}, "staging_windows.imaging"), ({"xray": 3}, "staging_windows.xray")],
)
def test_bad_windows_name_their_key(given: dict[str, int], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        windows_from_site_settings({"staging_windows": given})
    assert caught.value.fields[0].field == field
