"""VascuQoL-6: six items answered 1–4, summed to a total of 6–24 (higher is better)."""

from limbsalvage.core.sources import Source, Table

NORDANSTIG_2014 = Source(
    citation=(
        "Nordanstig J, Wann-Hansson C, Karlsson J, et al. Vascular Quality of Life "
        "Questionnaire-6 facilitates health-related quality of life assessment in peripheral "
        "arterial disease. J Vasc Surg 2014;59:700–7"
    ),
    doi="10.1016/j.jvs.2013.08.099",
)
LARSEN_2017 = Source(
    citation=(
        "Larsen ASF, Reiersen AT, Jacobsen MB, et al. Validation of the Vascular quality of life "
        "questionnaire – 6 for clinical use in patients with lower limb peripheral arterial "
        "disease. Health Qual Life Outcomes 2017;15:184"
    ),
    doi="10.1186/s12955-017-0760-3",
)

VASCUQOL6_TABLE = Table(
    table_id="vascuqol-6",
    version="2014.1",
    source=NORDANSTIG_2014,
    locator="the six items and their four response levels; sum score",
    checked=(
        "Development paper (J Vasc Surg 2014) and the validation by Larsen 2017 (Health Qual "
        "Life Outcomes, not J Vasc Surg) read in their abstracts: six items selected from "
        "VascuQoL-25. The scoring (each item 1 = worst to 4 = best, unweighted sum 6–24, higher "
        "is better, no score when any item is missing) is from descriptions of the instrument "
        "and to verify in the full texts. Item wording is not reproduced here."
    ),
)

ITEM_COUNT = 6
ANSWER_MIN = 1
ANSWER_MAX = 4
TOTAL_MIN = ITEM_COUNT * ANSWER_MIN
TOTAL_MAX = ITEM_COUNT * ANSWER_MAX
