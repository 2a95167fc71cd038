"""How an officer writes a known person down, for the recurring-family generator: a nickname,
a slip in a name, day and month swapped or one part of the date mistyped, an age instead of
a date of birth, nothing at all, gender left out.

The rates are chosen to be realistic-to-harsh so that linkage is tested on the errors it must
survive; every row's truth (who each person really is) is kept by the caller.
"""

from __future__ import annotations

import random
import string
from datetime import date

from models.contract import age_on
from screening.linkage.nicknames import GROUPS

NICKNAME = 0.08
GIVEN_SLIP = 0.05
FAMILY_SLIP = 0.05
DOB_SWAP = 0.03
DOB_SLIP = 0.02
AGE_ONLY_ADULT, AGE_ONLY_CHILD = 0.10, 0.30
NO_BIRTH = 0.04
NO_GENDER = 0.10

_SHORT: dict[str, list[str]] = {}
for _group in GROUPS:
    _SHORT.setdefault(_group[0], []).extend(_group[1:])


def slip(name: str, rng: random.Random) -> str:
    """One typing slip: two adjacent letters swapped, a letter dropped, doubled or changed."""
    if len(name) < 4:
        return name
    at = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind == 1:
        return name[:at] + name[at + 1 :]
    if kind == 2:
        return name[:at] + name[at] + name[at:]
    return name[:at] + rng.choice(string.ascii_lowercase) + name[at + 1 :]


def written_given(given: str, rng: random.Random) -> str:
    shorts = _SHORT.get(given.lower())
    if shorts and rng.random() < NICKNAME:
        return rng.choice(shorts).capitalize()
    return slip(given, rng) if rng.random() < GIVEN_SLIP else given


def written_family(family: str, rng: random.Random) -> str:
    return slip(family, rng) if rng.random() < FAMILY_SLIP else family


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def written_birth(
    born: date, on: date, child: bool, rng: random.Random
) -> tuple[str | None, int | None]:
    """(date_of_birth as ISO text, age): one, the other or neither, as officers record them."""
    age = age_on(born, on)
    roll = rng.random()
    if roll < NO_BIRTH:
        return None, None
    if roll < NO_BIRTH + (AGE_ONLY_CHILD if child else AGE_ONLY_ADULT):
        return None, age
    written: date | None = born
    slip_roll = rng.random()
    if slip_roll < DOB_SWAP and born.day <= 12:
        written = _valid(born.year, born.day, born.month)
    elif slip_roll < DOB_SWAP + DOB_SLIP:
        written = _valid(born.year, born.month, rng.randint(1, 28))
    if written is None or written > on:
        written = born
    return written.isoformat(), None
