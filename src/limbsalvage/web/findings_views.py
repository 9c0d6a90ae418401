"""Read models of an episode's clinical findings and staging, as the chart draws them.

The staging panel shows the snapshot in force (`staging.in_force.current_snapshot`): per system
its grades, the rule that fired with its id, the source, the inputs it received, or why it could
not be staged (what is missing or conflicting); the findings used with their age and validity
window, the stale ones (older than the window, not used) and the findings the cause still lacks.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, PerfusionStudy
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import is_explanation
from limbsalvage.core.vocabulary import StagingStatus
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem
from limbsalvage.staging.current import current_snapshot
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.staging.service import Difference, StagingOverride
from limbsalvage.web.care_views import UTC_ZONE, patient_zone
from limbsalvage.web.findings_forms import FORMS, Entered, drawn
from limbsalvage.web.forms import FormField, form_fields
from limbsalvage.web.patient_views import EpisodeOut
from limbsalvage.web.wound_plot import Plot, area_plot
from limbsalvage.wounds import service as wounds
from limbsalvage.wounds.models import Wound

# The order systems are shown in: the limb's stage first, then what it is built from.
SYSTEM_ORDER = (
    "wifi",
    "perfusion",
    "iwgdf",
    "glass",
    "rutherford",
    "ali",
    "ceap",
    "mess",
    "enneking",
    "msts",
)
COLUMN_LABELS = {
    "wifi_wound_grade": "WIfI wound grade (W)",
    "wifi_ischemia_grade": "WIfI ischaemia grade (I)",
    "wifi_infection_grade": "WIfI foot infection grade (fI)",
    "wifi_stage": "WIfI clinical stage",
    "iwgdf_grade": "IWGDF/IDSA infection grade",
    "glass_fp_grade": "GLASS femoropopliteal grade",
    "glass_ip_grade": "GLASS infrapopliteal grade",
    "glass_stage": "GLASS stage",
    "glass_im_modifier": "GLASS inframalleolar modifier",
    "rutherford_category": "Rutherford category",
    "ali_category": "acute limb ischaemia category",
    "ceap_clinical_class": "CEAP clinical class",
    "mess_score": "MESS",
    "enneking_stage": "Enneking stage",
    "msts_percent": "MSTS score (%)",
}
PERFUSION_COLUMNS = (
    ("brachial_right_mmhg", "brachial R"),
    ("brachial_left_mmhg", "brachial L"),
    ("dorsalis_pedis_mmhg", "DP"),
    ("posterior_tibial_mmhg", "PT"),
    ("abi", "ABI"),
    ("toe_pressure_mmhg", "toe"),
    ("tbi", "TBI"),
    ("tcpo2_mmhg", "TcPO2"),
    ("skin_perfusion_pressure_mmhg", "SPP"),
    ("non_compressible", "non-compressible"),
    ("dorsalis_pedis_waveform", "DP waveform"),
    ("posterior_tibial_waveform", "PT waveform"),
    ("pvr_ankle_waveform", "PVR ankle"),
    ("pvr_metatarsal_waveform", "PVR metatarsal"),
)


def words(value: object) -> str:
    """A stored value as it reads on the page."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(words(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {words(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    text = str(getattr(value, "value", value))
    return text.replace("_", " ")


@dataclass(frozen=True)
class SystemView:
    """One system's result in a snapshot, or why there is none."""

    name: str
    title: str
    grades: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[tuple[str, str]] = field(default_factory=list)
    rationale: str = ""
    rule: str = ""
    source: str = ""
    provenance: str = ""
    inputs: list[tuple[str, str]] = field(default_factory=list)
    tables: list[dict[str, str]] = field(default_factory=list)
    error: str = ""
    missing: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def system_view(name: str, result: Mapping[str, Any]) -> SystemView:
    """The panel's view of one stored result."""
    system = SYSTEMS.get(name)
    title = system.title if system is not None else name
    if "error" in result or system is None:
        return SystemView(
            name,
            title,
            error=str(result.get("error", "not staged")),
            missing=[str(m) for m in result.get("missing", [])],
            conflicts=[str(c) for c in result.get("conflicts", [])],
        )
    explained = [f.name for f in fields(system.result_type) if is_explanation(f)]
    return SystemView(
        name,
        title,
        grades=[
            (n.replace("_", " "), words(result[n]))
            for n in system.result_fields
            if result.get(n) is not None
        ],
        reasons=[
            (n.removesuffix("_rationale").replace("_", " "), words(result[n]))
            for n in explained
            if result.get(n)
        ],
        rationale=str(result.get("rationale", "")),
        rule=str(result.get("rule", "")),
        source=str(result.get("source", "")),
        provenance=str(result.get("provenance", "")),
        inputs=[(k, words(v)) for k, v in (result.get("inputs") or {}).items()],
        tables=list(result.get("tables", [])),
    )


@dataclass(frozen=True)
class FindingUse:
    """A finding staging saw: which, of when, how old and its window."""

    what: str
    on: str
    age_days: int
    window_days: int


def _use(source: str, entry: Mapping[str, Any]) -> FindingUse:
    what = source.replace("_", " ")
    if entry.get("label"):
        what += f" ({entry['label']})"
    return FindingUse(what, str(entry["date"]), int(entry["age_days"]), int(entry["window_days"]))


@dataclass(frozen=True)
class StagingView:
    """The staging in force for an episode."""

    snapshot: StagingSnapshot
    in_force: list[tuple[str, str]]
    overrides: list[tuple[str, str, str]]
    systems: list[SystemView]
    used: list[FindingUse]
    stale: list[FindingUse]
    missing: list[str]

    @property
    def reviewable(self) -> bool:
        """Whether a clinician may still confirm or override it."""
        return self.snapshot.status is StagingStatus.PROPOSED


def staging_view(snapshot: StagingSnapshot) -> StagingView:
    """The panel's view of a snapshot."""
    results = snapshot.results or {}
    order = [n for n in SYSTEM_ORDER if n in results] + sorted(
        n for n in results if n not in SYSTEM_ORDER
    )
    used: list[FindingUse] = []
    for source, entry in ((snapshot.inputs or {}).get("findings") or {}).items():
        if source == "patient":
            continue
        entries = entry if isinstance(entry, list) else [entry]
        used.extend(_use(source, e) for e in entries)
    return StagingView(
        snapshot=snapshot,
        in_force=[
            (label, words(getattr(snapshot, column)))
            for column, label in COLUMN_LABELS.items()
            if getattr(snapshot, column) is not None
        ],
        overrides=[
            (COLUMN_LABELS.get(c, c), words(v.get("proposed")), words(v.get("chosen")))
            for c, v in (snapshot.overrides or {}).items()
        ],
        systems=[system_view(n, results[n]) for n in order],
        used=sorted(used, key=lambda u: (u.on, u.what)),
        stale=[_use(str(s.get("source", s.get("kind", ""))), s) for s in snapshot.stale or []],
        missing=[m.replace("_", " ") for m in snapshot.missing or []],
    )


@dataclass(frozen=True)
class WoundPanel:
    """A wound with its measurements, area reductions and the plot of its area."""

    wound: Wound
    progress: wounds.AreaProgress
    plot: Plot | None


@dataclass(frozen=True)
class PerfusionRow:
    """A perfusion study with its date, as the chart lists it."""

    on: date
    values: list[str]


@dataclass(frozen=True)
class Notice:
    """What an entry did: the note, what changed in the staging, the recommendations."""

    text: str
    changes: list[Difference]
    recommendations: str


@dataclass(frozen=True)
class Refusal:
    """A form of the episode that came back refused, with what was typed."""

    slug: str
    typed: Mapping[str, str]
    problems: list[FieldProblem]
    message: str = ""


@dataclass
class EpisodeClinical:
    """Everything the chart shows and offers for one episode's findings and staging."""

    episode: EpisodeOut
    staging: StagingView | None
    perfusion: list[PerfusionRow]
    wounds: list[WoundPanel]
    forms: list[Entered] = field(default_factory=list)
    override: list[FormField] = field(default_factory=list)
    refusal: Refusal | None = None
    notice: Notice | None = None
    # The patient's site clock: every time on the section is shown on it, named.
    zone: ZoneInfo = UTC_ZONE

    @property
    def perfusion_headings(self) -> list[str]:
        """The perfusion table's column headings."""
        return PERFUSION_HEADINGS

    @property
    def open_form(self) -> str:
        """The slug of the form to show open (the refused one)."""
        return self.refusal.slug if self.refusal is not None else ""


PERFUSION_HEADINGS = [label for _, label in PERFUSION_COLUMNS]


def perfusion_rows(db: Session, episode_id: int) -> list[PerfusionRow]:
    """The episode's perfusion studies, oldest first."""
    rows = db.execute(
        select(PerfusionStudy, Assessment.assessed_on)
        .join(Assessment, Assessment.id == PerfusionStudy.assessment_id)
        .where(Assessment.episode_id == episode_id)
        .order_by(Assessment.assessed_on, PerfusionStudy.id)
    ).all()
    return [
        PerfusionRow(on, [words(getattr(study, name)) for name, _ in PERFUSION_COLUMNS])
        for study, on in rows
    ]


def wound_panels(db: Session, episode_id: int) -> list[WoundPanel]:
    """The episode's wounds with their area progress and plot."""
    panels = []
    for wound in db.scalars(select(Wound).where(Wound.episode_id == episode_id).order_by(Wound.id)):
        points = [(m.measured_on, m.area_cm2) for m in wound.measurements if m.area_cm2 is not None]
        panels.append(
            WoundPanel(
                wound=wound,
                progress=wounds.wound_area_progress(db=db, wound_id=wound.id),
                plot=area_plot(points),
            )
        )
    return panels


OVERRIDE_NAMES = ("reason", *COLUMN_LABELS)


def override_fields(
    typed: Mapping[str, str] | None = None, problems: Collection[FieldProblem] = ()
) -> list[FormField]:
    """The override form: the reason, then each result column that may be put in force."""
    drawn_fields = form_fields(
        StagingOverride, values=typed or {}, problems=problems, names=OVERRIDE_NAMES
    )
    return [
        replace(f, label=COLUMN_LABELS[f.name])
        if f.name != "reason"
        else replace(f, label="reason for the override", required=True)
        for f in drawn_fields
    ]


def episode_clinical(
    db: Session,
    episode: EpisodeOut,
    *,
    can_write: bool,
    today: date,
    refusal: Refusal | None = None,
    notice: Notice | None = None,
) -> EpisodeClinical:
    """The clinical section of one episode (forms only for those who may write)."""
    snapshot = current_snapshot(db, episode.id)
    panels = wound_panels(db, episode.id)
    clinical = EpisodeClinical(
        episode=episode,
        staging=staging_view(snapshot) if snapshot is not None else None,
        perfusion=perfusion_rows(db, episode.id),
        wounds=panels,
        refusal=refusal,
        notice=notice,
        zone=patient_zone(db, episode.patient_id),
    )
    if not can_write:
        return clinical
    episode_wounds = [p.wound for p in panels]
    for slug, form in FORMS.items():
        mine = refusal is not None and refusal.slug == slug
        clinical.forms.append(
            drawn(
                form,
                typed=refusal.typed if mine and refusal else {},
                problems=refusal.problems if mine and refusal else [],
                wounds=episode_wounds,
                today=today,
            )
        )
    override_refused = refusal is not None and refusal.slug == "override"
    clinical.override = override_fields(
        refusal.typed if override_refused and refusal else None,
        refusal.problems if override_refused and refusal else (),
    )
    return clinical


def clinical_sections(
    db: Session,
    episodes: Collection[EpisodeOut],
    *,
    can_write: bool,
    refused: tuple[int, Refusal] | None = None,
) -> list[EpisodeClinical]:
    """The clinical section of each episode of a chart (one may carry a refused form)."""
    today = now(db).date()
    return [
        episode_clinical(
            db,
            episode,
            can_write=can_write,
            today=today,
            refusal=refused[1] if refused is not None and refused[0] == episode.id else None,
        )
        for episode in episodes
    ]
