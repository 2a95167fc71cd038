"""Age expressions (screening/narrative/ages.py): forms, word numbers, units and dates of birth."""

from datetime import date

import pytest

from screening.narrative.ages import find_ages

ON = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected", "strong"),
    [
        ("Finn (4) was there", (4.0,), False),
        ("a girl aged 4 lives there", (4.0,), True),
        ("she is age 4 now", (4.0,), True),
        ("her lad, 4yrs, was upset", (4.0,), False),
        ("the boy, 4 yrs old, cried", (4.0,), True),
        ("a 4 y/o was in the cot", (4.0,), True),
        ("their 4-year-old was asleep", (4.0,), True),
        ("their 3-yr-old was asleep", (3.0,), True),
        ("they have a two-year-old at home", (2.0,), True),
        ("her grandson, who is seven, was in", (7.0,), False),
        ("Jess is fourteen.", (14.0,), False),
        ("the lad aged seventeen was out", (17.0,), True),
        ("the baby, 19 months old, was in the cot", (1.58,), True),
        ("her daughter is two and a half.", (2.5,), False),
        ("Baby (4 months) was with his aunt", (0.33,), False),
        ("twins aged 2, 5 and 7 were upstairs", (2.0, 5.0, 7.0), True),
        # a bracket of several ages stands alone as ages (age_terms.toml list_strength)
        ("nephew and niece (12 and 10) stay", (12.0, 10.0), True),
        ("DASH - standard (6)", (6.0,), False),
        ("the farmer, aged sixty-seven, was calm", (67.0,), True),
        ("in his late twenties", (20.0,), False),
    ],
)
def test_age_forms(text: str, expected: tuple[float, ...], strong: bool) -> None:
    ages = find_ages(text, ON)
    assert len(ages) == 1, ages
    assert ages[0].ages == expected
    assert ages[0].strong is strong


def test_date_of_birth_is_day_month_year_and_an_age_on_the_day() -> None:
    # 01/02/2019 is 1 February 2019 (UK order): 7 on 1 March 2026, 6 on 31 January 2026.
    assert find_ages("Ava DOB 01/02/2019 was present", ON)[0].ages == (7.0,)
    assert find_ages("Ava DOB 01/02/2019 was present", date(2026, 1, 31))[0].ages == (6.0,)
    assert find_ages("D.O.B. 02/03/2008", ON)[0].ages == (17.0,)
    assert find_ages("D.O.B. 01/03/2008", ON)[0].ages == (18.0,)


def test_seventeen_is_a_child_and_eighteen_is_not() -> None:
    assert find_ages("aged 17", ON)[0].is_minor
    assert not find_ages("aged 18", ON)[0].is_minor


@pytest.mark.parametrize(
    "text",
    [
        "IP is 24/40 and tired",  # a pregnancy, not an age
        "she is 20 weeks gone",
        "she is 8 weeks pregnant",
        "they split up 4 years ago",
        "the score is one of the highest",
    ],
)
def test_not_ages(text: str) -> None:
    assert find_ages(text, ON) == []


def test_spans_point_at_the_text() -> None:
    text = "Mia (6) and her brother, aged nine, were in the car."
    ages = find_ages(text, ON)
    assert [text[a.start : a.end] for a in ages] == ["(6)", "aged nine"]
