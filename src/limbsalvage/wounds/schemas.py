"""Validated input for wounds and their measurements."""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from limbsalvage.core.vocabulary import FootLocation, WoundAetiology
from limbsalvage.core.wifi import Gangrene, Ulcer
from limbsalvage.patients.schemas import Strict

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

# WIfI wound table: these ulcer words exclude exposed bone, joint or tendon (W1: "no exposed
# bone, except distal phalanx"); `exposed_distal_phalanx` allows bone only.
_NO_EXPOSED_STRUCTURE = frozenset({Ulcer.NONE, Ulcer.SHALLOW, Ulcer.HEEL_SHALLOW})
# Tolerance for a traced area against the length × width rectangle (rounding of the lengths).
AREA_OVER_RECTANGLE_TOLERANCE = 1.10


class WoundFields(Strict):
    """A wound of the episode's limb."""

    label: Label
    location: FootLocation
    aetiology: WoundAetiology | None = None
    onset_on: date | None = None


class MeasurementFields(Strict):
    """A wound measured on a date; the area is computed by the ellipse formula when not given."""

    measured_on: date
    assessment_id: int | None = None
    length_cm: float | None = Field(default=None, ge=0, le=50)
    width_cm: float | None = Field(default=None, ge=0, le=50)
    depth_cm: float | None = Field(default=None, ge=0, le=20)
    area_cm2: float | None = Field(default=None, ge=0, le=2500)
    exposed_bone: bool | None = None
    exposed_joint: bool | None = None
    exposed_tendon: bool | None = None
    ulcer: Ulcer | None = None
    gangrene: Gangrene | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        sized = self.area_cm2 is not None or self.length_cm is not None
        if not sized and self.width_cm is None and self.ulcer is None and self.gangrene is None:
            raise ValueError(
                "measurement: give the area, the length and width, or the WIfI ulcer and gangrene"
            )
        if (self.length_cm is None) != (self.width_cm is None) and self.area_cm2 is None:
            raise ValueError(
                "width_cm: length_cm and width_cm are both needed to estimate the area"
                if self.width_cm is None
                else "length_cm: length_cm and width_cm are both needed to estimate the area"
            )
        if self.area_cm2 is not None and self.length_cm is not None and self.width_cm is not None:
            rectangle = self.length_cm * self.width_cm
            if self.area_cm2 > rectangle * AREA_OVER_RECTANGLE_TOLERANCE:
                raise ValueError(
                    "area_cm2: larger than length_cm × width_cm, the rectangle around the wound"
                )
        self._check_wifi_words()
        return self

    def _check_wifi_words(self) -> None:
        exposed = {
            "exposed_bone": self.exposed_bone,
            "exposed_joint": self.exposed_joint,
            "exposed_tendon": self.exposed_tendon,
        }
        shown = [name for name, value in exposed.items() if value]
        if self.ulcer in _NO_EXPOSED_STRUCTURE and shown:
            raise ValueError(
                f"ulcer: '{self.ulcer}' describes no exposed bone, joint or tendon (WIfI), but "
                f"{shown[0]} is true"
            )
        if self.ulcer is Ulcer.EXPOSED_DISTAL_PHALANX and (
            self.exposed_joint or self.exposed_tendon
        ):
            raise ValueError(
                "ulcer: exposed joint or tendon makes the ulcer 'deep' (WIfI W2), not "
                "'exposed_distal_phalanx'"
            )
        if self.ulcer is Ulcer.DEEP and all(value is False for value in exposed.values()):
            raise ValueError(
                "ulcer: 'deep' is an ulcer with exposed bone, joint or tendon (WIfI W2), but all "
                "three are false"
            )
