"""Cited cut-offs the rules read through `Param(name)`; a clinic may replace them (configurable).

Where guidelines disagree the chosen value says which source it follows, and the note names the
others; a change of value is a reviewed change with its test (tests/core/pathway).
"""

from collections.abc import Mapping
from types import MappingProxyType

from limbsalvage.core.pathway.model import Threshold
from limbsalvage.core.tables.perfusion import WIFI_ABI_INCOMPRESSIBLE_ABOVE

_IWGDF_PAD = "IWGDF/ESVS/SVS PAD 2023 (Fitridge 2023), bedside tests calling for urgent imaging"
_NOT_READ = (
    "Primary text not read here; value from the project's clinical notes of the 2023 guideline. "
)

DEFAULT_THRESHOLDS: Mapping[str, Threshold] = MappingProxyType(
    {
        t.name: t
        for t in (
            Threshold(
                "gvg_wound_reduction_4wk_pct",
                50.0,
                "%",
                "GVG 2019 recs 6.9, 6.10, 6.35, 6.36 (wound not reduced ≥50% in 4 weeks)",
            ),
            Threshold(
                "iwgdf_urgent_ankle_pressure_mmhg",
                50.0,
                "mmHg",
                _IWGDF_PAD,
                _NOT_READ + "Below this ankle pressure: urgent imaging and revascularization.",
            ),
            Threshold(
                "iwgdf_urgent_abi",
                0.4,
                "",
                _IWGDF_PAD,
                _NOT_READ + "Below this ABI: urgent imaging and revascularization.",
            ),
            Threshold(
                "iwgdf_urgent_toe_pressure_mmhg",
                30.0,
                "mmHg",
                _IWGDF_PAD,
                _NOT_READ + "Below this toe pressure: urgent imaging and revascularization.",
            ),
            Threshold(
                "iwgdf_urgent_tcpo2_mmhg",
                25.0,
                "mmHg",
                _IWGDF_PAD,
                _NOT_READ
                + "Below this TcPO2: urgent imaging and revascularization. The 2015/16 IWGDF "
                "guidance used 25 mmHg; a 2024 review tabulates the 2023 guideline as 30 mmHg. "
                "We keep 25 until the primary is read (docs/sources-to-verify.md).",
            ),
            Threshold(
                "venous_full_compression_abi",
                0.8,
                "",
                "SVS/AVF venous ulcer 2014 and EVRA 2018 (eligibility ABI ≥0.8)",
                "Full compression at or above this ABI. Guidelines differ on the lower band: we "
                "follow the SVS/AVF 2014 reading (0.5–0.8 modified compression); ESVS 2022 is "
                "cited as using an ABI of 0.6 with an ankle pressure of 60 mmHg (not read here).",
            ),
            Threshold(
                "venous_no_compression_abi",
                0.5,
                "",
                "SVS/AVF venous ulcer 2014 (as followed here; see venous_full_compression_abi)",
                "Below this ABI no compression; modified compression between the two.",
            ),
            Threshold(
                "noncompressible_abi",
                WIFI_ABI_INCOMPRESSIBLE_ABOVE,
                "",
                "Mills 2014 WIfI (ABI >1.3 = non-compressible), as in core/tables/perfusion.py",
                "An ABI above this is not used to judge arterial supply.",
            ),
        )
    }
)
