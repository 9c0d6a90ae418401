"""Every classification system the engine offers, by the name the CLI and batch files use."""

from collections.abc import Mapping
from types import MappingProxyType

from limbsalvage.core import (
    ali,
    ceap,
    enneking,
    fontaine,
    glass,
    infection,
    mess,
    msts,
    perfusion,
    rutherford,
    sinbad,
    texas,
    wagner,
    wifi,
)
from limbsalvage.core.fields import System

# One line per system module; keep the list in the order of issue 2 (perfusion … msts).
_ALL: tuple[System, ...] = (
    perfusion.SYSTEM,
    wifi.SYSTEM,
    glass.SYSTEM,
    rutherford.SYSTEM,
    ali.SYSTEM,
    fontaine.SYSTEM,
    wagner.SYSTEM,
    texas.SYSTEM,
    sinbad.SYSTEM,
    infection.SYSTEM,
    ceap.SYSTEM,
    mess.SYSTEM,
    enneking.SYSTEM,
    msts.SYSTEM,
)

SYSTEMS: Mapping[str, System] = MappingProxyType({system.name: system for system in _ALL})
