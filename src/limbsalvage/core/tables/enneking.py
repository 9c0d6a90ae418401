"""Enneking (MSTS) surgical staging of musculoskeletal sarcoma: grade × site × metastasis."""

from limbsalvage.core.sources import Source, Table

ENNEKING_1980 = Source(
    citation=(
        "Enneking WF, Spanier SS, Goodman MA. A system for the surgical staging of "
        "musculoskeletal sarcoma. Clin Orthop Relat Res 1980;(153):106–20"
    ),
    url="https://pubmed.ncbi.nlm.nih.gov/7449206/",
)

ENNEKING_STAGES = Table(
    table_id="enneking-stages",
    version="1980.1",
    source=ENNEKING_1980,
    locator="surgical stages of malignant lesions (G1–2 × T1–2 × M0–1)",
    checked=(
        "Primary full text not available to us. Stages read in two reproductions that agree cell "
        "by cell and cite the 1980 paper (Wheeless' Textbook of Orthopaedics, 'Surgical staging "
        "system for musculoskeletal tumors'; a staging summary on dr-noegraha.blogspot.com): "
        "IA G1T1M0, IB G1T2M0, IIA G2T1M0, IIB G2T2M0, IIIA G1–2 T1 M1, IIIB G1–2 T2 M1; M1 "
        "includes regional lymph nodes and skip lesions. Other reproductions (and our clinical "
        "notes) collapse the metastatic stages into a single 'III'. Benign stages 1–3 (latent, "
        "active, aggressive) are not implemented: we could not verify them in the 1980 paper."
    ),
)

# (high grade, extracompartmental) → stage without metastasis; metastasis gives IIIA / IIIB.
STAGE_WITHOUT_METASTASIS: dict[tuple[bool, bool], str] = {
    (False, False): "IA",
    (False, True): "IB",
    (True, False): "IIA",
    (True, True): "IIB",
}
STAGE_WITH_METASTASIS: dict[bool, str] = {False: "IIIA", True: "IIIB"}

STAGE_III_NOTE = (
    "Metastatic disease (regional nodes, skip lesions or distant) is stage III whatever the "
    "grade. Wheeless and other reproductions of the 1980 table split it into IIIA "
    "(intracompartmental) and IIIB (extracompartmental); many summaries print only 'III'. "
    "We give IIIA/IIIB and the stage group III."
)
