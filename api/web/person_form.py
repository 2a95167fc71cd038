"""The person fields of a staff form: given name, family name and a date of birth in three
boxes (`dob-day`, `dob-month`, `dob-year`), as the legal-hold and subject-access forms post
them (the template macro `person_fields` draws them), with their errors in GOV.UK form."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Form


@dataclass(frozen=True)
class PersonForm:
    given_name: str = ""
    family_name: str = ""
    dob_day: str = ""
    dob_month: str = ""
    dob_year: str = ""

    def born(self) -> date | None:
        """The date of birth, or None when the three boxes do not make a real date."""
        try:
            return date(int(self.dob_year), int(self.dob_month), int(self.dob_day))
        except (ValueError, OverflowError):  # a 20-digit year overflows a C int
            return None

    def errors(self) -> list[dict[str, str]]:
        """Every error in the fields, in page order (text and the id of the field it is on)."""
        errors = []
        if not self.given_name.strip():
            errors.append({"text": "Enter the given name", "href": "#given_name"})
        if not self.family_name.strip():
            errors.append({"text": "Enter the family name", "href": "#family_name"})
        if self.born() is None:
            errors.append({"text": "Enter a real date of birth", "href": "#dob-day"})
        return errors

    def values(self) -> dict[str, str]:
        """The fields as posted, to fill the form again."""
        return asdict(self)


def posted_person(
    given_name: Annotated[str, Form()] = "",
    family_name: Annotated[str, Form()] = "",
    dob_day: Annotated[str, Form(alias="dob-day")] = "",
    dob_month: Annotated[str, Form(alias="dob-month")] = "",
    dob_year: Annotated[str, Form(alias="dob-year")] = "",
) -> PersonForm:
    return PersonForm(given_name, family_name, dob_day, dob_month, dob_year)


# A route's person fields, read from its form.
PostedPerson = Annotated[PersonForm, Depends(posted_person)]
