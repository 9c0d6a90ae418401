"""Search terms of a patient and of a name/MRN search, and the index range of a prefix.

A patient is found by the terms of their names and MRN, each *normalised*: Unicode NFKC, then
case-folded (so "MÜLLER", "Müller" and "müller" are one term, and "Straße" is "strasse"),
typographic apostrophes as "'", control characters dropped, runs of spaces as one. Accents
stay significant ("muller" does not find "Müller").

- The MRN is one term, whole: a search finds it from its first character ("syn-0001" finds
  "SYN-00012345"; "12345" does not).
- Each name is a term whole, each of its words (split at spaces and commas) and each part of a
  word (split at hyphens and apostrophes): "Smith-Jones" gives "smith-jones", "smith" and
  "jones"; "Mary Ann" gives "mary ann", "mary" and "ann"; "O'Brien" gives "o'brien", "o" and
  "brien".

A search is split at spaces (and commas) into tokens; a patient matches when *every* token is
the beginning of one of the patient's terms ("jon" finds "Smith-Jones"; "mary smith" finds
Mary Smith; "ith" finds nobody — there is no matching inside a word).

"Is the beginning of" is answered by an index range: `prefix <= term < upper_bound(prefix)`
in code-point order, which SQLite (binary collation) and PostgreSQL (collation "C") both use.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[\s,]+")
_WORD_PARTS = re.compile(r"[\-']+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def normalise(text: str) -> str:
    """Text as stored and compared: NFKC, case-folded, no control characters, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    visible = "".join(c if unicodedata.category(c) != "Cc" else " " for c in folded)
    return _SPACES.sub(" ", visible).strip()


def name_terms(name: str) -> set[str]:
    """A name's terms: the whole normalised name, its words and the parts of each word."""
    whole = normalise(name)
    words = {word for word in _WORDS.split(whole) if word}
    parts = {part for word in words for part in _WORD_PARTS.split(word) if part}
    return ({whole} if whole else set()) | words | parts


def patient_terms(*, given_name: str, family_name: str, mrn: str) -> set[str]:
    """Every term a search can find the patient by."""
    terms = name_terms(given_name) | name_terms(family_name)
    whole_mrn = normalise(mrn)
    return terms | {whole_mrn} if whole_mrn else terms


def query_tokens(search: str | None) -> list[str]:
    """The tokens of a search, each normalised, in order, without repeats (empty: no search)."""
    if search is None:
        return []
    tokens = _WORDS.split(normalise(search))
    return list(dict.fromkeys(token for token in tokens if token))


def upper_bound(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix` (None: no such string,
    every string from `prefix` on starts with it)."""
    stem = prefix
    while stem:
        following = ord(stem[-1]) + 1
        if following in _SURROGATES:  # not encodable: skip to the first code point after them
            following = _SURROGATES.stop
        if following <= MAX_CODE_POINT:
            return stem[:-1] + chr(following)
        stem = stem[:-1]
    return None
