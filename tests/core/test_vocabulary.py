"""The shared codes are stable strings (they are stored in databases and CSV files)."""

from limbsalvage.core import vocabulary as v


def test_episode_causes_are_the_cli_contract_values() -> None:
    # issue 4: `cause` is one of these in `limbsalvage recommend` input
    assert [c.value for c in v.EpisodeCause] == [
        "clti",
        "diabetic_foot",
        "venous",
        "acute_limb_ischemia",
        "trauma",
        "tumour",
    ]


def test_amputation_levels_run_distal_to_proximal() -> None:
    levels = v.AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL
    assert levels[0] is v.AmputationLevel.TOE
    assert levels.index(v.AmputationLevel.SYME) < levels.index(v.AmputationLevel.BELOW_KNEE)
    assert levels[-1] is v.AmputationLevel.HEMIPELVECTOMY


def test_roles_are_the_four_of_least_privilege() -> None:
    assert {r.value for r in v.Role} == {"clinician", "coordinator", "analyst", "admin"}
