"""The notification contract with police systems, as pydantic v2 models.

This module is the single source of truth in code for
`shared/spec/notification-contract.md`: a notification (section 1), a screening
result (section 2) and a labelled notification (section 5). Unknown fields are
rejected and nothing is silently coerced: a boolean is not an integer, a number
is not a string, and dates must be ISO 8601 / RFC 3339 strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

Role = Literal["victim", "suspect", "child", "other_adult", "witness", "unknown"]
DashLevel = Literal["standard", "medium", "high", "refused", "not_completed"]
DashAnswer = Literal["yes", "no", "not_known"]
Route = Literal["duty_review", "triage_check", "screened_out"]
Priority = Literal["urgent", "high", "normal"]
Category = Literal[
    "present", "household", "pregnancy", "child_of_party", "young_party", "regular_visitor"
]
CATEGORIES: tuple[str, ...] = (
    "present",
    "household",
    "pregnancy",
    "child_of_party",
    "young_party",
    "regular_visitor",
)
ROUTES: tuple[str, ...] = ("duty_review", "triage_check", "screened_out")
ADULT_AGE = 18

_REFERENCE = r"^[A-Za-z0-9/_-]{1,64}$"
# UK postcode: outward code (area, district) and inward code (sector, unit); GIR 0AA is special.
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _datetime_from_string(value: Any) -> Any:
    """Accept only an RFC 3339 string (or an already-parsed datetime from our own code)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string")
    if not _RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time, e.g. 2026-11-20T23:14:00+00:00")
    return value


def _date_from_string(value: Any) -> Any:
    """Accept only a YYYY-MM-DD string (or a date from our own code)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date string YYYY-MM-DD")
    return value


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a UTC offset, e.g. +00:00 or Z")
    return value


def normalise_postcode(value: str) -> str:
    """Return a UK postcode in its standard form (`le11aa` -> `LE1 1AA`) or raise ValueError."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact) or len(compact) < 5:
        raise ValueError("is not a valid UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"


OffsetDateTime = Annotated[
    datetime, BeforeValidator(_datetime_from_string), AfterValidator(_require_offset)
]
DateTimeString = Annotated[datetime, BeforeValidator(_datetime_from_string)]
DateString = Annotated[date, BeforeValidator(_date_from_string)]
Postcode = Annotated[StrictStr, AfterValidator(normalise_postcode)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Strict):
    line1: StrictStr = Field(min_length=1, max_length=200)
    line2: StrictStr | None = Field(default=None, max_length=200)
    town: StrictStr | None = Field(default=None, max_length=100)
    postcode: Postcode | None = None


class Dash(_Strict):
    level: DashLevel
    yes_count: StrictInt | None = Field(default=None, ge=0, le=27)
    answers: dict[str, DashAnswer] | None = None

    @model_validator(mode="after")
    def _answer_numbers(self) -> Dash:
        for key in self.answers or {}:
            if not key.isdigit() or not 1 <= int(key) <= 27 or key != str(int(key)):
                raise ValueError(f"answers: question '{key}' must be a number from 1 to 27")
        return self


class Person(_Strict):
    role: Role
    given_name: StrictStr | None = Field(default=None, max_length=100)
    family_name: StrictStr | None = Field(default=None, max_length=100)
    date_of_birth: DateString | None = None
    age: StrictInt | None = Field(default=None, ge=0, le=120)
    gender: StrictStr | None = Field(default=None, max_length=50)
    ethnicity: StrictStr | None = Field(default=None, max_length=100)
    religion: StrictStr | None = Field(default=None, max_length=100)
    language: StrictStr | None = Field(default=None, max_length=100)
    interpreter_needed: StrictBool | None = None
    disability: StrictBool | None = None
    relationship_to_victim: StrictStr | None = Field(default=None, max_length=100)
    present_at_incident: StrictBool | None = None
    lives_at_address: StrictBool | None = None
    pregnant: StrictBool | None = None
    notes: StrictStr | None = Field(default=None, max_length=5000)


class Officer(_Strict):
    id: StrictStr | None = Field(default=None, max_length=100)
    name: StrictStr | None = Field(default=None, max_length=200)
    station: StrictStr | None = Field(default=None, max_length=200)


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Notification(_Strict):
    """One domestic abuse incident as a police system sends it (contract section 1)."""

    reference: StrictStr = Field(pattern=_REFERENCE)
    force: StrictStr | None = Field(default=None, min_length=1, max_length=100)
    occurred_at: OffsetDateTime
    reported_at: DateTimeString | None = None
    incident_type: Literal["incident", "crime"]
    offences: list[StrictStr] | None = Field(default=None, max_length=50)
    address: Address
    dash: Dash | None = None
    people: list[Person] = Field(min_length=1, max_length=30)
    children_present: StrictBool | None = None
    children_in_household: StrictBool | None = None
    victim_pregnant: StrictBool | None = None
    previous_incidents: StrictInt | None = Field(default=None, ge=0)
    narrative: StrictStr = Field(min_length=1, max_length=20000)
    officer: Officer | None = None

    @model_validator(mode="after")
    def _people_consistent(self) -> Notification:
        if not any(p.role == "victim" for p in self.people):
            raise ValueError("people: at least one person must have role 'victim'")
        day = self.occurred_at.date()
        for index, person in enumerate(self.people):
            if person.date_of_birth is None:
                continue
            if person.date_of_birth > day:
                raise ValueError(f"people.{index}.date_of_birth: is after occurred_at")
            if person.age is not None:
                derived = age_on(person.date_of_birth, day)
                if abs(derived - person.age) > 1:
                    raise ValueError(
                        f"people.{index}.age: {person.age} disagrees with date_of_birth "
                        f"(age {derived} on occurred_at) by more than a year"
                    )
        return self

    def age_of(self, person: Person) -> int | None:
        """The person's age on the day of the incident: from date of birth, else stated age."""
        if person.date_of_birth is not None:
            return age_on(person.date_of_birth, self.occurred_at.date())
        return person.age

    def is_child(self, person: Person) -> bool:
        """A child is anyone under 18 on `occurred_at`, or anyone given the role `child`."""
        age = self.age_of(person)
        return person.role == "child" or (age is not None and age < ADULT_AGE)


class Evidence(_Strict):
    """Why a route was taken: a structured field, a narrative span, or the model."""

    source: Literal["field", "narrative", "person", "model", "history"]
    field: str | None = None
    value: Any = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    rule: str | None = None
    category: Category | None = None
    polarity: Literal["positive", "negative", "uncertain"] = "positive"


class ScreeningResult(_Strict):
    """The screening outcome for one notification (contract section 2)."""

    reference: str
    route: Route
    priority: Priority | None
    score: float = Field(ge=0.0, le=1.0)
    categories: list[Category]
    evidence: list[Evidence]
    reasons: list[str] = Field(default_factory=list)
    policy_version: int
    model_version: str


class Label(_Strict):
    child_involvement: StrictBool
    categories: list[Category] = Field(default_factory=list)


class LabelledNotification(_Strict):
    """One line of labelled data (contract section 5)."""

    notification: Notification
    label: Label
