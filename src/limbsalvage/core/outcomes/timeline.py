"""A limb's timeline: the plain data the registry feeds to endpoint derivation (no database)."""

from dataclasses import dataclass
from datetime import date

from limbsalvage.core.outcomes.errors import OutcomesError
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    EpisodeCause,
    ImagingModality,
    OutcomeEventKind,
    ProcedureKind,
)


class TimelineError(OutcomesError):
    """A timeline is missing something or contradicts itself; names the limb and the field."""

    def __init__(self, limb_id: str, field: str, detail: str) -> None:
        self.limb_id = limb_id
        self.field = field
        self.detail = detail
        super().__init__(f"limb {limb_id}: {field}: {detail}")


class EndpointNotApplicable(TimelineError):
    """The endpoint needs something this limb does not have (e.g. an index procedure)."""


@dataclass(frozen=True)
class ProcedureRecord:
    """A coded procedure on the limb; amputations carry their level, bypasses their conduit."""

    on: date
    kind: ProcedureKind
    amputation_level: AmputationLevel | None = None
    is_index: bool = False
    conduit: Conduit | None = None


@dataclass(frozen=True)
class EventRecord:
    """A coded outcome event on the limb or the patient."""

    on: date
    kind: OutcomeEventKind


@dataclass(frozen=True)
class ImagingRecord:
    """An imaging study of the limb (for the angiography-before-amputation metric)."""

    on: date
    modality: ImagingModality


@dataclass(frozen=True)
class LimbTimeline:
    """One limb (a patient and a side) from presentation: what was done and what happened.

    `last_known_alive` is the last date the patient was known to be alive (last contact); any
    procedure or event recorded later also proves the patient alive then. `wifi_stage`,
    `cause` and `on_dialysis` are baseline facts used for strata and for the comparable cohort
    of the SVS performance goals; `has_wound` (a wound at presentation) decides whether wound
    healing applies to the limb. `imaging` holds the limb's imaging studies.
    """

    limb_id: str
    patient_id: str
    presentation_date: date
    last_known_alive: date | None = None
    death_date: date | None = None
    procedures: tuple[ProcedureRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    cause: EpisodeCause | None = None
    wifi_stage: int | None = None
    on_dialysis: bool | None = None
    has_wound: bool | None = None
    imaging: tuple[ImagingRecord, ...] = ()

    def index_procedure(self) -> ProcedureRecord | None:
        """The procedure marked as index, if any; more than one is a contradiction."""
        marked = [p for p in self.procedures if p.is_index]
        if len(marked) > 1:
            dates = ", ".join(p.on.isoformat() for p in marked)
            raise TimelineError(
                self.limb_id,
                "procedures",
                f"{len(marked)} index procedures ({dates}); expected one",
            )
        return marked[0] if marked else None
