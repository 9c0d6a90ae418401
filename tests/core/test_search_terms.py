"""Search terms: normalisation, a patient's terms, a search's tokens and the prefix range."""

from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.search_terms import (
    MAX_CODE_POINT,
    name_terms,
    normalise,
    patient_terms,
    query_tokens,
    upper_bound,
)

# Any code point a database can store (no surrogates).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def test_normalise_folds_case_width_apostrophes_and_spaces() -> None:
    assert normalise("  MÜLLER\u2019s\tＡＢ\x00c  ") == "müller's ab c"
    assert normalise("Straße") == "strasse"
    assert normalise("Müller") != normalise("Muller")  # accents stay significant


def test_a_name_gives_itself_and_its_parts() -> None:
    assert name_terms("Smith-Jones") == {"smith-jones", "smith", "jones"}
    assert name_terms("Mary Ann") == {"mary ann", "mary", "ann"}
    assert name_terms("O'Brien") == {"o'brien", "o", "brien"}
    assert name_terms("Hopper") == {"hopper"}
    assert name_terms(" \x01 ") == set()


def test_the_mrn_is_one_term_whole() -> None:
    assert patient_terms(given_name="Grace", family_name="Hopper", mrn="X-77 B") == {
        "grace",
        "hopper",
        "x-77 b",
    }
    assert patient_terms(given_name="Grace", family_name="Hopper", mrn=" ") == {"grace", "hopper"}


def test_a_search_splits_at_spaces_and_commas_without_repeats() -> None:
    assert query_tokens("Smith, MARY  smith") == ["smith", "mary"]
    assert query_tokens("SYN-0001") == ["syn-0001"]
    assert query_tokens("  ,  ") == []
    assert query_tokens(None) == []


def test_upper_bound_steps_the_last_code_point() -> None:
    assert upper_bound("jon") == "joo"
    assert upper_bound("a\ud7ff") == "a\ue000"  # the surrogates cannot be stored
    assert upper_bound("a" + chr(MAX_CODE_POINT)) == "b"
    assert upper_bound(chr(MAX_CODE_POINT)) is None
    assert upper_bound("") is None


@given(prefix=TEXT.filter(bool), other=TEXT)
def test_the_range_holds_exactly_the_strings_that_start_with_the_prefix(
    prefix: str, other: str
) -> None:
    bound = upper_bound(prefix)
    for text in (other, prefix + other, prefix[:-1] + other):
        in_range = prefix <= text and (bound is None or text < bound)
        assert in_range == text.startswith(prefix)
    # Code-point order is the byte order of UTF-8 (SQLite's binary collation, PostgreSQL's "C").
    if bound is not None:
        assert prefix.encode() < bound.encode()
        assert bound.encode() > (prefix + other).encode()


def test_the_words_of_a_name_are_terms() -> None:
    assert name_terms("van Smith-Jones") == {
        "van smith-jones",
        "van",
        "smith-jones",
        "smith",
        "jones",
    }
    assert name_terms("Ada,Byron") == {"ada,byron", "ada", "byron"}


@given(name=TEXT)
def test_a_search_for_a_name_as_written_finds_it(name: str) -> None:
    terms = name_terms(name)
    assert all(terms)
    for token in query_tokens(name):
        assert any(term.startswith(token) for term in terms)
