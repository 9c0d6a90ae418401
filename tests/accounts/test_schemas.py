"""SiteSettings: one schema for every per-site setting; defaults labelled; bad values named."""

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from limbsalvage.accounts.schemas import (
    CoordinationSettings,
    SiteSettings,
    StagingWindows,
    TargetSetting,
    parse_site_settings,
)
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS
from limbsalvage.errors import Invalid


def test_an_empty_site_takes_every_default() -> None:
    settings = parse_site_settings(None)
    assert settings == SiteSettings()
    assert settings.time_zone is None
    assert settings.coordination.time_to_treatment_targets is None  # the cited QIF defaults
    assert settings.thresholds() == DEFAULT_THRESHOLDS
    assert settings.stored() == {}


def test_staging_windows_defaults_are_the_documented_program_choices() -> None:
    windows = StagingWindows()
    assert (windows.perfusion_study, windows.wound_measurement, windows.infection_assessment) == (
        90,
        30,
        14,
    )
    assert (windows.imaging, windows.presentation, windows.index_stage) == (180, 30, 14)
    assert (windows.venous_study, windows.trauma_assessment, windows.tumour_assessment) == (
        365,
        7,
        180,
    )
    assert windows.acute_ischemia_assessment == 2


def test_a_site_stores_only_what_it_sets() -> None:
    settings = parse_site_settings(
        {
            "staging_windows": {"perfusion_study": 60},
            "coordination": {"task_due_hours": {"urgent": 24}},
        }
    )
    assert (settings.staging_windows.perfusion_study, settings.staging_windows.imaging) == (60, 180)
    assert settings.stored() == {
        "staging_windows": {"perfusion_study": 60},
        "coordination": {"task_due_hours": {"urgent": 24.0}},
    }


def test_a_site_threshold_replaces_the_cited_value_and_says_so() -> None:
    settings = parse_site_settings({"pathway_thresholds": {"iwgdf_urgent_tcpo2_mmhg": 30}})
    chosen = settings.thresholds()["iwgdf_urgent_tcpo2_mmhg"]
    default = DEFAULT_THRESHOLDS["iwgdf_urgent_tcpo2_mmhg"]
    assert (chosen.value, chosen.citation, chosen.unit) == (30, default.citation, "mmHg")
    assert chosen.note.startswith("Site setting; the cited default is 25.")
    assert settings.thresholds()["iwgdf_urgent_abi"] == DEFAULT_THRESHOLDS["iwgdf_urgent_abi"]


TARGET = {"measure_id": "presentation_to_imaging", "days": 1, "citation": "local rule"}


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"colour": "red"}, "colour", "not a setting"),
        ([1], "settings", "valid dictionary"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a known IANA time zone"),
        ({"staging_windows": {"imaging": 0}}, "staging_windows.imaging", "greater than or equal"),
        ({"staging_windows": {"xray": 3}}, "staging_windows.xray", "not a setting"),
        ({"coordination": {"colour": 1}}, "coordination.colour", "not a setting"),
        (
            {"coordination": {"task_due_hours": {"urgent": -1}}},
            "coordination.task_due_hours.urgent",
            "greater than 0",
        ),
        (
            {"coordination": {"task_due_hours": {"someday": 3}}},
            "coordination.task_due_hours.someday",
            "emergent",
        ),
        (
            {"coordination": {"task_due_hours": {"emergent": 100}}},
            "coordination.task_due_hours",
            "must not decrease from emergent to routine",
        ),
        (
            {"coordination": {"task_owner_roles": {"imaging": "radiographer"}}},
            "coordination.task_owner_roles.imaging",
            "vascular_surgeon",
        ),
        (
            {"coordination": {"conference_weekday": "caturday"}},
            "coordination.conference_weekday",
            "monday",
        ),
        (
            {"coordination": {"time_to_treatment_targets": [{**TARGET, "measure_id": "x"}]}},
            "coordination.time_to_treatment_targets.0.measure_id",
            "must be one of presentation_to_imaging",
        ),
        (
            {"coordination": {"time_to_treatment_targets": [{**TARGET, "days": 1.5}]}},
            "coordination.time_to_treatment_targets.0.days",
            "integer",
        ),
        (
            {"coordination": {"time_to_treatment_targets": [{**TARGET, "citation": " "}]}},
            "coordination.time_to_treatment_targets.0.citation",
            "at least 1 character",
        ),
        (
            {"coordination": {"time_to_treatment_targets": [{**TARGET, "causes": []}]}},
            "coordination.time_to_treatment_targets.0.causes",
            "at least 1 item",
        ),
        (
            {"pathway_thresholds": {"abi_magic": 1}},
            "pathway_thresholds.abi_magic",
            "not a pathway threshold; allowed:",
        ),
        (
            {"pathway_thresholds": {"iwgdf_urgent_abi": -0.1}},
            "pathway_thresholds.iwgdf_urgent_abi",
            "a finite number, 0 or more",
        ),
        (
            {"pathway_thresholds": {"iwgdf_urgent_abi": float("nan")}},
            "pathway_thresholds.iwgdf_urgent_abi",
            "a finite number, 0 or more",
        ),
        (
            {"pathway_thresholds": {"venous_no_compression_abi": 0.9}},
            "pathway_thresholds.venous_no_compression_abi",
            "must not be above venous_full_compression_abi",
        ),
    ],
)
def test_bad_settings_name_their_field(raw: Any, field: str, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_site_settings(raw)
    assert [p.field for p in caught.value.fields] == [field]
    assert message in caught.value.fields[0].message
    assert caught.value.message.startswith(f"{field}: ")


def test_the_reference_page_names_every_setting() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs/registry/site-settings.md").read_text()
    sections: list[type[BaseModel]] = [
        SiteSettings,
        StagingWindows,
        CoordinationSettings,
        TargetSetting,
    ]
    names = {name for model in sections for name in model.model_fields}
    missing = sorted(n for n in {*names, *DEFAULT_THRESHOLDS} if f"`{n}`" not in page)
    assert not missing, missing
    for threshold in DEFAULT_THRESHOLDS.values():
        assert f"| `{threshold.name}` | {threshold.value:g}" in page
