"""Finding a person in the stored notifications by given name, family name and date of birth.

The date of birth (always ASCII in the stored JSON) narrows the rows in SQL; each candidate's
JSON is then read and its people compared with names normalised (case, accents, spaces and
hyphens do not matter). Used by legal holds on a person and by subject access.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import NotificationRecord

SCAN_CHUNK = 2000


def normalise_name(name: str | None) -> str:
    """`  Siân  O'Neill-Smith ` -> `sian o neill smith`."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in plain)
    return " ".join(words.split())


@dataclass(frozen=True)
class PersonKey:
    """Who is looked for: normalised names and a date of birth."""

    given_name: str
    family_name: str
    date_of_birth: date

    @classmethod
    def of(cls, given_name: str, family_name: str, date_of_birth: date) -> PersonKey:
        return cls(normalise_name(given_name), normalise_name(family_name), date_of_birth)

    def matches(self, person: dict[str, Any]) -> bool:
        return (
            str(person.get("date_of_birth") or "") == self.date_of_birth.isoformat()
            and normalise_name(person.get("given_name")) == self.given_name
            and normalise_name(person.get("family_name")) == self.family_name
        )


@dataclass(frozen=True)
class Appearance:
    """A notification a person appears in: its id, its parsed JSON, which people are theirs."""

    notification_id: uuid.UUID
    document: dict[str, Any]
    person_indexes: tuple[int, ...]


def people_of(raw_json: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The parsed document and its people (nothing for a purged or unreadable notification)."""
    if not raw_json:
        return {}, []
    try:
        document = json.loads(raw_json)
    except ValueError:
        return {}, []
    if not isinstance(document, dict):
        return {}, []
    people = document.get("people")
    if not isinstance(people, list):
        return document, []
    return document, [p if isinstance(p, dict) else {} for p in people]


def appearances(
    session: Session, *, key: PersonKey, within: list[uuid.UUID] | None = None
) -> Iterator[Appearance]:
    """Every stored notification (or only those `within`) in which the person appears."""
    stmt = (
        select(NotificationRecord.id, NotificationRecord.raw_json)
        .where(NotificationRecord.raw_json.like(f"%{key.date_of_birth.isoformat()}%"))
        .order_by(NotificationRecord.received_at, NotificationRecord.id)
    )
    if within is not None:
        stmt = stmt.where(NotificationRecord.id.in_(within))
    for notification_id, raw_json in session.execute(
        stmt.execution_options(yield_per=SCAN_CHUNK)
    ):
        document, people = people_of(raw_json)
        indexes = tuple(i for i, person in enumerate(people) if key.matches(person))
        if indexes:
            yield Appearance(notification_id, document, indexes)
