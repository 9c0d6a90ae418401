"""Wagner grades 0–5 of the diabetic (dysvascular) foot."""

from limbsalvage.core.sources import Source, Table

WAGNER_1981 = Source(
    citation=(
        "Wagner FW Jr. The dysvascular foot: a system for diagnosis and treatment. "
        "Foot Ankle 1981;2:64–122"
    ),
    doi="10.1177/107110078100200202",
)

WAGNER_GRADES = Table(
    table_id="wagner-grades",
    version="1981.1",
    source=WAGNER_1981,
    locator="grades 0–5 (as reproduced by World J Diabetes 2022;13:1049–65, table 1)",
    checked=(
        "Primary not available to us. Grades read in five reproductions: World J Diabetes 2022 "
        "(doi:10.4239/wjd.v13.i12.1049, table 1), Indian J Endocrinol Metab 2011 (PMC3189128, "
        "table 2), fpnotebook, standardofcare.com and a UCLA teaching page. They agree on grades "
        "0, 1, 3 and 4; they differ on exposed bone without infection (grade 2 in four, grade 3 "
        "in PMC3189128) and on grade 5 ('whole foot' in four, 'partial or complete' in one)."
    ),
)

# Grade → the published description, in our words.
GRADE_DESCRIPTIONS = {
    0: "no open lesion: pre-ulcerative lesion, healed ulcer or bony deformity (foot at risk)",
    1: "superficial ulcer of skin or subcutaneous tissue",
    2: "deep ulcer reaching tendon, ligament, joint capsule or bone, without abscess, "
    "osteomyelitis or joint sepsis",
    3: "deep ulcer with abscess, osteomyelitis or joint sepsis",
    4: "localized gangrene (toes, forefoot or heel)",
    5: "gangrene of the whole foot",
}

DEEP_ULCER_NOTE = (
    "A deep ulcer reaching or exposing bone without abscess, osteomyelitis or joint sepsis is "
    "read as grade 2 (World J Diabetes 2022, fpnotebook, standardofcare, UCLA); one "
    "reproduction (PMC3189128) puts any bony involvement in grade 3."
)
WHOLE_FOOT_NOTE = (
    "Grade 5 read as gangrene of the whole foot (four reproductions); one reproduction says "
    "'partial or complete', which would overlap grade 4 and is not used."
)
