"""A person as linkage sees them: cleaned names, date of birth or an estimated birth year,
gender, address, and the blocking keys that find candidates for them.

Blocking (which pairs are compared at all) uses four keys, so that one error in a record does
not hide its match: the family name's Metaphone with the birth year (a misspelt given name,
a nickname), the date of birth or it with day and month swapped (both names misspelt or
changed), the two Metaphones together (no date of birth or age at all), and the given name's
nickname group's Metaphone and the family initial with the birth year (a family name
misspelt and no date of birth).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.contract import ADULT_AGE, Notification, Person, age_on
from screening.linkage.names import clean, first_given, name_group, phonetic

_GENDERS = {"f": "f", "female": "f", "woman": "f", "girl": "f", "m": "m", "male": "m",
            "man": "m", "boy": "m"}


def gender_code(gender: str | None) -> str:
    """`f`, `m` or `` (unknown or another answer: then gender is not compared)."""
    return _GENDERS.get((gender or "").strip().lower(), "")


def swapped(day: date | None) -> date | None:
    """The date with day and month transposed, when that is another valid date."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One mention of a person in one notification, ready to compare."""

    given: str  # cleaned first given name
    family: str  # cleaned family name
    date_of_birth: date | None
    birth_year: int | None  # from the date of birth, else the incident year minus the age
    gender: str  # f, m or empty
    address_key: str
    role: str
    given_key: str  # Metaphone of the given name's nickname group
    family_key: str  # Metaphone of the family name
    occurred_year: int  # the year of the incident the record comes from
    minor: bool  # a child then: the role `child`, or under 18 by age or date of birth

    @property
    def given_block(self) -> str:
        """The given key with the family name's initial: the given-name-and-birth-year block
        (a family name misspelt past its Metaphone keeps its first letter)."""
        return f"{self.given_key}|{self.family[:1]}" if self.given_key else ""

    @property
    def blockable(self) -> bool:
        """A record with neither name cannot be linked safely: it is never linked."""
        return bool(self.given or self.family)


def make_record(
    *,
    given_name: str | None,
    family_name: str | None,
    date_of_birth: date | None,
    age: int | None,
    occurred_on: date,
    gender: str | None,
    address_key: str,
    role: str,
) -> PersonRecord:
    given, family = first_given(given_name), clean(family_name)
    if date_of_birth is not None:
        birth_year: int | None = date_of_birth.year
        age = age_on(date_of_birth, occurred_on)
    else:
        birth_year = occurred_on.year - age if age is not None else None
    return PersonRecord(
        given=given,
        family=family,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        gender=gender_code(gender),
        address_key=address_key,
        role=role,
        given_key=phonetic(name_group(given)),
        family_key=phonetic(family),
        occurred_year=occurred_on.year,
        minor=role == "child" or (age is not None and age < ADULT_AGE),
    )


def person_record(notification: Notification, person: Person, address_key: str) -> PersonRecord:
    """The record of one person of a notification (`address_key` as models.address makes it)."""
    return make_record(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        age=person.age,
        occurred_on=notification.occurred_at.date(),
        gender=person.gender,
        address_key=address_key,
        role=person.role,
    )
