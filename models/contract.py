"""The notification contract with police systems, as pydantic v2 models.

This module is the single source of truth in code for
`shared/spec/notification-contract.md`: a notification (section 1), a screening
result (section 2) and a labelled notification (section 5). Unknown fields are
rejected and nothing is silently coerced: a boolean is not an integer, a number
is not a string, and dates must be ISO 8601 / RFC 3339 strings.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Role = Literal["victim", "suspect", "child", "other_adult", "witness", "unknown"]
DashLevel = Literal["standard", "medium", "high", "refused", "not_completed"]
DashAnswer = Literal["yes", "no", "not_known"]
Route = Literal["duty_review", "triage_check", "screened_out"]
Priority = Literal["urgent", "high", "normal"]
Category = Literal[
    "present", "household", "pregnancy", "child_of_party", "young_party", "regular_visitor"
]
CATEGORIES: tuple[str, ...] = get_args(Category)
ROUTES: tuple[str, ...] = get_args(Route)
ADULT_AGE = 18

_REFERENCE = r"^[A-Za-z0-9/_-]{1,64}$"
# UK postcode: outward code (area, district) and inward code (sector, unit); GIR 0AA is special.
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
# RFC 3339 (seconds required, `T` or `t`); the offset is checked separately where required.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Sane bounds: no date before 1900, none after 2099 (offline files have no time of receipt; at
# intake the bound is tighter: no later than the day after the day of receipt, see
# `RECEIVED_AT`). More than 1,000 earlier incidents in a year is a data error, not a history.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2099, 12, 31)
MAX_PREVIOUS_INCIDENTS = 1000
# The validation context key that carries the time a notification was received (intake sets
# it; offline screening does not). A date later than the day after that day is refused.
RECEIVED_AT = "received_at"
NUL_FREE = "^[^\\u0000]*$"


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class InSchema:
    """Adds keywords to a type's JSON schema: what a validator enforces, said in the document."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(self.keywords)
        return {key: value for key, value in schema.items() if value is not None}


# Every free-text field: a strict string without NUL characters (PostgreSQL cannot store one
# in text, and no police system means one).
Text = Annotated[StrictStr, AfterValidator(_refuse_nul), InSchema(pattern=NUL_FREE)]

# The same rules as patterns for the JSON schema (digits as [0-9]: `\d` means more in Python).
YEARS_PATTERN = "(19[0-9][0-9]|20[0-9][0-9])"
MONTH_DAY_PATTERN = "(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME_PATTERN = "[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?"
_OFFSET_PATTERN = "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"


def date_pattern(dates: str = f"{YEARS_PATTERN}-{MONTH_DAY_PATTERN}") -> str:
    """A JSON-schema pattern for YYYY-MM-DD dates matching `dates`."""
    return f"^{dates}$"


def datetime_pattern(
    dates: str = f"{YEARS_PATTERN}-{MONTH_DAY_PATTERN}", offset_required: bool = True
) -> str:
    """A JSON-schema pattern for the RFC 3339 date-times we accept, on dates matching `dates`."""
    return f"^{dates}{_TIME_PATTERN}{_OFFSET_PATTERN}{'' if offset_required else '?'}$"


def _integral_number(value: Any) -> Any:
    """JSON has one number type: `4.0` is the integer 4 (as JSON Schema says); `4.5` is not."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


# Integer fields with bounds: a JSON integer (or a number with no fraction), never a boolean or
# a string. (The bounds sit inside, so that the JSON schema shows them.)
DashYesCount = Annotated[StrictInt, Field(ge=0, le=27), BeforeValidator(_integral_number)]
PersonAge = Annotated[StrictInt, Field(ge=0, le=120), BeforeValidator(_integral_number)]
IncidentCount = Annotated[
    StrictInt, Field(ge=0, le=MAX_PREVIOUS_INCIDENTS), BeforeValidator(_integral_number)
]


def _in_date_range(day: date) -> None:
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}")


def _datetime_in_range(value: datetime) -> datetime:
    _in_date_range(value.date())
    return value


def _date_in_range(value: date) -> date:
    _in_date_range(value)
    return value


def latest_date(received_at: datetime) -> date:
    """The latest calendar date a notification received at `received_at` may carry."""
    return received_at.astimezone(UTC).date() + timedelta(days=1)


def as_utc(value: datetime) -> datetime:
    """An aware datetime; a date-time without an offset is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


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
    datetime,
    BeforeValidator(_datetime_from_string),
    AfterValidator(_require_offset),
    AfterValidator(_datetime_in_range),
    InSchema(pattern=datetime_pattern()),
]
DateTimeString = Annotated[
    datetime,
    BeforeValidator(_datetime_from_string),
    AfterValidator(_datetime_in_range),
    # Not `format: date-time`: that requires the offset, which reported_at may leave out.
    InSchema(pattern=datetime_pattern(offset_required=False), format=None),
]
DateString = Annotated[
    date,
    BeforeValidator(_date_from_string),
    AfterValidator(_date_in_range),
    InSchema(pattern=date_pattern()),
]
# A postcode as sent: either case, spaces around and between the two parts.
POSTCODE_PATTERN = (
    "^ *([Gg][Ii][Rr] *0[Aa][Aa]|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2}) *$"
)
_POSTCODE_AS_SENT = re.compile(POSTCODE_PATTERN)


def _postcode(value: str) -> str:
    if not _POSTCODE_AS_SENT.match(value):
        raise ValueError("is not a valid UK postcode")
    return normalise_postcode(value)


Postcode = Annotated[StrictStr, AfterValidator(_postcode), InSchema(pattern=POSTCODE_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Strict):
    line1: Text = Field(min_length=1, max_length=200, description="House number and street.")
    line2: Text | None = Field(default=None, max_length=200, description="Second line, if any.")
    town: Text | None = Field(default=None, max_length=100, description="Town or city.")
    postcode: Postcode | None = Field(default=None, description="UK postcode, any case/spacing.")


class Dash(_Strict):
    level: DashLevel = Field(description="The DASH risk level the officer assessed.")
    yes_count: DashYesCount | None = Field(default=None, description="Questions answered yes.")
    answers: dict[str, DashAnswer] | None = Field(
        default=None,
        description="Answers by question number (`\"1\"` to `\"27\"`), where recorded.",
        json_schema_extra={"propertyNames": {"pattern": "^([1-9]|1[0-9]|2[0-7])$"}},
    )

    @model_validator(mode="after")
    def _answer_numbers(self) -> Dash:
        for key in self.answers or {}:
            if not key.isdigit() or not 1 <= int(key) <= 27 or key != str(int(key)):
                raise ValueError(f"answers: question '{key}' must be a number from 1 to 27")
        return self


class Person(_Strict):
    role: Role = Field(description="The person's part in the incident; a child is `child`.")
    given_name: Text | None = Field(default=None, max_length=100, description="First name(s).")
    family_name: Text | None = Field(default=None, max_length=100, description="Surname.")
    date_of_birth: DateString | None = Field(
        default=None,
        description="Not after the date of occurred_at; with age, the two agree within a year.",
    )
    age: PersonAge | None = Field(default=None, description="Age in years on the day.")
    gender: Text | None = Field(default=None, max_length=50)
    ethnicity: Text | None = Field(default=None, max_length=100)
    religion: Text | None = Field(default=None, max_length=100)
    language: Text | None = Field(default=None, max_length=100)
    interpreter_needed: StrictBool | None = None
    disability: StrictBool | None = None
    relationship_to_victim: Text | None = Field(default=None, max_length=100)
    present_at_incident: StrictBool | None = Field(default=None, description="There at the time.")
    lives_at_address: StrictBool | None = Field(default=None, description="Lives at the address.")
    pregnant: StrictBool | None = Field(default=None, description="Known to be pregnant.")
    notes: Text | None = Field(default=None, max_length=5000, description="Free text.")


class Officer(_Strict):
    id: Text | None = Field(default=None, max_length=100)
    name: Text | None = Field(default=None, max_length=200)
    station: Text | None = Field(default=None, max_length=200)


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Notification(_Strict):
    """One domestic abuse incident as a police system sends it (contract section 1)."""

    reference: StrictStr = Field(  # no NUL: the pattern
        pattern=_REFERENCE, description="The force's reference, unique per force (idempotent)."
    )
    force: Text | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="If given, the API key's source (compared without case); else 403.",
    )
    occurred_at: OffsetDateTime = Field(
        description="From 1900; at intake no later than the day after the day of receipt."
    )
    reported_at: DateTimeString | None = Field(
        default=None,
        description="Not before occurred_at (without an offset it is taken as UTC).",
    )
    incident_type: Literal["incident", "crime"] = Field(description="`crime` if an offence.")
    offences: list[Text] | None = Field(default=None, max_length=50, description="As recorded.")
    address: Address = Field(description="Where the incident happened.")
    dash: Dash | None = Field(default=None, description="The DASH risk assessment, if done.")
    people: list[Person] = Field(
        min_length=1,
        max_length=30,
        description="At least one person has the role `victim`.",
        json_schema_extra={
            "contains": {"type": "object", "properties": {"role": {"const": "victim"}},
                         "required": ["role"]}
        },
    )
    children_present: StrictBool | None = Field(default=None, description="Tick box.")
    children_in_household: StrictBool | None = Field(default=None, description="Tick box.")
    victim_pregnant: StrictBool | None = Field(default=None, description="Tick box.")
    previous_incidents: IncidentCount | None = Field(default=None, description="In the last year.")
    narrative: Text = Field(min_length=1, max_length=20000, description="The officer's account.")
    officer: Officer | None = Field(default=None, description="The attending officer.")

    @model_validator(mode="after")
    def _people_consistent(self, info: ValidationInfo) -> Notification:
        if not any(p.role == "victim" for p in self.people):
            raise ValueError("people: at least one person must have role 'victim'")
        if self.reported_at is not None and as_utc(self.reported_at) < self.occurred_at:
            raise ValueError("reported_at: is before occurred_at")
        received_at = (info.context or {}).get(RECEIVED_AT)
        if isinstance(received_at, datetime):
            latest = latest_date(received_at)
            if self.occurred_at.date() > latest:
                raise ValueError("occurred_at: is later than the day after receipt")
            if self.reported_at is not None and self.reported_at.date() > latest:
                raise ValueError("reported_at: is later than the day after receipt")
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
