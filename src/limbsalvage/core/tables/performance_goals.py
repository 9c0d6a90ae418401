"""SVS objective performance goals for CLI and published 1-year amputation rates by WIfI stage."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from limbsalvage.core.sources import Source, Table
from limbsalvage.core.tables.outcomes import SVS_OPG_2009


class Direction(StrEnum):
    """Whether the program's value must stay below or above the goal."""

    AT_MOST = "at_most"
    AT_LEAST = "at_least"


class Measure(StrEnum):
    """What the goal is stated as: the event rate by the horizon, or freedom from it."""

    RATE = "rate"
    FREEDOM = "freedom"


@dataclass(frozen=True)
class PerformanceGoal:
    """One goal: an endpoint read at a horizon, compared with a threshold (a fraction)."""

    goal_id: str
    title: str
    endpoint: str
    horizon_days: int
    measure: Measure
    direction: Direction
    threshold: float
    bypass_controls: str


OPG_TABLE = Table(
    table_id="svs-cli-opg",
    version="2009.1",
    source=SVS_OPG_2009,
    locator="suggested OPG for CLI (safety at 30 days, efficacy at 1 year)",
    checked=(
        "The primary's table was not readable here. Its abstract (Pure/OHSU copy) gives the "
        "vein-bypass controls (N = 838, three RCTs): freedom from MALE + POD at 1 year 76.9% "
        "(95% CI 74.0–79.9), AFS 76.5% (73.7–79.5), and a 3% non-inferiority margin. The six "
        "thresholds (MACE < 8%, MALE < 8%, major amputation < 3% at 30 days; freedom from "
        "MALE + POD > 71%, limb salvage > 84%, survival > 80% at 1 year) are as quoted by two "
        "independent secondary reports (an all-comers endovascular CLTI series, and a NSQIP "
        "analysis of endovascular CLI outcomes 2011–2018); the 30-day MALE of the OPG cohort, "
        "6.2% (4.2–8.1), is from Goodney PP et al. J Vasc Surg 2011;54:100–8. To verify against "
        "the primary (docs/sources-to-verify.md)."
    ),
)

# 1 year = 365 days; 30 days as in the goals. Endpoint names are `core.outcomes.Endpoint` values.
PERFORMANCE_GOALS: tuple[PerformanceGoal, ...] = (
    PerformanceGoal(
        "mace-30d", "30-day MACE", "mace", 30, Measure.RATE, Direction.AT_MOST, 0.08, ""
    ),
    PerformanceGoal(
        "male-30d",
        "30-day MALE",
        "male",
        30,
        Measure.RATE,
        Direction.AT_MOST,
        0.08,
        "6.2% (95% CI 4.2–8.1)",
    ),
    PerformanceGoal(
        "amputation-30d",
        "30-day major amputation",
        "major_amputation",
        30,
        Measure.RATE,
        Direction.AT_MOST,
        0.03,
        "",
    ),
    PerformanceGoal(
        "male-pod-1y",
        "1-year freedom from MALE or peri-operative death",
        "male_or_perioperative_death",
        365,
        Measure.FREEDOM,
        Direction.AT_LEAST,
        0.71,
        "76.9% (95% CI 74.0–79.9)",
    ),
    PerformanceGoal(
        "limb-salvage-1y",
        "1-year limb salvage",
        "major_amputation",
        365,
        Measure.FREEDOM,
        Direction.AT_LEAST,
        0.84,
        "",
    ),
    PerformanceGoal(
        "survival-1y",
        "1-year survival",
        "overall_survival",
        365,
        Measure.FREEDOM,
        Direction.AT_LEAST,
        0.80,
        "",
    ),
)

CULL_2014 = Source(
    citation=(
        "Cull DL, Manos G, Hartley MC, et al. An early validation of the Society for Vascular "
        "Surgery lower extremity threatened limb classification system. J Vasc Surg "
        "2014;60:1535–41"
    ),
    doi="10.1016/j.jvs.2014.08.107",
)
VAN_REIJEN_2019 = Source(
    citation=(
        "van Reijen NS, Ponchant K, Ubbink DT, Koelemay MJW. The prognostic value of the WIfI "
        "classification in patients with chronic limb threatening ischaemia: a systematic review "
        "and meta-analysis. Eur J Vasc Endovasc Surg 2019;58:362–71"
    ),
    url="https://www.ejves.com/article/S1078-5884(19)30274-6/fulltext",
)


@dataclass(frozen=True)
class StageAmputationRate:
    """A published 1-year major amputation rate for one WIfI clinical stage."""

    stage: int
    rate: float
    ci_lower: float | None = None
    ci_upper: float | None = None


WIFI_AMPUTATION_CULL_2014 = Table(
    table_id="wifi-1y-amputation-cull",
    version="2014.1",
    source=CULL_2014,
    locator="abstract, results: 1-year limb amputation by WIfI clinical stage (158 wounds)",
    checked="Read in the PubMed abstract: stage 1 3%, stage 2 10%, stage 3 23%, stage 4 40%.",
)
WIFI_AMPUTATION_VAN_REIJEN_2019 = Table(
    table_id="wifi-1y-amputation-van-reijen",
    version="2019.1",
    source=VAN_REIJEN_2019,
    locator="abstract, results: pooled 1-year major amputation, 4 studies, 569 patients",
    checked=(
        "Read in the abstract (EJVES and two reproductions): 0%, 8% (95% CI 3–21%), "
        "11% (6–18%), 38% (21–58%) for stages 1–4; no interval is given for stage 1."
    ),
)

WIFI_AMPUTATION_RATES: Mapping[str, tuple[StageAmputationRate, ...]] = MappingProxyType(
    {
        WIFI_AMPUTATION_CULL_2014.ref: (
            StageAmputationRate(1, 0.03),
            StageAmputationRate(2, 0.10),
            StageAmputationRate(3, 0.23),
            StageAmputationRate(4, 0.40),
        ),
        WIFI_AMPUTATION_VAN_REIJEN_2019.ref: (
            StageAmputationRate(1, 0.0),
            StageAmputationRate(2, 0.08, 0.03, 0.21),
            StageAmputationRate(3, 0.11, 0.06, 0.18),
            StageAmputationRate(4, 0.38, 0.21, 0.58),
        ),
    }
)
