"""Patient-risk models behind one plug-in interface, and the GVG average/high risk groups."""

from collections.abc import Mapping
from types import MappingProxyType

from limbsalvage.core.risk.model import RiskAssessment, RiskModel
from limbsalvage.core.risk.prevent3 import PREVENT3

# One line per model; a new model (e.g. a VQI model) is added here with its own module.
RISK_MODELS: Mapping[str, RiskModel] = MappingProxyType({PREVENT3.model_id: PREVENT3})

__all__ = ["RISK_MODELS", "RiskAssessment", "RiskModel"]
