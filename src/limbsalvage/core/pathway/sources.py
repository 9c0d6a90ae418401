"""The guidelines and trials the pathway rules cite, by the short name each rule row uses."""

from collections.abc import Mapping
from types import MappingProxyType

from limbsalvage.core.pathway.model import Citation
from limbsalvage.core.sources import Source
from limbsalvage.core.tables.ali import ESVS_ALI_2020
from limbsalvage.core.tables.glass import GVG_2019
from limbsalvage.core.tables.infection import IWGDF_IDSA_2023, WUKICH_2023
from limbsalvage.core.tables.mess import BOSSE_2001
from limbsalvage.core.tables.perfusion import IWGDF_2023
from limbsalvage.core.tables.prevent3 import SCHANZER_2008

SCHAPER_2023 = Source(
    citation=(
        "Schaper NC, van Netten JJ, Apelqvist J, et al. Practical guidelines on the prevention and "
        "management of diabetes-related foot disease (IWGDF 2023 update). Diabetes Metab Res Rev "
        "2024;40:e3657"
    ),
    doi="10.1002/dmrr.3657",
)
GOHEL_2018 = Source(
    citation=(
        "Gohel MS, Heatley F, Liu X, et al. A randomized trial of early endovenous ablation in "
        "venous ulceration (EVRA). N Engl J Med 2018;378:2105–14"
    ),
    doi="10.1056/NEJMoa1801214",
)
ESVS_CVD_2022 = Source(
    citation=(
        "De Maeseneer MG, Kakkos SK, Aherne T, et al. European Society for Vascular Surgery (ESVS) "
        "2022 Clinical Practice Guidelines on the Management of Chronic Venous Disease of the "
        "Lower Limbs. Eur J Vasc Endovasc Surg 2022"
    ),
    doi="10.1016/j.ejvs.2021.12.024",
)
SVS_AVF_2014 = Source(
    citation=(
        "O'Donnell TF Jr, Passman MA, Marston WA, et al. Management of venous leg ulcers: "
        "clinical practice guidelines of the Society for Vascular Surgery and the American "
        "Venous Forum. J Vasc Surg 2014;60(2 Suppl):3S–59S"
    ),
)
BOSSE_2002 = Source(
    citation=(
        "Bosse MJ, MacKenzie EJ, Kellam JF, et al. An analysis of outcomes of reconstruction or "
        "amputation after leg-threatening injuries (LEAP). N Engl J Med 2002;347:1924–31"
    ),
    doi="10.1056/NEJMoa012604",
)
DICAPRIO_2003 = Source(
    citation=(
        "DiCaprio MR, Friedlaender GE. Malignant bone tumors: limb sparing versus amputation. "
        "J Am Acad Orthop Surg 2003;11:25–37"
    ),
)

SOURCES: Mapping[str, Source] = MappingProxyType(
    {
        "GVG 2019": GVG_2019,
        "IWGDF/ESVS/SVS PAD 2023": IWGDF_2023,
        "IWGDF/IDSA infection 2023": IWGDF_IDSA_2023,
        "IWGDF practical 2023": SCHAPER_2023,
        "ADA/IWGDF Charcot 2023": WUKICH_2023,
        "ESVS ALI 2020": ESVS_ALI_2020,
        "ESVS CVD 2022": ESVS_CVD_2022,
        "SVS/AVF venous ulcer 2014": SVS_AVF_2014,
        "EVRA 2018": GOHEL_2018,
        "LEAP 2001": BOSSE_2001,
        "LEAP 2002": BOSSE_2002,
        "Schanzer 2008": SCHANZER_2008,
        "DiCaprio 2003": DICAPRIO_2003,
    }
)


def cite(guideline: str, recommendation: str) -> Citation:
    """A rule's citation: the short guideline name, the recommendation, the full reference."""
    return Citation(guideline, recommendation, SOURCES[guideline].cite(recommendation))
