"""Small wording helpers for the synthetic generator: numbers as words, dates, school stages."""

from __future__ import annotations

import random
from datetime import date, timedelta

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def number_word(value: int) -> str:
    """0-99 in words: 7 -> 'seven', 24 -> 'twenty-four'."""
    if value < 20:
        return _UNITS[value]
    tens, units = divmod(value, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def dmy(day: date) -> str:
    """Police style date: 01/02/2019."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date(rng: random.Random, on: date, age: int, edge: str = "") -> date:
    """A date of birth making someone exactly `age` on `on`.

    `edge="birthday"` puts the birthday on `on` itself (just turned `age`); `edge="eve"` makes
    the next birthday tomorrow (about to turn `age + 1`). Otherwise a random day in the year.
    """
    latest = years_before(on, age)  # birthday today
    earliest = years_before(on, age + 1) + timedelta(days=1)  # birthday tomorrow
    if edge == "birthday":
        return latest
    if edge == "eve":
        return earliest
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def months_old(born: date, on: date) -> int:
    """Whole months from `born` to `on`."""
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - (on.day < born.day)


def school_year(age: int) -> int | None:
    """The English school year a child of this age is most likely in (Reception = 0)."""
    if age < 4 or age > 17:
        return None
    return min(age - 4, 13)


def school_stage(rng: random.Random, age: int) -> str | None:
    """A phrase saying what stage of school or childcare a child of this age is at."""
    year = school_year(age)
    options: list[str] = []
    if 1 <= age <= 3:
        options += ["at nursery", "at pre-school"]
    if year == 0:
        options += ["in Reception"]
    if year is not None and 1 <= year <= 6:
        options += [f"in Year {year}", "at primary school", f"in Year {year} at primary"]
    if year is not None and 7 <= year <= 11:
        options += [f"in Year {year}", "at secondary school", f"in Year {year} at secondary"]
    if age in (15, 16):
        options += ["doing GCSEs", "in the middle of GCSEs"]
    if age == 17:
        options += ["in Year 12", "in lower sixth"]
    return rng.choice(options) if options else None
