"""Fontaine stages of chronic lower-limb ischaemia."""

from limbsalvage.core.sources import Source, Table

FONTAINE_1954 = Source(
    citation=(
        "Fontaine R, Kim M, Kieny R. Die chirurgische Behandlung der peripheren "
        "Durchblutungsstörungen. Helv Chir Acta 1954;21:499–533"
    ),
    url="https://pubmed.ncbi.nlm.nih.gov/14366554/",
)

FONTAINE_STAGES = Table(
    table_id="fontaine-stages",
    version="1954.1",
    source=FONTAINE_1954,
    locator="stages I–IV as reproduced by Hardman RL et al. Semin Intervent Radiol 2014;31:378–88",
    checked=(
        "Primary (German, 1954) not available to us; stages read in Hardman 2014 and the ESC/ESVS "
        "2017 PAD guideline (Aboyans V et al. Eur Heart J 2018;39:763–816) and four public "
        "reproductions. The IIa/IIb split at 200 m pain-free walking distance is the most common "
        "reading; one reproduction gives 150 m and ESC 2017 says 'non-disabling' vs 'disabling' "
        "claudication without a distance. We use 200 m and say so in every IIa/IIb result."
    ),
)

# Pain-free walking distance: more than this is IIa; this or less is IIb.
CLAUDICATION_SPLIT_M = 200.0
CLAUDICATION_SPLIT_NOTE = (
    "IIa/IIb split at 200 m (most reproductions; one gives 150 m, ESC 2017 uses "
    "'non-disabling'/'disabling' without a distance); exactly 200 m is read as IIb because "
    "IIa requires a distance greater than 200 m."
)
