"""A force's column mapping, and one row of its daily file turned into a notification document.

A mapping says which column holds which contract field (`FIELDS`: top-level fields such as
`occurred_at`, `address_postcode`, and people fields such as `victim_given_name`,
`suspect_family_name`, `child_1_age`), and how dates are written. `document_of` builds the
contract's JSON document from one row and says, for every value it could not read, the row
number and the column; contract validation errors are traced back to columns the same way
(`column_of`). Messages never quote a cell's value: it may be personal data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.daily_file import Cell, Row

Kind = Literal["text", "datetime", "date", "int", "bool", "list", "incident_type", "dash_level"]

# Top-level fields: target -> (path in the document, kind).
TOP_FIELDS: dict[str, tuple[tuple[str, ...], Kind]] = {
    "reference": (("reference",), "text"),
    "force": (("force",), "text"),
    "occurred_at": (("occurred_at",), "datetime"),
    "reported_at": (("reported_at",), "datetime"),
    "incident_type": (("incident_type",), "incident_type"),
    "offences": (("offences",), "list"),
    "address_line1": (("address", "line1"), "text"),
    "address_line2": (("address", "line2"), "text"),
    "address_town": (("address", "town"), "text"),
    "address_postcode": (("address", "postcode"), "text"),
    "dash_level": (("dash", "level"), "dash_level"),
    "dash_yes_count": (("dash", "yes_count"), "int"),
    "children_present": (("children_present",), "bool"),
    "children_in_household": (("children_in_household",), "bool"),
    "victim_pregnant": (("victim_pregnant",), "bool"),
    "previous_incidents": (("previous_incidents",), "int"),
    "narrative": (("narrative",), "text"),
    "officer_id": (("officer", "id"), "text"),
    "officer_name": (("officer", "name"), "text"),
    "officer_station": (("officer", "station"), "text"),
}
PERSON_FIELDS: dict[str, Kind] = {
    "given_name": "text",
    "family_name": "text",
    "date_of_birth": "date",
    "age": "int",
    "gender": "text",
    "ethnicity": "text",
    "religion": "text",
    "language": "text",
    "interpreter_needed": "bool",
    "disability": "bool",
    "relationship_to_victim": "text",
    "present_at_incident": "bool",
    "lives_at_address": "bool",
    "pregnant": "bool",
    "notes": "text",
}
# The people a row can hold, in document order, with their contract role.
PERSON_SLOTS: tuple[tuple[str, str], ...] = (
    ("victim", "victim"),
    ("suspect", "suspect"),
    *((f"child_{n}", "child") for n in range(1, 9)),
    *((f"other_adult_{n}", "other_adult") for n in range(1, 4)),
)
FIELDS: dict[str, Kind] = {
    **{name: kind for name, (_path, kind) in TOP_FIELDS.items()},
    **{
        f"{slot}_{field}": kind
        for slot, _role in PERSON_SLOTS
        for field, kind in PERSON_FIELDS.items()
    },
}
# What a mapping must name (the contract's required fields, and a victim).
REQUIRED_TARGETS = ("reference", "occurred_at", "incident_type", "address_line1", "narrative")

TRUE_WORDS = frozenset({"y", "yes", "true", "t", "1", "ticked", "x"})
FALSE_WORDS = frozenset({"n", "no", "false", "f", "0", "not ticked"})
UNKNOWN_WORDS = frozenset({"unknown", "not known", "not recorded", "n/k", "nk", "u"})
INCIDENT_WORDS = {
    "crime": "crime", "recorded crime": "crime", "crimed": "crime",
    "incident": "incident", "non-crime": "incident", "non crime": "incident",
    "noncrime": "incident", "non-crime incident": "incident", "non crime incident": "incident",
}


class FileMapping(BaseModel):
    """How one force's daily file is read: column header -> contract field, and formats."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(description="column header -> field name (FIELDS)")
    datetime_format: str = Field(default="%d/%m/%Y %H:%M", max_length=50)
    date_format: str = Field(default="%d/%m/%Y", max_length=50)
    timezone: str = Field(default="Europe/London", max_length=60)
    list_separator: str = Field(default=";", min_length=1, max_length=3)
    sheet: str | None = Field(default=None, max_length=100)

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns: dict[str, str]) -> dict[str, str]:
        unknown = sorted({f for f in columns.values() if f not in FIELDS})
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(unknown)}")
        targets = list(columns.values())
        repeated = sorted({t for t in targets if targets.count(t) > 1})
        if repeated:
            raise ValueError(f"more than one column for: {', '.join(repeated)}")
        return columns

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known time zone") from None
        return zone

    def missing(self) -> list[str]:
        """Required fields no column is mapped to (empty when the mapping is complete)."""
        mapped = set(self.columns.values())
        gaps = [t for t in REQUIRED_TARGETS if t not in mapped]
        if not any(t.startswith("victim_") for t in mapped):
            gaps.append("victim_* (at least one victim field)")
        return gaps

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class RowProblem:
    """One bad value or field in one row: where (row, column) and what (field, message)."""

    row: int
    column: str | None
    field: str
    message: str

    def describe(self) -> str:
        where = f"row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where} ({self.field}): {self.message}"


class _Unreadable(ValueError):
    pass


def _text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = str(cell).strip()
    return value or None


def _iso_or_format(text: str, fmt: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        raise _Unreadable(f"is not a date-time in the format {fmt} (or ISO 8601)") from None


def _datetime(cell: Cell, mapping: FileMapping) -> str:
    if isinstance(cell, datetime):
        value = cell
    elif isinstance(cell, date):
        value = datetime.combine(cell, time())
    else:
        text = _text(cell) or ""
        try:
            value = _iso_or_format(text, mapping.datetime_format)
        except _Unreadable:
            try:
                value = datetime.strptime(text, mapping.date_format)
            except ValueError:
                raise _Unreadable(
                    f"is not a date-time in the format {mapping.datetime_format} "
                    f"(or {mapping.date_format}, or ISO 8601)"
                ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=mapping.zone())
    return value.isoformat()


def _date(cell: Cell, mapping: FileMapping) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = _text(cell) or ""
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, mapping.date_format).date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    raise _Unreadable(f"is not a date in the format {mapping.date_format} (or ISO 8601)")


def _int(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise _Unreadable("is not a whole number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = _text(cell) or ""
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise _Unreadable("is not a whole number")


def _bool(cell: Cell) -> bool | None:
    if isinstance(cell, bool):
        return cell
    word = (_text(cell) or "").casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if word in UNKNOWN_WORDS:
        return None
    raise _Unreadable("is not yes or no")


def _word(cell: Cell) -> str:
    return re.sub(r"\s+", " ", (_text(cell) or "").casefold())


def convert(cell: Cell, kind: Kind, mapping: FileMapping) -> Any:
    """A non-empty cell as the contract's JSON value for a field of `kind`."""
    if kind == "datetime":
        return _datetime(cell, mapping)
    if kind == "date":
        return _date(cell, mapping)
    if kind == "int":
        return _int(cell)
    if kind == "bool":
        return _bool(cell)
    if kind == "list":
        parts = (_text(cell) or "").split(mapping.list_separator)
        return [p.strip() for p in parts if p.strip()]
    if kind == "incident_type":
        return INCIDENT_WORDS.get(_word(cell), _word(cell))
    if kind == "dash_level":
        return _word(cell).replace(" ", "_").replace("-", "_")
    return _text(cell)


@dataclass(frozen=True)
class MappedRow:
    """One row as a document (None when a value could not be read) and where each value
    came from: dotted document path -> column header."""

    row: int
    document: dict[str, Any] | None
    origin: dict[str, str]
    problems: tuple[RowProblem, ...]


def _put(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = document
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def document_of(mapping: FileMapping, header: tuple[str, ...], row: Row) -> MappedRow:
    """The notification document of one row, or the problems that stop it being built."""
    index = {name: i for i, name in enumerate(header)}
    document: dict[str, Any] = {}
    origin: dict[str, str] = {}
    people: dict[str, dict[str, Any]] = {}
    person_origin: dict[str, dict[str, str]] = {}
    problems: list[RowProblem] = []
    for column, target in mapping.columns.items():
        if column not in index:
            continue
        cell = row.value(index[column])
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        kind = FIELDS[target]
        try:
            value = convert(cell, kind, mapping)
        except _Unreadable as error:
            problems.append(RowProblem(row.number, column, target, str(error)))
            continue
        if value is None or value == []:
            continue
        if target in TOP_FIELDS:
            path = TOP_FIELDS[target][0]
            _put(document, path, value)
            origin[".".join(path)] = column
        else:
            slot, field = _split_person_target(target)
            people.setdefault(slot, {})[field] = value
            person_origin.setdefault(slot, {})[field] = column
    if problems:
        return MappedRow(row.number, None, origin, tuple(problems))
    persons: list[dict[str, Any]] = []
    for slot, role in PERSON_SLOTS:
        if slot in people:
            position = len(persons)
            persons.append({"role": role, **people[slot]})
            for field, column in person_origin[slot].items():
                origin[f"people.{position}.{field}"] = column
    if persons:
        document["people"] = persons
    return MappedRow(row.number, document, origin, ())


def _split_person_target(target: str) -> tuple[str, str]:
    for slot, _role in PERSON_SLOTS:
        if target.startswith(slot + "_") and target[len(slot) + 1 :] in PERSON_FIELDS:
            return slot, target[len(slot) + 1 :]
    raise KeyError(target)  # pragma: no cover - FileMapping checks every target


def column_of(origin: Mapping[str, str], path: str) -> str | None:
    """The column a document path came from: the path itself, else its nearest parent's, else
    (for a parent such as `people.0`) the first column under it."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        column = origin.get(".".join(parts[:end]))
        if column is not None:
            return column
    prefix = path + "." if path else ""
    for dotted, column in origin.items():
        if dotted.startswith(prefix):
            return column
    return None


def guess_field(column: str) -> str | None:
    """A field whose name matches the header once case, spaces and punctuation are ignored
    (`Victim given name` -> `victim_given_name`), else None."""
    key = re.sub(r"[^a-z0-9]+", "_", column.casefold()).strip("_")
    return key if key in FIELDS else None


def declared_column(mapping: FileMapping, path: str) -> str | None:
    """The column mapped to a top-level field's document path, even when its cell was empty
    (`address.line1` -> the column mapped to `address_line1`)."""
    for column, target in mapping.columns.items():
        if target in TOP_FIELDS and ".".join(TOP_FIELDS[target][0]) == path:
            return column
    return None
