"""The legal-hold and subject-access forms' person fields: a date of birth that is not a date,
however it fails (a month of 13, a year too large for the calendar), is an error on the form,
never a server error."""

from __future__ import annotations

import pytest

from api.web.person_form import PersonForm


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "2", "1990"), ("1", "13", "1990"), ("1", "1", "9" * 20), ("x", "1", "1990")],
)
def test_a_date_that_is_not_a_date_is_a_field_error(day: str, month: str, year: str) -> None:
    form = PersonForm("Imogen", "Falconbridge", day, month, year)
    assert form.born() is None
    assert form.errors()


def test_a_real_date_is_read() -> None:
    form = PersonForm("Imogen", "Falconbridge", "2", "3", "1994")
    assert form.born() is not None and form.born().isoformat() == "1994-03-02"
    assert form.errors() == []
