"""The Fellegi-Sunter weights: for each compared field, the agreement levels with their m and
u probabilities and why each has the value it has.

m is the probability of the level when the two records are the same person, u when they are
two different people who reached the same block. A level's weight is log2(m / u) bits; a
pair's weight is the sum over fields (a missing value contributes nothing), and a pair at or
over `MATCH_THRESHOLD` is a match. The m values of a field sum to 1, as do its u values
(`BIRTH` holds two comparisons: dates of birth when both records have one, else birth years
from an age, each summing to 1). Beyond the sum, a known person with a record whose birth
wholly contradicts (`dob_different`, `year_far`) is never linked (screening/linkage/linker.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Level:
    m: float
    u: float
    reason: str

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


GIVEN: dict[str, Level] = {
    "exact": Level(0.86, 0.01, "most officers spell a first name the same way each time; the "
                   "commonest English first names are each about 1% of people"),
    "nickname": Level(0.06, 0.002, "Bill for William, Liz for Elizabeth: common in police "
                      "records, rare by chance between two people"),
    "fuzzy": Level(0.06, 0.02, "a misspelling (Jaro-Winkler >= 0.88, or the same Metaphone): "
                   "typing errors are frequent, but so are near names between two people "
                   "(Aidan and Adrian, Dan and Don)"),
    "different": Level(0.02, 0.968, "a first name neither the same, a nickname nor a near "
                       "spelling is nearly always another person (a sibling, a twin); the "
                       "rare alias or middle name is missed rather than two people merged"),
}

FAMILY: dict[str, Level] = {
    "exact": Level(0.86, 0.004, "family names are more varied than first names: even the "
                   "commonest (Smith) is about 1% and most well under 0.5%"),
    "fuzzy": Level(0.07, 0.01, "a misspelling, a hyphen or a double-barrelled name "
                   "(Jaro-Winkler >= 0.88, the same Metaphone, or one contains the other)"),
    "different": Level(0.07, 0.986, "family names change: marriage, separation, a child "
                       "given a new partner's name"),
}

BIRTH: dict[str, Level] = {
    "dob_exact": Level(0.92, 0.0005, "a date of birth is the best single identifier; 1 in "
                       "2,000 allows for twins and placeholder dates such as 1 January"),
    "dob_transposed": Level(0.02, 0.0003, "day and month swapped (US order, or typed "
                            "across): a known recording error, rare by chance"),
    "dob_one_part": Level(0.0595, 0.01, "two of day, month and year the same: a typing error "
                          "in one part"),
    "dob_different": Level(0.0005, 0.9892, "deliberately strong: two dates of birth wholly "
                           "different are two people, however alike the names (a father and "
                           "a son of the same name at one address)"),
    "year_close": Level(0.93, 0.04, "with only an age, the birth years of one person agree "
                        "within a year; by chance about 3 years in 75"),
    "year_near": Level(0.0695, 0.05, "two or three years apart: an age guessed or out of "
                       "date; weak either way"),
    "year_far": Level(0.0005, 0.91, "deliberately strong: ages more than three years apart "
                      "are different people with the same name"),
}

GENDER: dict[str, Level] = {
    "same": Level(0.97, 0.5, "half of strangers share a recorded gender"),
    "different": Level(0.03, 0.5, "recording errors and a change of gender are uncommon"),
}

ADDRESS: dict[str, Level] = {
    "same": Level(0.55, 0.01, "about half of repeat incidents are at the same address; "
                  "strangers of a similar name rarely share one (relatives do, which the "
                  "birth comparison settles)"),
    "different": Level(0.45, 0.99, "people move, and a party is often recorded at the "
                       "other party's address"),
}

FIELDS: dict[str, dict[str, Level]] = {
    "given": GIVEN, "family": FAMILY, "birth": BIRTH, "gender": GENDER, "address": ADDRESS,
}

# The weight (bits) at which a pair is taken to be one person. Exact names with an agreeing
# age clear it at any address (about 18 bits), as do a nickname or a misspelt name with a date
# of birth; the same names with wholly different dates or ages do not (under 10 bits, even at
# one address).
MATCH_THRESHOLD = 14.5
