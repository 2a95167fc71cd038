"""Comparing two person records field by field: the agreement level of each field and the
pair's Fellegi-Sunter weight (`weights`). String similarity is rapidfuzz's Jaro-Winkler and
jellyfish's Metaphone; nothing here is a hand-written distance.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from models.contract import ADULT_AGE
from screening.linkage.names import nicknames_agree, phonetic
from screening.linkage.record import PersonRecord, swapped
from screening.linkage.weights import FIELDS

FUZZY_SIMILARITY = 0.88
WEIGHTS = {name: {key: level.weight for key, level in levels.items()}
           for name, levels in FIELDS.items()}


@dataclass(frozen=True, slots=True)
class Comparison:
    levels: dict[str, str]  # field -> level (a field missing on either side is absent)
    weight: float


def _similar(first: str, second: str) -> bool:
    return (
        JaroWinkler.normalized_similarity(first, second) >= FUZZY_SIMILARITY
        or phonetic(first) == phonetic(second)
    )


def given_level(first: str, second: str) -> str | None:
    if not first or not second:
        return None
    if first == second:
        return "exact"
    if nicknames_agree(first, second):
        return "nickname"
    return "fuzzy" if _similar(first, second) else "different"


def family_level(first: str, second: str) -> str | None:
    if not first or not second:
        return None
    if first == second:
        return "exact"
    shorter, longer = sorted((first, second), key=len)
    if _similar(first, second) or (len(shorter) >= 4 and shorter in longer):
        return "fuzzy"
    return "different"


def birth_level(a: PersonRecord, b: PersonRecord) -> str | None:
    if a.date_of_birth is not None and b.date_of_birth is not None:
        x, y = a.date_of_birth, b.date_of_birth
        if x == y:
            return "dob_exact"
        if swapped(x) == y:
            return "dob_transposed"
        same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day)
        return "dob_one_part" if same >= 2 else "dob_different"
    if a.birth_year is None or b.birth_year is None:
        return _minor_level(a, b) or _minor_level(b, a)
    gap = abs(a.birth_year - b.birth_year)
    return "year_close" if gap <= 1 else "year_near" if gap <= 3 else "year_far"


def _minor_level(child: PersonRecord, other: PersonRecord) -> str | None:
    """A child with no age against someone whose birth year made them an adult by more than
    three years then (a son named after his father): `year_far`."""
    if not child.minor or child.birth_year is not None or other.birth_year is None:
        return None
    return "year_far" if child.occurred_year - other.birth_year > ADULT_AGE + 3 else None


def compare(a: PersonRecord, b: PersonRecord) -> Comparison:
    """Every field's level, and the summed weight."""
    levels: dict[str, str] = {}
    for field, level in (
        ("given", given_level(a.given, b.given)),
        ("family", family_level(a.family, b.family)),
        ("birth", birth_level(a, b)),
        ("gender", None if not a.gender or not b.gender
         else "same" if a.gender == b.gender else "different"),
        ("address", None if not a.address_key or not b.address_key
         else "same" if a.address_key == b.address_key else "different"),
    ):
        if level is not None:
            levels[field] = level
    weight = sum(WEIGHTS[field][level] for field, level in levels.items())
    return Comparison(levels, round(weight, 3))
